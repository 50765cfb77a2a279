"""The visual encoding: every colour, width and symbol the map, the legend and the exports share.

- countries: filled outlines on a plain background (no basemap service), neighbours in different
  warm greys; hosts of missions active at the time shaded blue.
- missions: a point at each headquarters. Active missions dark, not yet started hollow, ended
  pale; service centres a larger white disc with a dark rim.
- transfers: great-circle arcs, faint at the source and strong at the target (direction), coloured
  by surge type (Okabe-Ito) or asset (Paul Tol's muted scheme), wider for larger known
  quantities on one fixed scale for all years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imcgeo.i18n import DEFAULT_LANGUAGE, Translator, translator
from imcgeo.vocab import ASSETS, SURGES

__all__ = [
    "ASSET_RGB",
    "HOST_RGBA",
    "HOST_TONES",
    "LAND_RGBA",
    "LAND_TONES",
    "MAX_WIDTH_PX",
    "MIN_WIDTH_PX",
    "PROXIMITY_RGBA",
    "RING_KM",
    "SERVICE_CENTRE",
    "SOURCE_ALPHA",
    "STATUS_STYLE",
    "SURGE_RGB",
    "TARGET_ALPHA",
    "land_tone",
    "legend",
    "mission_style",
    "palette",
    "width_px",
]

# Neighbouring countries get different warm greys, so borders show without drawing lines: a
# line layer costs seconds to first paint under software WebGL, a second fill colour nothing.
LAND_TONES = (
    (236, 232, 222, 255),
    (222, 217, 204, 255),
    (244, 241, 234, 255),
    (229, 224, 213, 255),
    (214, 209, 196, 255),
)
LAND_RGBA = LAND_TONES[0]
HOST_TONES = (
    (172, 204, 232, 255),
    (150, 189, 224, 255),
    (186, 213, 238, 255),
    (160, 196, 228, 255),
    (140, 181, 219, 255),
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
assert set(SURGE_RGB) == set(SURGES) and set(ASSET_RGB) == set(ASSETS)
STATUS_STYLE = {  # fill, outline, radius scale
    "active": ((45, 62, 80, 235), (255, 255, 255, 255), 1.0),
    "future": ((255, 255, 255, 200), (120, 120, 120, 255), 0.8),
    "ended": ((175, 175, 175, 160), (255, 255, 255, 160), 0.7),
}
SERVICE_CENTRE = ((255, 255, 255, 255), (45, 62, 80, 255), 1.6)
SOURCE_ALPHA, TARGET_ALPHA = 70, 240
MIN_WIDTH_PX, MAX_WIDTH_PX = 2.0, 12.0
#: The explorer's and planner's rings, labels and circled helpers: near-black, a colour no arc uses.
PROXIMITY_RGBA = (25, 25, 25, 230)
#: Radii of the proximity explorer's rings.
RING_KM = (500, 1000, 2000)
#: A mission's HQ disc, in metres before the status scale.
POINT_RADIUS_M = 45000


def palette(colour_by: str) -> dict[str, tuple[int, int, int]]:
    """The arc colours for a colour key (``surge`` or ``asset``)."""
    if colour_by not in ("surge", "asset"):
        raise ValueError(f"colour_by must be 'surge' or 'asset', not {colour_by!r}")
    return SURGE_RGB if colour_by == "surge" else ASSET_RGB


def legend(colour_by: str, tr: Translator | None = None) -> list[tuple[str, tuple[int, int, int]]]:
    """The colour key for the arcs: (label, rgb) in a fixed order, in *tr*'s language (English by default).

    >>> legend("surge")[1], legend("surge", translator("fr"))[1][0]
    (('Security crisis', (213, 94, 0)), 'Crise sécuritaire')
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    return [(tr.label(key), rgb) for key, rgb in palette(colour_by).items()]


def mission_style(kind: str, status: str) -> dict:
    """Fill, outline (RGBA lists) and radius (m) of a mission's point for its kind and status."""
    fill, line, scale = SERVICE_CENTRE if kind == "service-centre" else STATUS_STYLE[status]
    if kind == "service-centre" and status != "active":
        fill, line = STATUS_STYLE[status][0], (*line[:3], 120)
    return {"fill": list(fill), "line": list(line), "radius": POINT_RADIUS_M * scale}


def land_tone(tone: int, host: bool) -> list[int]:
    """The fill of a country: its map-colouring *tone*, blue when it hosts an active mission."""
    tones = HOST_TONES if host else LAND_TONES
    return list(tones[tone % len(tones)])


def width_px(quantity, largest: float) -> float:
    """Arc width in pixels: thin when unknown, growing with the square root of the quantity.

    >>> width_px(None, 3500), width_px(3500, 3500), round(width_px(80, 3500), 2)
    (2.0, 12.0, 3.51)
    """
    if quantity is None or pd.isna(quantity) or not largest:
        return MIN_WIDTH_PX
    return MIN_WIDTH_PX + (MAX_WIDTH_PX - MIN_WIDTH_PX) * float(np.sqrt(float(quantity) / largest))
