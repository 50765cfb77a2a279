"""What the page sends the browser map, how big it is, and the offline file (no browser needed)."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from imcgeo import webmap
from imcgeo.atlas import Atlas
from imcgeo.uploads import template

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.shipped()


def _size(obj) -> int:
    return len(json.dumps(obj, separators=(",", ":")).encode("utf-8"))


def test_data_payload_lists_every_drawable_transfer_once_with_dates_in_order(atlas):
    data = webmap.data_payload(atlas, "app/static/imcgeo/outlines.json")
    t = data["transfers"]
    n = len(t["id"])
    assert n > 0 and all(len(v) == n for v in t.values())
    assert len(set(t["id"])) == n
    assert all(start <= end for start, end in zip(t["start"], t["end"])), "a transfer ends before it starts"
    assert all(len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in t["from"] + t["to"])
    assert data["t0"] <= min(t["start"]) and max(t["start"]) <= data["t1"]
    # Both colour keys are there, so switching them needs no new data.
    assert set(t["surge"]) <= set(data["colours"]["surge"]) and set(t["asset"]) <= set(data["colours"]["asset"])
    # Styles come from the Python layer builders, with fixed ids and no data.
    assert set(data["layers"]) == {"countries", "missions", "transfers", "labels"}
    assert data["layers"]["transfers"]["@@type"] == "ArcLayer" and data["layers"]["transfers"]["data"] == []


def test_a_transfer_without_end_lasts_to_the_end_of_its_start_year(atlas):
    data = webmap.data_payload(atlas)
    open_ended = atlas.transfers[atlas.transfers["end"].isna()]
    if open_ended.empty:
        pytest.skip("every shipped transfer has an end")
    index = int(open_ended.index[0])
    t = data["transfers"]
    at = t["id"].index(index)
    year = open_ended.loc[index, "start"].year
    assert t["end"][at] == (pd.Timestamp(year, 12, 31) - pd.Timestamp("1970-01-01")).days


def test_view_payload_is_small_and_names_the_transfers_passing_the_filters(atlas):
    view = atlas.view(filters={"surge": ("election",)}, mode="active")
    payload = webmap.view_payload(atlas, view)
    assert _size(payload) < 4_000
    chosen = set(atlas.transfers.loc[payload["ids"], "surge"])
    assert chosen == {"election"}
    assert payload["mode"] == "active" and payload["version"] == atlas.data_version


def test_the_explorers_rings_and_helpers_travel_as_pydeck_json_with_the_view(atlas):
    mission = atlas.placed[0]
    payload = webmap.view_payload(atlas, atlas.view(explore=mission, rings=True))
    kinds = {layer["id"]: layer for layer in payload["overlays"]}
    assert {"rings", "helpers"} <= set(kinds)
    assert kinds["rings"]["extensions"] == [{"@@type": "PathStyleExtension", "dash": True}]
    assert len(kinds["rings"]["data"]) == 3  # 500, 1,000 and 2,000 km
    assert _size(payload) < 20_000
    assert webmap.view_payload(atlas, atlas.default_view)["overlays"] == []


def test_a_rerun_sends_every_layer_the_browser_does_not_draw_itself_and_no_other(atlas):
    mission = atlas.placed[0]
    for view in (atlas.view(explore=mission, rings=True), atlas.view(at=(9.53, 31.66), date="2014-01-15"),
                 atlas.default_view):  # fmt: skip
        frame = atlas.frame(view)
        drawn_by_the_page = [layer.id for layer in frame.layers if layer.id not in webmap.ANIMATED]
        assert [layer.id for layer in frame.overlays] == drawn_by_the_page
        assert [layer["id"] for layer in webmap.view_payload(atlas, view)["overlays"]] == drawn_by_the_page


def test_a_selected_mission_dims_the_others_instead_of_dropping_them(atlas):
    mission = atlas.transfers["target_mission"].value_counts().index[0]
    everything = webmap.view_payload(atlas, atlas.default_view)
    selected = webmap.view_payload(atlas, atlas.view(mission=mission))
    assert selected["ids"] == everything["ids"] and selected["mission"] == mission


def test_the_published_data_goes_by_address_and_other_data_inline_until_held(atlas, tmp_path):
    assets = webmap.publish(atlas, tmp_path)
    first = webmap.component_data(atlas, atlas.default_view, assets, None)
    assert first["data"] is None  # the page never sends the published data: the browser fetches its file
    published = json.loads((tmp_path / first["data_url"].removeprefix("app/static/")).read_text(encoding="utf-8"))
    assert published["version"] == first["view"]["version"] == atlas.data_version
    french = webmap.component_data(atlas, atlas.view(lang="fr"), assets, None)
    assert french["data_url"] != first["data_url"] and french["view"]["version"] == f"{atlas.data_version}-fr"
    # An analyst's data (this tab only) is never written to the static folder: it goes inline, once.
    mine = Atlas.from_files(transfers=("t.csv", template("transfers", atlas)), mode="replace", base=atlas)
    inline = webmap.component_data(mine, mine.default_view, assets, None)
    again = webmap.component_data(mine, mine.default_view, assets, mine.data_version)
    assert "data_url" not in inline and inline["data"]["version"] == mine.data_version and again["data"] is None
    # One filter change sends the view (and the asset names) only: the budget is 20 KB.
    changed = webmap.component_data(atlas, atlas.view(filters={"surge": ("start-up",)}), assets, None)
    assert _size(changed) + len(webmap.LOADER_JS) < 20_000
    assert _size(published) > 10 * _size(changed["view"])


def test_view_date_is_the_paused_moment_else_the_year_end_never_after_today(atlas):
    assert webmap.view_date(atlas.view(year=2010, date="2010-05-17")) == "2010-05-17"
    assert webmap.view_date(atlas.view(year=2010)) == "2010-12-31"
    assert webmap.view_date(atlas.view(year=2026), today="2026-03-02") == "2026-03-02"


def test_publish_writes_hashed_files_once_and_removes_stale_ones(atlas, tmp_path):
    assets = webmap.publish(atlas, tmp_path)
    folder = tmp_path / "imcgeo"
    names = {p.name for p in folder.iterdir()}
    assert {Path(u).name for u in assets.values()} == names
    assert json.loads((folder / Path(assets["outlines"]).name).read_text()) == atlas.outlines
    old, recent = folder / "map-0000000000.js", folder / "map-1111111111.js"
    for path in (old, recent):
        path.write_text("another version")
    hours_ago = time.time() - 2 * webmap.STALE_SECONDS
    os.utime(old, (hours_ago, hours_ago))
    mtimes = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name in names}
    assert webmap.publish(atlas, tmp_path) == assets
    # Another server on the same folder may still serve a recent other version: only old ones go.
    assert {p.name for p in folder.iterdir()} == names | {recent.name}, "a stale file was kept"
    recent.unlink()
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes, "unchanged files were rewritten"


def test_offline_file_inlines_everything_and_data_cannot_close_its_script(atlas):
    hostile = atlas.transfers.copy()
    hostile.loc[hostile.index[0], "description"] = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    evil = Atlas(missions=atlas.missions, transfers=hostile, countries=atlas.countries, outlines=atlas.outlines)
    plain = webmap.offline_html(atlas, atlas.default_view).decode("utf-8")
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=", plain, re.I), "the file loads a script or style"
    page = webmap.offline_html(evil, evil.default_view).decode("utf-8")
    assert "<script>alert(1)" not in page
    data = re.search(r'<script type="application/json" id="imcgeo-data">(.*?)</script>', page, re.S).group(1)
    tips = json.loads(data)["transfers"]["tooltip"]
    assert any("</script><script>alert(1)" in tip for tip in tips), "the text itself is kept, as text"


def test_map_js_writes_text_never_html():
    code = (webmap.ASSET_DIR / "map.js").read_text()
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "outerHTML" not in code


def test_the_page_sends_the_datas_address_then_only_the_view(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("IMCGEO_DATA_DIR", raising=False)  # the shipped data
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
    at.run()
    assert not at.exception
    first = at.get("bidi_component")[0].proto
    sent = json.loads(first.json)
    assert sent["data"] is None and sent["data_url"] and sent["view"]["ids"]
    at.multiselect(key="w_surge").set_value(["election"]).run()
    second = at.get("bidi_component")[0].proto
    assert json.loads(second.json)["data"] is None
    assert len(first.json) + len(first.js_content) < 20_000 and len(second.json) + len(second.js_content) < 20_000


def test_processes_starting_at_once_publish_side_by_side(atlas, tmp_path):
    """Two servers behind nginx (or two test workers) starting at once write the same new files: neither fails."""
    webmap.publish(atlas, tmp_path / "warm")  # the payloads built once, so the writers meet at the files
    barrier, failures = threading.Barrier(8), []

    def start() -> None:
        barrier.wait()
        try:
            webmap.publish(atlas, tmp_path / "shared")
        except OSError as error:
            failures.append(error)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert sorted(p.name for p in (tmp_path / "shared" / "imcgeo").iterdir()) == sorted(
        p.name for p in (tmp_path / "warm" / "imcgeo").iterdir()
    ), "a file is missing, or a temporary one was left"
