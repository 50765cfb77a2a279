"""Proximity measures and helper rankings on a small hand-built world, and on the shipped data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from imcgeo import data, proximity
from imcgeo.geodesy import geodesic_km
from imcgeo.proximity import World, event_ranks, helpers, min_distance_km, rank_findings
from imcgeo.sites import load_sites


@pytest.fixture(scope="module")
def world() -> World:
    countries = gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB", "CCC", "DDD"], "name": ["A", "B", "C", "D"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(40, -30, 50, -20), box(0, 20, 10, 30)],
        crs="EPSG:4326",
    )
    rows = [
        # acronym, kind, start, end, host, lat, lon, region
        ("TGT", "peacekeeping", "2000-01-01", None, "AAA", 5.0, 5.0, "Africa"),
        ("NEXT", "peacekeeping", "2000-01-01", None, "BBB", 5.0, 15.0, "Africa"),
        ("NORTH", "political", "2000-01-01", None, "DDD", 25.0, 5.0, "Europe"),
        ("FAR", "peacekeeping", "2000-01-01", None, "CCC", -25.0, 45.0, "Africa"),
        ("ENDED", "peacekeeping", "1990-01-01", "1999-12-31", "BBB", 5.0, 12.0, "Africa"),
        ("LATER", "peacekeeping", "2020-01-01", None, "BBB", 5.0, 11.0, "Africa"),
        ("Unnamed (placeholder)", "other", "2000-01-01", None, "", None, None, ""),
    ]
    missions = pd.DataFrame(
        rows, columns=["acronym", "kind", "start", "end", "host_iso3", "hq_lat", "hq_lon", "region"]
    )
    missions["name"] = missions["acronym"] + " mission"
    missions["start"] = pd.to_datetime(missions["start"])
    missions["end"] = pd.to_datetime(missions["end"])
    sites = load_sites(b"mission,site,lat,lon\nNORTH,Forward base,5.0,11.0\n", missions=missions)
    return World(missions, countries, sites)


DATE = "2010-06-01"


def test_ranking_by_area_puts_the_neighbour_first_and_drops_inactive_missions(world):
    table = helpers("TGT", DATE, measure="area", world=world)
    assert table["acronym"].tolist() == ["NEXT", "NORTH", "FAR"]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table.loc[0, "area_km"] == 0 and bool(table.loc[0, "shares_border"])
    # DDD's southern edge is 10 degrees of latitude north of AAA's northern edge.
    assert table.loc[1, "area_km"] == pytest.approx(geodesic_km(10, 5, 20, 5), abs=1)
    assert not table["shares_border"].iloc[1:].any()


def test_ranking_by_hq_and_by_site_differ_when_a_forward_base_is_close(world):
    by_hq = helpers("TGT", DATE, measure="hq", world=world)
    assert by_hq["acronym"].tolist() == ["NEXT", "NORTH", "FAR"]
    assert by_hq.loc[0, "hq_km"] == pytest.approx(geodesic_km(5, 5, 5, 15))
    by_site = helpers("TGT", DATE, measure="site", world=world)
    assert by_site["acronym"].tolist()[0] == "NORTH"
    assert by_site.loc[0, "site_km"] == pytest.approx(geodesic_km(5, 5, 5, 11))


def test_travel_estimates_follow_the_landmass_and_the_ferry_range(world):
    table = helpers("TGT", DATE, world=world).set_index("acronym")
    assert bool(table.loc["NEXT", "same_landmass"]) and np.isfinite(table.loc["NEXT", "road_days"])
    assert not table.loc["FAR", "same_landmass"] and np.isnan(table.loc["FAR", "road_days"])
    assert table.loc["FAR", "site_km"] > 2000 and np.isnan(table.loc["FAR", "helicopter_h"])
    assert table["fixed_wing_h"].notna().all()


def test_options_k_kinds_include_and_errors(world):
    assert len(helpers("TGT", DATE, k=1, world=world)) == 1
    assert helpers("TGT", DATE, kinds=("political",), world=world)["acronym"].tolist() == ["NORTH"]
    assert "ENDED" in set(helpers("TGT", DATE, k=None, world=world, include=("ENDED",))["acronym"])
    assert "LATER" in set(helpers("TGT", "2021-01-01", k=None, world=world)["acronym"])
    with pytest.raises(ValueError, match="unknown mission"):
        helpers("NOPE", DATE, world=world)
    with pytest.raises(ValueError, match="measure must be one of"):
        helpers("TGT", DATE, measure="crow", world=world)
    with pytest.raises(ValueError, match="placeholder"):
        helpers("Unnamed (placeholder)", DATE, world=world)


def test_event_ranks_and_findings(world):
    transfers = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "source_mission": ["NORTH", "FAR", "Unnamed (placeholder)"],
            "target_mission": ["TGT", "TGT", "TGT"],
            "start": pd.to_datetime([DATE, DATE, DATE]),
            "asset": ["troops"] * 3,
            "surge": ["start-up"] * 3,
        }
    )
    ranks = event_ranks(transfers, world=world)
    assert ranks[["rank_hq", "rank_area", "rank_site"]].iloc[0].tolist() == [2, 2, 1]
    assert ranks[["rank_hq", "rank_area", "rank_site"]].iloc[1].tolist() == [3, 3, 3]
    assert ranks["candidates"].iloc[0] == 3
    assert pd.isna(ranks["rank_hq"].iloc[2]) and "placeholder" in ranks["note"].iloc[2]
    findings = rank_findings(ranks, top=1).set_index("measure")
    assert findings.loc["site", "in_top"] == 1 and findings.loc["hq", "in_top"] == 0
    assert findings.loc["site", "ranked"] == 2
    assert findings.loc["site", "chance"] == pytest.approx(1 / 3)


def test_min_distance_equals_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        a = rng.uniform(-60, 60, (2, 40)) * [[1], [3]]
        b = rng.uniform(-60, 60, (2, 30)) * [[1], [3]]
        brute = geodesic_km(a[0][:, None], a[1][:, None], b[0][None, :], b[1][None, :]).min()
        assert min_distance_km(a[0], a[1], b[0], b[1]) == pytest.approx(brute, abs=1e-9)


def test_hq_matrix_is_symmetric_with_zero_diagonal(world):
    matrix = proximity.hq_matrix_km(proximity.active_missions(world.missions, DATE))
    assert list(matrix.index) == ["TGT", "NEXT", "NORTH", "FAR"]
    np.testing.assert_allclose(matrix.to_numpy(), matrix.to_numpy().T)
    assert (np.diag(matrix) == 0).all()


# --- on the shipped data ---


@pytest.fixture(scope="module")
def shipped() -> World:
    return World.shipped()


@pytest.mark.parametrize(
    "a,b,expected_km",
    [("LBR", "CIV", 0.0), ("HTI", "DOM", 0.0), ("SDN", "SSD", 0.0), ("LBN;SYR", "ISR", 0.0)],
)
def test_neighbours_have_area_distance_zero(shipped, a, b, expected_km):
    assert shipped.area_km(a, b) == expected_km


def test_area_distance_across_the_sea(shipped):
    cyprus_lebanon = shipped.area_km("CYP", "LBN")
    assert 100 < cyprus_lebanon < 250
    assert cyprus_lebanon < geodesic_km(35.17, 33.36, 33.89, 35.50)  # less than Nicosia to Beirut
    assert shipped.area_km("HTI", "CIV") > 6000


def test_unoci_in_the_2010_crisis_had_unmil_as_its_nearest_helper(shipped):
    table = helpers("UNOCI", "2010-12-01", measure="area", world=shipped)
    top = table.iloc[0]
    assert top["acronym"] == "UNMIL" and top["shares_border"] and top["same_landmass"]
    assert 600 < top["hq_km"] < 900  # Abidjan to Monrovia


def test_shipped_event_ranks_cover_every_transfer(shipped):
    transfers = data.load_transfers(missions=shipped.missions)
    ranks = event_ranks(transfers, world=shipped)
    assert len(ranks) == len(transfers)
    placed = ranks.dropna(subset=["rank_hq"])
    assert (placed["rank_hq"] >= 1).all() and (placed["rank_hq"] <= placed["candidates"]).all()
    unnamed = transfers["source_mission"].str.contains("unnamed") | transfers["target_mission"].str.contains("unnamed")
    assert ranks["rank_hq"].isna().sum() == unnamed.sum()
