"""The map that runs in the browser: what it needs from an ``Atlas`` and a ``View``, and the offline file.

The browser code lives in ``imcgeo/web/`` (``map.js``, ``map.css``): one map, mounted by the page
as a Streamlit component and inlined whole into the offline HTML file. This module builds what
that code reads:

- ``data_payload``: everything that changes only with the data (missions, transfers with their
  positions, dates, colours for both colour keys, widths and text tooltips, the pydeck layer
  styles). The page sends it once per ``atlas.data_version``.
- ``view_payload``: the small part a rerun sends (date, period, mode, colour key, the transfers
  passing the filters, camera, highlighted mission, and the frame's other layers: the explorer's
  and the planner's rings, helpers and place, as pydeck JSON).
- ``publish``: the files the browser caches (deck.gl, the map, the outlines), written into the
  app's ``static/`` folder.
- ``offline_html``: the same map as one file, deck.gl inlined, zero requests.

Dates travel as whole days since 1970-01-01 (UTC); positions as ``[lon, lat]``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import tempfile
import time
import weakref
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pydeck

from imcgeo import labelling, layers, timeline
from imcgeo.credits import credits_line
from imcgeo.deckjson import offline_deck
from imcgeo.encoding import (
    ASSET_RGB,
    HOST_TONES,
    LAND_TONES,
    SOURCE_ALPHA,
    SURGE_RGB,
    TARGET_ALPHA,
    legend,
    mission_style,
)
from imcgeo.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Nn_, Translator
from imcgeo.view import View
from imcgeo.vocab import ASSETS, SURGES

__all__ = [
    "ASSET_DIR",
    "COMPONENT_NAME",
    "DECK_JS",
    "LOADER_JS",
    "Assets",
    "component_data",
    "data_payload",
    "map_words",
    "offline_html",
    "payload_version",
    "publish",
    "scene_fit",
    "view_date",
    "view_payload",
]

#: The browser code: map.js, map.css, the component's loader and the vendored deck.gl extensions.
ASSET_DIR = Path(__file__).parent / "web"
#: The deck.gl bundle shipped inside the pydeck wheel (the one pydeck's own offline HTML inlines).
DECK_JS = Path(pydeck.__file__).parent / "nbextension" / "static" / "index.js"
EXTENSIONS_JS = ASSET_DIR / "vendor" / "deck.gl-extensions-9.3.6.min.js"
#: The component's own script: small, because Streamlit sends it with every rerun.
LOADER_JS = (ASSET_DIR / "loader.js").read_text(encoding="utf-8")
#: The name the page registers the component under.
COMPONENT_NAME = "imcgeo_map"
_EPOCH = pd.Timestamp("1970-01-01")
#: Days an arc takes to travel from source to target when its transfer begins (map.js GROW_DAYS).
GROW_DAYS = 75
#: How old (seconds) a published file of another version must be before ``publish`` removes it.
STALE_SECONDS = 3600
#: The frame's layers the browser builds itself, over time; any other layer is drawn as sent.
ANIMATED = ("countries", "missions", "transfers", "transfers-unnamed", "unnamed-points", "labels")


#: Every fixed text map.js shows (its T(), say() and btn() calls and SPEEDS), in English: the
#: data payload carries their translations (``map_words``). tests/test_webmap.py fails when
#: map.js shows a text that is not listed here.
MAP_TEXTS = (
    N_("animated map"),
    N_("Map of transfers between missions. Space plays or pauses, arrows step a month."),
    N_("Legend"),
    N_("Playback"),
    N_("Jump to the start"),
    N_("Step back one month"),
    N_("Play"),
    N_("Pause"),
    N_("Step forward one month"),
    N_("Jump to the end"),
    N_("Speed"),
    N_("Playback speed"),
    N_("1 month a second"),
    N_("3 months a second"),
    N_("6 months a second"),
    N_("1 year a second"),
    N_("3 years a second"),
    N_("Loop playback"),
    N_("Loop"),
    N_("Date"),
    N_("Transfers under way per month; drag to set the period, click to jump to a date"),
    N_("This browser cannot start WebGL, so the animated map is not available."),
    N_("The map could not start:"),
    N_("A still picture of this view follows."),
    N_("The map"),
    N_("{n} troops"),
    N_("{n} police"),
    N_("{n} military observers"),
    N_("{n} uniformed"),
    N_("Strength on {date}: {figures} (UN figures)"),
    N_("Active on {date}"),
    N_("Not yet started on {date}"),
    N_("Ended on {date}"),
    N_("{when}: no transfers under way with these filters."),
    N_("{when}: no transfers so far with these filters."),
    N_("{n} to {mission} ({surge})"),
    N_("{when}: {what}"),
    N_("Faint → strong: source → target; wider: more people or items"),
    N_("● active  ○ not yet started  ◌ ended  ◎ service centre"),
    N_("{mission}: arcs received drawn bright, arcs lent outlined in black"),
    N_("grey ring: missions no source names, at an indicative place"),
    N_("near-black rings: 500, 1,000 and 2,000 km; circled: the five nearest missions"),
)
#: map.js's counted texts (its plural() calls): the singular and the plural, chosen in the browser by
#: the language's rule.
MAP_PLURALS = (
    Nn_("{n} transfer under way", "{n} transfers under way"),
    Nn_("{n} transfer", "{n} transfers"),
)


def map_words(tr: Translator) -> dict:
    """What map.js needs to speak *tr*'s language: its texts, month names and the vocabulary's words.

    >>> from imcgeo.i18n import translator
    >>> words = map_words(translator("fr"))
    >>> words["lang"], words["months"][0], words["labels"]["natural-disaster"]
    ('fr', 'janv.', 'Catastrophe naturelle')
    """
    text = {english: tr.gettext(english) for english in MAP_TEXTS}
    for singular, plural in MAP_PLURALS:
        text[singular] = tr.ngettext(singular, plural, 1)
        text[plural] = tr.ngettext(singular, plural, 2)
    return {
        "lang": tr.lang,
        "months": tr.month_names(),
        "text": {english: said for english, said in text.items() if said != english},
        "labels": {code: tr.label(code) for code in (*SURGES, *ASSETS)},
    }


def payload_version(atlas, lang: str = DEFAULT_LANGUAGE) -> str:
    """What identifies a data payload: the data's version, and the language of its words."""
    return atlas.data_version if lang == DEFAULT_LANGUAGE else f"{atlas.data_version}-{lang}"


def _day(when) -> int | None:
    """Whole days since 1970-01-01 of a timestamp (None for NaT)."""
    return None if pd.isna(when) else int((pd.Timestamp(when) - _EPOCH).days)


def data_payload(atlas, outlines_url: str | None = None, lang: str = DEFAULT_LANGUAGE) -> dict:
    """Everything the browser map needs that changes only with the data (sent once per data version).

    Transfers without a drawable source or target (no place for either mission) are left out.
    *outlines_url* is where the browser fetches the outlines (``publish``); the offline file
    inlines them instead. Tooltips, legend and the map's own words are in *lang*.
    """
    tr = atlas.translator(lang)
    missions = atlas.missions
    first_year, last_year = atlas.bounds
    records = {}
    starts = atlas.transfers["start"].dt.year
    # Placeholder sources sit at the centre of the missions active in the start year: one call per year.
    for year in sorted(starts.unique()):
        subset = atlas.transfers[starts == year]
        records.update(layers.arc_records(subset, missions, "surge", year=int(year), largest=atlas.largest, tr=tr))
    transfers = atlas.transfers.loc[list(records)]
    year_end = pd.to_datetime(transfers["start"].dt.year.astype(str) + "-12-31")
    end = transfers["end"].fillna(year_end)
    placed = missions["hq_lat"].notna()
    mission_tips = [layers.mission_tooltip(rec, tr=tr) for rec in missions.to_dict("records")]
    kinds = {"point": "peacekeeping", "service-centre": "service-centre"}
    return {
        "version": payload_version(atlas, lang),
        "words": map_words(tr),
        "t0": _day(pd.Timestamp(first_year, 1, 1)),
        "t1": _day(pd.Timestamp(last_year, 12, 31)),
        "outlines_url": outlines_url,
        "missions": {
            "acronym": missions["acronym"].tolist(),
            "shown": [tr.mission_acronym(a) for a in missions["acronym"]],
            "position": [
                [round(float(lon), 3), round(float(lat), 3)] if ok else None
                for lon, lat, ok in zip(missions["hq_lon"], missions["hq_lat"], placed)
            ],
            "start": [_day(v) for v in missions["start"]],
            "end": [_day(v) for v in missions["end"]],
            "style": ["service-centre" if k == "service-centre" else "point" for k in missions["kind"]],
            "hosts": [[c.strip() for c in str(cell).split(";") if c.strip()] for cell in missions["host_iso3"]],
            "tooltip": mission_tips,
        },
        "styles": {
            key: {status: mission_style(kind, status) for status in ("active", "future", "ended")}
            for key, kind in kinds.items()
        },
        "transfers": {
            "id": [int(i) for i in transfers.index],
            "event_id": transfers["event_id"].tolist(),
            "src": transfers["source_mission"].tolist(),
            "dst": transfers["target_mission"].tolist(),
            "from": [records[i]["from"] for i in transfers.index],
            "to": [records[i]["to"] for i in transfers.index],
            "start": [_day(v) for v in transfers["start"]],
            "end": [_day(v) for v in end],
            "surge": transfers["surge"].tolist(),
            "asset": transfers["asset"].tolist(),
            "w": [records[i]["w"] for i in transfers.index],
            "tooltip": [records[i]["tooltip"] for i in transfers.index],
            "unnamed": [records[i].get("unnamed", "") for i in transfers.index],
        },
        "colours": {
            "surge": {k: list(v) for k, v in SURGE_RGB.items()},
            "asset": {k: list(v) for k, v in ASSET_RGB.items()},
        },
        "legend": {key: [[text, list(rgb)] for text, rgb in legend(key, tr)] for key in ("surge", "asset")},
        "legend_keys": {"surge": list(SURGE_RGB), "asset": list(ASSET_RGB)},
        "legend_titles": {key: tr.label(key) for key in ("surge", "asset")},
        "alpha": [SOURCE_ALPHA, TARGET_ALPHA],
        "tones": {"land": [list(t) for t in LAND_TONES], "host": [list(t) for t in HOST_TONES]},
        "layers": layer_styles(atlas),
        "strength": _strength_series(atlas),
    }


def _strength_series(atlas) -> dict[str, list]:
    """Uniformed strength by mission, oldest first: [day, total, troops, police, military observers] (None: unknown)."""
    if atlas.strength is None or atlas.strength.empty:
        return {}
    columns = ["total", "troops", "police", "military_observers"]
    table = atlas.strength.sort_values("date", kind="stable")
    return {
        mission: [[_day(row["date"]), *(None if pd.isna(row.get(c)) else int(row[c]) for c in columns)]
                  for row in group.to_dict("records")]
        for mission, group in table.groupby("mission", sort=True)
    }  # fmt: skip


def layer_styles(atlas) -> dict[str, dict]:
    """The pydeck JSON of the layers the browser animates, without data: the styles stay defined in Python."""
    built = [
        layers.countries_layer({"features": []}),
        layers.points_layer([]),
        layers.arcs_layer([]),
        layers.labels_layer(set(), atlas.missions),
    ]
    spec = json.loads(offline_deck(built).to_json())
    out = {}
    for layer in spec["layers"]:
        layer["data"] = []
        out[layer["id"]] = layer
    return out


def view_date(view: View, today: pd.Timestamp | None = None, transfers: pd.DataFrame | None = None) -> str:
    """The moment the map opens on: the view's date, else a day of its year (never after today).

    Showing transfers under way (``active``), a year opens on its busiest day, the last day with
    the most of *transfers* (the view's selection) under way and their arcs drawn whole, so a scene
    about a year shows its story; otherwise on the last day of the year, when everything so far is
    on the map.
    """
    if view.date:
        return view.date
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    last = min(pd.Timestamp(view.year, 12, 31), max(today, pd.Timestamp(view.year, 1, 1)))
    if view.mode == "active" and transfers is not None and len(transfers):
        # Days when an arc has just finished travelling (or has ended, if sooner): the picture is whole then.
        ends = transfers["end"].fillna(pd.to_datetime(transfers["start"].dt.year.astype(str) + "-12-31"))
        grown = pd.concat([transfers["start"] + pd.Timedelta(days=GROW_DAYS), ends], axis=1).min(axis=1)
        grown = grown[(grown.dt.year == view.year) & (grown <= last)]
        candidates = sorted({pd.Timestamp(view.year, 1, 1), *grown})
        counts = [len(timeline.transfers_on(transfers, day, "active")) for day in candidates]
        if max(counts):  # the last such day: by then every one of those arcs has arrived
            return candidates[len(counts) - 1 - counts[::-1].index(max(counts))].strftime("%Y-%m-%d")
    return last.strftime("%Y-%m-%d")


def view_payload(
    atlas,
    view: View,
    *,
    frame=None,
    height: int | str = 560,
    label_size: int = 12,
    fallback_png: str | None = None,
    overlay: bool = False,
) -> dict:
    """What one rerun sends the browser map: a few kilobytes whatever the data.

    ``ids`` are the transfers passing the view's filters over the whole history (the browser
    applies the period, the time and the mission highlight itself, so the histogram can show the
    rest). ``overlays`` are the frame's other layers as pydeck JSON, drawn as they are (the
    explorer's and the planner's rings, helpers and place).
    *fallback_png* (a data: URL or a static path) is shown where WebGL cannot start. *height* is
    pixels, or ``"fit"`` to fill the window below the map's top (presenter mode). ``fit`` is the
    box a scene is about (``[[west, south], [east, north]]``, both ends of its transfers): the
    browser frames it whole at whatever size the map has, until the user moves the map.
    """
    frame = atlas.frame(view, label_size=label_size) if frame is None else frame
    lo, hi = atlas.bounds
    passing = atlas.selected(replace(view, mission=None, first=lo, last=hi))  # cached per filter set
    extra = frame.overlays  # the browser draws the others (ANIMATED) itself, from its data
    overlays = json.loads(offline_deck(extra).to_json())["layers"] if extra else []
    return {
        "version": payload_version(atlas, view.lang),
        "lang": view.lang,
        "date": view_date(view, transfers=frame.selected),
        "first": view.first,
        "last": view.last,
        "mode": view.mode,
        "colour": view.colour,
        "ids": [int(i) for i in passing.index],
        "camera": list(frame.camera) if frame.camera else None,
        "fit": scene_fit(atlas, view, frame),
        "flows": _flows(atlas, frame) if view.flows else None,
        "mission": view.mission,
        "overlays": overlays,
        "title": frame.title,
        "caption": frame.caption,
        "height": height,
        "label_size": label_size,
        "presenter": view.presenter,
        "overlay": overlay,
        "credits": credits_line(strength=atlas.strength is not None, tr=frame.tr) if overlay else "",
        "fallback_png": fallback_png,
    }


def _flows(atlas, frame) -> dict[str, dict]:
    """The merged arc of each pair of missions in *frame* ("SRC|DST": width and tooltip), for one arc per pair."""
    pairs = atlas.transfers.loc[list(frame.arcs), ["source_mission", "target_mission"]]
    return {f"{src}|{dst}": {"w": frame.arcs[i]["w"], "tooltip": frame.arcs[i]["tooltip"]}
            for i, src, dst in zip(pairs.index, pairs["source_mission"], pairs["target_mission"])}  # fmt: skip


def scene_fit(atlas, view: View, frame) -> list[list[float]] | None:
    """The box a scene's map must show whole: both ends of its transfers, while the scene's own camera holds."""
    scene = atlas.scene(view.scene)
    if scene is None or view.camera != scene.camera or not frame.arcs:
        return None
    points = labelling.subject(frame)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lons), min(lats)], [max(lons), max(lats)]]


#: Data payloads already built, by atlas (dropped with it): the page's sessions share the shipped one.
_PAYLOADS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Assets(dict):
    """URLs (relative to the app's root) of the files ``publish`` wrote: deck, extensions, map, css, outlines,
    and the data payload in each language (``data_en``, ``data_fr``).

    ``versions`` says which payload version each language's file holds (the published atlas's).
    """

    versions: dict[str, str]


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:10]


def publish(atlas, static_dir: Path, url_prefix: str = "app/static") -> Assets:
    """Write the files the browser caches into *static_dir*/imcgeo/ and return their URLs.

    File names carry a hash of their content, so a browser may cache them for good and a new
    version is a new name. Files already there are not rewritten. Stale versions are removed.
    The atlas's data payload is a file too, one per language: a visitor's page then sends only
    its address, and the browser fetches it once (from its cache on later visits).
    """
    folder = Path(static_dir) / "imcgeo"
    folder.mkdir(parents=True, exist_ok=True)
    outlines = json.dumps(atlas.outlines or {"type": "FeatureCollection", "features": []}, separators=(",", ":"))
    outlines = outlines.encode("utf-8")
    outlines_url = f"{url_prefix}/imcgeo/outlines-{_digest(outlines)}.json"
    files = {
        "deck": ("deck", ".js", DECK_JS.read_bytes()),
        "extensions": ("deck-extensions", ".js", EXTENSIONS_JS.read_bytes()),
        "map": ("map", ".js", (ASSET_DIR / "map.js").read_bytes()),
        "css": ("map", ".css", (ASSET_DIR / "map.css").read_bytes()),
        "outlines": ("outlines", ".json", outlines),
    }
    for lang in LANGUAGES:
        payload = data_payload(atlas, outlines_url=outlines_url, lang=lang)
        files[f"data_{lang}"] = (f"data-{lang}", ".json", json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    urls = Assets()
    urls.versions = {lang: payload_version(atlas, lang) for lang in LANGUAGES}
    keep = set()
    for key, (stem, suffix, content) in files.items():
        name = f"{stem}-{_digest(content)}{suffix}"
        path = folder / name
        if not path.exists() or path.stat().st_size != len(content):
            # Each writer its own temporary file: processes starting at once (behind nginx) write the same names.
            handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.chmod(tmp, 0o644)  # as any file the server writes (mkstemp's are the owner's alone)
            os.replace(tmp, path)  # atomic: a browser never reads half a file
        keep.add(name)
        urls[key] = f"{url_prefix}/imcgeo/{name}"
    # Versions this process does not use go once they are an hour old: another server on the same
    # folder (a second process behind nginx, a test server) may still be handing them to browsers.
    for old in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):  # another process removed it first
            if old.name not in keep and old.is_file() and time.time() - old.stat().st_mtime > STALE_SECONDS:
                old.unlink()
    return urls


def component_data(atlas, view: View, assets: Assets, held_version: str | None, **options) -> dict:
    """The ``data=`` of one mount: the assets, the view, and where the browser gets the data payload.

    The published atlas's payload is a file (``data_url``): the page never sends it. Any other
    atlas's (an analyst's upload, this tab only) travels inline until the browser says it holds it:
    *held_version* is the component's ``data_version`` state. An inline payload is built once per
    atlas and outlines address (about 100 ms), then reused by every session.
    """
    version = payload_version(atlas, view.lang)
    url = assets.get(f"data_{view.lang}")
    if url and getattr(assets, "versions", {}).get(view.lang) == version:
        return {"assets": dict(assets), "view": view_payload(atlas, view, **options), "data": None, "data_url": url}
    payload = None
    if held_version != version:
        built = _PAYLOADS.setdefault(atlas, {})
        key = (atlas.data_version, assets["outlines"], view.lang)
        if key not in built:
            built[key] = data_payload(atlas, outlines_url=assets["outlines"], lang=view.lang)
        payload = built[key]
    return {"assets": dict(assets), "view": view_payload(atlas, view, **options), "data": payload}


def _script_safe(code: str) -> str:
    """JavaScript made safe inside a <script> element ("</" would end it)."""
    return code.replace("</", "<\\/").replace("<!--", "<\\!--")


def _json_in_script(value) -> str:
    """JSON for a <script type="application/json"> element: every "<" escaped, so no tag can start."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")


def offline_html(atlas, view: View, *, height: int = 640, credits: str | None = None) -> bytes:
    """One self-contained HTML file of the animated map: deck.gl, the map, the data and outlines inlined.

    It plays, steps and shows the histogram, legend, title, caption, credits and text tooltips in
    the view's language, and requests nothing from anywhere. *credits* replaces the credits line.
    """
    data = data_payload(atlas, lang=view.lang)
    shown = view_payload(atlas, view, height=height, overlay=True)
    if credits is not None:
        shown["credits"] = credits
    outlines = atlas.outlines or {"type": "FeatureCollection", "features": []}
    map_js = (ASSET_DIR / "map.js").read_text(encoding="utf-8")
    css = (ASSET_DIR / "map.css").read_text(encoding="utf-8")
    blobs = {"imcgeo-data": data, "imcgeo-view": shown, "imcgeo-outlines": outlines}
    data_tags = "".join(
        f'<script type="application/json" id="{name}">{_json_in_script(value)}</script>'
        for name, value in blobs.items()
    )
    boot = (
        "const read = (id) => JSON.parse(document.getElementById(id).textContent);\n"
        "offlineMount(document.getElementById('imcgeo-root'), read('imcgeo-data'), read('imcgeo-view'),"
        " read('imcgeo-outlines'));\n"
    )
    page = (
        f"<!doctype html><html lang='{view.lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(shown['title'])}</title>"
        f"<style>body{{margin:0;padding:12px;background:#fff}}\n{css}</style></head><body>"
        "<div id='imcgeo-root'></div>"
        f"{data_tags}"
        f"<script>{_script_safe(DECK_JS.read_text(encoding='utf-8'))}</script>"
        "<script>globalThis.__imcgeoCore = globalThis.deck;</script>"
        f"<script>{_script_safe(EXTENSIONS_JS.read_text(encoding='utf-8'))}</script>"
        "<script>globalThis.deck = Object.assign({}, globalThis.__imcgeoCore, globalThis.deck);</script>"
        f'<script type="module">{_script_safe(map_js)}\n{boot}</script>'
        "</body></html>"
    )
    return page.encode("utf-8")
