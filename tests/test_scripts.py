"""The data-building scripts: shipped coordinates match GeoNames; outline decoding keeps borders shared."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_hq_coordinates_are_reproducible_from_geonames():
    result = subprocess.run([sys.executable, "scripts/geocode.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_geocoder_picks_the_city_in_the_host_country():
    geocode = load_script("geocode")
    iso2, indexes = geocode.build_index()
    monrovia = geocode.locate("Monrovia", ["LBR"], iso2, indexes)
    assert monrovia["countrycode"] == "LR"
    assert geocode.locate("Naqoura", ["LBN"], iso2, indexes)["name"] == "En Nâqoûra"  # alternate name
    assert geocode.locate("Daru", ["SLE"], iso2, indexes)["countrycode"] == "SL"  # cities1000, not Papua New Guinea
    assert geocode.locate("Fort-Liberté", ["HTI"], iso2, indexes)["name"] == "Fort Liberte"
    assert geocode.locate("Monrovia", ["FRA"], iso2, indexes) is None


def toy_topology() -> dict:
    """Two squares sharing one arc, and a square cut by the antimeridian (TopoJSON, unquantised)."""
    return {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [
            [[0, 0], [0, 10]],  # shared border x=0
            [[0, 10], [-10, 0], [0, -10], [10, 0]],  # west square, from (0,10) round to (0,0)
            [[0, 0], [10, 0], [0, 10], [-10, 0]],  # east square, from (0,0) round to (0,10)
            [[170, 50], [10, 0], [-360, 0], [10, 0], [0, 10], [-10, 0], [360, 0], [-10, 0], [0, -10]],
        ],
        "objects": {
            "countries": {
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"a3": "WES", "name": "West"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "properties": {"a3": "EAS", "name": "East"}},
                    {"type": "Polygon", "arcs": [[3]], "properties": {"a3": "DAT", "name": "Dateline"}},
                ]
            }
        },
    }


def test_outlines_keep_shared_borders_and_split_at_the_antimeridian():
    build = load_script("build_countries")
    features = {
        f["properties"]["iso3"]: shapely.geometry.shape(f["geometry"]) for f in build.build(toy_topology())["features"]
    }
    assert features["WES"].touches(features["EAS"])
    assert features["WES"].area == features["EAS"].area == 100
    dateline = features["DAT"]
    assert dateline.geom_type == "MultiPolygon" and len(dateline.geoms) == 2
    assert dateline.bounds == (-180, 50, 180, 60)
    assert abs(dateline.area - 200) < 1e-9


def test_the_finding_in_the_data_readme_is_what_the_code_computes():
    result = subprocess.run(
        [sys.executable, "scripts/finding.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_counts_in_the_data_readme_are_current():
    result = subprocess.run(
        [sys.executable, "scripts/coverage.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_coverage_counts_rows_and_cases_by_decade_and_kind():
    coverage = load_script("coverage")
    frame = pd.DataFrame(
        {
            "event_id": ["a", "a", "b", "c"],
            "start": ["1995-01-01", "1995-02-01", "2004-04-04", "2007-12-31"],
            "case_type": ["loan", "hand-over", "re-hatting", "re-hatting"],
        }
    )
    table = coverage.summary(frame)
    assert table.loc["1990s", ("rows", "total")] == 2
    assert table.loc["1990s", ("cases", "total")] == 1  # one case with two kinds of rows
    assert table.loc["2000s", ("cases", "re-hatting")] == 2
    assert table.loc["total", ("cases", "total")] == 3
