"""The page under Streamlit's AppTest: renders with no exception and draws offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(scope="module")
def page():
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    return at


def deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_first_render_has_no_exception(page):
    assert not page.exception
    assert "Inter-mission cooperation" in page.title[0].value


def test_map_draws_offline_with_the_three_layers(page):
    spec = deck_spec(page)
    assert spec.get("mapProvider") is None  # pydeck's map_provider=None: no basemap tiles
    assert not str(spec.get("mapStyle", "")).startswith(("http", "mapbox:"))
    assert [layer["id"] for layer in spec["layers"]] == ["countries", "transfers", "missions"]
    raw = page.get("deck_gl_json_chart")[0].proto.json
    assert not re.search(r"https?://", raw), "the deck spec must not reference any remote resource"


def test_map_shows_every_placed_mission_and_transfer(page):
    spec = deck_spec(page)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert len(layers["missions"]["data"]) >= 75
    assert len(layers["transfers"]["data"]) >= 30
    assert len(layers["countries"]["data"]["features"]) > 150


def test_deck_json_is_compact(page):
    raw = page.get("deck_gl_json_chart")[0].proto.json
    assert "\n" not in raw
    assert len(raw) < 400_000


def test_broken_data_shows_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    import streamlit as st

    from imcgeo import data

    st.cache_resource.clear()
    broken = tmp_path / "missions.csv"
    broken.write_text("acronym,name\nUNX,broken\n", encoding="utf-8")
    monkeypatch.setattr(data, "MISSIONS_CSV", broken)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception
    assert "missions.csv" in at.error[0].value
    assert "not the expected header" in at.code[0].value
    st.cache_resource.clear()
