"""Deck serialisation: a pydeck Deck that loads no basemap and writes compact JSON."""

from __future__ import annotations

import json

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

__all__ = ["WORLD_CAMERA", "OfflineDeck", "RawJSON", "offline_deck"]

#: (lat, lon, zoom) of the whole-world view.
WORLD_CAMERA = (15.0, 15.0, 1.3)


class RawJSON:
    """Layer data already serialised to JSON, spliced into the deck as is (cached outlines)."""

    def __init__(self, text: str):
        self.text = text


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


def offline_deck(
    layers: list[pdk.Layer], camera: tuple[float, float, float] | None = None, tooltip=None
) -> OfflineDeck:
    """A deck with no map provider (zero requests off the machine), looking at *camera* (lat, lon, zoom)."""
    lat, lon, zoom = camera or WORLD_CAMERA
    view = pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=0.5, max_zoom=12)
    return OfflineDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)
