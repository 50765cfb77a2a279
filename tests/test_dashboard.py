"""The page under Streamlit's AppTest: what a user sees after each thing they do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from imcgeo.scenes import load_scenes

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")
SCENES = load_scenes()


def open_page(**query) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def layer(at, layer_id: str) -> list:
    return next(lay for lay in spec(at)["layers"] if lay["id"] == layer_id)["data"]


def click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def arcs(at) -> list[str]:
    return [arc["tooltip"] for arc in layer(at, "transfers")]


@pytest.fixture(scope="module")
def page():
    return open_page()


def test_first_render(page):
    assert "Inter-mission cooperation" in page.title[0].value
    assert len(arcs(page)) >= 60  # all transfers up to this year, bar the unplaceable
    assert any("74 transfers" in m.value for m in page.markdown)


def test_map_draws_offline_and_compactly(page):
    deck = spec(page)
    assert deck.get("mapProvider") is None  # pydeck's map_provider=None: no basemap tiles
    assert not str(deck.get("mapStyle", "")).startswith(("http", "mapbox:"))
    assert {"countries", "missions", "transfers"} <= {lay["id"] for lay in deck["layers"]}
    raw = page.get("deck_gl_json_chart")[0].proto.json
    assert not re.search(r"https?://", raw), "the deck spec must not reference any remote resource"
    assert "\n" not in raw and len(raw) < 300_000
    assert len(layer(page, "countries")["features"]) > 150
    assert len(layer(page, "missions")) >= 95
    tooltip = json.loads(page.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip == {"text": "{tooltip}"}, "tooltips must be text, never HTML"


def test_the_legend_matches_the_arc_colours():
    at = open_page()
    key = next(m.value for m in at.markdown if "Arcs run faint" in m.value)
    colours = {tuple(arc["c1"][:3]) for arc in layer(at, "transfers")}
    assert "<b>Surge type</b>" in key and "Natural disaster" in key
    assert all(f"rgb({r},{g},{b})" in key for r, g, b in colours), "an arc colour is missing from the key"
    at.radio(key="w_colour").set_value("asset").run()
    key = next(m.value for m in at.markdown if "Arcs run faint" in m.value)
    colours = {tuple(arc["c1"][:3]) for arc in layer(at, "transfers")}
    assert "<b>Asset</b>" in key and "Natural disaster" not in key
    assert all(f"rgb({r},{g},{b})" in key for r, g, b in colours), "an arc colour is missing from the key"


@pytest.mark.parametrize(
    "key,value,expect",
    [
        ("w_surge", ["election"], "election"),
        ("w_asset", ["helicopters"], "helicopters"),
        ("w_confidence", ["documented"], "documented"),
    ],
)
def test_each_filter_changes_the_arcs(key, value, expect):
    at = open_page()
    before = arcs(at)
    at.multiselect(key=key).set_value(value).run()
    after = arcs(at)
    assert 0 < len(after) < len(before)
    assert all(expect in tip.split("\n")[1] or expect in tip.split("\n")[0] for tip in after)


def test_region_mission_and_period_filters():
    at = open_page()
    total = len(arcs(at))
    at.multiselect(key="w_region").set_value(["Americas"]).run()
    americas = arcs(at)
    assert 0 < len(americas) < total and all("MINUSTAH" in t.split("\n")[0] or "MINUJUSTH" in t for t in americas)
    at.multiselect(key="w_region").set_value([]).run()
    at.selectbox(key="w_mission").set_value("UNOCI").run()
    assert arcs(at) and all("UNOCI" in t.split("\n")[0] for t in arcs(at))
    at.selectbox(key="w_mission").set_value("").run()
    at.slider(key="w_period").set_value((1948, 1980)).run()
    early = arcs(at)
    assert 0 < len(early) < total and all(re.search(r"19[5-7]\d", t.split("\n")[1]) for t in early)


def test_mode_switch_shows_only_transfers_under_way():
    at = open_page(year="2010")
    cumulative = len(arcs(at))
    at.radio(key="w_mode").set_value("active").run()
    active = arcs(at)
    assert 0 < len(active) < cumulative
    assert all("2010" in t.split("\n")[1] or "2011" in t.split("\n")[1] for t in active)


def test_deep_link_to_the_haiti_earthquake():
    at = open_page(surge="natural-disaster", year="2010")
    tips = arcs(at)
    assert tips, "transfers to MINUSTAH should be drawn"
    assert all(t.split("\n")[0].split(": ")[0].endswith("→ MINUSTAH") for t in tips)
    assert all("natural disaster" in t.split("\n")[1] for t in tips)
    assert any("indicative point" in t for t in tips)
    assert at.slider(key="w_year").value == 2010


@pytest.mark.parametrize("scene", SCENES, ids=[s.id for s in SCENES])
def test_every_scene_opens_from_a_link(scene):
    at = open_page(scene=scene.id)
    assert at.title[0].value == scene.title
    assert at.slider(key="w_year").value == scene.year
    if scene.id != "overview":
        assert arcs(at), f"{scene.id} shows no transfers"
    assert spec(at)["initialViewState"]["zoom"] == scene.camera[2]


def test_previous_and_next_step_through_the_scenes():
    at = open_page()
    click(at, "Next ▶")
    assert at.title[0].value == SCENES[0].title
    click(at, "Next ▶")
    assert at.title[0].value == SCENES[1].title
    assert at.slider(key="w_year").value == SCENES[1].year
    click(at, "◀ Previous")
    click(at, "◀ Previous")
    assert at.title[0].value == SCENES[-1].title


HOSTILE = [
    {"surge": "<script>alert(1)</script>"},
    {"year": "1e9"},
    {"year": "-5", "from": "abc", "to": "9999"},
    {"scene": "../../etc/passwd"},
    {"mission": "'; DROP TABLE missions; --"},
    {"mode": "![x](http://example.com/x.png)"},
    {"lat": "nan", "lon": "inf", "zoom": "1e400"},
    {"colour": "x" * 5000},
    {"surge": ",,,,", "asset": "troops,<img src=x onerror=alert(1)>"},
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_strings_show_a_notice_not_a_traceback(query):
    at = open_page(**query)
    notices = [w.value for w in at.warning]
    if query != {"surge": ",,,,", "asset": "troops,<img src=x onerror=alert(1)>"}:
        assert notices, "a bad value must be reported"
    for notice in notices:
        assert not any(mark in notice for mark in ("<", ">", "://", "](", "!["))
    assert arcs(at), "the page still draws the transfers"


def test_year_buttons_and_play():
    at = open_page(year="2000")
    click(at, "Year ▶")
    assert at.slider(key="w_year").value == 2001
    click(at, "◀ Year")
    click(at, "◀ Year")
    assert at.slider(key="w_year").value == 1999
    click(at, "▶ Play")
    assert at.session_state.playing
    assert any(b.label == "⏸ Pause" for b in at.button)
    click(at, "⏸ Pause")
    assert not at.session_state.playing and at.slider(key="w_year").value == 1999


def open_section(at, name: str) -> None:
    at.button_group(key="w_section").set_value(name).run()
    assert not at.exception, at.exception


def test_presenter_mode_hides_the_clutter():
    at = open_page(scene="syria-2012", presenter="1")
    assert len(at.get("button_group")) == 0 and len(at.dataframe) == 0
    assert [t.key for t in at.toggle] == ["w_presenter"]  # in the hidden sidebar only
    assert any(b.label == "Next scene ▶" for b in at.button)
    assert not any("Sources:" in c.value for c in at.caption)
    normal = open_page(scene="syria-2012")
    assert len(normal.get("button_group")) == 1 and any("Sources:" in c.value for c in normal.caption)


def test_proximity_explorer_ranks_and_draws_rings():
    at = open_page(year="2010")
    open_section(at, "Proximity explorer")
    at.selectbox(key="w_explore_mission").set_value("UNOCI").run()
    ranking = next(d.value for d in at.dataframe if "rank" in d.value.columns and "hq_km" in d.value.columns)
    assert ranking["acronym"].iloc[0] == "UNMIL" and bool(ranking["shares_border"].iloc[0])
    at.checkbox(key="w_show_rings").check().run()
    ids = {lay["id"] for lay in spec(at)["layers"]}
    assert {"rings", "helpers"} <= ids
    assert [r["tooltip"] for r in layer(at, "rings")] == ["500 km", "1,000 km", "2,000 km"]
    finding = next(m.value for m in at.markdown if "of the 3 nearest missions" in m.value)
    assert re.search(r"In \*\*\d+ of \d+\*\* documented cases", finding) and ".0 " not in finding, finding
    camera = spec(at)["initialViewState"]  # centred on Abidjan, close enough to read the rings
    assert abs(camera["latitude"] - 5.3) < 0.5 and abs(camera["longitude"] + 4.0) < 0.5 and camera["zoom"] == 3
    at.selectbox(key="w_explore_mission").set_value("MINUSTAH").run()
    camera = spec(at)["initialViewState"]  # Port-au-Prince
    assert abs(camera["latitude"] - 18.5) < 0.5 and abs(camera["longitude"] + 72.3) < 0.5
    at.checkbox(key="w_show_rings").uncheck().run()
    assert spec(at)["initialViewState"]["zoom"] < 2 and "rings" not in {lay["id"] for lay in spec(at)["layers"]}


def test_a_historical_case_opens_on_the_map_and_in_the_ranking():
    at = open_page()
    open_section(at, "Proximity explorer")
    at.selectbox(key="w_explore_mission").set_value("UNOCI").run()
    next(s for s in at.selectbox if s.label == "A historical case").set_value("2012-unsmis-startup").run()
    click(at, "Show this case on the map and rank its helpers above")
    caption = next(m.value for m in at.markdown if m.value.startswith("**2012"))
    assert "UNSMIS" in caption and at.selectbox(key="w_mission").value == "UNSMIS"
    assert "2012" in at.toast[0].value
    assert arcs(at) and all("→ UNSMIS" in tip.split("\n")[0] for tip in arcs(at))
    ranking = next(d.value for d in at.dataframe if "hq_km" in d.value.columns)
    assert "UNSMIS" not in set(ranking["acronym"]) and {"UNTSO", "UNIFIL", "UNDOF"} <= set(ranking["acronym"].head(8))
    assert str(at.date_input(key="w_explore_date").value) == "2012-04-15"


def test_tables_have_downloads():
    at = open_page()
    at.toggle(key="w_table").set_value(True).run()
    labels = {b.proto.label for b in at.get("download_button")}
    assert "Download these transfers (CSV)" in labels and len(at.dataframe) == 1
    for section, label in [
        ("Proximity explorer", "Download this ranking (CSV)"),
        ("Missions", "Download missions (CSV)"),
        ("About the data", "Download all transfers (CSV)"),
    ]:
        open_section(at, section)
        assert label in {b.proto.label for b in at.get("download_button")}


def test_broken_data_shows_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    import streamlit as st

    from imcgeo import data

    st.cache_resource.clear()
    broken = tmp_path / "missions.csv"
    broken.write_text("acronym,name\nUNX,broken\n", encoding="utf-8")
    monkeypatch.setattr(data, "MISSIONS_CSV", broken)
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.run()
    assert not at.exception
    assert "missions.csv" in at.error[0].value
    assert "not the expected header" in at.code[0].value
    st.cache_resource.clear()


MY_TRANSFER = (
    b"event_id,source_mission,target_mission,start,end,asset,quantity,surge,description,sources,confidence\n"
    b"mine-2020,UNMISS,MINUSCA,15 March 2020,,troops,40,security-crisis,"
    b'"<img src=x onerror=alert(1)> [link](http://example.com)",My notes 2020,partial\n'
)


def upload(at, payload: bytes, name: str = "mine.csv") -> None:
    open_section(at, "Your data")
    at.file_uploader(key="w_upload_transfers").set_value((name, payload, "text/csv")).run()
    click(at, "Use these files")


def test_an_upload_is_used_in_its_own_session_only():
    mine = open_page(year="2020", mode="active")
    upload(mine, MY_TRANSFER)
    assert any("Your own data" in i.value for i in mine.info)
    tips = arcs(mine)
    assert any(t.startswith("UNMISS → MINUSCA: 40 troops") for t in tips)
    hostile = next(t for t in tips if t.startswith("UNMISS → MINUSCA"))
    assert "<img src=x onerror=alert(1)>" in hostile  # kept as text; the tooltip renders text, not HTML
    other = open_page(year="2020", mode="active")
    assert not any(t.startswith("UNMISS → MINUSCA") for t in arcs(other))
    assert not any("Your own data" in i.value for i in other.info)


def test_a_bad_upload_lists_every_problem_and_the_page_stays_usable():
    at = open_page()
    bad = b"event_id,source_mission,target_mission,start,end,asset,quantity,surge,description,sources,confidence\n"
    bad += b"x,UNXYZ,MINUSCA,03/04/2020,,tanks,-4,war,d,,sure\n"
    upload(at, bad, name="bad ![x](http://e.com).csv")
    assert at.error and "problem(s); nothing was loaded" in at.error[0].value
    assert "](" not in at.error[0].value  # the file name is shown as plain text
    problems = at.dataframe[-1].value
    assert len(problems) == 7 and set(problems.columns) == {"row", "column", "problem", "fix"}
    assert len(arcs(at)) >= 60  # the shipped data is still on the map


def test_public_mode_has_no_uploads(monkeypatch):
    monkeypatch.setenv("IMCGEO_PUBLIC", "1")
    at = open_page()
    assert "Your data" not in at.button_group(key="w_section").options


def test_missing_outlines_leave_a_working_map(tmp_path, monkeypatch):
    import streamlit as st

    from imcgeo import data

    st.cache_resource.clear()
    monkeypatch.setattr(data, "COUNTRIES_GEOJSON", tmp_path / "gone.geojson")
    at = open_page()
    assert any("Country outlines are missing" in w.value for w in at.warning)
    assert layer(at, "countries")["features"] == [] and len(arcs(at)) >= 60
    st.cache_resource.clear()


def test_a_failing_panel_does_not_blank_the_page(monkeypatch):
    from imcgeo import proximity

    def broken(*args, **kwargs):
        raise RuntimeError("boom /secret/server/path")

    at = open_page(year="1999")  # data loaded and cached before anything breaks
    open_section(at, "Proximity explorer")
    monkeypatch.setattr(proximity, "helpers", broken)
    at.date_input(key="w_explore_date").set_value(pd.Timestamp("1999-03-03").date()).run()
    assert any("proximity explorer could not be shown (RuntimeError)" in e.value for e in at.error)
    assert not any("/secret" in e.value for e in at.error)
    assert arcs(at), "the map is still there"


def test_a_link_to_a_mission_without_transfers_says_so():
    at = open_page(mission="MINURSO")
    assert at.selectbox(key="w_mission").value == "MINURSO"
    assert any("No transfers match these filters" in i.value for i in at.info)
