"""The page under Streamlit's AppTest: what a user sees after each thing they do.

Most tests run the page on the small world of tests/worlds.py (``IMCGEO_DATA_DIR``), so they assert
behaviour, not row counts; a few at the end pin facts of the shipped data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from worlds import MISSIONS, TRANSFERS, map_data, open_app, rows_csv, transfer_columns, write_world

from imcgeo import data
from imcgeo.atlas import Atlas
from imcgeo.encoding import legend
from imcgeo.scenes import load_scenes

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return write_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(autouse=True)
def small_world(world, monkeypatch):
    monkeypatch.setenv("IMCGEO_DATA_DIR", str(world))


def open_page(**query) -> AppTest:
    return open_app(**query)


FADE_DAYS = 150  # imcgeo/web/map.js: an arc fades out over 150 days after its end


def sent(at) -> dict:
    """What the browser map holds after this run: the assets, the view and the data (see worlds.map_data)."""
    return map_data(at)


def raw(at) -> dict:
    """What the page itself sent the browser map in this run, as sent."""
    return json.loads(at.get("bidi_component")[0].proto.json)


def spec(at) -> dict:
    """What the browser map draws from what the page sent, shaped like a deck: layers and camera.

    The arcs follow map.js: transfers passing the filters (``ids``), overlapping the period, started
    by the view's day and, under way, not ended (or still fading); a selected mission keeps its own.
    """
    payload = sent(at)
    data, view = payload["data"], payload["view"]
    t = data["transfers"]
    day = (pd.Timestamp(view["date"]) - pd.Timestamp("1970-01-01")).days
    ids, arcs = set(view["ids"]), []
    for k, i in enumerate(t["id"]):
        first, last = (pd.Timestamp("1970-01-01") + pd.Timedelta(days=t[key][k]) for key in ("start", "end"))
        if i not in ids or last.year < view["first"] or first.year > view["last"] or t["start"][k] > day:
            continue
        if view["mode"] == "active" and day > t["end"][k] + FADE_DAYS:
            continue
        pair = f"{t['src'][k]}|{t['dst'][k]}"
        if view["flows"] and pair in {a["pair"] for a in arcs}:
            continue
        if view["mission"] and view["mission"] not in (t["src"][k], t["dst"][k]):
            continue
        colour = data["colours"][view["colour"]][t[view["colour"]][k]]
        tooltip = view["flows"][pair]["tooltip"] if view["flows"] else t["tooltip"][k]
        arcs.append({"tooltip": tooltip, "c1": [*colour, data["alpha"][1]], "from": t["from"][k], "pair": pair})
    lat, lon, zoom = view["camera"] or (15.0, 15.0, 1.3)
    return {"layers": [{"id": "transfers", "data": arcs}, *view["overlays"]], "view": view, "data": data,
            "initialViewState": {"latitude": lat, "longitude": lon, "zoom": zoom}}  # fmt: skip


def layer(at, layer_id: str) -> list:
    return next(lay for lay in spec(at)["layers"] if lay["id"] == layer_id)["data"]


def click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def year(at) -> int:
    return at.session_state["view"].year


def arcs(at) -> list[str]:
    return [arc["tooltip"] for arc in layer(at, "transfers")]


def caption(at) -> str:
    return next(m.value for m in at.markdown if re.match(r"^\*\*(\d\d? \w{3,4} )?\d{4}", m.value))


def open_section(at, name: str) -> None:
    at.button_group(key="w_section").set_value(name).run()
    assert not at.exception, at.exception


def ranking(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "hq_km" in d.value.columns and "travel_h" in d.value.columns)


def test_first_render_shows_every_transfer_so_far():
    at = open_page()
    assert "Inter-mission cooperation" in at.title[0].value
    assert len(arcs(at)) == len(TRANSFERS)
    assert any(f"{len(TRANSFERS)} transfers" in m.value for m in at.markdown)


def test_the_map_is_the_atlas_frame_and_loads_nothing_from_the_internet(world):
    at = open_page(year="2009", mode="active")
    payload = sent(at)
    assert all(not url.startswith(("http:", "https:", "//")) for url in payload["assets"].values())
    assert payload["data"]["outlines_url"].startswith("app/static/")  # served by this server, cached by the browser
    atlas = Atlas.from_dir(world)
    frame = atlas.frame(atlas.view(year=2009, mode="active", date=payload["view"]["date"]))
    # One road to a frame: the page draws exactly what the atlas (and so the CLI and exports) computes.
    assert arcs(at) == [a["tooltip"] for a in frame.arcs.values()]
    assert caption(at) == f"**{frame.caption}**" and payload["view"]["caption"] == frame.caption
    assert payload["view"]["date"] == "2009-04-17"  # a year under way opens on its busiest day, its arcs whole


def test_the_page_sends_the_datas_address_never_the_data():
    at = open_page(year="2009")
    first = raw(at)
    assert first["data"] is None and first["data_url"].startswith("app/static/imcgeo/data-en-")
    assert sent(at)["data"]["version"] == first["view"]["version"]  # the file holds what the view needs
    at.multiselect(key="w_surge").set_value(["election"]).run()
    payload = raw(at)
    assert payload["data"] is None and len(json.dumps(payload)) < 20_000


def test_the_legend_matches_the_arc_colours():
    at = open_page()
    for colour in ("surge", "asset"):
        at.radio(key="w_colour").set_value(colour).run()
        drawn = {tuple(arc["c1"][:3]) for arc in layer(at, "transfers")}
        keyed = {rgb for _, rgb in legend(colour)}
        assert drawn <= keyed
        key = [tuple(rgb) for _, rgb in sent(at)["data"]["legend"][colour]]  # the map's own legend
        assert drawn <= set(key) and key == [rgb for _, rgb in legend(colour)]


@pytest.mark.parametrize(
    "key, value, expect",
    [("w_surge", ["election"], "election"), ("w_asset", ["police"], "police"),
     ("w_confidence", ["partial"], "partial")],
)  # fmt: skip
def test_each_filter_changes_the_arcs(key, value, expect):
    at = open_page()
    at.multiselect(key=key).set_value(value).run()
    tips = arcs(at)
    assert len(tips) == 1 and expect in tips[0]


def test_region_mission_and_period_filters():
    at = open_page()
    at.multiselect(key="w_region").set_value(["Americas"]).run()
    assert [t.split(":")[0] for t in arcs(at)] == ["UNBBB → UNDDD"]
    at.multiselect(key="w_region").set_value([]).run()
    at.selectbox(key="w_mission").set_value("UNAAA").run()
    assert {t.split(":")[0] for t in arcs(at)} == {"UNAAA → UNBBB", "UNBBB → UNAAA"}
    at.selectbox(key="w_mission").set_value("").run()
    at.slider(key="w_period").set_value((1990, 2007)).run()
    assert len(arcs(at)) == 2 and year(at) == 2007


def test_mode_switch_shows_only_transfers_under_way():
    at = open_page(year="2009")
    assert len(arcs(at)) == 3
    at.radio(key="w_mode").set_value("active").run()
    assert [t.split(":")[0] for t in arcs(at)] == ["UNBBB → UNDDD"]


def test_a_scene_link_opens_its_year_mission_and_camera():
    at = open_page(scene="ddd-2009")
    assert at.title[0].value == "Dland 2009: police from Bland"
    assert year(at) == 2009 and at.selectbox(key="w_mission").value == "UNDDD"
    camera = spec(at)["initialViewState"]
    assert (camera["latitude"], camera["longitude"], camera["zoom"]) == (12.0, -30.0, 2.0)
    assert any("Sources: S/2009/2" in c.value for c in at.caption)


def test_previous_and_next_step_through_the_scenes():
    at = open_page()
    click(at, "Next ▶")
    assert at.selectbox(key="w_scene").value == "ddd-2009"
    click(at, "Next ▶")
    assert at.selectbox(key="w_scene").value == "bbb-2006" and year(at) == 2006
    click(at, "◀ Previous")
    assert at.selectbox(key="w_scene").value == "ddd-2009"


@pytest.mark.parametrize(
    "query",
    [{"year": "<script>"}, {"scene": "nope"}, {"surge": "war,election"}, {"lat": "999", "lon": "0", "zoom": "2"},
     {"mission": "UNXXX"}, {"year": "9" * 600}, {"date": "2010-13-45"}, {"measure": "vibes"}],
)  # fmt: skip
def test_hostile_query_strings_show_a_notice_not_a_traceback(query):
    at = open_page(**query)
    assert at.warning and all("<script" not in w.value for w in at.warning)


def test_a_date_in_the_link_opens_that_day():
    at = open_page(date="2010-06-01", mode="active")
    assert year(at) == 2010 and sent(at)["view"]["date"] == "2010-06-01"
    assert caption(at).startswith("**1 Jun 2010: 1 transfer under way")
    assert at.query_params["date"] == "2010-06-01"


@pytest.mark.parametrize("name", ["Proximity explorer", "Export", "Missions", "About the data", "Your data"])
def test_each_section_opens(name):
    at = open_page()
    open_section(at, name)


def test_presenter_mode_hides_the_clutter():
    at = open_page(scene="ddd-2009", presenter="1")
    assert [g.key for g in at.get("button_group")] == ["w_lang"] and len(at.dataframe) == 0
    assert [t.key for t in at.toggle] == ["w_presenter", "w_flows"]  # in the hidden sidebar only, like w_lang
    assert any(b.label == "Next scene" for b in at.button)
    assert not any("Sources:" in c.value for c in at.caption)


def test_proximity_explorer_ranks_and_draws_rings_centred_on_the_mission():
    at = open_page(year="2009")
    open_section(at, "Proximity explorer")
    at.selectbox(key="w_explore").set_value("UNBBB").run()
    at.radio(key="w_measure").set_value("area").run()
    table = ranking(at)
    assert table["acronym"].tolist()[0] == "UNAAA" and bool(table["shares_border"].iloc[0])
    at.checkbox(key="w_rings").check().run()
    assert {"rings", "helpers"} <= {lay["id"] for lay in spec(at)["layers"]}
    assert [r["tooltip"] for r in layer(at, "rings")] == ["500 km", "1,000 km", "2,000 km"]
    camera = spec(at)["initialViewState"]
    assert (camera["latitude"], camera["longitude"], camera["zoom"]) == (5.0, 15.0, 3)
    at.selectbox(key="w_explore").set_value("UNDDD").run()
    camera = spec(at)["initialViewState"]
    assert (camera["latitude"], camera["longitude"]) == (15.0, -75.0)
    at.checkbox(key="w_rings").uncheck().run()
    assert spec(at)["initialViewState"]["zoom"] < 2 and "rings" not in {lay["id"] for lay in spec(at)["layers"]}


def test_the_explorer_remembers_its_settings_while_closed():
    at = open_page(year="2009")
    open_section(at, "Proximity explorer")
    at.selectbox(key="w_explore").set_value("UNDDD").run()
    at.date_input(key="w_explore_date").set_value(pd.Timestamp("2010-02-03").date()).run()
    assert sent(at)["view"]["date"] == "2010-02-03"  # the map follows the explorer's date
    at.radio(key="w_measure").set_value("hq").run()
    at.checkbox(key="w_rings").check().run()
    open_section(at, "Missions")
    assert "rings" in {lay["id"] for lay in spec(at)["layers"]}  # the map keeps the rings it shows
    at.toggle(key="w_presenter").set_value(True).run()
    at.toggle(key="w_presenter").set_value(False).run()
    open_section(at, "Proximity explorer")
    assert at.selectbox(key="w_explore").value == "UNDDD"
    assert str(at.date_input(key="w_explore_date").value) == "2010-02-03"
    assert at.radio(key="w_measure").value == "hq" and at.checkbox(key="w_rings").value
    at.checkbox(key="w_rings").uncheck().run()
    open_section(at, "Missions")
    assert "rings" not in {lay["id"] for lay in spec(at)["layers"]} and spec(at)["initialViewState"]["zoom"] < 2


def test_the_explorer_is_part_of_the_link():
    at = open_page(explore="UNAAA", on="2006-03-01", measure="site", rings="1")
    assert "rings" in {lay["id"] for lay in spec(at)["layers"]}
    open_section(at, "Proximity explorer")
    assert at.selectbox(key="w_explore").value == "UNAAA" and at.radio(key="w_measure").value == "site"
    assert at.query_params["explore"] == "UNAAA" and at.query_params["on"] == "2006-03-01"


def test_a_historical_case_opens_on_the_map_and_in_the_ranking():
    at = open_page()
    open_section(at, "Proximity explorer")
    next(s for s in at.selectbox if s.label == "A historical case").set_value("2009-ddd-quake").run()
    click(at, "Show this case on the map and rank its helpers above")
    assert "2009" in caption(at) and at.selectbox(key="w_mission").value == "UNDDD"
    assert "2009" in at.toast[0].value
    assert [t.split(":")[0] for t in arcs(at)] == ["UNBBB → UNDDD"]
    assert "UNDDD" not in set(ranking(at)["acronym"]) and at.selectbox(key="w_explore").value == "UNDDD"
    assert str(at.date_input(key="w_explore_date").value) == "2009-02-01"
    assert any(c.value.startswith("By capacity:") for c in at.caption)  # and by strength, where figures exist


def test_tables_have_downloads():
    at = open_page()
    at.toggle(key="w_table").set_value(True).run()
    labels = {b.proto.label for b in at.get("download_button")}
    assert "Download these transfers (CSV)" in labels and len(at.dataframe) == 1
    shown = at.dataframe[0].value
    assert "Start-up" in set(shown["surge"]) and "start-up" not in set(shown["surge"])  # words, not codes
    for section, label in [
        ("Proximity explorer", "Download this ranking (CSV)"),
        ("Missions", "Download missions (CSV)"),
        ("About the data", "Download all transfers (CSV)"),
    ]:
        open_section(at, section)
        assert label in {b.proto.label for b in at.get("download_button")}


def test_broken_data_shows_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    broken = write_world(tmp_path / "broken")
    (broken / "missions.csv").write_text("acronym,name\nUNX,broken\n", encoding="utf-8")
    monkeypatch.setenv("IMCGEO_DATA_DIR", str(broken))
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.run()
    assert not at.exception
    assert "missions.csv" in at.error[0].value
    assert "not the expected header" in at.code[0].value


MY_TRANSFER = rows_csv(
    [{"event_id": "mine-2011", "source_mission": "UNCCC", "target_mission": "UNBBB", "start": "15 March 2011",
      "asset": "troops", "quantity": "40", "surge": "security-crisis",
      "description": "<img src=x onerror=alert(1)> [link](http://example.com)", "sources": "My notes 2011",
      "confidence": "partial"}],
    data.TRANSFER_COLUMNS,
)  # fmt: skip


def upload(at, payload: bytes, name: str = "mine.csv", kind: str = "transfers", mode: str = "merge") -> None:
    open_section(at, "Your data")
    at.file_uploader(key=f"w_upload_{kind}").set_value((name, payload, "text/csv")).run()
    at.radio(key="w_upload_mode").set_value(mode).run()
    click(at, "Use these files")


def test_an_upload_is_used_in_its_own_session_only():
    mine = open_page(year="2011", mode="active")
    upload(mine, MY_TRANSFER)
    assert any("Your own data" in i.value for i in mine.info)
    tips = arcs(mine)
    assert any(t.startswith("UNCCC → UNBBB: 40 troops") for t in tips)
    hostile = next(t for t in tips if t.startswith("UNCCC → UNBBB"))
    assert "<img src=x onerror=alert(1)>" in hostile  # kept as text; the tooltip renders text, not HTML
    other = open_page(year="2011", mode="active")
    assert not any(t.startswith("UNCCC → UNBBB") for t in arcs(other))
    assert not any("Your own data" in i.value for i in other.info)


def test_uploading_transfers_keeps_the_deployment_sites():
    at = open_page(year="2009")
    open_section(at, "Proximity explorer")
    at.selectbox(key="w_explore").set_value("UNAAA").run()
    at.date_input(key="w_explore_date").set_value(pd.Timestamp("2009-06-01").date()).run()
    before = ranking(at).set_index("acronym")["site_km"]
    assert before["UNBBB"] < ranking(at).set_index("acronym")["hq_km"]["UNBBB"]  # a site is nearer than the HQ
    upload(at, MY_TRANSFER)
    open_section(at, "Proximity explorer")
    after = ranking(at).set_index("acronym")["site_km"]
    assert after["UNBBB"] == pytest.approx(before["UNBBB"])


def test_the_explorer_works_after_replacing_the_transfers():
    at = open_page()
    upload(at, MY_TRANSFER, mode="replace")
    open_section(at, "Proximity explorer")
    assert not at.error, [e.value for e in at.error]
    assert next(s for s in at.selectbox if s.label == "A historical case").value == "mine-2011"
    assert len(ranking(at)) > 0


def test_a_bad_upload_lists_every_problem_and_the_page_stays_usable():
    at = open_page()
    bad = rows_csv([{"event_id": "x", "source_mission": "UNXYZ", "target_mission": "UNBBB", "start": "03/04/2011",
                     "asset": "tanks", "quantity": "-4", "surge": "war", "description": "d", "confidence": "sure"}],
                   data.TRANSFER_COLUMNS)  # fmt: skip
    upload(at, bad, name="bad ![x](http://e.com).csv")
    assert at.error and "problems; nothing was loaded" in at.error[0].value
    assert "](" not in at.error[0].value  # the file name is shown as plain text
    problems = at.dataframe[-1].value
    assert len(problems) == 7 and set(problems.columns) == {"row", "column", "problem", "fix"}
    assert len(arcs(at)) == len(TRANSFERS)  # the shipped data is still on the map


def test_an_uploaded_missions_file_replaces_and_drops_what_it_omits():
    at = open_page()
    upload(at, rows_csv(MISSIONS[:2], data.MISSION_COLUMNS), kind="missions", mode="replace")
    assert not at.exception
    assert {t.split(":")[0] for t in arcs(at)} == {"UNAAA → UNBBB", "UNBBB → UNAAA"}
    assert any("left out" in i.value for i in at.info)


def test_public_mode_has_no_uploads_and_opens_on_a_guided_scene(monkeypatch):
    monkeypatch.setenv("IMCGEO_PUBLIC", "1")
    monkeypatch.setenv("IMCGEO_PUBLIC_SCENE", "ddd-2009")
    at = open_page()
    assert "Your data" not in at.button_group(key="w_section").options
    assert at.title[0].value == "Dland 2009: police from Bland"
    assert open_page(year="2006").title[0].value.startswith("Inter-mission cooperation")  # a link keeps its view


def test_a_newcomer_reads_what_the_map_shows():
    at = open_page()
    intro = next(m.value for m in at.markdown if "inter-mission cooperation" in m.value)
    assert "arc" in intro and len(intro.split(". ")) <= 3
    click(at, "About the data →")
    assert at.button_group(key="w_section").value == "About the data"


def test_missing_outlines_leave_a_working_map(tmp_path, monkeypatch):
    monkeypatch.setenv("IMCGEO_DATA_DIR", str(write_world(tmp_path / "bare", countries=False)))
    at = open_page()
    assert any("Country outlines are missing" in w.value for w in at.warning)
    assert len(arcs(at)) == len(TRANSFERS)


def test_a_failing_panel_does_not_blank_the_page(monkeypatch):
    from imcgeo import proximity

    def broken(*args, **kwargs):
        raise RuntimeError("boom /secret/server/path")

    at = open_page(year="2008")  # data loaded and cached before anything breaks
    open_section(at, "Proximity explorer")
    monkeypatch.setattr(proximity, "helpers", broken)
    at.date_input(key="w_explore_date").set_value(pd.Timestamp("2008-03-03").date()).run()
    assert any("proximity explorer could not be shown (RuntimeError)" in e.value for e in at.error)
    assert not any("/secret" in e.value for e in at.error)
    assert arcs(at), "the map is still there"


def test_a_link_to_a_mission_without_transfers_says_so(tmp_path, monkeypatch):
    folder = write_world(tmp_path / "quiet")
    extra = {**MISSIONS[2], "acronym": "UNEEE", "name": "UN Office in Cland II"}
    (folder / "missions.csv").write_bytes(rows_csv([*MISSIONS, extra], data.MISSION_COLUMNS))
    monkeypatch.setenv("IMCGEO_DATA_DIR", str(folder))
    at = open_page(mission="UNEEE")
    assert at.selectbox(key="w_mission").value == "UNEEE"
    assert any("No transfers match these filters" in i.value for i in at.info)


def test_transfers_csv_header_is_what_the_world_writes():
    assert rows_csv(TRANSFERS, transfer_columns()).split(b"\n")[0].decode().split(",") == transfer_columns()


# --- the shipped data -------------------------------------------------------------------------


@pytest.fixture
def shipped(monkeypatch):
    monkeypatch.delenv("IMCGEO_DATA_DIR")


def test_shipped_first_render(shipped):
    at = open_page()
    shipped_transfers = data.load_transfers()
    assert len(arcs(at)) >= len(shipped_transfers) - 5  # all so far, bar transfers with no place
    assert any(f"{len(shipped_transfers)} transfers" in m.value for m in at.markdown)


@pytest.mark.parametrize("scene", load_scenes(), ids=lambda s: s.id)
def test_every_shipped_scene_opens_from_a_link(shipped, scene):
    at = open_page(scene=scene.id)
    assert at.title[0].value == scene.title
    if scene.year:
        assert year(at) == scene.year
    assert arcs(at), f"{scene.id} shows no transfers"


def test_the_planner_answers_for_any_place_and_its_link_reopens_it():
    at = open_page(year="2009")
    open_section(at, "Planner")
    at.text_input(key="w_place").set_value("4.5, 12.0").run()  # coordinates: Bland, near its border with Aland
    assert {"plan-rings", "plan-helpers", "plan-place"} <= {lay["id"] for lay in spec(at)["layers"]}
    table = next(d.value for d in at.dataframe if "travel_h" in d.value.columns and "site_km" in d.value.columns)
    assert table["acronym"].iloc[0] == "UNBBB"
    assert at.query_params["at"] == "4.5000,12.0000" and at.query_params["date"] == "2009-07-01"
    again = open_page(at="4.5,12.0", date="2009-07-01", rank_by="strength")
    assert again.button_group(key="w_section").value == "Planner"  # the link opens on the plan, not under a fold
    assert again.text_input(key="w_place").value == "4.5, 12.0"
    assert any("travel_h" in d.value.columns for d in again.dataframe)  # the plan's table, at once
    assert again.selectbox(key="w_plan_rank").value == "strength"
    assert str(again.date_input(key="w_plan_date").value) == "2009-07-01"


def test_the_planner_says_when_a_place_is_unknown_or_coordinates_are_wrong():
    at = open_page()
    open_section(at, "Planner")
    at.text_input(key="w_place").set_value("Xyzzyville").run()
    assert any("is not a place in the gazetteer" in w.value for w in at.warning)
    at.text_input(key="w_place").set_value("95, 10").run()
    assert any("latitude" in w.value for w in at.warning) and not at.exception


def test_one_arc_per_pair_of_missions():
    at = open_page()
    at.toggle(key="w_flows").set_value(True).run()
    tips = arcs(at)
    assert len(tips) == len(TRANSFERS)  # four transfers between four different pairs
    assert any(t.startswith("UNAAA → UNBBB: 1 transfer in 1 case, 2006\n120 people") for t in tips)
    assert at.query_params["flows"] == "1"


def test_a_selected_mission_shows_what_it_gave_and_received():
    at = open_page(mission="UNBBB")
    assert any("UNBBB gave 2 and received 2" in c.value for c in at.caption)


def _keys(block) -> set[str]:
    """The keys of the widgets in an AppTest block, at any depth."""
    keys = {block.key} if isinstance(getattr(block, "key", None), str) else set()
    for child in getattr(block, "children", {}).values():
        keys |= _keys(child)
    return keys


def test_the_page_knows_which_widgets_are_in_its_sidebar():
    # A change of a sidebar widget in a run of the map's part alone is the browser's older value (dashboard.stale):
    # that holds only for the widgets SIDEBAR names, so it must name every keyed widget the sidebar draws.
    import ast

    from imcgeo.view import FILTERS

    source = Path(DASHBOARD).read_text(encoding="utf-8")
    named = (n for n in ast.parse(source).body if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name))
    assign = next(n for n in named if n.targets[0].id == "SIDEBAR")
    sidebar = eval(compile(ast.Expression(assign.value), DASHBOARD, "eval"), {"FILTERS": FILTERS})
    drawn = {key for key in _keys(open_page().sidebar) if key.startswith("w_")}
    assert drawn == sidebar
