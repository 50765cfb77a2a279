"""imcgeo dashboard: where UN peace operations are, which are close, and how they have helped each other.

A thin page over one ``imcgeo.Atlas``: it reads the widgets and the link into an ``imcgeo.View``
(kept in the session), asks the atlas for that view's ``Frame`` and renders it. Layers, distances,
rankings, uploads and exports are all the atlas's work.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import logging
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from dashboard_resources import LOADED, MAP, PUBLISHED, export_bytes, gazetteer, load_atlas, map_assets
from imcgeo import credits, findings, places, planner, tables, vocab, webmap
from imcgeo.atlas import Atlas
from imcgeo.data import DATA_DIR, host_codes
from imcgeo.errors import DataValidationError
from imcgeo.export import export
from imcgeo.i18n import LANGUAGE_NAMES, LANGUAGES, N_, choose_language, translator
from imcgeo.uploads import KINDS, MAX_BYTES, UPLOAD_MODES, safe_name, template
from imcgeo.view import FILTERS, View, to_query


def visitor_language() -> str:
    """The language of this visitor: the session's view, else ?lang= in the link, else the browser's, else English."""
    if "view" in st.session_state:
        return st.session_state.view.lang
    return choose_language(st.query_params.get_all("lang"), None, st.context.locale)


# One translator per visitor's language (never a process-wide gettext.install): "_" marks and translates.
LANG = visitor_language()
_ = translator(LANG).gettext
st.set_page_config(page_title=_("imcgeo · inter-mission cooperation"), page_icon="🌍", layout="wide")

LOG = logging.getLogger("imcgeo.dashboard")
PUBLIC = os.environ.get("IMCGEO_PUBLIC", "").lower() in ("1", "true", "yes", "on")
DATA = Path(os.environ.get("IMCGEO_DATA_DIR") or DATA_DIR)
#: The scene a public link opens on when it names none (IMCGEO_PUBLIC_SCENE; empty: the full history).
PUBLIC_SCENE = os.environ.get("IMCGEO_PUBLIC_SCENE", "south-sudan-2014") if PUBLIC else ""
INTRO = N_(
    "UN peace operations sometimes lend each other troops, police, civilian staff, aircraft and logistics for a "
    "while, to get through elections, crises, disasters and start-ups: *inter-mission cooperation*. The map shows "
    "where the missions were and each documented loan as an arc from the mission that gave to the one that "
    "received."
)
#: The sections below the map (their ids stay English: links and callbacks use them; the page shows them translated).
SECTION_NAMES = {
    "Planner": N_("Planner"),
    "Proximity explorer": N_("Proximity explorer"),
    "Export": N_("Export"),
    "Missions": N_("Missions"),
    "About the data": N_("About the data"),
    "Your data": N_("Your data"),
}
SECTIONS = [name for name in SECTION_NAMES if not (PUBLIC and name == "Your data")]
#: How date pickers write a date: year first in English (as before), day first in French.
DATE_INPUT = "DD/MM/YYYY" if LANG == "fr" else "YYYY/MM/DD"


@contextmanager
def panel(name: str):
    """A part of the page that fails alone: it says so in one line, and the rest keeps working."""
    try:
        yield
    except ScriptControlException:  # st.rerun and st.stop pass through
        raise
    except Exception as exc:
        LOG.exception("the %s section failed", name)  # for whoever runs the server; the page shows one line
        st.error(
            _("The {part} could not be shown ({error}). The rest of the page still works.").format(
                part=_(SECTION_NAMES.get(name, name)).lower(), error=type(exc).__name__
            )
        )


#: What the browser map hands back (see imcgeo.webmap): its defaults before it has said anything.
MAP_STATE = {"date": None, "period": None, "mission": None, "camera": None, "data_version": None, "webgl": None}
#: Its one-off events (triggers: set only in the run they start).
MAP_EVENTS = ("click", "key")
#: The widgets the page sets that no view field holds, and their values when nothing set them.
OWN = {"w_section": None, "w_place": ""}


try:
    # An upload (this tab only), else the shipped data; the spinner only while it loads (each one starts a thread).
    atlas: Atlas | None = st.session_state.get("custom") or LOADED.get(str(DATA))
    if atlas is None:
        with st.spinner(_("Loading missions, transfers and outlines…")):
            atlas = load_atlas(str(DATA))
except DataValidationError as exc:
    st.error(_("The data could not be loaded:") + " " + exc.text(translator(LANG)).splitlines()[0])
    st.code("\n".join(p.text(translator(LANG)) for p in exc.problems), language=None)
    st.stop()

SCENES = {s.id: s for s in atlas.scenes}
ACRONYMS = atlas.acronyms
tr = atlas.translator(LANG)  # the atlas's own missions named in the visitor's language
_ = tr.gettext


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
        "w_lang": view.lang,
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
    if "lang" not in query:  # no language in the link: the browser's, else English
        view = replace(view, lang=LANG)
    if view.explore is None and atlas.placed:
        view = replace(view, explore=view.mission if view.mission in atlas.placed else default_explore())
    s.view, s.notices, s.opened = view, notices, view
    s.update(widget_values(view))
    if view.at is not None:  # a planner's link opens on its plan: the section open, the place in its box
        s.w_section, s.w_place = "Planner", f"{view.at[0]}, {view.at[1]}"


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
    st.session_state.update(widget_values(view.clamp()))
    take(view)


def map_part_only() -> bool:
    """Whether this run is the map's part of the page alone (its fragment), not the whole page."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def take(view: View) -> None:
    """A callback's new view. When only the map's part is running and the page around it must change too (the
    sidebar, the title, the notices), the whole page runs at once instead. Run after the map's part, it would
    leave the browser's sidebar on its old values a moment longer, for the next click on the map to send back."""
    s = st.session_state
    s.view = view.clamp()
    if map_part_only() and outside(s.view) != s.outside:
        st.rerun(scope="app")


def keep_widgets() -> None:
    """Every widget shows the view. Callbacks have already carried any change into the view, and
    Streamlit forgets (or keeps stale) the state of widgets that were not drawn last run."""
    s = st.session_state
    values = widget_values(s.view)
    if s.pop("map_spoke", False):
        # The map may have spoken before the browser drew the page's last run, and Streamlit sends a widget
        # its value only in a run that sets it: a widget the browser first draws from a later run starts
        # from its default. So after a map event every widget is set, and sent, again.
        s.update(values)
        s.update({key: s.get(key, empty) for key, empty in OWN.items()})
    else:  # only what differs: each write is a widget value the page sends the browser again
        s.update({key: value for key, value in values.items() if s.get(key, key) != value})


def from_widget(key: str) -> None:
    """The widget *key* changed: its value goes into the view (only its own: others may hold stale state)."""
    if stale(key):
        return
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
    take(new)


#: The widgets drawn outside the map's part of the page (the sidebar).
SIDEBAR = {"w_lang", "w_scene", "w_presenter", "w_mission", "w_period", "w_mode", "w_colour", "w_flows",
           *(f"w_{key}" for key in FILTERS)}  # fmt: skip


def stale(key: str) -> bool:
    """Whether the widget *key*'s change is only the browser's older value. Every request sends every widget's
    value as the browser has it, maybe before the page's latest change to it has arrived: a mission clicked on
    the map sets the sidebar's mission and the explorer's, a point clicked opens the planner. The user's own
    change of a widget comes alone, and a sidebar widget's runs the whole page. So in a run of the map's part
    alone a sidebar widget's change is stale, and in a run the map started, any other widget's is."""
    return (key in SIDEBAR and map_part_only()) or map_event()


def map_event() -> bool:
    """Whether the browser's map sent the request of this run: its state moved on since the page last took it
    in, or it sent a one-off event (a click on land, a key). A map the last run did not draw said nothing."""
    held = st.session_state.get("map")
    taken = st.session_state.get("map_taken", MAP_STATE)
    return held is not None and (any(held.get(name) is not None for name in MAP_EVENTS) or map_said(held) != taken)


def map_said(held) -> dict:
    """The map's own state (not its one-off events), as the page holds it."""
    return {name: (held or {}).get(name) for name in MAP_STATE}


def keep_own(key: str) -> None:
    """A widget the page sets but no view field holds (the open section, the planner's place): a stale change
    puts back the value the last run left."""
    if stale(key):
        st.session_state[key] = st.session_state.get("left", OWN)[key]


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


def on_scene() -> None:
    if not stale("w_scene"):
        open_scene(st.session_state.w_scene)


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
        take(replace(st.session_state.view, year=int(date[:4]), date=date))


def on_map_period() -> None:
    """A window dragged on the histogram: the period filter."""
    if period := map_state("period"):
        take(replace(st.session_state.view, first=int(period[0]), last=int(period[1])))


def on_map_mission() -> None:
    """A click on a mission selects it: the mission filter, and the explorer when it has a place."""
    mission = map_state("mission")
    take(replace(st.session_state.view, mission=mission, **({"explore": mission} if mission in atlas.placed else {})))


def on_map_camera() -> None:
    """The user's own pan and zoom: into the view, so the link reopens them."""
    if camera := map_state("camera"):
        take(replace(st.session_state.view, camera=tuple(camera)))


def on_map_click() -> None:
    """A click away from the missions: the planner answers for that point."""
    if point := map_state("click"):
        s = st.session_state
        lat, lon = round(float(point["lat"]), 4), round(float(point["lon"]), 4)
        s.w_place, s.w_section = f"{lat}, {lon}", "Planner"
        take(replace(s.view, at=(lat, lon), date=s.view.date or f"{s.view.year}-07-01"))


def on_map_key() -> None:
    """A presentation clicker's PageDown / PageUp while the map has the focus: the next or previous scene."""
    key = map_state("key")
    if key in ("PageDown", "PageUp"):
        step_scene(1 if key == "PageDown" else -1)


def heard(handler):
    """A map callback that notes the map's state as taken in (see map_event) before it acts."""

    def callback() -> None:
        s = st.session_state
        s.map_taken, s.map_spoke = map_said(s.get("map")), True
        handler()

    return callback


#: What the page does when the map says something (each of its names: "on_<name>_change").
MAP_CALLBACKS = {
    name: heard(handler)
    for name, handler in {"date": on_map_date, "period": on_map_period, "mission": on_map_mission,
                          "camera": on_map_camera, "data_version": lambda: None, "webgl": lambda: None,
                          "click": on_map_click, "key": on_map_key}.items()
}  # fmt: skip


def open_case(event_id: str) -> None:
    """A documented case: the map at its year with its target mission; the explorer on its target and date."""
    ranks = atlas.case_ranks
    case = ranks[ranks["event_id"] == event_id].iloc[0]
    target = case["target_mission"]
    base = st.session_state.view
    set_view(replace(atlas.default_view, year=case["start"].year, mission=target, mode="active",
                     presenter=base.presenter, explore=target if target in atlas.placed else base.explore,
                     explore_date=f"{case['start']:%Y-%m-%d}", measure=base.measure))  # fmt: skip
    st.session_state.toast = _("The map above shows {year}: help to {mission}.").format(
        year=case["start"].year, mission=tr.mission_acronym(target)
    )


init_state()
if "next_view" in st.session_state:  # set by the script itself after its widgets were drawn (an upload)
    set_view(st.session_state.pop("next_view"))
keep_widgets()
if st.session_state.view.lang != LANG:  # the language switch changed: say everything again in the new one
    st.rerun()

# --- sidebar: scenes, filters, display ------------------------------------------------------

with st.sidebar:  # every keyed widget here is in SIDEBAR (tests/test_dashboard.py checks it)
    # Each language in its own words, under a label in both: a reader looks for their own.
    st.segmented_control("Language · Langue", LANGUAGES, format_func=LANGUAGE_NAMES.get, required=True,
                         **synced("w_lang"))  # fmt: skip
    st.header(_("Briefing scenes"))
    st.selectbox(_("Scene"), ["", *SCENES], format_func=lambda i: _(SCENES[i].title) if i else _("Free exploration"),
                 key="w_scene", on_change=on_scene)  # fmt: skip
    steps = st.container(horizontal=True, gap="small")  # one block, where two columns were three
    steps.button("◀ " + _("Previous"), on_click=step_scene, args=(-1,), width="stretch")
    steps.button(_("Next") + " ▶", on_click=step_scene, args=(1,), width="stretch")
    st.toggle(_("Presenter mode"), **synced("w_presenter"),
              help=_("Large type, full-width map, no tables or controls."))  # fmt: skip

    st.header(_("Filters"))
    for key, title in (("surge", N_("Surge type")), ("asset", N_("Asset")), ("region", N_("Region")),
                       ("confidence", N_("Confidence"))):  # fmt: skip
        st.multiselect(_(title), FILTERS[key], format_func=tr.label, placeholder=_("All"), **synced(f"w_{key}"))
    st.selectbox(_("Mission (as source or target)"), ["", *ACRONYMS], **synced("w_mission"),
                 format_func=lambda a: tr.mission_acronym(a) if a else _("All missions"))  # fmt: skip
    st.slider(_("Period"), *atlas.bounds, **synced("w_period"))

    st.header(_("Display"))
    st.radio(_("Show transfers"), vocab.MODES, format_func=tr.label, **synced("w_mode"))
    st.radio(_("Colour arcs by"), vocab.COLOUR_BY, format_func=tr.label, horizontal=True, **synced("w_colour"))
    st.toggle(_("One arc per pair of missions"), help=_("Merge the transfers between two missions into one arc with "
              "their total people and items."), **synced("w_flows"))  # fmt: skip

view: View = st.session_state.view
presenter = view.presenter
scene = SCENES.get(view.scene) if view.scene else None

# --- header -------------------------------------------------------------------------------

#: On a phone the map comes first: the words about it move below (CSS order in the page's flex column).
PHONE_CSS = "@media (max-width: 700px){*:has(> .st-key-intro),.st-key-intro{order:20} h1{font-size:1.5rem!important}}"

if presenter:
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header{display:none}"
        ".block-container{padding-top:1rem;padding-bottom:0;max-width:100%}"
        "h1{font-size:2.6rem!important} .stMarkdown p{font-size:1.35rem}"
        # A 1366x768 projector: a smaller title keeps a long one (in French) on one line, and the map taller.
        "@media (max-height: 800px){h1{font-size:2.1rem!important} .stMarkdown p{font-size:1.2rem}}"
        # On a phone the scene buttons keep one row: icons only (the words stay for screen readers).
        "@media (max-width: 700px){.st-key-scene-buttons{flex-wrap:nowrap} .st-key-scene-buttons kbd{display:none}"
        " .st-key-scene-buttons [data-has-shortcut='true'] [data-testid='stMarkdownContainer']{position:absolute;"
        "width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)} .st-key-scene-buttons p{font-size:0.9rem}"
        " h1{font-size:1.5rem!important}}" + PHONE_CSS + "</style>",
        unsafe_allow_html=True,
    )
else:  # keep the map above the fold on a 1080p projector: less blank space over a smaller title
    st.markdown(
        "<style>.block-container{padding-top:2.5rem} h1{font-size:2.2rem!important}" + PHONE_CSS + "</style>",
        unsafe_allow_html=True,
    )
if st.session_state.get("toast"):
    st.toast(st.session_state.pop("toast"), icon=":material/map:")
# A link's notices stay until the view moves on (the map's own start-up reruns must not wipe them).
for notice in st.session_state.notices if st.session_state.view == st.session_state.opened else ():
    st.warning(tr.message(notice), icon=":material/warning:")
for warning in atlas.warnings:
    st.warning(tr.message(warning), icon=":material/warning:")
if atlas.origin:
    st.info(_("Your own data, in this tab only: {notes}.").format(notes="; ".join(map(tr.message, atlas.origin))),
            icon=":material/description:")  # fmt: skip

st.title(atlas.title(view))
with st.container(key="intro"):
    if scene:
        st.write(_(scene.caption))
        if not presenter:
            st.caption(_("Sources: {sources}").format(sources="; ".join(scene.sources)))
    else:
        st.caption(
            _("{missions} missions and support centres · {transfers} transfers in {cases} cases · {shown} match "
              "the filters").format(missions=tr.format_number(len(atlas.missions)),
                                    transfers=tr.format_number(len(atlas.transfers)),
                                    cases=tr.format_number(atlas.case_count),
                                    shown=tr.format_number(len(atlas.selected(view))))
        )  # fmt: skip
    if not presenter:
        row = st.container(horizontal=True, vertical_alignment="center")  # one block, where columns were three
        row.markdown(_(INTRO), width="stretch")
        row.button(_("About the data") + " →", type="tertiary", on_click=st.session_state.update,
                   kwargs={"w_section": "About the data"})  # fmt: skip

# --- presenter: scene buttons above the map (the map has its own Play, steps, speed and loop) ------

if presenter:
    # One row, even on a phone (columns would stack and push the map's controls below the screen).
    row = st.container(horizontal=True, key="scene-buttons")
    # A presentation clicker sends PageDown / PageUp: they step the scenes wherever the focus is.
    row.button(_("Previous scene"), icon=":material/skip_previous:", on_click=step_scene, args=(-1,),
               shortcut="PageUp")  # fmt: skip
    row.button(_("Next scene"), icon=":material/skip_next:", on_click=step_scene, args=(1,), shortcut="PageDown")
    row.button(_("Exit presenter mode"), on_click=lambda: set_view(replace(st.session_state.view, presenter=False)))


def number_columns() -> dict:
    """How every table on the page names and formats its columns (Streamlit skips the ones a table lacks)."""
    number, date = st.column_config.NumberColumn, st.column_config.DateColumn
    names, helps = tables.column_names(tr), tables.column_help(tr)
    config: dict = dict(names)
    for column in ("start", "end"):
        config[column] = date(names[column], format="YYYY-MM-DD")
    for column, fmt in tables.NUMBER_FORMATS.items():
        config[column] = number(names[column], format=fmt, help=helps.get(column))
    for column in tables.UNREACHABLE:  # words where the estimate does not apply
        config[column] = st.column_config.TextColumn(names[column])
    return config


def show_table(frame: pd.DataFrame, **overrides) -> None:
    st.dataframe(tables.display(frame, tr), hide_index=True, width="stretch",
                 column_config=number_columns() | overrides)  # fmt: skip


def download(label: str, frame: pd.DataFrame, file_name: str) -> None:
    st.download_button(label, lambda: tables.csv_bytes(frame, tr=tr), file_name=file_name, mime="text/csv")


def browser_map() -> None:
    """The map, its caption, and what it shows as a table: the browser plays it, the page follows its date."""
    view = st.session_state.view
    moment = replace(view, date=webmap.view_date(view, transfers=atlas.selected(view)))  # the map's day
    frame = atlas.frame(moment, label_size=16 if presenter else 12)
    line = html.escape(frame.caption)
    st.markdown(f"**{line}**" if not presenter else f"### {line}")
    held = st.session_state.get("map") or {}  # what the browser said (read once: each read decodes it)
    still = None
    if held.get("webgl") is False:  # only then: a PNG costs a second and about 100 kB
        still = (
            "data:image/png;base64," + base64.b64encode(export_bytes(atlas.data_version, "png", view, atlas)).decode()
        )
    assets = PUBLISHED.get(str(DATA)) or map_assets(str(DATA))
    MAP(
        key="map",
        data=webmap.component_data(atlas, moment, assets, held.get("data_version"), frame=frame,
                                   height="fit" if presenter else 560, label_size=16 if presenter else 12,
                                   fallback_png=still),
        default=MAP_STATE,
        **{f"on_{name}_change": callback for name, callback in MAP_CALLBACKS.items()},
    )  # fmt: skip
    if frame.shown.empty:
        st.info(_("No transfers match these filters at this time. Widen the filters or move the year."))
    elif not presenter and st.toggle(
        tr.ngettext("Show the {n} transfer on the map as a table", "Show the {n} transfers on the map as a table",
                    len(frame.shown)).format(n=tr.format_number(len(frame.shown))),
        key="w_table",
    ):  # fmt: skip
        show_table(frame.shown[tables.TRANSFER_TABLE])
        download(_("Download these transfers (CSV)"), frame.shown[tables.TRANSFER_TABLE],
                 f"imcgeo-transfers-{view.year}.csv")  # fmt: skip
    if view.mission and not presenter:
        totals = planner.mission_totals(frame.selected)
        mine = totals[totals["mission"] == view.mission]
        if len(mine):
            gave, got = mine.iloc[0][["gave_transfers", "received_transfers"]].fillna(0).astype(int)
            words = _("{mission} gave {gave} and received {got} of the transfers that pass the filters "
                      "(people and items: sums of the numbers the sources give).")  # fmt: skip
            st.caption(words.format(mission=tr.mission_acronym(view.mission), gave=tr.format_number(gave),
                                    got=tr.format_number(got)))  # fmt: skip
            show_table(mine.drop(columns="mission"))
    query = to_query(view)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


# --- below the map: proximity explorer, export, missions, data --------------------------------


PLAN_RANKS = {
    "travel": N_("Fastest estimated travel"),
    "site": N_("Nearest site"),
    "hq": N_("Nearest headquarters"),
    "strength": N_("Largest uniformed strength"),
}


def planner_panel(view: View) -> None:
    st.markdown(_(
        "A crisis breaks out somewhere: which missions could send help, how fast, and with what? Type a place "
        "(any spelling: *Tombouctou*, *Timbuktu*) or coordinates (*9.53, 31.66*), or click it on the map, and a "
        "date."
    ))  # fmt: skip
    p1, p2 = st.columns([2, 1])
    text = p1.text_input(_("Place or coordinates"), key="w_place", on_change=keep_own, args=("w_place",),
                         placeholder=_("Goma, Tombouctou, 9.53, 31.66…"))  # fmt: skip
    p2.date_input(_("On"), min_value=dt.date(atlas.bounds[0], 1, 1), max_value=dt.date.today(), format=DATE_INPUT,
                  **synced("w_plan_date"))  # fmt: skip
    if text.strip():
        try:
            found = places.resolve(text, gazetteer())
        except places.PlaceNotFound as error:
            st.warning(error.text(tr), icon=":material/search_off:")
            found = None
        except places.PointError as error:
            st.warning(error.text(tr), icon=":material/location_off:")
            found = None
        if isinstance(found, list):
            choice = st.radio(_("Several places are called {name}: which one?").format(name=repr(text.strip())), found,
                              format_func=lambda place: place.choice_text(tr=tr), key="w_place_choice")  # fmt: skip
            found = choice
        if found is not None and (round(found.lat, 4), round(found.lon, 4)) != view.at:
            place_view(found.lat, found.lon)
            st.rerun()
    current = st.session_state.view
    if current.at is None:
        st.info(_("No place yet: type one above (or open a link with ?at=lat,lon&date=YYYY-MM-DD)."))
        return
    s1, s2, s3, s4 = st.columns([1.3, 1.3, 1, 1])
    s1.selectbox(_("Rank by"), list(PLAN_RANKS), format_func=lambda k: _(PLAN_RANKS[k]), **synced("w_plan_rank"))
    s2.multiselect(_("With units"), list(planner.NEEDS), format_func=lambda n: _(planner.NEEDS[n]),
                   disabled=atlas.units is None,
                   help=_("Unit types at the missions' sites come from a Geo-PKO file: load one in Your data.")
                   if atlas.units is None else _("Only missions with such units at a site (Geo-PKO)"),
                   **synced("w_plan_needs"))  # fmt: skip
    s3.number_input(_("Within hours (0: any)"), min_value=0.0, step=1.0, **synced("w_plan_within_h"))
    s4.number_input(_("Within km (0: any)"), min_value=0.0, step=100.0, **synced("w_plan_within_km"))
    plan = atlas.plan(current)
    st.markdown(
        "**" + _("Around {lat}, {lon} on {date}").format(lat=tr.format_number(current.at[0], 2),
                                                         lon=tr.format_number(current.at[1], 2),
                                                         date=tr.format_date(plan.date)) + "**: "
        + tr.ngettext("{n} of {candidates} mission active then", "{n} of {candidates} missions active then",
                      plan.candidates).format(n=tr.format_number(len(plan.table)),
                                              candidates=tr.format_number(plan.candidates))
        + " " + _("(the map shows rings of 500, 1,000 and 2,000 km and circles the best five).")
    )  # fmt: skip
    if plan.table.empty:
        st.info(_("No mission matches these settings on that date. Widen them or change the date."))
    else:
        show_table(plan.table.drop(columns=["name"], errors="ignore"))
        download(_("Download this plan (CSV)"), plan.table, f"imcgeo-plan-{plan.date:%Y-%m-%d}.csv")
    for caveat in plan.caveats:
        st.caption(caveat)
    st.caption(_("Travel times are estimates from these assumptions (data/travel.toml): {assumptions}").format(
        assumptions=" · ".join(plan.assumptions)))  # fmt: skip
    st.caption(_("This page's address reopens this plan: copy it to share."))
    st.button(_("Clear the place"), on_click=clear_place)


def clear_place() -> None:
    st.session_state.w_place = ""
    set_view(replace(st.session_state.view, at=None, plan=()))


def explorer_panel(view: View) -> None:
    st.markdown(_("Which missions were close enough to help? Pick a mission and a date."))
    e1, e2, e3 = st.columns([1.2, 1, 1.4])
    target = e1.selectbox(_("Mission"), atlas.placed, format_func=tr.mission_acronym, **synced("w_explore"))
    when = e2.date_input(_("On"), min_value=dt.date(atlas.bounds[0], 1, 1), max_value=dt.date.today(),
                         format=DATE_INPUT, **synced("w_explore_date"))  # fmt: skip
    measure = e3.radio(_("Rank by"), vocab.MEASURES, format_func=tr.label, **synced("w_measure"))
    row = atlas.mission(target)
    if pd.Timestamp(when) < row["start"] or (pd.notna(row["end"]) and pd.Timestamp(when) > row["end"]):
        span = tr.format_period(row["start"], None if pd.isna(row["end"]) else row["end"], "month")
        st.info(_("{mission} was not active on {date} ({span}); ranked as if it were.").format(
            mission=tr.mission_acronym(target), date=tr.format_date(when), span=span))  # fmt: skip
    st.checkbox(_("Show rings (500, 1,000, 2,000 km) and the five nearest on the map, centred on the mission"),
                **synced("w_rings"))  # fmt: skip
    table = atlas.helpers(target, when, k=None, measure=measure, lang=LANG)
    if table.empty:
        st.info(_("No other mission was active on {date}.").format(date=tr.format_date(when)))
    else:
        show_table(table.drop(columns=["name"]))
        download(_("Download this ranking (CSV)"), table, f"imcgeo-helpers-{target}-{when:%Y-%m-%d}.csv")
        st.caption(_("Travel times are estimates from these assumptions (data/travel.toml): {assumptions}").format(
            assumptions=" · ".join(atlas.assumptions.describe(tr=tr))))  # fmt: skip

    st.subheader(_("Did help come from the nearest missions?"))
    table, far, text = atlas.finding(lang=LANG)
    st.markdown(text)
    with st.expander(_("By decade, with and without hand-overs and re-hatting, against chance")):
        show_table(findings.share_words(table, tr=tr))
        st.caption(_("p: the share of 10,000 random draws (a helper picked at random among the missions active at "
                     "the time) that did as well or better. Help from far away:"))  # fmt: skip
        show_table(far)
    ranks = atlas.case_ranks
    events = ranks["event_id"].unique().tolist()
    if not events:
        st.info(_("There are no transfers to rank."))
        return
    start = events.index("2010-unoci-election-support") if "2010-unoci-election-support" in events else 0
    event = st.selectbox(_("A historical case"), events, index=start)
    st.button(
        _("Show this case on the map and rank its helpers above"),
        on_click=open_case,
        args=(event,),
        help=_("The map moves to the case's year with its mission; the ranking above takes its mission and date."),
    )
    show_table(ranks[ranks["event_id"] == event], event_id=None)
    by_capacity = atlas.capacity_ranks(event, lang=LANG)
    if len(by_capacity):
        known = int(by_capacity["with_strength"].max())
        st.caption(_("By capacity: the helper's rank by uniformed strength among the {n} missions with a strength "
                     "figure for the date (empty: no figure; strength is not spare capacity).").format(
            n=tr.format_number(known)))  # fmt: skip
        show_table(by_capacity[["source_mission", "rank_travel", "rank_strength", "with_strength"]])
    download(_("Download the ranks of every case (CSV)"), ranks, "imcgeo-event-ranks.csv")


COMMAND_LANG = f" --lang {LANG}" if LANG != "en" else ""
DRAWING = _("Drawing… {share}")


def export_panel(view: View) -> None:
    years = view.last - view.first + 1
    st.markdown(
        _("The current view — {title}, {first}–{last}, shown at {year} — for slides and rooms with no internet. "
          "The same files come from the command line: {command} with the same options.").format(
            title=html.escape(atlas.title(view)), first=view.first, last=view.last, year=view.year,
            command=f"`python -m imcgeo export --format gif --out timeline.gif{COMMAND_LANG}`")
    )  # fmt: skip
    x1, x2, x3 = st.columns(3)
    files = (("png", N_("PNG still, 1920×1080"), "image/png"), ("html", N_("Offline HTML (works with no network)"),
             "text/html"), ("csv", N_("CSV of the filtered transfers"), "text/csv"))  # fmt: skip
    for column, (fmt, label, mime) in zip((x1, x2, x3), files):
        column.download_button(_(label), export_bytes(atlas.data_version, fmt, view, atlas),
                               file_name=f"imcgeo-{view.year}.{fmt}", mime=mime, width="stretch")  # fmt: skip
    for fmt, label, mime in (("gif", N_("Animated GIF"), "image/gif"), ("mp4", N_("MP4 video"), "video/mp4")):
        made = st.session_state.get(f"made_{fmt}")
        if made and made[0] == (atlas.data_version, view):
            ready = tr.ngettext("{file}, {n} year", "{file}, {n} years", years).format(file=_(label), n=years)
            st.download_button(ready, made[1], file_name=f"imcgeo-timeline.{fmt}", mime=mime, type="primary")
            continue
        make = tr.ngettext("Make the {file} ({n} year, 2 frames a year)",
                           "Make the {file} ({n} years, 2 frames a year)", years)  # fmt: skip
        if st.button(make.format(file=_(label), n=years)):
            bar = st.progress(0.0, text=_("Drawing frames…"))

            def progress(x: float, bar=bar) -> None:
                bar.progress(x, DRAWING.format(share=tr.format_percent(x)))

            payload = export(fmt, atlas, view, progress=progress)
            bar.empty()
            st.session_state[f"made_{fmt}"] = ((atlas.data_version, view), payload)
            st.rerun()


def missions_panel(view: View) -> None:
    status = atlas.frame(view).status
    details = atlas.missions.drop(columns="geometry").assign(status_in_year=status)
    hosts = ["; ".join(tr.country_name(c) for c in host_codes(cell)) for cell in details["host_iso3"]]
    details.insert(details.columns.get_loc("host_iso3"), "hosts", hosts)
    when = pd.Timestamp(view.date or f"{view.year}-07-01")
    strength = atlas.strength_on(when)
    if strength is not None and not strength.empty:
        known = strength.set_index("mission")
        for column in ("troops", "police", "military_observers", "total", "date"):
            if column in known:
                details["strength_date" if column == "date" else column] = details["acronym"].map(known[column])
        st.caption(_("Uniformed strength: the latest figure of the year up to {date} where one is known "
                     "(data/README.md says which; empty: not known). Strength is not spare capacity.").format(
            date=tr.format_date(when)))  # fmt: skip
    show_table(details, end=st.column_config.DateColumn(_("End"), format="YYYY-MM-DD",
               help=_("Empty: still active, or not confirmed")),
               status_in_year=_("Status in {year}").format(year=view.year))  # fmt: skip
    download(_("Download missions (CSV)"), details, "imcgeo-missions.csv")


def about_panel(view: View) -> None:
    st.markdown(_(
        "Every row of data cites a source a reader can look up: Security Council resolutions, reports of the "
        "Secretary-General, dated UN press releases and news items. Rows marked *partial* infer some detail (the "
        "description says which). Missions that no source names are shown as *unnamed* placeholders, with arcs "
        "that start at an indicative point. The data dictionary is `data/README.md` in the repository."
    ) + "\n\n" + _("Boundaries shown do not imply endorsement by the United Nations."))  # fmt: skip
    st.caption(credits.credits_line(strength=atlas.strength is not None, tr=tr))
    licences = credits.licences(tr)
    st.dataframe(licences, hide_index=True, width="stretch",
                 column_config={"file": _("File"), "source": _("Source"), "licence": _("Licence"),
                                "credit": _("Credit")})  # fmt: skip
    st.caption(_("The code is under the MIT licence (LICENSE in the repository)."))
    download(_("Download all transfers (CSV)"), atlas.transfers, "imcgeo-transfers.csv")


#: What each kind of upload is called on the page.
UPLOAD_NAMES = {"missions": (N_("Template: missions.csv"), N_("Your missions (CSV)")),
                "transfers": (N_("Template: transfers.csv"), N_("Your transfers (CSV)")),
                "sites": (N_("Template: sites.csv"), N_("Your deployment sites (CSV)"))}  # fmt: skip
UPLOAD_HOW = {"merge": N_("with the shipped data"), "replace": N_("instead of the shipped data")}


def upload_panel(view: View) -> None:
    st.markdown(_(
        "Load your own **missions**, **transfers** or **deployment sites** (CSV) for this browser tab only: "
        "nothing is saved, and nobody else sees them. Start from a template: it has the right columns and two "
        "real rows. The columns are explained in the data dictionary (`data/README.md`); dates may be written "
        "2010-01-12, 12 January 2010 or January 2010; UTF-8 or Latin-1, with `,` `;` or tab between fields; "
        "at most {mb} MB a file. Every problem is listed with its row, column and fix."
    ).format(mb=MAX_BYTES // 2**20))  # fmt: skip
    base = load_atlas(str(DATA))
    for column, kind in zip(st.columns(3), KINDS):
        if kind != "sites" or base.sites is not None:
            column.download_button(_(UPLOAD_NAMES[kind][0]), template(kind, base), file_name=f"{kind}-template.csv",
                                   mime="text/csv", width="stretch")  # fmt: skip
    uploads = {kind: st.file_uploader(_(UPLOAD_NAMES[kind][1]), type=["csv", "txt", "tsv"], key=f"w_upload_{kind}")
               for kind in KINDS}  # fmt: skip
    mode = st.radio(_("Use them"), UPLOAD_MODES, horizontal=True, key="w_upload_mode",
                    format_func=lambda m: _(UPLOAD_HOW[m]))  # fmt: skip
    chosen = {kind: f for kind, f in uploads.items() if f is not None}
    too_big = [safe_name(f.name) for f in chosen.values() if f.size > MAX_BYTES]
    if too_big:
        st.error(_("Over the {mb} MB limit, not read: {files}. Split the file or keep only the rows you need.").format(
            mb=MAX_BYTES // 2**20, files=", ".join(too_big)))  # fmt: skip
    elif chosen and st.button(_("Use these files"), type="primary"):
        files = {kind: (safe_name(f.name), f.getvalue()) for kind, f in chosen.items()}
        try:
            with st.spinner(_("Checking your files…")):
                st.session_state.custom = Atlas.from_files(**files, mode=mode, base=base).warm()
            st.session_state.next_view = replace(view, mission=None, scene=None)
            st.rerun()
        except DataValidationError as exc:
            st.error(tr.ngettext("{file}: {n} problem; nothing was loaded. Fix it and upload again.",
                                 "{file}: {n} problems; nothing was loaded. Fix them and upload again.",
                                 len(exc.problems)).format(file=exc.file, n=len(exc.problems)))  # fmt: skip
            st.dataframe(pd.DataFrame([{"row": p.row, "column": p.column, "problem": p.message_text(tr),
                                        "fix": p.fix_text(tr)} for p in exc.problems]), hide_index=True,
                         width="stretch", column_config={"row": _("Row"), "column": _("Column"),
                                                         "problem": _("Problem"), "fix": _("Fix")})  # fmt: skip
    if st.session_state.get("custom"):
        st.button(_("Back to the shipped data"), on_click=lambda: st.session_state.pop("custom", None))


PANELS = {
    "Planner": planner_panel,
    "Proximity explorer": explorer_panel,
    "Export": export_panel,
    "Missions": missions_panel,
    "About the data": about_panel,
    "Your data": upload_panel,
}


def outside(view: View) -> tuple:
    """What the page shows around the map's fragment for *view* (sidebar, title, notices, data): if
    any of it changes, the whole page runs again."""
    s = st.session_state
    return (view.lang, view.scene, view.presenter, view.filters, view.mission, view.first, view.last, view.mode,
            view.colour, view.flows, view == s.opened, id(s.get("custom")))  # fmt: skip


@st.fragment
def map_and_sections() -> None:
    """The map and the section under it. The map's own events (a Pause, a pan, its start-up) and the
    sections' widgets rerun only this part: the sidebar and the header stay as they are."""
    s = st.session_state
    alone = not s.pop("whole_run", False)  # a rerun of this part alone
    if alone:
        keep_widgets()
    with panel("map"):
        browser_map()
    if not s.view.presenter:
        section = st.segmented_control(_("More"), SECTIONS, key="w_section", help=_("Open one section below the map"),
                                       on_change=keep_own, args=("w_section",),
                                       format_func=lambda n: _(SECTION_NAMES[n]))  # fmt: skip
        if section:
            with panel(section):
                PANELS[section](s.view)
    # What this run leaves: the page's own widgets (for keep_own) and what the map had said (for map_event).
    s.left, s.map_taken = {key: s.get(key, empty) for key, empty in OWN.items()}, map_said(s.get("map"))
    # Only once this part's widgets are drawn: a rerun called before them can lose their state
    # (streamlit/streamlit#11266).
    if alone and outside(s.view) != s.outside:
        st.rerun(scope="app")  # the sidebar, the title or the notices must follow too


st.session_state.outside, st.session_state.whole_run = outside(view), True
map_and_sections()
