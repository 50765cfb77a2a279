"""pydeck layer builders with fixed ids and fixed, colour-blind-safe scales, and an offline deck.

Visual encoding:
- countries: filled outlines on a plain background (no basemap service), neighbours in different
  warm greys; hosts of missions active in the year shaded blue.
- missions: a point at each headquarters. Active missions dark, not yet started hollow, ended
  pale; service centres a larger white disc with a dark rim.
- transfers: great-circle arcs, faint at the source and strong at the target (direction), coloured
  by surge type (Okabe-Ito) or asset (Paul Tol's muted scheme), wider for larger known
  quantities on one fixed scale for all years. Sources that no document names start at an
  indicative point (the centre of the missions active in their region), said in the tooltip.
- labels: acronyms of the missions in the transfers shown.
- rings and helpers: the proximity explorer's distance rings and ranked helpers.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from pyproj import Geod

from imcgeo.timeline import mission_status

__all__ = [
    "ASSET_RGB",
    "LAYER_IDS",
    "SURGE_RGB",
    "MapCache",
    "OfflineDeck",
    "RawJSON",
    "arc_records",
    "arcs_layer",
    "countries_layer",
    "display_outlines",
    "helpers_layer",
    "labels_layer",
    "legend",
    "missions_layer",
    "offline_deck",
    "placeholder_positions",
    "rings_layer",
    "transfers_layer",
    "width_px",
]

LAYER_IDS = ("countries", "missions", "transfers")

# Neighbouring countries get different warm greys, so borders show without drawing lines: a
# line layer costs seconds to first paint under software WebGL, a second fill colour nothing.
LAND_TONES = (
    [236, 232, 222, 255],
    [222, 217, 204, 255],
    [244, 241, 234, 255],
    [229, 224, 213, 255],
    [214, 209, 196, 255],
)
LAND_RGBA = LAND_TONES[0]
HOST_TONES = (
    [172, 204, 232, 255],
    [150, 189, 224, 255],
    [186, 213, 238, 255],
    [160, 196, 228, 255],
    [140, 181, 219, 255],
)
HOST_RGBA = HOST_TONES[0]
# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
SURGE_RGB = {
    "start-up": (230, 159, 0),
    "security-crisis": (213, 94, 0),
    "election": (0, 114, 178),
    "natural-disaster": (0, 158, 115),
    "health-emergency": (204, 121, 167),
    "drawdown": (86, 180, 233),
}
# Paul Tol's "muted" qualitative scheme, nine colours safe for colour-blind readers.
ASSET_RGB = {
    "troops": (204, 102, 119),
    "police": (51, 34, 136),
    "military-observers": (221, 204, 119),
    "civilian-staff": (17, 119, 51),
    "helicopters": (136, 204, 238),
    "aircraft": (136, 34, 85),
    "logistics": (68, 170, 153),
    "medical": (153, 153, 51),
    "engineering": (170, 68, 153),
}
STATUS_STYLE = {  # fill, outline, radius scale
    "active": ([45, 62, 80, 235], [255, 255, 255, 255], 1.0),
    "future": ([255, 255, 255, 200], [120, 120, 120, 255], 0.8),
    "ended": ([175, 175, 175, 160], [255, 255, 255, 160], 0.7),
}
SERVICE_CENTRE = ([255, 255, 255, 255], [45, 62, 80, 255], 1.6)
SOURCE_ALPHA, TARGET_ALPHA = 70, 240
MIN_WIDTH_PX, MAX_WIDTH_PX = 2.0, 12.0
RING_KM = (500, 1000, 2000)

_GEOD = Geod(ellps="WGS84")


class OfflineDeck(pdk.Deck):
    """A pydeck Deck that never loads a basemap and serialises compactly.

    pydeck writes its JSON with ``indent=2``, which triples the bytes Streamlit sends on every
    rerun; this writes the same JSON without whitespace.
    """

    def to_json(self) -> str:
        raw = {}
        for i, layer in enumerate(self.layers):
            if isinstance(layer.data, RawJSON):
                raw[f"__imcgeo_raw_{i}__"], layer.data = layer.data, f"__imcgeo_raw_{i}__"
        try:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        finally:
            for i, layer in enumerate(self.layers):
                if f"__imcgeo_raw_{i}__" == layer.data:
                    layer.data = raw[layer.data]
        for token, value in raw.items():
            text = text.replace(f'"{token}"', value.text, 1)
        return text


class RawJSON:
    """Layer data already serialised to JSON, spliced into the deck as is (cached outlines)."""

    def __init__(self, text: str):
        self.text = text


def offline_deck(
    layers: list[pdk.Layer], camera: tuple[float, float, float] | None = None, tooltip=None
) -> OfflineDeck:
    """A deck with no map provider (zero requests off the machine), looking at *camera* (lat, lon, zoom)."""
    lat, lon, zoom = camera or (15.0, 15.0, 1.3)
    view = pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=0.5, max_zoom=12)
    return OfflineDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)


def display_outlines(countries: gpd.GeoDataFrame, tolerance_deg: float = 0.15, decimals: int = 1) -> dict:
    """A compact GeoJSON of the outlines for drawing: simplified and rounded."""
    geoms = shapely.set_precision(shapely.simplify(countries.geometry.values, tolerance_deg), 10**-decimals)
    keep = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    tones = _map_colouring([countries.geometry.values[i] for i in keep])
    features = [
        {
            "type": "Feature",
            "properties": {"iso3": countries["iso3"].iloc[i], "name": countries["name"].iloc[i], "tone": tone},
            "geometry": shapely.geometry.mapping(geoms[i]),
        }
        for i, tone in zip(keep, tones)
    ]
    return {"type": "FeatureCollection", "features": json.loads(json.dumps(features))}


def _map_colouring(shapes: list) -> list[int]:
    """A tone index per shape such that shapes that touch (or nearly) never share one (greedy, largest first)."""
    if not shapes:
        return []
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=0.05)
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(shapes))}
    for a, b in zip(left, right):
        if a != b:
            neighbours[int(a)].add(int(b))
    tones: dict[int, int] = {}
    for i in sorted(neighbours, key=lambda i: (-len(neighbours[i]), -shapes[i].area)):
        used = {tones[j] for j in neighbours[i] if j in tones}
        tones[i] = next(t for t in range(len(LAND_TONES) + 8) if t not in used) % len(LAND_TONES)
    return [tones[i] for i in range(len(shapes))]


def countries_layer(outlines: dict, highlight_iso3: set[str] = frozenset(), *, raw: bool = False) -> pdk.Layer:
    """Country outlines; the highlighted countries (hosts of active missions) shaded.

    With *raw*, the data is pre-serialised (``RawJSON``), which the deck splices in unparsed.
    """
    features = [
        {**f, "properties": {"fill": _tone(f, f["properties"]["iso3"] in highlight_iso3)}} for f in outlines["features"]
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


def missions_layer(missions: pd.DataFrame, status: pd.Series) -> pdk.Layer:
    """Missions at their headquarters, styled by *status* (``active``, ``future``, ``ended``) and kind."""
    placed = missions[missions["hq_lat"].notna()]
    data = [
        {
            "position": [round(rec["hq_lon"], 3), round(rec["hq_lat"], 3)],
            **_style(rec["kind"], state),
            "tooltip": f"{rec['acronym']}: {rec['name']}\n{_period(rec['start'], rec['end'])} · {rec['kind']} · "
            f"HQ {rec['hq_city']}",
        }
        for rec, state in zip(placed.to_dict("records"), status.loc[placed.index])
    ]
    return _points_layer(data)


def _style(kind: str, state: str) -> dict:
    fill, line, scale = SERVICE_CENTRE if kind == "service-centre" else STATUS_STYLE[state]
    if kind == "service-centre" and state != "active":
        fill, line = STATUS_STYLE[state][0], [*line[:3], 120]
    return {"fill": fill, "line": line, "radius": 45000 * scale}


def _points_layer(data: list[dict]) -> pdk.Layer:
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


def width_px(quantity, largest: float) -> float:
    """Arc width in pixels: thin when unknown, growing with the square root of the quantity.

    >>> width_px(None, 3500), width_px(3500, 3500), round(width_px(80, 3500), 2)
    (2.0, 12.0, 3.51)
    """
    if quantity is None or pd.isna(quantity) or not largest:
        return MIN_WIDTH_PX
    return MIN_WIDTH_PX + (MAX_WIDTH_PX - MIN_WIDTH_PX) * float(np.sqrt(float(quantity) / largest))


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


def arc_records(transfers: pd.DataFrame, missions: pd.DataFrame, colour_by: str, *, year: int, largest: float) -> dict:
    """Arc data for each drawable transfer, keyed by the transfer's index."""
    palette = SURGE_RGB if colour_by == "surge" else ASSET_RGB
    where = {
        a: [round(lon, 3), round(lat, 3)]
        for a, lat, lon in zip(missions["acronym"], missions["hq_lat"], missions["hq_lon"])
        if pd.notna(lat)
    }
    indicative = placeholder_positions(missions, year) if not transfers["source_mission"].isin(where).all() else {}
    records = {}
    for index, rec in zip(transfers.index, transfers.to_dict("records")):
        src = where.get(rec["source_mission"]) or indicative.get(rec["source_mission"])
        dst = where.get(rec["target_mission"])
        if src is None or dst is None:
            continue
        rgb = list(palette[rec[colour_by]])
        quantity = "" if pd.isna(rec["quantity"]) else f"{rec['quantity']:,} "
        until = "" if pd.isna(rec["end"]) else f" to {rec['end']:%d %b %Y}"
        note = (
            "\n(no source names these missions: the arc starts at an indicative point)"
            if rec["source_mission"] not in where
            else ""
        )
        records[index] = {
            "from": src,
            "to": dst,
            "c0": [*rgb, SOURCE_ALPHA],
            "c1": [*rgb, TARGET_ALPHA],
            "w": round(width_px(rec["quantity"], largest), 2),
            "tooltip": (
                f"{rec['source_mission']} → {rec['target_mission']}: {quantity}{rec['asset'].replace('-', ' ')}\n"
                f"{rec['start']:%d %b %Y}{until} · {rec['surge'].replace('-', ' ')} · {rec['confidence']}\n"
                f"{rec['description']}\nSources: {rec['sources']}{note}"
            ),
        }
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
        pickable=True,
        auto_highlight=True,
    )


def labels_layer(acronyms: set[str], missions: pd.DataFrame, size: int = 12) -> pdk.Layer:
    """Acronyms beside the missions named in the transfers shown."""
    placed = missions[missions["acronym"].isin(acronyms) & missions["hq_lat"].notna()]
    data = [
        {"position": [round(lon, 3), round(lat, 3)], "text": acronym}
        for acronym, lat, lon in zip(placed["acronym"], placed["hq_lat"], placed["hq_lon"])
    ]
    return pdk.Layer(
        "TextLayer",
        id="labels",
        data=data,
        get_position="position",
        get_text="text",
        get_size=size,
        get_color=[30, 30, 30, 255],
        get_pixel_offset=[0, -16],
        # Plain bitmap glyphs on a pale box: signed-distance-field fonts draw nothing under
        # software WebGL (headless Chromium, some projectors' laptops). deck.gl's default
        # monospace face stays: a sans-serif fontFamily drew empty boxes there.
        background=True,
        get_background_color=[255, 255, 255, 210],
        background_padding=[3, 1],
        pickable=False,
    )


def rings_layer(lat: float, lon: float, radii_km=RING_KM) -> pdk.Layer:
    """Geodesic circles (WGS84) of the given radii around a point, labelled in the tooltip."""
    azimuths = np.linspace(0, 360, 121)
    data = []
    for km in radii_km:
        lons, lats, _ = _GEOD.fwd(
            np.full_like(azimuths, lon), np.full_like(azimuths, lat), azimuths, np.full_like(azimuths, km * 1000.0)
        )
        lons = np.degrees(np.unwrap(np.radians(lons)))  # keep rings whole across the antimeridian
        data.append({"path": np.round(np.column_stack([lons, lats]), 3).tolist(), "tooltip": f"{km:,} km"})
    return pdk.Layer(
        "PathLayer",
        id="rings",
        data=data,
        get_path="path",
        get_color=[45, 62, 80, 160],
        get_width=1.5,
        width_units=pdk.types.String("pixels"),  # a bare string would become an accessor expression
        get_dash_array=[6, 4],
        extensions=[{"@@type": "PathStyleExtension", "dash": True}],
        pickable=True,
    )


def helpers_layer(table: pd.DataFrame, missions: pd.DataFrame, top: int = 5) -> pdk.Layer:
    """The best-ranked helpers from a proximity table, circled and numbered in the tooltip."""
    where = missions.set_index("acronym")
    data = []
    for rec in table.head(top).to_dict("records"):
        m = where.loc[rec["acronym"]]
        data.append(
            {
                "position": [round(m["hq_lon"], 3), round(m["hq_lat"], 3)],
                "tooltip": f"#{rec['rank']} {rec['acronym']}: {rec['hq_km']:,.0f} km HQ to HQ",
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
        get_line_color=[213, 94, 0, 255],
        line_width_min_pixels=2.5,
        pickable=True,
    )


def legend(colour_by: str) -> list[tuple[str, tuple[int, int, int]]]:
    """The colour key for the arcs: (label, rgb) in a fixed order."""
    palette = SURGE_RGB if colour_by == "surge" else ASSET_RGB
    return [(key.replace("-", " ").capitalize(), rgb) for key, rgb in palette.items()]


def _period(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start:%b %Y} – {'present' if pd.isna(end) else f'{end:%b %Y}'}"


class MapCache:
    """Layers for any year, built once per year and reused: an animation frame is then a lookup.

    Holds the shipped data; not thread-safe to mutate, but only ever adds to its caches.
    """

    def __init__(self, missions: pd.DataFrame, transfers: pd.DataFrame, outlines: dict, largest: float):
        self.missions, self.transfers, self.outlines, self.largest = missions, transfers, outlines, largest
        placed = set(missions.loc[missions["hq_lat"].notna(), "acronym"])
        self._fixed = transfers["source_mission"].isin(placed)
        self._countries: dict[frozenset, pdk.Layer] = {}
        self._features: list[dict] | None = None
        self._mission_base: list[dict] | None = None
        self._missions: dict[int, tuple[pd.Series, pdk.Layer]] = {}
        self._arcs: dict[tuple, dict] = {}

    def status(self, year: int) -> pd.Series:
        return self._mission_layer(year)[0]

    def countries(self, year: int) -> pdk.Layer:
        status = self.status(year)
        hosts = frozenset(c for cell in self.missions.loc[status == "active", "host_iso3"] for c in _codes(cell))
        if hosts not in self._countries:
            if self._features is None:  # each feature serialised once per fill: a new year only joins strings
                self._features = [
                    {
                        is_host: json.dumps({**f, "properties": {"fill": _tone(f, is_host)}}, separators=(",", ":"))
                        for is_host in (True, False)
                    }
                    for f in self.outlines["features"]
                ]
            iso3 = [f["properties"]["iso3"] for f in self.outlines["features"]]
            parts = [v[code in hosts] for code, v in zip(iso3, self._features)]
            text = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
            self._countries[hosts] = countries_layer({"features": []}, raw=True)
            self._countries[hosts].data = RawJSON(text)
        return self._countries[hosts]

    def mission_points(self, year: int) -> pdk.Layer:
        return self._mission_layer(year)[1]

    def _mission_layer(self, year: int):
        if year not in self._missions:
            placed = self.missions["hq_lat"].notna()
            if self._mission_base is None:  # positions and tooltips once; a year only restyles
                everywhere = pd.Series("active", index=self.missions.index)
                self._mission_base = missions_layer(self.missions, everywhere).data
            status = mission_status(self.missions, year)
            kinds = self.missions.loc[placed, "kind"]
            data = [
                {**base, **_style(kind, state)}
                for base, kind, state in zip(self._mission_base, kinds, status.loc[placed.index[placed]])
            ]
            self._missions[year] = (status, _points_layer(data))
        return self._missions[year]

    def warm(self, years) -> None:
        """Build every year's layers now (about 5 ms a year), so that no frame pays for its first visit."""
        empty = self.transfers.iloc[:0]
        for year in years:
            self.countries(year)
            for colour in ("surge", "asset"):
                self.arcs(empty, colour, year)

    def arcs(self, shown: pd.DataFrame, colour_by: str, year: int) -> pdk.Layer:
        fixed_key, moving_key = (colour_by, None), (colour_by, year)
        if fixed_key not in self._arcs:
            self._arcs[fixed_key] = arc_records(
                self.transfers[self._fixed], self.missions, colour_by, year=year, largest=self.largest
            )
        if moving_key not in self._arcs:
            self._arcs[moving_key] = arc_records(
                self.transfers[~self._fixed], self.missions, colour_by, year=year, largest=self.largest
            )
        fixed, moving = self._arcs[fixed_key], self._arcs[moving_key]
        return arcs_layer([fixed.get(i) or moving[i] for i in shown.index if i in fixed or i in moving])


def _tone(feature: dict, host: bool) -> list[int]:
    tones = HOST_TONES if host else LAND_TONES
    return tones[feature["properties"].get("tone", 0) % len(tones)]


def _codes(cell: str) -> list[str]:
    return [c for c in cell.split(";") if c]
