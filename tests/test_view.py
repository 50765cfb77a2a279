"""Links: a query string becomes a view, a view becomes a query string, and nothing crashes on bad input."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from imcgeo import data
from imcgeo.scenes import load_scenes
from imcgeo.view import View, filter_transfers, parse_query, to_query

SCENES = load_scenes()
BOUNDS = (1948, 2026)
DEFAULT = View(first=1948, last=2026, year=2026)
MISSIONS = {"UNMIK", "MINUSTAH", "UNOCI"}


def parse(**query):
    view, notices = parse_query(query, DEFAULT, scenes=SCENES, missions=MISSIONS, bounds=BOUNDS)
    return view, [str(n) for n in notices]  # in English


def test_a_link_round_trips():
    view, notices = parse(scene="haiti-2010", year="2011", asset="logistics,troops", colour="asset")
    assert notices == []
    assert (view.scene, view.year, view.colour) == ("haiti-2010", 2011, "asset")
    assert view.filters == {"surge": ("natural-disaster",), "asset": ("logistics", "troops")}
    again, notices = parse(**to_query(view))
    assert notices == [] and again == view


def test_the_scene_comes_first_and_explicit_values_override_it():
    view, _ = parse(scene="kosovo-1999")
    assert (view.year, view.mission, view.mode, view.camera) == (1999, "UNMIK", "active", (43.5, 19.5, 5.2))
    view, _ = parse(scene="kosovo-1999", mission="all", mode="cumulative")
    assert view.mission is None and view.mode == "cumulative"


def test_bad_values_are_ignored_with_a_notice_each():
    view, notices = parse(year="20x0", surge="election,nonsense", mission="UNXYZ", zoom="3", lat="95", lon="0")
    assert view.year == 2026 and view.filters == {"surge": ("election",)} and view.mission is None
    assert len(notices) == 4
    assert any("Ignored surge='nonsense'" in n for n in notices)


def test_years_are_clamped_to_the_period():
    view, _ = parse(**{"from": "1990", "to": "1995", "year": "2010"})
    assert (view.first, view.last, view.year) == (1990, 1995, 1995)
    view, _ = parse(**{"from": "2000", "to": "1990"})
    assert (view.first, view.last) == (1990, 2000)


text = st.text(max_size=60) | st.sampled_from(["", "2010", "natural-disaster", "haiti-2010", "nan", "1e999", "-0"])
keys = st.sampled_from(["scene", "year", "from", "to", "mode", "colour", "mission", "surge", "asset", "region",
                        "confidence", "lat", "lon", "zoom", "presenter", "other"])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, text | st.lists(text, max_size=3), max_size=8))
def test_any_query_string_gives_a_valid_view(query):
    view, notices = parse_query(query, DEFAULT, scenes=SCENES, missions=MISSIONS, bounds=BOUNDS)
    assert BOUNDS[0] <= view.first <= view.year <= view.last <= BOUNDS[1]
    assert view.mission in MISSIONS | {None}
    for key, values in view.filters.items():
        assert set(values) <= set({"surge": data.SURGES, "asset": data.ASSETS, "region": data.REGIONS,
                                   "confidence": data.CONFIDENCE}[key])  # fmt: skip
    for notice in map(str, notices):
        assert len(notice) < 300 and "<" not in notice and "://" not in notice
    assert parse_query(to_query(view), DEFAULT, scenes=SCENES, missions=MISSIONS, bounds=BOUNDS)[0] == view


def test_filters_select_transfers():
    missions = data.load_missions()
    transfers = data.load_transfers(missions=missions)
    view, _ = parse(region="Americas")
    americas = filter_transfers(transfers, missions, view)
    regions = dict(zip(missions["acronym"], missions["region"]))
    assert len(americas) and all("Americas" in (regions[s], regions[t]) for s, t in
                                 zip(americas["source_mission"], americas["target_mission"]))  # fmt: skip
    view, _ = parse(mission="UNOCI", confidence="documented")
    unoci = filter_transfers(transfers, missions, view)
    assert len(unoci) and ((unoci["source_mission"] == "UNOCI") | (unoci["target_mission"] == "UNOCI")).all()
    assert (unoci["confidence"] == "documented").all()
    view, _ = parse(**{"from": "1950", "to": "1960"})
    early = filter_transfers(transfers, missions, view)
    assert pd.Series(early["start"].dt.year <= 1960).all() and len(early) >= 3


def test_the_language_and_the_planner_travel_in_the_link():
    view, notices = parse(lang="fr", at="16.77,-3.0", date="2014-01-15", needs="aviation", within_h="6")
    assert not notices and view.lang == "fr" and view.at == (16.77, -3.0) and view.year == 2014
    assert dict(view.plan) == {"needs": "aviation", "within_h": "6"}
    assert parse(**to_query(view))[0] == view
    _, notices = parse(lang="de", at="95,0")
    assert any("lang" in n for n in notices) and any("latitude" in n for n in notices)
