"""A small page that mounts the browser map the way dashboard.py will: for tests and the benchmark.

Run: streamlit run tests/browser/apps/webmap_app.py --server.enableStaticServing true
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from imcgeo import webmap
from imcgeo.atlas import Atlas
from imcgeo.view import to_query
from imcgeo.vocab import SURGES

STATIC = Path(__file__).parent / "static"
st.set_page_config(page_title="imcgeo map harness", layout="wide")
MAP = st.components.v2.component(webmap.COMPONENT_NAME, js=webmap.LOADER_JS)


@st.cache_resource
def shipped() -> tuple[Atlas, webmap.Assets]:
    atlas = Atlas.shipped()
    return atlas, webmap.publish(atlas, STATIC)


atlas, assets = shipped()
s = st.session_state
if "view" not in s:
    s.view, s.notices = atlas.view_from_query(st.query_params.to_dict())
    s.clicks = []
    s.pressed = []


def state(name: str):
    return (s.get("map") or {}).get(name)


def on_date() -> None:
    date = state("date")
    if date:
        s.view = replace(s.view, date=date, year=int(date[:4]))


def on_period() -> None:
    first, last = state("period")
    s.view = replace(s.view, first=int(first), last=int(last)).clamp()


def on_mission() -> None:
    s.view = replace(s.view, mission=state("mission"))


def on_camera() -> None:
    s.view = replace(s.view, camera=tuple(state("camera")))


def on_click() -> None:
    s.clicks.append(state("click"))


def on_key() -> None:
    s.pressed.append(state("key"))


st.title("imcgeo browser map (test harness)")
c1, c2, c3 = st.columns(3)
chosen = s.view.filters.get("surge", ())
surge = c1.selectbox("Surge filter", ["all", *SURGES], index=1 + list(SURGES).index(chosen[0]) if chosen else 0)
mode = c2.radio("Mode", ["cumulative", "active"], index=["cumulative", "active"].index(s.view.mode), horizontal=True)
colour = c3.radio("Colour", ["surge", "asset"], index=["surge", "asset"].index(s.view.colour), horizontal=True)
surges = () if surge == "all" else (surge,)
s.view = replace(s.view, filters={**s.view.filters, "surge": surges}, mode=mode, colour=colour)

frame = atlas.frame(s.view)
MAP(
    key="map",
    data=webmap.component_data(atlas, s.view, assets, state("data_version"), frame=frame),
    default={"date": None, "mission": None, "camera": None, "period": None, "data_version": None, "webgl": None},
    on_date_change=on_date,
    on_period_change=on_period,
    on_mission_change=on_mission,
    on_camera_change=on_camera,
    on_data_version_change=lambda: None,
    on_webgl_change=lambda: None,
    on_click_change=on_click,
    on_key_change=on_key,
)
st.markdown(f"Caption: {frame.caption}")
st.markdown(f"Mission: {s.view.mission or 'none'} · Period: {s.view.first}–{s.view.last}")
st.markdown(f"Clicks: {s.clicks[-1] if s.clicks else 'none'} · Keys: {', '.join(s.pressed) or 'none'}")
query = to_query(s.view)
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)
