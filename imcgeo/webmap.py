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

import hashlib
import html
import json
import weakref
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pydeck

from imcgeo import labelling, layers, timeline
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
from imcgeo.view import View
from imcgeo.vocab import label

__all__ = [
    "ASSET_DIR",
    "COMPONENT_NAME",
    "DECK_JS",
    "LOADER_JS",
    "Assets",
    "component_data",
    "data_payload",
    "offline_html",
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
CREDITS = "imcgeo · transfers from UN documents (data/README.md) · outlines: Natural Earth · HQs: GeoNames"
_EPOCH = pd.Timestamp("1970-01-01")
#: Days an arc takes to travel from source to target when its transfer begins (map.js GROW_DAYS).
GROW_DAYS = 75
#: The frame's layers the browser builds itself, over time; any other layer is drawn as sent.
ANIMATED = ("countries", "missions", "transfers", "transfers-unnamed", "unnamed-points", "labels")


def _day(when) -> int | None:
    """Whole days since 1970-01-01 of a timestamp (None for NaT)."""
    return None if pd.isna(when) else int((pd.Timestamp(when) - _EPOCH).days)


def data_payload(atlas, outlines_url: str | None = None) -> dict:
    """Everything the browser map needs that changes only with the data (sent once per data version).

    Transfers without a drawable source or target (no place for either mission) are left out.
    *outlines_url* is where the browser fetches the outlines (``publish``); the offline file
    inlines them instead.
    """
    missions = atlas.missions
    first_year, last_year = atlas.bounds
    records = {}
    starts = atlas.transfers["start"].dt.year
    # Placeholder sources sit at the centre of the missions active in the start year: one call per year.
    for year in sorted(starts.unique()):
        subset = atlas.transfers[starts == year]
        records.update(layers.arc_records(subset, missions, "surge", year=int(year), largest=atlas.largest))
    transfers = atlas.transfers.loc[list(records)]
    year_end = pd.to_datetime(transfers["start"].dt.year.astype(str) + "-12-31")
    end = transfers["end"].fillna(year_end)
    placed = missions["hq_lat"].notna()
    mission_tips = [layers.mission_tooltip(rec) for rec in missions.to_dict("records")]
    kinds = {"point": "peacekeeping", "service-centre": "service-centre"}
    return {
        "version": atlas.data_version,
        "t0": _day(pd.Timestamp(first_year, 1, 1)),
        "t1": _day(pd.Timestamp(last_year, 12, 31)),
        "outlines_url": outlines_url,
        "missions": {
            "acronym": missions["acronym"].tolist(),
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
        "legend": {key: [[text, list(rgb)] for text, rgb in legend(key)] for key in ("surge", "asset")},
        "legend_keys": {"surge": list(SURGE_RGB), "asset": list(ASSET_RGB)},
        "legend_titles": {key: label(key) for key in ("surge", "asset")},
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
    extra = [layer for layer in frame.layers if layer.id not in ANIMATED]
    overlays = json.loads(offline_deck(extra).to_json())["layers"] if extra else []
    return {
        "version": atlas.data_version,
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
        "credits": CREDITS if overlay else "",
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
    """URLs (relative to the app's root) of the files ``publish`` wrote: deck, extensions, map, css, outlines."""


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:10]


def publish(atlas, static_dir: Path, url_prefix: str = "app/static") -> Assets:
    """Write the files the browser caches into *static_dir*/imcgeo/ and return their URLs.

    File names carry a hash of their content, so a browser may cache them for good and a new
    version is a new name. Files already there are not rewritten. Stale versions are removed.
    """
    folder = Path(static_dir) / "imcgeo"
    folder.mkdir(parents=True, exist_ok=True)
    outlines = json.dumps(atlas.outlines or {"type": "FeatureCollection", "features": []}, separators=(",", ":"))
    files = {
        "deck": ("deck", ".js", DECK_JS.read_bytes()),
        "extensions": ("deck-extensions", ".js", EXTENSIONS_JS.read_bytes()),
        "map": ("map", ".js", (ASSET_DIR / "map.js").read_bytes()),
        "css": ("map", ".css", (ASSET_DIR / "map.css").read_bytes()),
        "outlines": ("outlines", ".json", outlines.encode("utf-8")),
    }
    urls = Assets()
    keep = set()
    for key, (stem, suffix, content) in files.items():
        name = f"{stem}-{_digest(content)}{suffix}"
        path = folder / name
        if not path.exists() or path.stat().st_size != len(content):
            tmp = path.with_suffix(suffix + ".tmp")
            tmp.write_bytes(content)
            tmp.replace(path)  # atomic: a browser never reads half a file
        keep.add(name)
        urls[key] = f"{url_prefix}/imcgeo/{name}"
    for old in folder.iterdir():
        if old.name not in keep and old.is_file():
            old.unlink()
    return urls


def component_data(atlas, view: View, assets: Assets, held_version: str | None, **options) -> dict:
    """The ``data=`` of one mount: the assets, the view, and the data payload only if the browser lacks it.

    *held_version* is the component's ``data_version`` state (what the browser says it holds). The
    payload is built once per atlas and outlines address (about 100 ms), then reused by every session.
    """
    payload = None
    if held_version != atlas.data_version:
        key = (atlas.data_version, assets["outlines"])
        cached = _PAYLOADS.get(atlas)
        if cached is None or cached[0] != key:
            cached = _PAYLOADS[atlas] = (key, data_payload(atlas, outlines_url=assets["outlines"]))
        payload = cached[1]
    return {"assets": dict(assets), "view": view_payload(atlas, view, **options), "data": payload}


def _script_safe(code: str) -> str:
    """JavaScript made safe inside a <script> element ("</" would end it)."""
    return code.replace("</", "<\\/").replace("<!--", "<\\!--")


def _json_in_script(value) -> str:
    """JSON for a <script type="application/json"> element: every "<" escaped, so no tag can start."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")


def offline_html(atlas, view: View, *, height: int = 640, credits: str = CREDITS) -> bytes:
    """One self-contained HTML file of the animated map: deck.gl, the map, the data and outlines inlined.

    It plays, steps and shows the histogram, legend, title, caption, credits and text tooltips,
    and requests nothing from anywhere.
    """
    data = data_payload(atlas)
    shown = {**view_payload(atlas, view, height=height, overlay=True), "credits": credits}
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
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
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
