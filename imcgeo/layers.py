"""pydeck layer builders with fixed ids and colours, and a deck that draws with no basemap."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

__all__ = [
    "LAYER_IDS",
    "OfflineDeck",
    "countries_layer",
    "display_outlines",
    "missions_layer",
    "offline_deck",
    "transfers_layer",
]

LAYER_IDS = ("countries", "missions", "transfers")

LAND_RGBA = [236, 233, 226, 255]
HOST_RGBA = [198, 219, 239, 255]
BORDER_RGBA = [160, 160, 160, 255]
# Arcs run from orange at the source to blue at the target (Okabe-Ito, colour-blind safe).
SOURCE_RGBA = [230, 159, 0, 220]
TARGET_RGBA = [0, 114, 178, 220]
MISSION_RGBA = {
    "peacekeeping": [0, 114, 178, 230],
    "political": [0, 158, 115, 230],
    "service-centre": [204, 121, 167, 230],
    "other": [120, 120, 120, 230],
}


class OfflineDeck(pdk.Deck):
    """A pydeck Deck that never loads a basemap and serialises compactly.

    pydeck writes its JSON with ``indent=2``, which triples the bytes Streamlit sends on every
    rerun; this writes the same JSON without whitespace.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def offline_deck(layers: list[pdk.Layer], view: pdk.ViewState | None = None, tooltip=None) -> OfflineDeck:
    """A deck with no map provider: zero requests off the machine."""
    view = view or pdk.ViewState(latitude=15, longitude=15, zoom=1.2)
    return OfflineDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)


def display_outlines(countries: gpd.GeoDataFrame, tolerance_deg: float = 0.15, decimals: int = 1) -> dict:
    """A compact GeoJSON of the outlines for drawing: simplified and rounded."""
    frame = countries
    geoms = shapely.set_precision(shapely.simplify(frame.geometry.values, tolerance_deg), 10**-decimals)
    features = [
        {"type": "Feature", "properties": {"iso3": iso3, "name": name}, "geometry": shapely.geometry.mapping(g)}
        for iso3, name, g in zip(frame["iso3"], frame["name"], geoms)
        if g is not None and not g.is_empty
    ]
    return {"type": "FeatureCollection", "features": json.loads(json.dumps(features))}


def countries_layer(outlines: dict, highlight_iso3: set[str] = frozenset()) -> pdk.Layer:
    """Country outlines; hosts of the highlighted missions shaded."""
    features = [
        {
            **f,
            "properties": {
                **f["properties"],
                "fill": HOST_RGBA if f["properties"]["iso3"] in highlight_iso3 else LAND_RGBA,
            },
        }
        for f in outlines["features"]
    ]
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data={"type": "FeatureCollection", "features": features},
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=BORDER_RGBA,
        line_width_min_pixels=0.5,
        pickable=False,
    )


def missions_layer(missions: pd.DataFrame) -> pdk.Layer:
    """Missions as points at their headquarters, coloured by kind."""
    placed = missions.dropna(subset=["hq_lat", "hq_lon"])
    data = [
        {
            "position": [round(lon, 3), round(lat, 3)],
            "color": MISSION_RGBA.get(kind, MISSION_RGBA["other"]),
            "tooltip": f"{acronym}: {name} ({_period(start, end)})",
        }
        for acronym, name, kind, lat, lon, start, end in zip(
            placed["acronym"],
            placed["name"],
            placed["kind"],
            placed["hq_lat"],
            placed["hq_lon"],
            placed["start"],
            placed["end"],
        )
    ]
    return pdk.Layer(
        "ScatterplotLayer",
        id="missions",
        data=data,
        get_position="position",
        get_fill_color="color",
        get_radius=60000,
        radius_min_pixels=3,
        radius_max_pixels=12,
        stroked=True,
        get_line_color=[255, 255, 255, 255],
        line_width_min_pixels=1,
        pickable=True,
    )


def transfers_layer(transfers: pd.DataFrame, missions: pd.DataFrame) -> pdk.Layer:
    """Transfers as great-circle arcs, orange at the source to blue at the target."""
    where = {a: (lon, lat) for a, lat, lon in zip(missions["acronym"], missions["hq_lat"], missions["hq_lon"])}
    data = []
    for rec in transfers.to_dict("records"):
        src, dst = where.get(rec["source_mission"]), where.get(rec["target_mission"])
        if src is None or dst is None or pd.isna(src[0]) or pd.isna(dst[0]):
            continue
        quantity = "" if pd.isna(rec["quantity"]) else f"{rec['quantity']} "
        data.append(
            {
                "from": [round(src[0], 3), round(src[1], 3)],
                "to": [round(dst[0], 3), round(dst[1], 3)],
                "tooltip": (
                    f"{rec['source_mission']} → {rec['target_mission']}, {rec['start']:%b %Y}: "
                    f"{quantity}{rec['asset']} ({rec['surge']})\n{rec['description']}\nSources: {rec['sources']}"
                ),
            }
        )
    return pdk.Layer(
        "ArcLayer",
        id="transfers",
        data=data,
        get_source_position="from",
        get_target_position="to",
        get_source_color=SOURCE_RGBA,
        get_target_color=TARGET_RGBA,
        get_width=3,
        great_circle=True,
        pickable=True,
    )


def _period(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start:%b %Y} – {'present' if pd.isna(end) else f'{end:%b %Y}'}"
