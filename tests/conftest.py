"""Shared fixtures: tiny hand-drawn countries built in code."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box


@pytest.fixture(scope="session")
def toy_countries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "name": ["Aland", "Bland", "Cland"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(40, -30, 50, -20)],
        crs="EPSG:4326",
    )
