"""What every session of the dashboard shares, made once per server process.

dashboard.py runs again on every rerun; the cached functions and the map component live here so
that they are defined once (each ``st.cache_*`` decorator reads its function's source to key it:
a millisecond or two per rerun when the page itself defines them).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from imcgeo import places, webmap
from imcgeo.atlas import Atlas
from imcgeo.export import export
from imcgeo.view import View

#: The map that plays in the browser (imcgeo/web/map.js), mounted by the page's ``browser_map``.
MAP = st.components.v2.component(webmap.COMPONENT_NAME, js=webmap.LOADER_JS)


@st.cache_resource(show_spinner=False)
def load_atlas(folder: str) -> Atlas:
    atlas = Atlas.from_dir(folder).warm()
    atlas.finding()  # the case ranks behind the finding take seconds: once per process, not per visitor
    return atlas


@st.cache_resource(show_spinner=False)
def gazetteer() -> places.Gazetteer:
    return places.load_places()


@st.cache_resource(show_spinner=False)
def map_assets(folder: str) -> webmap.Assets:
    """deck.gl, the map and the outlines in ./static/ (served at app/static/), written once per process."""
    return webmap.publish(load_atlas(folder), Path(__file__).parent / "static")


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs={View: repr})
def export_bytes(data_version: str, fmt: str, view: View, _atlas: Atlas) -> bytes:
    return export(fmt, _atlas, view)
