"""pydeck layer builders, each with a fixed id, drawing the encoding of ``imcgeo.encoding``.

- countries, missions, transfers (arcs) and labels: the map of a frame. Missions that no document
  names (placeholders, as source or as target) stand at an indicative point (the centre of the
  missions active in their region): their transfers are drawn dashed from or to a hollow ring
  (``arc_layers``), never as a plain arc, and the tooltip says so.
- rows an analyst uploaded (an ``origin`` column equal to ``yours``) say "your data" in their tooltip.
- rings and helpers: the proximity explorer's distance rings and ranked helpers.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pydeck as pdk
from pyproj import Geod

from imcgeo.deckjson import RawJSON
from imcgeo.encoding import (
    PROXIMITY_RGBA,
    RING_KM,
    SOURCE_ALPHA,
    TARGET_ALPHA,
    land_tone,
    mission_style,
    palette,
    width_px,
)
from imcgeo.i18n import DEFAULT_LANGUAGE, Translator, translator

__all__ = [
    "LAYER_IDS",
    "UNNAMED_IDS",
    "YOURS",
    "arc_layers",
    "arc_records",
    "arcs_layer",
    "countries_layer",
    "dashes",
    "helpers_layer",
    "labels_layer",
    "mission_tooltip",
    "missions_layer",
    "placeholder_positions",
    "points_layer",
    "proximity_labels_layer",
    "rings_layer",
    "transfers_layer",
    "unnamed_layers",
    "yours",
]

LAYER_IDS = ("countries", "missions", "transfers")
#: The layers of transfers from or to unnamed missions: dashed paths, and a ring at each indicative point.
UNNAMED_IDS = ("transfers-unnamed", "unnamed-points")
#: What the ``origin`` column holds for rows an analyst uploaded (``imcgeo.Atlas.from_files``).
YOURS = "yours"

_GEOD = Geod(ellps="WGS84")


def countries_layer(outlines: dict, highlight_iso3: set[str] = frozenset(), *, raw: bool = False) -> pdk.Layer:
    """Country outlines; the highlighted countries (hosts of active missions) shaded.

    With *raw*, the data is pre-serialised (``RawJSON``), which the deck splices in unparsed.
    """
    features = [
        {
            **f,
            "properties": {
                "fill": land_tone(f["properties"].get("tone", 0), f["properties"]["iso3"] in highlight_iso3)
            },
        }
        for f in outlines["features"]
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=RawJSON(json.dumps(collection, separators=(",", ":"))) if raw else collection,
        stroked=False,
        filled=True,
        get_fill_color="properties.fill",
        pickable=False,
    )


def missions_layer(missions: pd.DataFrame, status: pd.Series, *, tr: Translator | None = None) -> pdk.Layer:
    """Missions at their headquarters, styled by *status* (``active``, ``future``, ``ended``) and kind."""
    placed = missions[missions["hq_lat"].notna()]
    data = [
        {
            "position": [round(rec["hq_lon"], 3), round(rec["hq_lat"], 3)],
            **mission_style(rec["kind"], state),
            "tooltip": mission_tooltip(rec, tr=tr),
        }
        for rec, state in zip(placed.to_dict("records"), status.loc[placed.index])
    ]
    return points_layer(data)


def mission_tooltip(rec: dict, *, tr: Translator | None = None) -> str:
    """A mission's tooltip: name, period, kind, HQ, the mandate that set it up (its ``source``), and whose row it is.

    >>> print(mission_tooltip({"acronym": "UNSMIS", "name": "UN Supervision Mission in Syria", "kind": "peacekeeping",
    ...     "start": pd.Timestamp("2012-04-21"), "end": pd.Timestamp("2012-08-19"), "hq_city": "Damascus",
    ...     "source": "S/RES/2043 (2012)"}))
    UNSMIS: UN Supervision Mission in Syria
    Apr 2012 – Aug 2012 · Peacekeeping · HQ Damascus
    Mandate: S/RES/2043 (2012)
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    mandate = rec.get("source")
    lines = [
        "{}: {}".format(*_names(rec, tr)),
        f"{_period(rec['start'], rec['end'], tr)} · {tr.label(rec['kind'])} · "
        + tr.gettext("HQ {city}").format(city=rec["hq_city"]),
    ]
    if isinstance(mandate, str) and mandate.strip():
        lines.append(tr.gettext("Mandate: {sources}").format(sources=mandate))
    if yours(rec):
        lines.append(tr.gettext("Your data (uploaded), not a shipped, documented row"))
    return "\n".join(lines)


def yours(rec) -> bool:
    """Whether a row (a dict or a Series) came from an analyst's upload: its ``origin`` is ``yours``."""
    return rec.get("origin") == YOURS


def points_layer(data: list[dict]) -> pdk.Layer:
    """The ``missions`` layer over records with position, fill, line, radius and tooltip."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="missions",
        data=data,
        get_position="position",
        get_fill_color="fill",
        get_line_color="line",
        get_radius="radius",
        radius_min_pixels=3,
        radius_max_pixels=14,
        stroked=True,
        line_width_min_pixels=1.5,
        pickable=True,
    )


def placeholder_positions(missions: pd.DataFrame, year: int) -> dict[str, list[float]]:
    """An indicative [lon, lat] for each placeholder: the centre of the missions active in *year* in its region.

    Placeholders stand for missions no source names; their arcs need a start, and this one
    says only "somewhere among these missions".
    """
    placed = missions["hq_lat"].notna().to_numpy()
    start, end = missions["start"].dt.year.to_numpy(), missions["end"].dt.year.to_numpy()
    active = placed & (start <= year) & (np.isnan(end) | (end >= year))
    active &= missions["kind"].isin(("peacekeeping", "political")).to_numpy()
    regions = missions["region"].to_numpy()
    lat, lon = np.radians(missions["hq_lat"].to_numpy()), np.radians(missions["hq_lon"].to_numpy())
    out = {}
    for acronym, region in zip(missions.loc[~placed, "acronym"], missions.loc[~placed, "region"]):
        pool = active & (regions == region) if region else active
        if not pool.any():
            continue
        cos_lat = np.cos(lat[pool])
        x, y = (cos_lat * np.cos(lon[pool])).mean(), (cos_lat * np.sin(lon[pool])).mean()
        z = np.sin(lat[pool]).mean()
        out[acronym] = [
            round(float(np.degrees(np.arctan2(y, x))), 3),
            round(float(np.degrees(np.arctan2(z, np.hypot(x, y)))), 3),
        ]
    return out


def arc_records(
    transfers: pd.DataFrame,
    missions: pd.DataFrame,
    colour_by: str,
    *,
    year: int | None = None,
    largest: float,
    tr: Translator | None = None,
) -> dict:
    """Arc data for each drawable transfer, keyed by the transfer's index.

    A mission no source names (no HQ) stands at its indicative point (``placeholder_positions``)
    of *year*, or of the transfer's start year when *year* is None; its record then carries
    ``unnamed``: ``"source"`` or ``"target"``, and is drawn by ``unnamed_layers``, not as an arc.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    colours = palette(colour_by)
    where = {
        a: [round(lon, 3), round(lat, 3)]
        for a, lat, lon in zip(missions["acronym"], missions["hq_lat"], missions["hq_lon"])
        if pd.notna(lat)
    }
    indicative: dict[int, dict] = {}

    def place(acronym: str, start: pd.Timestamp) -> list[float] | None:
        if acronym in where:
            return where[acronym]
        when = start.year if year is None else year
        if when not in indicative:
            indicative[when] = placeholder_positions(missions, when)
        return indicative[when].get(acronym)

    records = {}
    for index, rec in zip(transfers.index, transfers.to_dict("records")):
        src, dst = place(rec["source_mission"], rec["start"]), place(rec["target_mission"], rec["start"])
        if src is None or dst is None:
            continue
        rgb = list(colours[rec[colour_by]])
        asset = tr.label(rec["asset"]).lower()
        what = asset if pd.isna(rec["quantity"]) else f"{tr.format_number(rec['quantity'])} {asset}"
        when = (
            tr.format_date(rec["start"], "medium")
            if pd.isna(rec["end"])
            else tr.gettext("{start} to {end}").format(
                start=tr.format_date(rec["start"], "medium"), end=tr.format_date(rec["end"], "medium")
            )
        )
        unnamed = next((end for end, key in (("source", "source_mission"), ("target", "target_mission"))
                        if rec[key] not in where), None)  # fmt: skip
        note = {
            "source": "\n"
            + tr.gettext("(no source names the sending missions: the line starts at an indicative point)"),
            "target": "\n"
            + tr.gettext("(no source names the receiving missions: the line ends at an indicative point)"),
            None: "",
        }[unnamed]
        record = {
            "from": src,
            "to": dst,
            "c0": [*rgb, SOURCE_ALPHA],
            "c1": [*rgb, TARGET_ALPHA],
            "w": round(width_px(rec["quantity"], largest), 2),
            "tooltip": (
                f"{tr.mission_acronym(rec['source_mission'])} → {tr.mission_acronym(rec['target_mission'])}: {what}\n"
                f"{when} · {tr.label(rec['surge']).lower()} · {tr.label(rec['confidence']).lower()}\n"
                f"{rec['description']}\n"
                + tr.gettext("Sources: {sources}").format(sources=rec["sources"])
                + note
                + ("\n" + tr.gettext("Your data (uploaded), not a documented transfer") if yours(rec) else "")
            ),
        }
        if unnamed:
            record["unnamed"] = unnamed
        records[index] = record
    return records


def transfers_layer(
    transfers: pd.DataFrame, missions: pd.DataFrame, colour_by: str = "surge", *, year: int, largest: float
) -> pdk.Layer:
    """Transfers as great-circle arcs (see the module docstring for the encoding)."""
    return arcs_layer(list(arc_records(transfers, missions, colour_by, year=year, largest=largest).values()))


def arcs_layer(data: list[dict]) -> pdk.Layer:
    """The ``transfers`` ArcLayer over records made by ``arc_records``."""
    return pdk.Layer(
        "ArcLayer",
        id="transfers",
        data=data,
        get_source_position="from",
        get_target_position="to",
        get_source_color="c0",
        get_target_color="c1",
        get_width="w",
        width_min_pixels=1,
        great_circle=True,
        # Flat on the ground: a raised arc is drawn in perspective, so the closer the camera, the further
        # a long arc's middle swings off the map (Haiti 2010 at zoom 3: out past both edges).
        get_height=0,
        pickable=True,
        auto_highlight=True,
    )


def arc_layers(records: list[dict], *, tr: Translator | None = None) -> list[pdk.Layer]:
    """The ``transfers`` arcs between named missions, then ``unnamed_layers`` for those from or to unnamed ones.

    The unnamed layers come only when a record needs them: under software WebGL a layer type's
    first draw compiles its shaders, which an empty layer would pay for nothing.
    """
    named = [r for r in records if "unnamed" not in r]
    unnamed = [r for r in records if "unnamed" in r]
    return [arcs_layer(named), *(unnamed_layers(unnamed, tr=tr) if unnamed else [])]


def unnamed_layers(records: list[dict], steps: int = 24, *, tr: Translator | None = None) -> list[pdk.Layer]:
    """Transfers from or to unnamed missions: a dashed great-circle line and a hollow ring at the indicative point.

    No arc then seems to start (or end) at a mission in an empty place: the ring's tooltip says
    it stands for missions no source names. The dashes are separate short paths, not
    PathStyleExtension, which pydeck's offline HTML cannot build.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    paths, rings = [], {}
    for rec in records:
        (lon1, lat1), (lon2, lat2) = rec["from"], rec["to"]
        points = np.array([(lon1, lat1), *_GEOD.npts(lon1, lat1, lon2, lat2, steps - 1), (lon2, lat2)])
        points[:, 0] = np.degrees(np.unwrap(np.radians(points[:, 0])))  # no jump across the antimeridian
        paths.append({"path": np.round(points, 3).tolist(), "c": rec["c1"], "w": rec["w"], "tooltip": rec["tooltip"]})
        at = rec["from"] if rec["unnamed"] == "source" else rec["to"]
        rings.setdefault(tuple(at), tr.gettext("Missions no source names: an indicative point, not a place"))
    dashed = pdk.Layer(
        "PathLayer",
        id=UNNAMED_IDS[0],
        data=dashes(paths, on=1, off=1),
        get_path="path",
        get_color="c",
        get_width="w",
        width_units=pdk.types.String("pixels"),
        width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
    )
    points = pdk.Layer(
        "ScatterplotLayer",
        id=UNNAMED_IDS[1],
        data=[{"position": list(at), "tooltip": tip} for at, tip in rings.items()],
        get_position="position",
        get_radius=120000,
        radius_min_pixels=7,
        radius_max_pixels=16,
        stroked=True,
        filled=False,
        get_line_color=[45, 62, 80, 200],
        line_width_min_pixels=1.5,
        pickable=True,
    )
    return [dashed, points]


def dashes(records: list[dict], on: int = 2, off: int = 1) -> list[dict]:
    """Each record's ``path`` cut into dashes of *on* steps with gaps of *off* steps, one record per dash.

    >>> [d["path"] for d in dashes([{"path": [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], "tooltip": "t"}], 1, 1)]
    [[[0, 0], [1, 0]], [[2, 0], [3, 0]]]
    """
    return [
        {**rec, "path": rec["path"][i : i + on + 1]}
        for rec in records
        for i in range(0, len(rec["path"]) - 1, on + off)
        if len(rec["path"][i : i + on + 1]) > 1
    ]


def labels_layer(
    acronyms: set[str],
    missions: pd.DataFrame,
    size: int = 12,
    offsets: dict[str, list[float]] | None = None,
    *,
    tr: Translator | None = None,
) -> pdk.Layer:
    """Acronyms beside the missions named in the transfers shown.

    With *offsets* (``imcgeo.labelling.pixel_offsets``: [dx, dy] pixels by acronym), each label
    sits where the placement put it and labels without an offset (no room) are left out;
    without, every label sits above its point.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    placed = missions[missions["acronym"].isin(acronyms) & missions["hq_lat"].notna()]
    if offsets is not None:
        placed = placed[placed["acronym"].isin(offsets)]
    data = [
        {"position": [round(lon, 3), round(lat, 3)], "text": tr.mission_acronym(acronym),
         "o": offsets[acronym] if offsets is not None else [0, -16]}
        for acronym, lat, lon in zip(placed["acronym"], placed["hq_lat"], placed["hq_lon"])
    ]  # fmt: skip
    return pdk.Layer(
        "TextLayer",
        id="labels",
        data=data,
        get_position="position",
        get_text="text",
        get_size=size,
        get_color=[30, 30, 30, 255],
        get_pixel_offset="o",
        # Plain bitmap glyphs on a pale box: signed-distance-field fonts draw nothing under
        # software WebGL (headless Chromium, some projectors' laptops). deck.gl's default
        # monospace face stays: a sans-serif fontFamily drew empty boxes there.
        # The glyphs the labels use, whatever they are ("non nommées"): deck.gl's default set is ASCII only.
        character_set=pdk.types.String("auto"),
        background=True,
        get_background_color=[255, 255, 255, 210],
        background_padding=[3, 1],
        # Arcs rise above the ground and would hide the text behind them: labels ignore depth.
        parameters={"depthCompare": "always"},
        pickable=False,
    )


def rings_layer(lat: float, lon: float, radii_km=RING_KM, *, tr: Translator | None = None) -> pdk.Layer:
    """Geodesic circles (WGS84) of the given radii around a point, labelled in the tooltip."""
    tr = tr or translator(DEFAULT_LANGUAGE)
    azimuths = np.linspace(0, 360, 121)
    data = []
    for km in radii_km:
        lons, lats, _ = _GEOD.fwd(
            np.full_like(azimuths, lon), np.full_like(azimuths, lat), azimuths, np.full_like(azimuths, km * 1000.0)
        )
        lons = np.degrees(np.unwrap(np.radians(lons)))  # keep rings whole across the antimeridian
        data.append({"path": np.round(np.column_stack([lons, lats]), 3).tolist(), "tooltip": _km(km, tr)})
    return pdk.Layer(
        "PathLayer",
        id="rings",
        data=data,
        get_path="path",
        get_color=list(PROXIMITY_RGBA),
        get_width=1.5,
        width_units=pdk.types.String("pixels"),  # a bare string would become an accessor expression
        get_dash_array=[6, 4],
        extensions=[{"@@type": "PathStyleExtension", "dash": True}],
        pickable=True,
    )


def proximity_labels_layer(lat: float, lon: float, table: pd.DataFrame, missions: pd.DataFrame, *,
                           radii_km=RING_KM, top: int = 5, size: int = 12,
                           tr: Translator | None = None) -> pdk.Layer:  # fmt: skip
    """The rings' distances (at their northern point) and the best-ranked helpers' names, in the rings' colour."""
    tr = tr or translator(DEFAULT_LANGUAGE)
    data = []
    for km in radii_km:
        ring_lon, ring_lat, _ = _GEOD.fwd(lon, lat, 0.0, km * 1000.0)
        data.append({"position": [round(ring_lon, 3), round(ring_lat, 3)], "text": _km(km, tr)})
    where = missions.set_index("acronym")
    for rec in table.head(top).to_dict("records"):
        m = where.loc[rec["acronym"]]
        data.append(
            {
                "position": [round(m["hq_lon"], 3), round(m["hq_lat"], 3)],
                "text": f"#{rec['rank']} {tr.mission_acronym(rec['acronym'])}",
            }
        )
    return pdk.Layer(
        "TextLayer",
        id="proximity-labels",
        data=data,
        get_position="position",
        get_text="text",
        get_size=size,
        get_color=list(PROXIMITY_RGBA),
        get_pixel_offset=[0, 16],
        character_set=pdk.types.String("auto"),
        background=True,
        get_background_color=[255, 255, 255, 220],
        background_padding=[3, 1],
        pickable=False,
    )


def helpers_layer(
    table: pd.DataFrame, missions: pd.DataFrame, top: int = 5, *, tr: Translator | None = None
) -> pdk.Layer:
    """The best-ranked helpers from a proximity table, circled and numbered in the tooltip."""
    tr = tr or translator(DEFAULT_LANGUAGE)
    where = missions.set_index("acronym")
    data = []
    for rec in table.head(top).to_dict("records"):
        m = where.loc[rec["acronym"]]
        data.append(
            {
                "position": [round(m["hq_lon"], 3), round(m["hq_lat"], 3)],
                "tooltip": tr.gettext("#{rank} {mission}: {km} km HQ to HQ").format(
                    rank=rec["rank"], mission=tr.mission_acronym(rec["acronym"]), km=tr.format_number(rec["hq_km"], 0)
                ),
            }
        )
    return pdk.Layer(
        "ScatterplotLayer",
        id="helpers",
        data=data,
        get_position="position",
        get_radius=110000,
        radius_min_pixels=9,
        radius_max_pixels=26,
        stroked=True,
        filled=False,
        get_line_color=list(PROXIMITY_RGBA),
        line_width_min_pixels=2.5,
        pickable=True,
    )


def _names(rec: dict, tr: Translator) -> tuple[str, str]:
    """A mission row's acronym and name in the reader's language (its own French columns, where filled)."""
    if tr.lang == "fr":
        return rec.get("acronym_fr") or rec["acronym"], rec.get("name_fr") or rec["name"]
    return rec["acronym"], rec["name"]


def _period(start: pd.Timestamp, end: pd.Timestamp, tr: Translator) -> str:
    """'Apr 2012 – Aug 2012', 'Jun 1948 – present' (abbreviated months, in the reader's language)."""
    if pd.isna(end):
        return tr.gettext("{start} – present").format(start=_month(start, tr))
    return f"{_month(start, tr)} – {_month(end, tr)}"


def _month(when: pd.Timestamp, tr: Translator) -> str:
    return f"{tr.month_names()[when.month - 1]} {when.year}"


def _km(km: float, tr: Translator) -> str:
    """'1,000 km' / '1 000 km' with an ordinary space: the map's bitmap font has no narrow no-break space."""
    return f"{tr.format_number(km, 0)} km".replace("\u202f", " ").replace("\xa0", " ")
