"""What every session of the dashboard shares, made once per server process.

dashboard.py runs again on every rerun; the cached functions and the map component live here so
that they are defined once (each ``st.cache_*`` decorator reads its function's source to key it:
a millisecond or two per rerun when the page itself defines them).
"""

from __future__ import annotations

import gc
from pathlib import Path

import streamlit as st

from imcgeo import places, webmap
from imcgeo.atlas import Atlas
from imcgeo.export import export
from imcgeo.view import View

#: The map that plays in the browser (imcgeo/web/map.js), mounted by the page's ``browser_map``.
MAP = st.components.v2.component(webmap.COMPONENT_NAME, js=webmap.LOADER_JS)


#: What this process has loaded, by data folder: every run after the first reads these directly
#: (a cached function's call costs about 0.3 ms: it inspects its own signature each time), and the
#: page shows its loading spinner only while the atlas is not here yet.
LOADED: dict[str, Atlas] = {}
PUBLISHED: dict[str, webmap.Assets] = {}


@st.cache_resource(show_spinner=False)
def load_atlas(folder: str) -> Atlas:
    atlas = Atlas.from_dir(folder).warm()
    atlas.finding()  # the case ranks behind the finding take seconds: once per process, not per visitor
    settle()
    LOADED[folder] = atlas
    return atlas


@st.cache_resource(show_spinner=False)
def gazetteer() -> places.Gazetteer:
    return places.load_places()


@st.cache_resource(show_spinner=False)
def map_assets(folder: str) -> webmap.Assets:
    """deck.gl, the map and the outlines in ./static/ (served at app/static/), written once per process."""
    assets = PUBLISHED[folder] = webmap.publish(load_atlas(folder), Path(__file__).parent / "static")
    return assets


def settle() -> None:
    """Keep the garbage collector off what lives as long as the process (the atlas, pandas, Streamlit).

    Without this, the collector walks those few hundred thousand objects again and again: under
    ``bench/loadtest.py --sessions 50 --reruns 10`` it took about 2 ms of every run, with full
    collections of up to 0.2 s that stall every session at once; frozen, half that, with full
    collections of up to 0.1 s (timed with ``gc.callbacks``). Done once per process, after the
    data is loaded.
    """
    gc.collect()
    gc.freeze()


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs={View: repr})
def export_bytes(data_version: str, fmt: str, view: View, _atlas: Atlas) -> bytes:
    return export(fmt, _atlas, view)
