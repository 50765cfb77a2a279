"""The planner on a hand-built world: rankings from any point, capacity filters, case ranks and flows."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from imcgeo import planner
from imcgeo.errors import DataValidationError
from imcgeo.geodesy import geodesic_km, min_distance_km
from imcgeo.planner import case_ranks, flows, helpers_at, load_units, mission_totals
from imcgeo.proximity import World, fastest
from imcgeo.sites import load_sites
from imcgeo.travel import estimate_hours

GEOPKO = Path(__file__).resolve().parents[2] / "shared" / "reference" / "geopko" / "FrontMap_v.2.3.csv"
DATE = "2010-06-01"
# A point in Aland, one degree east of NEAR's headquarters.
LAT, LON = 5.0, 6.0


@pytest.fixture(scope="module")
def world() -> World:
    # Aland and Bland touch; Dland lies 10 degrees north across the sea; Cland is an island far away.
    countries = gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB", "CCC", "DDD"], "name": ["A", "B", "C", "D"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(40, -30, 50, -20), box(0, 20, 10, 30)],
        crs="EPSG:4326",
    )
    rows = [
        # acronym, kind, start, end, host, lat, lon, region
        ("NEAR", "peacekeeping", "2000-01-01", None, "AAA", 5.0, 5.0, "Africa"),
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
    missions["hq_city"] = missions["acronym"].str.title() + "ville"
    missions["start"] = pd.to_datetime(missions["start"])
    missions["end"] = pd.to_datetime(missions["end"])
    # NORTH has a forward base in Bland, closer to the point than NEXT's HQ; one site closes in 2005.
    sites = load_sites(
        b"mission,site,lat,lon,start,end\nNORTH,Forward base,5.0,11.0,,\nNEXT,Old post,5.0,7.0,2000-01-01,2005-12-31\n",
        missions=missions,
    )
    return World(missions, countries, sites)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    """A Geo-PKO-style file built in code: NEAR has a medical unit, NEXT and FAR aviation, NORTH no record."""
    text = (
        "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO\n"
        "NEAR,2010,A,Neartown,5.0,5.0,150,150,0,3,1,1,0,0\n"
        "NEXT,2010,B,Airstrip,5.0,14.0,0,35,0,0,0,0,1,0\n"
        "NEXT,2010,B,Nextville,5.0,15.0,650,650,0,3,0,1,0,1\n"
        "FAR,2010,C,Island field,-25.0,45.0,0,35,0,3,0,0,2,0\n"
        "NEXT,2011,B,Airstrip,5.0,14.0,0,35,0,0,0,0,0,0\n"
    )
    return load_units(text.encode(), name="toy_geopko.csv")


@pytest.fixture(scope="module")
def strength() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mission": ["NEAR", "NEXT", "FAR", "NORTH"],
            "troops": [100, 5000, 20000, np.nan],
            "police": [10, 500, 0, 3],
            "military_observers": [5, 50, 0, 2],
        }
    )


def test_missions_active_on_the_date_rank_by_headquarters_distance(world):
    plan = helpers_at(world, LAT, LON, DATE, k=None, measure="hq")
    table = plan.table
    assert table["acronym"].tolist() == ["NEAR", "NEXT", "NORTH", "FAR"]  # not ENDED, LATER or the placeholder
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table.loc[0, "hq_km"] == pytest.approx(geodesic_km(LAT, LON, 5.0, 5.0), rel=1e-12)
    assert table.loc[0, "hq_km"] == pytest.approx(110.9, abs=0.5)  # one degree of longitude at 5 N on WGS84
    assert plan.candidates == 4 and plan.date == pd.Timestamp(DATE)


def test_a_forward_base_brings_a_mission_closer_by_site_and_by_travel(world):
    by_site = helpers_at(world, LAT, LON, DATE, k=None, measure="site").table
    assert by_site["acronym"].tolist() == ["NEAR", "NORTH", "NEXT", "FAR"]
    north = by_site.set_index("acronym").loc["NORTH"]
    assert north["nearest_site"] == "Forward base"
    assert north["site_km"] == pytest.approx(geodesic_km(LAT, LON, 5.0, 11.0))
    # NEXT's old post closed in 2005, so its nearest point in 2010 is its HQ; in 2004 it was the post.
    assert by_site.set_index("acronym").loc["NEXT", "nearest_site"] == "HQ Nextville"
    earlier = helpers_at(world, LAT, LON, "2004-06-01", k=None, measure="site").table.set_index("acronym")
    assert earlier.loc["NEXT", "nearest_site"] == "Old post"
    by_travel = helpers_at(world, LAT, LON, DATE, k=None).table
    assert by_travel["acronym"].tolist() == ["NEAR", "NORTH", "NEXT", "FAR"]
    assert by_travel["travel_h"].is_monotonic_increasing


def test_site_distances_agree_with_the_world_presence(world):
    table = helpers_at(world, LAT, LON, DATE, k=None, measure="site").table.set_index("acronym")
    presence = world.presence(DATE)
    for acronym, row in table.iterrows():
        assert row["site_km"] == pytest.approx(min_distance_km([LAT], [LON], *presence[acronym]), rel=1e-9)


def test_road_only_on_the_same_landmass_and_times_follow_the_assumptions(world):
    plan = helpers_at(world, LAT, LON, DATE, k=None)
    table = plan.table.set_index("acronym")
    assert table.loc["NEAR", "same_landmass"] and table.loc["NEXT", "same_landmass"]
    assert not table.loc["NORTH", "same_landmass"] and not table.loc["FAR", "same_landmass"]
    assert np.isnan(table.loc["NORTH", "road_days"]) and np.isnan(table.loc["FAR", "road_days"])
    expected = fastest(estimate_hours(table["from_km"].to_numpy(), world.assumptions,
                                      same_landmass=table["same_landmass"].to_numpy()))  # fmt: skip
    for column in ("road_days", "helicopter_h", "fixed_wing_h", "travel_h"):
        np.testing.assert_allclose(table[column].to_numpy(), expected[column], equal_nan=True)
    assert np.isnan(table.loc["FAR", "helicopter_h"])  # beyond the helicopter's ferry range
    assert plan.assumptions == world.assumptions.describe()
    assert any("estimates" in line for line in plan.caveats)


def test_a_point_at_sea_gets_no_road_and_a_caveat(world):
    plan = helpers_at(world, -10.0, 30.0, DATE, k=None)
    assert plan.table["road_days"].isna().all()
    assert any("at sea" in line for line in plan.caveats)


def test_k_limits_rows_and_kinds_exclude_include_pick_candidates(world):
    assert helpers_at(world, LAT, LON, DATE, k=2).table["acronym"].tolist() == ["NEAR", "NORTH"]
    kept = helpers_at(world, LAT, LON, DATE, k=None, kinds=("peacekeeping",)).table["acronym"]
    assert "NORTH" not in set(kept)
    table = helpers_at(world, LAT, LON, DATE, k=None, exclude=("NEAR",), include=("ENDED",)).table
    assert "NEAR" not in set(table["acronym"]) and "ENDED" in set(table["acronym"])


def test_without_a_strength_table_capacity_stays_unknown(world):
    plan = helpers_at(world, LAT, LON, DATE, k=None)
    assert plan.table["uniformed"].isna().all() and plan.table["troops"].isna().all()
    assert any("No strength table" in line for line in plan.caveats)


def test_the_largest_force_within_1500_km(world, strength):
    plan = helpers_at(world, LAT, LON, DATE, k=None, strength=strength, within_km=1500, rank_by="strength")
    table = plan.table
    # FAR is the largest force but lies beyond 1,500 km; NORTH's troop figure is unknown, so it comes last.
    assert table["acronym"].tolist() == ["NEXT", "NEAR", "NORTH"]
    assert table["uniformed"].tolist()[:2] == [5550, 115]
    assert np.isnan(table.loc[2, "uniformed"]) and table.loc[2, "police"] == 3  # no invented total
    assert (table["from_km"] <= 1500).all()
    assert any("not spare capacity" in line for line in plan.caveats)
    assert any("1 of the missions listed have no strength figure" in line for line in plan.caveats)


def test_strength_from_imcgeo_strength_uses_the_un_total_and_its_date(world):
    from imcgeo.strength import strength_on

    monthly = pd.DataFrame(
        {
            "mission": ["NEAR", "NEXT", "NEXT", "FAR"],
            "date": pd.to_datetime(["2010-05-31", "2010-04-30", "2010-05-31", "2010-05-31"]),
            "troops": pd.array([100, 4000, 5000, 20000], dtype="Int64"),
            "police": pd.array([10, 400, 500, None], dtype="Int64"),
            "military_observers": pd.array([5, 40, None, 0], dtype="Int64"),
            "total": pd.array([115, 4440, 5600, None], dtype="Int64"),
            "source": ["S/2010/1"] * 4,
        }
    )
    plan = helpers_at(world, LAT, LON, DATE, k=None, strength=strength_on(monthly, DATE), rank_by="strength")
    table = plan.table.set_index("acronym")
    assert table.loc["NEXT", "uniformed"] == 5600  # the UN's total, though the observers column is empty
    assert table.loc["NEXT", "strength_date"] == pd.Timestamp("2010-05-31")
    assert np.isnan(table.loc["FAR", "uniformed"])  # no total and a part missing: unknown, not 20,000
    assert plan.table["acronym"].tolist()[:2] == ["NEXT", "NEAR"]


def test_a_strength_table_with_several_dates_is_refused_with_the_fix(world, strength):
    doubled = pd.concat([strength, strength])
    with pytest.raises(ValueError, match="one row per mission"):
        helpers_at(world, LAT, LON, DATE, strength=doubled)
    with pytest.raises(ValueError, match="needs a strength table"):
        helpers_at(world, LAT, LON, DATE, rank_by="strength")


def test_unit_types_per_mission_unknown_is_not_zero(world, units):
    plan = helpers_at(world, LAT, LON, DATE, k=None, sites=units)
    table = plan.table.set_index("acronym")
    assert table.loc["NEAR", "aviation_sites"] == 0 and table.loc["NEAR", "medical_sites"] == 1
    assert table.loc["NEXT", "aviation_sites"] == 1 and table.loc["NEXT", "medical_sites"] == 1
    assert table.loc["FAR", "aviation_sites"] == 1
    assert np.isnan(table.loc["NORTH", "aviation_sites"])  # no Geo-PKO record: unknown
    assert table.loc["NEXT", "geopko_troops"] == 35 + 650 and table.loc["NEAR", "geopko_troops"] == 150
    assert np.isnan(table.loc["NORTH", "geopko_troops"])
    assert table["engineering_sites"].isna().all()  # the file has no engineering column
    assert any("no engineering column" in line for line in plan.caveats)
    assert any("1 of the 4 missions active on the date have no Geo-PKO record" in line for line in plan.caveats)


def test_missions_with_helicopters_within_hours_measure_from_the_aviation_site(world, units):
    plan = helpers_at(world, LAT, LON, DATE, k=None, needs={"helicopters"}, sites=units)
    table = plan.table
    assert table["acronym"].tolist() == ["NEXT", "FAR"]  # NEAR has none, NORTH unknown
    nxt = table.set_index("acronym").loc["NEXT"]
    assert nxt["from_site"] == "Airstrip"
    assert nxt["from_km"] == pytest.approx(geodesic_km(LAT, LON, 5.0, 14.0))
    # From the airstrip (about 890 km) a helicopter needs about 8 hours; FAR is beyond its ferry range.
    within = helpers_at(world, LAT, LON, DATE, k=None, needs="aviation", sites=units, within_h=9,
                        within_mode="helicopter_h").table  # fmt: skip
    assert within["acronym"].tolist() == ["NEXT"]
    assert 6 < within.loc[0, "helicopter_h"] <= 9
    assert helpers_at(world, LAT, LON, DATE, needs="aviation", sites=units, within_h=6,
                      within_mode="helicopter_h").table.empty  # fmt: skip
    # The year after, NEXT's airstrip reports no aviation unit.
    later = helpers_at(world, LAT, LON, "2011-03-01", k=None, needs={"aviation"}, sites=units).table
    assert later.empty


def test_several_needs_must_all_be_present(world, units):
    table = helpers_at(world, LAT, LON, DATE, k=None, needs={"aviation", "medical"}, sites=units).table
    assert table["acronym"].tolist() == ["NEXT"]
    # Help needing both comes from the farther of the two nearest sites (the HQ's medical unit).
    assert table.loc[0, "from_km"] == pytest.approx(geodesic_km(LAT, LON, 5.0, 15.0))
    assert helpers_at(world, LAT, LON, DATE, needs={"engineering"}, sites=units).table.empty


def test_a_year_without_unit_records_says_so(world, units):
    plan = helpers_at(world, LAT, LON, "2015-01-01", sites=units)
    assert any("no records for 2015 (it covers 2010-2011)" in line for line in plan.caveats)
    assert plan.table["aviation_sites"].isna().all()


def test_needs_without_a_unit_file_or_with_a_typo_name_the_fix(world, units):
    with pytest.raises(ValueError, match="load_units"):
        helpers_at(world, LAT, LON, DATE, needs={"medical"})
    with pytest.raises(ValueError, match=r"unknown need 'helicopter'.*aviation, medical, engineering"):
        helpers_at(world, LAT, LON, DATE, needs={"helicopter"}, sites=units)


@pytest.mark.parametrize(
    ("lat", "lon", "date", "says"),
    [
        (95, 10, DATE, "latitude 95.0 is outside -90 to 90"),
        (10, 200, DATE, "longitude 200.0 is outside -180 to 180"),
        (120, 45, DATE, "latitude 120.0 is outside -90 to 90 (latitude and longitude look swapped)"),
        (-91, 100, DATE, "latitude -91.0 is outside -90 to 90. Fix: give latitude first"),
        ("north", 10, DATE, "is not two numbers"),
        (5, 5, "2010-02-30", "date '2010-02-30' is not a calendar date. Fix: give it as YYYY-MM-DD"),
        (5, 5, "last year", "is not a calendar date"),
        (5, 5, "", "is not a calendar date"),
    ],
)
def test_bad_coordinates_and_dates_get_clear_messages(world, lat, lon, date, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        helpers_at(world, lat, lon, date)


def test_bad_measure_names_the_choices(world):
    with pytest.raises(ValueError, match="measure must be one of travel, hq, site"):
        helpers_at(world, LAT, LON, DATE, measure="area")


def test_load_units_lists_every_problem_with_row_and_column():
    text = b"mission,year,location,latitude,longitude,Av\nNEAR,20x0,A,5,5,1\nNEXT,2010,B,95,5,-1\n"
    with pytest.raises(DataValidationError) as error:
        load_units(text, name="mine.csv")
    message = str(error.value)
    assert "mine.csv: 3 problems" in message
    assert "row 2, column 'year'" in message and "row 3, column 'latitude'" in message
    assert "row 3, column 'Av': '-1' is not a count" in message
    with pytest.raises(DataValidationError, match="none of the Geo-PKO unit columns"):
        load_units(b"mission,year,location,latitude,longitude\nNEAR,2010,A,5,5\n", name="bare.csv")


TRANSFERS = pd.DataFrame(
    {
        "event_id": ["2010-near-crisis", "2010-near-crisis", "2010-near-crisis", "2011-next-election", "2010-x"],
        "source_mission": ["NEXT", "NEXT", "NEXT", "NEAR", "Unnamed (placeholder)"],
        "target_mission": ["NEAR", "NEAR", "NEAR", "NEXT", "NEAR"],
        "start": pd.to_datetime(["2010-06-01", "2010-06-10", "2010-07-01", "2011-01-05", "2010-01-01"]),
        "end": pd.to_datetime(["2010-12-31", None, None, "2011-03-01", None]),
        "asset": ["troops", "helicopters", "police", "troops", "logistics"],
        "quantity": pd.array([100, 2, None, 50, None], dtype="Int64"),
        "surge": ["security-crisis", "security-crisis", "security-crisis", "election", "start-up"],
        "confidence": ["documented", "documented", "partial", "documented", "partial"],
    }
)


def test_case_ranks_place_the_real_helper_among_the_candidates(world, strength):
    ranks = case_ranks(world, TRANSFERS.iloc[:4], strength_on=lambda day: strength)
    first = ranks.iloc[0]
    # NEAR's HQ at (5, 5): NEXT is the nearest by HQ; by site NORTH's forward base (5, 11) is nearer.
    assert first["candidates"] == 3  # NEXT, NORTH, FAR (not NEAR itself)
    assert (first["rank_hq"], first["rank_site"], first["rank_travel"]) == (1, 2, 2)
    # Largest force among those with a figure: FAR (20,000), NEXT (5,550); NORTH has none.
    assert first["rank_strength"] == 2 and first["with_strength"] == 2
    assert ranks.iloc[3]["source_mission"] == "NEAR" and ranks.iloc[3]["rank_strength"] == 2
    without = case_ranks(world, TRANSFERS.iloc[:1])
    assert pd.isna(without.loc[0, "rank_strength"]) and without.loc[0, "with_strength"] == 0


def test_case_ranks_mark_placeholders_unranked(world):
    ranks = case_ranks(world, TRANSFERS)
    assert ranks.iloc[4]["note"] == "placeholder: no place on the map"
    assert pd.isna(ranks.iloc[4]["rank_hq"])


def test_flows_merge_transfers_per_mission_pair(world):
    table = flows(TRANSFERS.iloc[:4], missions=world.missions)
    assert table[["source_mission", "target_mission"]].values.tolist() == [["NEXT", "NEAR"], ["NEAR", "NEXT"]]
    arc = table.iloc[0]
    assert (arc["transfers"], arc["cases"], arc["people"], arc["items"], arc["unknown_quantity"]) == (3, 1, 100, 2, 1)
    assert arc["by_asset"] == "helicopters 2; police (1 unknown); troops 100"
    assert arc["first"] == pd.Timestamp("2010-06-01") and arc["last"] == pd.Timestamp("2010-12-31")
    assert arc["surges"] == "security-crisis" and arc["assets"] == "helicopters; police; troops"
    assert (arc["source_lat"], arc["source_lon"], arc["target_lon"]) == (5.0, 15.0, 5.0)
    back = table.iloc[1]
    assert back["people"] == 50 and np.isnan(back["items"])  # no items stated: unknown, not zero


def test_mission_totals_give_what_each_gave_and_received():
    totals = mission_totals(TRANSFERS.iloc[:4]).set_index("mission")
    assert totals.loc["NEXT", "gave_people"] == 100 and totals.loc["NEXT", "gave_items"] == 2
    assert totals.loc["NEXT", "gave_unknown"] == 1 and totals.loc["NEXT", "gave_to"] == "NEAR"
    assert totals.loc["NEXT", "received_people"] == 50 and totals.loc["NEXT", "received_from"] == "NEAR"
    assert totals.loc["NEAR", "received_transfers"] == 3 and totals.loc["NEAR", "gave_transfers"] == 1
    assert np.isnan(totals.loc["NEAR", "gave_items"])
    assert flows(TRANSFERS.iloc[:0]).empty


@pytest.fixture(scope="module")
def geopko_units() -> pd.DataFrame:
    if not GEOPKO.exists():
        pytest.skip(f"Geo-PKO reference not found at {GEOPKO} (only on the project's shared machines)")
    return load_units(GEOPKO)


def test_geopko_reference_gives_unit_types_near_malakal_in_2014(geopko_units):
    assert len(geopko_units) == 8783
    assert geopko_units["engineering"].isna().all()
    assert geopko_units["aviation"].max() == 2
    world = World.shipped()
    plan = helpers_at(world, 9.53, 31.66, "2014-01-15", k=None, needs={"helicopters"}, sites=geopko_units)
    table = plan.table.set_index("acronym")
    assert "UNMISS" in table.index and table.loc["UNMISS", "aviation_sites"] > 0
    assert set(plan.table["acronym"]) <= {"UNMISS", "UNISFA", "UNAMID", "MONUSCO", "UNOCI", "UNMIL", "MINUSMA",
                                          "UNIFIL", "UNDOF", "UNFICYP", "MINURSO", "UNMIK", "MINUSTAH", "UNTSO",
                                          "UNMOGIP", "MINUSCA"}  # fmt: skip
    assert (plan.table["aviation_sites"] > 0).all()


def test_a_plan_link_round_trips_to_the_same_plan(world, units):
    plan = helpers_at(world, LAT, LON, DATE, k=3, needs={"helicopters"}, sites=units, within_h=9.5,
                      within_mode="helicopter_h")  # fmt: skip
    params = plan.link_params()
    assert params == {"at": "5.0000,6.0000", "date": "2010-06-01", "k": "3", "needs": "aviation",
                      "within_h": "9.5", "within_mode": "helicopter_h"}  # fmt: skip
    again = helpers_at(world, **planner.read_link(params), sites=units)
    pd.testing.assert_frame_equal(again.table, plan.table)
    assert again.link_params() == params
    assert helpers_at(world, LAT, LON, DATE).link_params() == {"at": "5.0000,6.0000", "date": "2010-06-01"}


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"date": DATE}, "needs 'at' and 'date'"),
        ({"at": "95,10", "date": DATE}, "link parameter 'at': latitude 95.0 is outside -90 to 90"),
        ({"at": "5,6", "date": "2010-13-01"}, "link parameter 'date': date '2010-13-01' is not a calendar date"),
        ({"at": "5,6", "date": DATE, "within_km": "far"}, "'within_km'='far' is not a number"),
        ({"at": "5,6", "date": DATE, "k": "-2"}, "'k'='-2' is not a whole number of rows"),
        ({"at": "5,6", "date": DATE, "measure": "area"}, "'measure'='area' is not one of travel, hq, site"),
        ({"at": "5,6", "date": DATE, "needs": "tanks"}, "unknown need 'tanks'"),
    ],
)
def test_bad_links_name_the_parameter_and_the_fix(params, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        planner.read_link(params)


@pytest.mark.parametrize("hours", [2.0, 6.0, 9.5, 12.0, 30.0, 72.0])
def test_rings_reach_exactly_as_far_as_the_estimates_say(world, hours):
    reach = planner.reach_km(hours, world.assumptions)
    for mode, km in reach.items():
        if km == 0:
            assert estimate_hours(1.0, world.assumptions)[mode] * (24 if mode == "road_days" else 1) > hours
            continue
        inside = float(estimate_hours(km, world.assumptions)[mode]) * (24 if mode == "road_days" else 1)
        assert inside <= hours + 1e-9
        beyond = float(estimate_hours(km + 1.0, world.assumptions)[mode]) * (24 if mode == "road_days" else 1)
        assert beyond > hours or np.isnan(beyond)  # one km farther takes longer, or the helicopter cannot go
