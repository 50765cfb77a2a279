"""imcgeo dashboard: where UN peace operations are, which are close, and how they have helped each other.

A thin page over one ``imcgeo.Atlas``: it reads the widgets and the link into an ``imcgeo.View``
(kept in the session), asks the atlas for that view's ``Frame`` and renders it. Layers, distances,
rankings, uploads and exports are all the atlas's work.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from imcgeo import credits, places, planner, tables, vocab, webmap
from imcgeo.atlas import Atlas
from imcgeo.data import DATA_DIR
from imcgeo.errors import DataValidationError
from imcgeo.export import export
from imcgeo.uploads import KINDS, MAX_BYTES, UPLOAD_MODES, safe_name, template
from imcgeo.view import FILTERS, View, to_query

st.set_page_config(page_title="imcgeo · inter-mission cooperation", page_icon="🌍", layout="wide")

PUBLIC = os.environ.get("IMCGEO_PUBLIC", "").lower() in ("1", "true", "yes", "on")
DATA = Path(os.environ.get("IMCGEO_DATA_DIR") or DATA_DIR)
#: The scene a public link opens on when it names none (IMCGEO_PUBLIC_SCENE; empty: the full history).
PUBLIC_SCENE = os.environ.get("IMCGEO_PUBLIC_SCENE", "south-sudan-2014") if PUBLIC else ""
INTRO = (
    "UN peace operations sometimes lend each other troops, police, civilian staff, aircraft and logistics for a "
    "while, to get through elections, crises, disasters and start-ups: *inter-mission cooperation*. The map shows "
    "where the missions were and each documented loan as an arc from the mission that gave to the one that "
    "received."
)
SECTIONS = ["Planner", "Proximity explorer", "Export", "Missions", "About the data",
            *([] if PUBLIC else ["Your data"])]  # fmt: skip


@contextmanager
def panel(name: str):
    """A part of the page that fails alone: it says so in one line, and the rest keeps working."""
    try:
        yield
    except ScriptControlException:  # st.rerun and st.stop pass through
        raise
    except Exception as exc:
        st.error(f"The {name} could not be shown ({type(exc).__name__}). The rest of the page still works.")


@st.cache_resource(show_spinner="Loading missions, transfers and outlines…")
def load_atlas(folder: str) -> Atlas:
    atlas = Atlas.from_dir(folder).warm()
    atlas.finding()  # the case ranks behind the finding take seconds: once per process, not per visitor
    return atlas


@st.cache_resource(show_spinner="Loading the gazetteer…")
def gazetteer() -> places.Gazetteer:
    return places.load_places()


#: The map that plays in the browser (imcgeo/web/map.js), registered once and mounted by ``browser_map``.
MAP = st.components.v2.component(webmap.COMPONENT_NAME, js=webmap.LOADER_JS)
#: What the browser map hands back (see imcgeo.webmap): its defaults before it has said anything.
MAP_STATE = {"date": None, "period": None, "mission": None, "camera": None, "data_version": None, "webgl": None}


@st.cache_resource(show_spinner=False)
def map_assets(folder: str) -> webmap.Assets:
    """deck.gl, the map and the outlines in ./static/ (served at app/static/), written once per process."""
    return webmap.publish(load_atlas(folder), Path(__file__).parent / "static")


@st.cache_data(max_entries=32, show_spinner="Preparing the file…", hash_funcs={View: repr})
def export_bytes(data_version: str, fmt: str, view: View, _atlas: Atlas) -> bytes:
    return export(fmt, _atlas, view)


try:
    atlas: Atlas = st.session_state.get("custom") or load_atlas(str(DATA))
except DataValidationError as exc:
    st.error(f"The data could not be loaded: {exc.file} has {len(exc.problems)} problem(s).")
    st.code("\n".join(str(p) for p in exc.problems), language=None)
    st.stop()

SCENES = {s.id: s for s in atlas.scenes}
ACRONYMS = sorted(atlas.missions["acronym"])


# --- state: the session's View is the truth; widgets mirror it --------------------------------


def widget_values(view: View) -> dict:
    """What every widget shows for *view* (widgets Streamlit forgot are set again from this)."""
    return {
        "w_scene": view.scene or "",
        "w_presenter": view.presenter,
        "w_mission": view.mission or "",
        "w_period": (view.first, view.last),
        "w_mode": view.mode,
        "w_colour": view.colour,
        **{f"w_{key}": list(view.filters.get(key, ())) for key in FILTERS},
        "w_explore": view.explore or "",
        "w_explore_date": atlas.explore_date(view).date(),
        "w_measure": view.measure,
        "w_rings": view.rings,
        "w_flows": view.flows,
        "w_plan_date": pd.Timestamp(view.date or f"{view.year}-07-01").date(),
        **{f"w_plan_{key}": value for key, value in plan_widgets(view).items()},
    }


def plan_widgets(view: View) -> dict:
    """The planner's settings as its widgets show them (from the view's link parameters)."""
    plan = dict(view.plan)
    measure = view.measure if view.measure in planner.PLAN_MEASURES else "travel"
    return {
        "rank": "strength" if plan.get("rank_by") == "strength" else measure,
        "needs": [n for n in plan.get("needs", "").split(",") if n],
        "within_h": float(plan.get("within_h", 0)),
        "within_km": float(plan.get("within_km", 0)),
    }


def init_state() -> None:
    """The first run of a session: the view a link asks for, and any notices about the link."""
    s = st.session_state
    if "view" in s:
        return
    query = st.query_params.to_dict()
    if PUBLIC_SCENE in SCENES and not query:
        query = {"scene": PUBLIC_SCENE}  # a public link with nothing in it opens on a guided scene
    view, notices = atlas.view_from_query(query)
    if view.explore is None and atlas.placed:
        view = replace(view, explore=view.mission if view.mission in atlas.placed else default_explore())
    s.view, s.notices, s.opened = view, notices, view
    s.update(widget_values(view))


def default_explore() -> str:
    """The explorer's mission when nothing asks for one: UNOCI (the 2010 crisis) if present."""
    return "UNOCI" if "UNOCI" in atlas.placed else atlas.placed[0]


def set_view(view: View) -> None:
    """Show *view*: every widget follows (a scene, a case or a link set it)."""
    if view.mission and view.mission not in ACRONYMS:
        view = replace(view, mission=None)
    if view.explore not in atlas.placed:
        view = replace(view, explore=default_explore() if atlas.placed else None, rings=False)
    lo, hi = atlas.bounds
    view = replace(view, first=min(max(view.first, lo), hi), last=max(min(view.last, hi), lo))
    st.session_state.view = view.clamp()
    st.session_state.update(widget_values(st.session_state.view))


def keep_widgets() -> None:
    """Every widget shows the view. Callbacks have already carried any change into the view, and
    Streamlit forgets (or keeps stale) the state of widgets that were not drawn last run."""
    st.session_state.update(widget_values(st.session_state.view))


def from_widget(key: str) -> None:
    """The widget *key* changed: its value goes into the view (only its own: others may hold stale state)."""
    s = st.session_state
    view: View = s.view
    value = s[key]
    if key == "w_period":
        new = replace(view, first=value[0], last=value[1], camera=None)  # the map follows the period
    elif key in ("w_mission", "w_explore"):
        new = replace(view, **{key[2:]: value or None})
    elif key == "w_explore_date" and value:  # the map follows the explorer's date
        new = replace(view, explore_date=f"{value:%Y-%m-%d}", date=f"{value:%Y-%m-%d}", year=value.year)
    elif key == "w_plan_date":
        new = replace(view, date=f"{value:%Y-%m-%d}", year=value.year) if value else view
    elif key.startswith("w_plan_"):
        new = replace(view, **plan_change(view, key.removeprefix("w_plan_"), value))
    elif key[2:] in FILTERS:
        new = replace(view, filters={**view.filters, key[2:]: tuple(value)})
    else:
        new = replace(view, **{key[2:]: value})
    if new.rings != view.rings or (new.rings and new.explore != view.explore):
        new = replace(new, camera=None)  # rings centre the map on their mission; without them, the world
    s.view = new.clamp()


def plan_change(view: View, setting: str, value) -> dict:
    """The view fields a planner widget changes: its link parameters (and the shared measure)."""
    plan = dict(view.plan)
    if setting == "rank":
        plan["rank_by"] = "strength" if value == "strength" else ""
        return {"plan": plan, **({} if value == "strength" else {"measure": value})}
    if setting == "needs":
        plan["needs"] = ",".join(value)
    else:
        plan[setting] = f"{value:g}" if value else ""
    return {"plan": plan}


def place_view(lat: float, lon: float) -> None:
    """The planner asks about (lat, lon): the map centres there at the planner's date."""
    s = st.session_state
    s.view = replace(s.view, at=(lat, lon), camera=None, date=s.view.date or f"{s.view.year}-07-01")


def synced(key: str) -> dict:
    """A widget's key, and the callback that carries its changes into the view."""
    return {"key": key, "on_change": from_widget, "args": (key,)}


def open_scene(scene_id: str) -> None:
    base = replace(atlas.default_view, presenter=st.session_state.view.presenter, explore=st.session_state.view.explore)
    set_view(atlas.scene_view(scene_id, base) if scene_id else base)


def step_scene(offset: int) -> None:
    ids = list(SCENES)
    now = st.session_state.view.scene
    index = (ids.index(now) + offset) % len(ids) if now in ids else (0 if offset > 0 else len(ids) - 1)
    open_scene(ids[index])


def map_state(name: str):
    """A value the browser map handed back (its state under the key "map")."""
    return (st.session_state.get("map") or {}).get(name)


def on_map_date() -> None:
    """Pause or a step in the browser: the page follows the moment (caption, tables, explorer, link)."""
    if date := map_state("date"):
        s = st.session_state
        s.view = replace(s.view, year=int(date[:4]), date=date).clamp()


def on_map_period() -> None:
    """A window dragged on the histogram: the period filter."""
    if period := map_state("period"):
        s = st.session_state
        s.view = replace(s.view, first=int(period[0]), last=int(period[1])).clamp()


def on_map_mission() -> None:
    """A click on a mission selects it: the mission filter, and the explorer when it has a place."""
    s = st.session_state
    mission = map_state("mission")
    s.view = replace(s.view, mission=mission, **({"explore": mission} if mission in atlas.placed else {}))


def on_map_camera() -> None:
    """The user's own pan and zoom: into the view, so the link reopens them."""
    if camera := map_state("camera"):
        st.session_state.view = replace(st.session_state.view, camera=tuple(camera))


def on_map_click() -> None:
    """A click away from the missions: the planner answers for that point."""
    if point := map_state("click"):
        s = st.session_state
        lat, lon = round(float(point["lat"]), 4), round(float(point["lon"]), 4)
        s.view = replace(s.view, at=(lat, lon), date=s.view.date or f"{s.view.year}-07-01")
        s.w_place, s.w_section = f"{lat}, {lon}", "Planner"


def on_map_key() -> None:
    """A presentation clicker's PageDown / PageUp while the map has the focus: the next or previous scene."""
    key = map_state("key")
    if key in ("PageDown", "PageUp"):
        step_scene(1 if key == "PageDown" else -1)


def open_case(event_id: str) -> None:
    """A documented case: the map at its year with its target mission; the explorer on its target and date."""
    ranks = atlas.case_ranks
    case = ranks[ranks["event_id"] == event_id].iloc[0]
    target = case["target_mission"]
    base = st.session_state.view
    set_view(replace(atlas.default_view, year=case["start"].year, mission=target, mode="active",
                     presenter=base.presenter, explore=target if target in atlas.placed else base.explore,
                     explore_date=f"{case['start']:%Y-%m-%d}", measure=base.measure))  # fmt: skip
    st.session_state.toast = f"The map above shows {case['start'].year}: help to {target}."


init_state()
if "next_view" in st.session_state:  # set by the script itself after its widgets were drawn (an upload)
    set_view(st.session_state.pop("next_view"))
keep_widgets()

# --- sidebar: scenes, filters, display ------------------------------------------------------

with st.sidebar:
    st.header("Briefing scenes")
    st.selectbox("Scene", ["", *SCENES], format_func=lambda i: SCENES[i].title if i else "Free exploration",
                 key="w_scene", on_change=lambda: open_scene(st.session_state.w_scene))  # fmt: skip
    back, forward = st.columns(2)
    back.button("◀ Previous", on_click=step_scene, args=(-1,), width="stretch")
    forward.button("Next ▶", on_click=step_scene, args=(1,), width="stretch")
    st.toggle("Presenter mode", **synced("w_presenter"),
              help="Large type, full-width map, no tables or controls.")  # fmt: skip

    st.header("Filters")
    for key, title in (("surge", "Surge type"), ("asset", "Asset"), ("region", "Region"), ("confidence", "Confidence")):
        st.multiselect(title, FILTERS[key], format_func=vocab.label, placeholder="All", **synced(f"w_{key}"))
    st.selectbox("Mission (as source or target)", ["", *ACRONYMS], **synced("w_mission"),
                 format_func=lambda a: a or "All missions")  # fmt: skip
    st.slider("Period", *atlas.bounds, **synced("w_period"))

    st.header("Display")
    st.radio("Show transfers", vocab.MODES, format_func=vocab.label, **synced("w_mode"))
    st.radio("Colour arcs by", vocab.COLOUR_BY, format_func=vocab.label, horizontal=True, **synced("w_colour"))
    st.toggle("One arc per pair of missions", help="Merge the transfers between two missions into one arc with "
              "their total people and items.", **synced("w_flows"))  # fmt: skip

view: View = st.session_state.view
presenter = view.presenter
scene = SCENES.get(view.scene) if view.scene else None

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
# A link's notices stay until the view moves on (the map's own start-up reruns must not wipe them).
for notice in st.session_state.notices if st.session_state.view == st.session_state.opened else ():
    st.warning(notice, icon=":material/warning:")
for warning in atlas.warnings:
    st.warning(warning, icon=":material/warning:")
if atlas.origin:
    st.info("Your own data, in this tab only: " + "; ".join(atlas.origin) + ".", icon=":material/description:")

st.title(scene.title if scene else atlas.title(view))
# On a phone the map comes first: the words about it move below (CSS order in the page's flex column).
st.markdown("<style>@media (max-width: 700px){*:has(> .st-key-intro),.st-key-intro{order:20}"
            " h1{font-size:1.5rem!important}}</style>", unsafe_allow_html=True)  # fmt: skip
with st.container(key="intro"):
    if scene:
        st.write(scene.caption)
        if not presenter:
            st.caption("Sources: " + "; ".join(scene.sources))
    else:
        st.caption(
            f"{len(atlas.missions)} missions and support centres · {len(atlas.transfers)} transfers in "
            f"{atlas.transfers['event_id'].nunique()} cases · {len(atlas.selected(view))} match the filters"
        )
    if not presenter:
        intro, more = st.columns([6, 1], vertical_alignment="center")
        intro.markdown(INTRO)
        more.button("About the data →", type="tertiary", on_click=st.session_state.update,
                    kwargs={"w_section": "About the data"})  # fmt: skip

# --- presenter: scene buttons above the map (the map has its own Play, steps, speed and loop) ------

if presenter:
    b1, b2, b3, _ = st.columns([1.5, 1.5, 1.8, 4])
    # A presentation clicker sends PageDown / PageUp: they step the scenes wherever the focus is.
    b1.button("Previous scene", icon=":material/skip_previous:", on_click=step_scene, args=(-1,), width="stretch",
              shortcut="PageUp")  # fmt: skip
    b2.button("Next scene", icon=":material/skip_next:", on_click=step_scene, args=(1,), width="stretch",
              shortcut="PageDown")  # fmt: skip
    b3.button("Exit presenter mode", width="stretch",
              on_click=lambda: set_view(replace(st.session_state.view, presenter=False)))  # fmt: skip


def number_columns() -> dict:
    """How every table on the page names and formats its columns (Streamlit skips the ones a table lacks)."""
    number, date = st.column_config.NumberColumn, st.column_config.DateColumn
    config: dict = dict(tables.COLUMNS)
    for column in ("start", "end"):
        config[column] = date(tables.COLUMNS[column], format="YYYY-MM-DD")
    for column, fmt in tables.NUMBER_FORMATS.items():
        config[column] = number(tables.COLUMNS[column], format=fmt, help=tables.HELP.get(column))
    for column in tables.UNREACHABLE:  # words where the estimate does not apply
        config[column] = st.column_config.TextColumn(tables.COLUMNS[column])
    return config


def show_table(frame: pd.DataFrame, **overrides) -> None:
    st.dataframe(tables.display(frame), hide_index=True, width="stretch", column_config=number_columns() | overrides)


def download(label: str, frame: pd.DataFrame, file_name: str) -> None:
    st.download_button(label, lambda: tables.csv_bytes(frame), file_name=file_name, mime="text/csv")


def browser_map() -> None:
    """The map, its caption, and what it shows as a table: the browser plays it, the page follows its date."""
    view = st.session_state.view
    moment = replace(view, date=webmap.view_date(view, transfers=atlas.selected(view)))  # the map's day
    frame = atlas.frame(moment, label_size=16 if presenter else 12)
    line = html.escape(frame.caption)
    st.markdown(f"**{line}**" if not presenter else f"### {line}")
    still = None
    if map_state("webgl") is False:  # only then: a PNG costs a second and about 100 kB
        still = (
            "data:image/png;base64," + base64.b64encode(export_bytes(atlas.data_version, "png", view, atlas)).decode()
        )
    MAP(
        key="map",
        data=webmap.component_data(atlas, moment, map_assets(str(DATA)), map_state("data_version"), frame=frame,
                                   height="fit" if presenter else 560, label_size=16 if presenter else 12,
                                   fallback_png=still),
        default=MAP_STATE,
        on_date_change=on_map_date,
        on_period_change=on_map_period,
        on_mission_change=on_map_mission,
        on_camera_change=on_map_camera,
        on_data_version_change=lambda: None,
        on_webgl_change=lambda: None,
        on_click_change=on_map_click,
        on_key_change=on_map_key,
    )  # fmt: skip
    if frame.shown.empty:
        st.info("No transfers match these filters at this time. Widen the filters or move the year.")
    elif not presenter and st.toggle(f"Show the {len(frame.shown)} transfers on the map as a table", key="w_table"):
        show_table(frame.shown[tables.TRANSFER_TABLE])
        download("Download these transfers (CSV)", frame.shown[tables.TRANSFER_TABLE],
                 f"imcgeo-transfers-{view.year}.csv")  # fmt: skip
    if view.mission and not presenter:
        totals = planner.mission_totals(frame.selected)
        mine = totals[totals["mission"] == view.mission]
        if len(mine):
            gave, got = mine.iloc[0][["gave_transfers", "received_transfers"]].fillna(0).astype(int)
            st.caption(f"{view.mission} gave {gave} and received {got} of the transfers that pass the filters "
                       "(people and items: sums of the numbers the sources give).")  # fmt: skip
            show_table(mine.drop(columns="mission"))
    query = to_query(view)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


with panel("map"):
    browser_map()

if presenter:
    st.stop()

# --- below the map: proximity explorer, export, missions, data --------------------------------


PLAN_RANKS = {"travel": "Fastest estimated travel", "site": "Nearest site", "hq": "Nearest headquarters",
              "strength": "Largest uniformed strength"}  # fmt: skip


def planner_panel() -> None:
    st.markdown(
        "A crisis breaks out somewhere: which missions could send help, how fast, and with what? Type a place "
        "(any spelling: *Tombouctou*, *Timbuktu*) or coordinates (*9.53, 31.66*), and a date."
    )
    p1, p2 = st.columns([2, 1])
    text = p1.text_input("Place or coordinates", key="w_place", placeholder="Goma, Tombouctou, 9.53, 31.66…")
    p2.date_input("On", min_value=dt.date(atlas.bounds[0], 1, 1), max_value=dt.date.today(), **synced("w_plan_date"))
    if text.strip():
        try:
            found = places.resolve(text, gazetteer())
        except places.PlaceNotFound as error:
            st.warning(str(error), icon=":material/search_off:")
            found = None
        except places.PointError as error:
            st.warning(str(error), icon=":material/location_off:")
            found = None
        if isinstance(found, list):
            choice = st.radio(f"Several places are called {text.strip()!r}: which one?", found,
                              format_func=lambda p: p.choice_label, key="w_place_choice")  # fmt: skip
            found = choice
        if found is not None and (round(found.lat, 4), round(found.lon, 4)) != view.at:
            place_view(found.lat, found.lon)
            st.rerun()
    current = st.session_state.view
    if current.at is None:
        st.info("No place yet: type one above (or open a link with ?at=lat,lon&date=YYYY-MM-DD).")
        return
    s1, s2, s3, s4 = st.columns([1.3, 1.3, 1, 1])
    s1.selectbox("Rank by", list(PLAN_RANKS), format_func=PLAN_RANKS.get, **synced("w_plan_rank"))
    s2.multiselect("With units", list(planner.NEEDS), format_func=planner.NEEDS.get, disabled=atlas.units is None,
                   help="Unit types at the missions' sites come from a Geo-PKO file: load one in Your data."
                   if atlas.units is None else "Only missions with such units at a site (Geo-PKO)",
                   **synced("w_plan_needs"))  # fmt: skip
    s3.number_input("Within hours (0: any)", min_value=0.0, step=1.0, **synced("w_plan_within_h"))
    s4.number_input("Within km (0: any)", min_value=0.0, step=100.0, **synced("w_plan_within_km"))
    plan = atlas.plan(current)
    st.markdown(f"**Around {current.at[0]:.2f}, {current.at[1]:.2f} on {plan.date:%d %B %Y}**: "
                f"{len(plan.table)} of {plan.candidates} missions active then (the map shows rings of 500, "
                "1,000 and 2,000 km and circles the best five).")  # fmt: skip
    if plan.table.empty:
        st.info("No mission matches these settings on that date. Widen them or change the date.")
    else:
        show_table(plan.table.drop(columns=["name"], errors="ignore"))
        download("Download this plan (CSV)", plan.table, f"imcgeo-plan-{plan.date:%Y-%m-%d}.csv")
    for caveat in plan.caveats:
        st.caption(caveat)
    st.caption("Travel times are estimates from these assumptions (data/travel.toml): " + " · ".join(plan.assumptions))
    st.caption("This page's address reopens this plan: copy it to share.")
    st.button("Clear the place", on_click=clear_place)


def clear_place() -> None:
    st.session_state.w_place = ""
    set_view(replace(st.session_state.view, at=None, plan=()))


def explorer_panel() -> None:
    st.markdown("Which missions were close enough to help? Pick a mission and a date.")
    e1, e2, e3 = st.columns([1.2, 1, 1.4])
    target = e1.selectbox("Mission", atlas.placed, **synced("w_explore"))
    when = e2.date_input("On", min_value=dt.date(atlas.bounds[0], 1, 1), max_value=dt.date.today(),
                         **synced("w_explore_date"))  # fmt: skip
    measure = e3.radio("Rank by", vocab.MEASURES, format_func=vocab.label, **synced("w_measure"))
    row = atlas.mission(target)
    if pd.Timestamp(when) < row["start"] or (pd.notna(row["end"]) and pd.Timestamp(when) > row["end"]):
        until = "present" if pd.isna(row["end"]) else f"{row['end']:%b %Y}"
        st.info(f"{target} was not active on {when:%d %B %Y} ({row['start']:%b %Y} – {until}); ranked as if it were.")
    st.checkbox("Show rings (500, 1,000, 2,000 km) and the five nearest on the map, centred on the mission",
                **synced("w_rings"))  # fmt: skip
    table = atlas.helpers(target, when, k=None, measure=measure)
    if table.empty:
        st.info(f"No other mission was active on {when:%d %B %Y}.")
    else:
        show_table(table.drop(columns=["name"]))
        download("Download this ranking (CSV)", table, f"imcgeo-helpers-{target}-{when:%Y-%m-%d}.csv")
        st.caption("Travel times are estimates from these assumptions (data/travel.toml): "
                   + " · ".join(atlas.assumptions.describe()))  # fmt: skip

    st.subheader("Did help come from the nearest missions?")
    table, far, text = atlas.finding()
    st.markdown(text)
    with st.expander("By decade, with and without hand-overs and re-hatting, against chance"):
        show_table(table)
        st.caption("p: the share of 10,000 random draws (a helper picked at random among the missions active at "
                   "the time) that did as well or better. Help from far away:")  # fmt: skip
        show_table(far)
    ranks = atlas.case_ranks
    events = ranks["event_id"].unique().tolist()
    if not events:
        st.info("There are no transfers to rank.")
        return
    start = events.index("2010-unoci-election-support") if "2010-unoci-election-support" in events else 0
    event = st.selectbox("A historical case", events, index=start)
    st.button(
        "Show this case on the map and rank its helpers above",
        on_click=open_case,
        args=(event,),
        help="The map moves to the case's year with its mission; the ranking above takes its mission and date.",
    )
    show_table(ranks[ranks["event_id"] == event], event_id=None)
    by_capacity = atlas.capacity_ranks(event)
    if len(by_capacity):
        known = int(by_capacity["with_strength"].max())
        st.caption(f"By capacity: the helper's rank by uniformed strength among the {known} missions with a strength "
                   "figure for the date (empty: no figure; strength is not spare capacity).")  # fmt: skip
        show_table(by_capacity[["source_mission", "rank_travel", "rank_strength", "with_strength"]])
    download("Download the ranks of every case (CSV)", ranks, "imcgeo-event-ranks.csv")


def export_panel() -> None:
    years = view.last - view.first + 1
    st.markdown(
        f"The current view — {html.escape(atlas.title(view))}, {view.first}–{view.last}, shown at {view.year} — "
        "for slides and rooms with no internet. The same files come from the command line: "
        f"`python -m imcgeo export --format gif --out timeline.gif` with the same options."
    )
    x1, x2, x3 = st.columns(3)
    files = (("png", "PNG still, 1920×1080", "image/png"), ("html", "Offline HTML (works with no network)",
             "text/html"), ("csv", "CSV of the filtered transfers", "text/csv"))  # fmt: skip
    for column, (fmt, label, mime) in zip((x1, x2, x3), files):
        column.download_button(label, export_bytes(atlas.data_version, fmt, view, atlas),
                               file_name=f"imcgeo-{view.year}.{fmt}", mime=mime, width="stretch")  # fmt: skip
    for fmt, label, mime in (("gif", "Animated GIF", "image/gif"), ("mp4", "MP4 video", "video/mp4")):
        made = st.session_state.get(f"made_{fmt}")
        if made and made[0] == (atlas.data_version, view):
            st.download_button(f"{label}, {years} years", made[1], file_name=f"imcgeo-timeline.{fmt}", mime=mime,
                               type="primary")  # fmt: skip
        elif st.button(f"Make the {label} ({years} years, 2 frames a year)"):
            bar = st.progress(0.0, text="Drawing frames…")
            payload = export(fmt, atlas, view, progress=lambda x, bar=bar: bar.progress(x, f"Drawing… {x:.0%}"))
            bar.empty()
            st.session_state[f"made_{fmt}"] = ((atlas.data_version, view), payload)
            st.rerun()


def missions_panel() -> None:
    status = atlas.frame(view).status
    details = atlas.missions.drop(columns="geometry").assign(status_in_year=status.map(vocab.label))
    when = pd.Timestamp(view.date or f"{view.year}-07-01")
    strength = atlas.strength_on(when)
    if strength is not None:
        known = strength.set_index("mission")
        for column in ("troops", "police", "military_observers", "total", "date"):
            if column in known:
                details["strength_date" if column == "date" else column] = details["acronym"].map(known[column])
        st.caption(f"Uniformed strength: the latest figure of the year up to {when:%d %B %Y} where one is known "
                   "(data/README.md says which; empty: not known). Strength is not spare capacity.")  # fmt: skip
    show_table(details, end=st.column_config.DateColumn("End", format="YYYY-MM-DD",
               help="Empty: still active, or not confirmed"), status_in_year=f"Status in {view.year}")  # fmt: skip
    download("Download missions (CSV)", details, "imcgeo-missions.csv")


def about_panel() -> None:
    st.markdown(
        "Every row of data cites a source a reader can look up: Security Council resolutions, reports of the "
        "Secretary-General, dated UN press releases and news items. Rows marked *partial* infer some detail (the "
        "description says which). Missions that no source names are shown as *unnamed* placeholders, with arcs "
        "that start at an indicative point. The data dictionary is `data/README.md` in the repository.\n\n"
        "Boundaries shown do not imply endorsement by the United Nations."
    )
    st.caption(credits.credits_line(strength=atlas.strength is not None))
    st.dataframe(credits.licences(), hide_index=True, width="stretch")
    st.caption("The code is under the MIT licence (LICENSE in the repository).")
    download("Download all transfers (CSV)", atlas.transfers, "imcgeo-transfers.csv")


def upload_panel() -> None:
    st.markdown(
        "Load your own **missions**, **transfers** or **deployment sites** (CSV) for this browser tab only: "
        "nothing is saved, and nobody else sees them. Start from a template: it has the right columns and two "
        "real rows. The columns are explained in the data dictionary (`data/README.md`); dates may be written "
        "2010-01-12, 12 January 2010 or January 2010; UTF-8 or Latin-1, with `,` `;` or tab between fields; "
        f"at most {MAX_BYTES // 2**20} MB a file. Every problem is listed with its row, column and fix."
    )
    base = load_atlas(str(DATA))
    for column, kind in zip(st.columns(3), KINDS):
        if kind != "sites" or base.sites is not None:
            column.download_button(f"Template: {kind}.csv", template(kind, base), file_name=f"{kind}-template.csv",
                                   mime="text/csv", width="stretch")  # fmt: skip
    uploads = {kind: st.file_uploader(f"Your {kind} (CSV)", type=["csv", "txt", "tsv"], key=f"w_upload_{kind}")
               for kind in KINDS}  # fmt: skip
    how = {"merge": "with the shipped data", "replace": "instead of the shipped data"}
    mode = st.radio("Use them", UPLOAD_MODES, horizontal=True, key="w_upload_mode", format_func=how.get)
    chosen = {kind: f for kind, f in uploads.items() if f is not None}
    too_big = [safe_name(f.name) for f in chosen.values() if f.size > MAX_BYTES]
    if too_big:
        st.error(f"Over the {MAX_BYTES // 2**20} MB limit, not read: {', '.join(too_big)}. Split the file or keep "
                 "only the rows you need.")  # fmt: skip
    elif chosen and st.button("Use these files", type="primary"):
        files = {kind: (safe_name(f.name), f.getvalue()) for kind, f in chosen.items()}
        try:
            with st.spinner("Checking your files…"):
                st.session_state.custom = Atlas.from_files(**files, mode=mode, base=base).warm()
            st.session_state.next_view = replace(view, mission=None, scene=None)
            st.rerun()
        except DataValidationError as exc:
            st.error(f"{exc.file}: {len(exc.problems)} problem(s); nothing was loaded. Fix them and upload again.")
            st.dataframe(pd.DataFrame([{"row": p.row, "column": p.column, "problem": p.message, "fix": p.fix}
                                       for p in exc.problems]), hide_index=True, width="stretch")  # fmt: skip
    if st.session_state.get("custom"):
        st.button("Back to the shipped data", on_click=lambda: st.session_state.pop("custom", None))


PANELS = {
    "Planner": planner_panel,
    "Proximity explorer": explorer_panel,
    "Export": export_panel,
    "Missions": missions_panel,
    "About the data": about_panel,
    "Your data": upload_panel,
}
section = st.segmented_control("More", SECTIONS, key="w_section", help="Open one section below the map")
if section:
    with panel(section.lower()):
        PANELS[section]()
