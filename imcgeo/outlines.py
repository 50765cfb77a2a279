"""Country outlines prepared for drawing: simplified as one coverage, rounded, and map-coloured."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from imcgeo.encoding import LAND_TONES

__all__ = ["display_outlines", "map_colouring"]


def display_outlines(countries: gpd.GeoDataFrame, tolerance_deg: float = 0.3, decimals: int = 2) -> dict:
    """A compact GeoJSON of the outlines for drawing, with a map-colouring ``tone`` per country.

    The outlines are simplified together (``shapely.coverage_simplify``), so a border two
    countries share is simplified once and stays shared: no gaps or slivers at any zoom.
    Coordinates are then rounded to *decimals* (2: about 1 km), which maps equal vertices to
    equal vertices and so keeps shared borders shared too.
    """
    if countries.crs is not None and not countries.crs.equals("EPSG:4326"):
        countries = countries.to_crs("EPSG:4326")
    shapes = countries.geometry.values
    simplified = shapely.coverage_simplify(shapes, tolerance_deg) if len(shapes) else shapes
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    keep = [i for i, g in enumerate(rounded) if g is not None and not g.is_empty]
    tones = map_colouring([shapes[i] for i in keep])
    features = [
        {
            "type": "Feature",
            "properties": {"iso3": countries["iso3"].iloc[i], "name": countries["name"].iloc[i], "tone": tone},
            "geometry": shapely.geometry.mapping(rounded[i]),
        }
        for i, tone in zip(keep, tones)
    ]
    return {"type": "FeatureCollection", "features": json.loads(json.dumps(features))}


def map_colouring(shapes: list) -> list[int]:
    """A tone index per shape such that shapes that touch (or nearly) never share one (greedy, largest first)."""
    if not shapes:
        return []
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=0.05)
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(shapes))}
    for a, b in zip(left, right):
        if a != b:
            neighbours[int(a)].add(int(b))
    tones: dict[int, int] = {}
    for i in sorted(neighbours, key=lambda i: (-len(neighbours[i]), -shapes[i].area)):
        used = {tones[j] for j in neighbours[i] if j in tones}
        tones[i] = next(t for t in range(len(LAND_TONES) + 8) if t not in used) % len(LAND_TONES)
    return [tones[i] for i in range(len(shapes))]
