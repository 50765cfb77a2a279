"""Label placement: each mission's acronym beside its point, in screen pixels, never two boxes overlapping.

Labels are placed greedily by importance (the missions that receive help in the frame first,
then the missions in the most transfers), each at the first free position among candidates
around its point: above, below, right, left, then the diagonals, then the same directions
farther out, drawn with a leader line. A label with no free position is dropped: the least
important go first. Boxes also keep clear of the other labelled points and of the picture's edge.

The same placement serves the pictures (``imcgeo.export``, measured in matplotlib's pixels), a frame's
pydeck deck (``pixel_offsets``: deck.gl ``getPixelOffset`` per acronym and per text of the explorer's
and planner's own labels, for a camera and size), and, written again in JavaScript, the browser map
(``placeLabels`` in ``imcgeo/web/map.js``: the same order, directions and clearances, on the boxes
deck.gl draws). The explorer's texts (its rings' distances, the nearest missions' names) are placed
first, with the missions' labels: a mission they already name is not labelled twice.

>>> boxes = place_labels({"A": (100, 100), "B": (104, 100)}, {"A": (40, 14), "B": (40, 14)}, ["A", "B"],
...                      width=400, height=300)
>>> boxes["A"].box, boxes["B"].box
((80.0, 80.0, 120.0, 94.0), (84.0, 106.0, 124.0, 120.0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from imcgeo.deckjson import WORLD_CAMERA

__all__ = [
    "DIRECTIONS",
    "Label",
    "fit_camera",
    "importance",
    "mercator_px",
    "overlay_texts",
    "pixel_offsets",
    "place_labels",
    "screen_labels",
    "subject",
    "text_size_px",
]

#: Where a label may go around its point, in the order tried (x right, y down).
DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))
#: Distances from the point tried, as multiples of the gap; beyond the first, a leader line is drawn.
RINGS = (1.0, 3.5, 7.0)
#: A labelled point's disc, which no other label may cover (pixels, a little more than it is drawn).
POINT_RADIUS_PX = 5.0


@dataclass(frozen=True)
class Label:
    """One placed label: its point and box in screen pixels (x right, y down), and whether it needs a leader."""

    acronym: str
    point: tuple[float, float]
    box: tuple[float, float, float, float]  # left, top, right, bottom
    leader: bool

    @property
    def offset(self) -> tuple[float, float]:
        """From the point to the box's centre, in pixels (deck.gl's ``getPixelOffset`` with centred text)."""
        left, top, right, bottom = self.box
        return ((left + right) / 2 - self.point[0], (top + bottom) / 2 - self.point[1])


def importance(shown: pd.DataFrame, labels) -> list[str]:
    """*labels* most important first: missions receiving help in *shown*, then by transfers, then by name.

    >>> t = pd.DataFrame({"source_mission": ["A", "A", "B"], "target_mission": ["C", "D", "D"]})
    >>> importance(t, ["A", "B", "C", "D", "E"])
    ['D', 'C', 'A', 'B', 'E']
    """
    targets = set(shown["target_mission"])
    counts = pd.concat([shown["source_mission"], shown["target_mission"]]).value_counts()
    return sorted(labels, key=lambda a: (a not in targets, -int(counts.get(a, 0)), a))


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    points: dict[str, tuple[float, float]],
    sizes: dict[str, tuple[float, float]],
    order: list[str],
    *,
    width: float,
    height: float,
    gap: float = 6.0,
    margin: float = 2.0,
    obstacles: list[tuple[float, float, float, float]] = (),
) -> dict[str, Label]:
    """Boxes for the labels of *order* (most important first) that fit; the others are left out.

    *points* are screen pixels (x right, y down) of each label's anchor, *sizes* each box's
    (width, height) in pixels, *width* x *height* the area labels must stay inside. Points
    outside that area get no label; no box covers one of *obstacles* (left, top, right, bottom),
    such as a legend drawn on the map.
    """
    inside = {a: p for a, p in points.items() if 0 <= p[0] <= width and 0 <= p[1] <= height}
    discs = {
        a: (x - POINT_RADIUS_PX, y - POINT_RADIUS_PX, x + POINT_RADIUS_PX, y + POINT_RADIUS_PX)
        for a, (x, y) in inside.items()
        if a in sizes
    }
    placed: dict[str, Label] = {}
    for acronym in order:
        if acronym not in inside or acronym in placed:
            continue
        (x, y), (w, h) = inside[acronym], sizes[acronym]
        others = [d for a, d in discs.items() if a != acronym] + [label.box for label in placed.values()]
        others += list(obstacles)
        for ring in RINGS:
            box = next(
                (
                    candidate
                    for dx, dy in DIRECTIONS
                    if _fits(candidate := _box(x, y, w, h, dx, dy, gap * ring), others, width, height, margin)
                ),
                None,
            )
            if box is not None:
                placed[acronym] = Label(acronym, (x, y), box, leader=ring > RINGS[0])
                break
    return placed


def _box(x: float, y: float, w: float, h: float, dx: int, dy: int, gap: float) -> tuple[float, float, float, float]:
    """The box beside (x, y) in direction (dx, dy), *gap* pixels clear of the point."""
    diagonal = 0.7 if dx and dy else 1.0
    cx = x + dx * (w / 2 + gap * diagonal)
    cy = y + dy * (h / 2 + gap * diagonal)
    return (round(cx - w / 2, 1), round(cy - h / 2, 1), round(cx + w / 2, 1), round(cy + h / 2, 1))


def _fits(box: tuple, others: list[tuple], width: float, height: float, margin: float) -> bool:
    if box[0] < margin or box[1] < margin or box[2] > width - margin or box[3] > height - margin:
        return False
    return not any(_overlaps(box, other) for other in others)


def mercator_px(
    lat: float, lon: float, camera: tuple[float, float, float], size: tuple[int, int]
) -> tuple[float, float]:
    """Screen pixels (x right, y down) of (lat, lon) on a Web Mercator map, as deck.gl draws it.

    *camera* is (lat, lon, zoom) at the map's centre, *size* the map's (width, height) in CSS pixels;
    deck.gl's world is 512 x 2**zoom pixels wide.

    >>> mercator_px(0, 0, (0, 0, 1), (800, 600)), mercator_px(0, 90, (0, 0, 1), (800, 600))
    ((400.0, 300.0), (656.0, 300.0))
    """

    def world(lat_: float, lon_: float) -> tuple[float, float]:
        scale = 512 * 2 ** camera[2]
        phi = math.radians(max(-85.05, min(85.05, lat_)))
        return ((lon_ + 180) / 360 * scale, (1 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2 * scale)

    (x, y), (cx, cy) = world(lat, lon), world(camera[0], camera[1])
    return (round(x - cx + size[0] / 2, 2), round(y - cy + size[1] / 2, 2))


def subject(frame) -> list[list[float]]:
    """The [lon, lat] points a frame is about: both ends of every transfer drawn (indicative points included)."""
    ends = {tuple(record[end]) for record in frame.arcs.values() for end in ("from", "to")}
    return [list(point) for point in sorted(ends)]


def fit_camera(
    points: list[list[float]], size: tuple[int, int], *, padding_px: float = 40, max_zoom: float = 6.0
) -> tuple[float, float, float]:
    """The (lat, lon, zoom) camera that shows every [lon, lat] of *points* inside a *size* map, *padding_px* clear.

    As deck.gl's ``fitBounds`` on Web Mercator, zoom to 0.1 and never closer than *max_zoom*;
    for a phone the zoom comes out lower than for a projector, so the subject stays on screen.

    >>> haiti = [[-72.3, 18.5], [23.3, 22.1]]  # Port-au-Prince and an indicative point in the Sahara
    >>> fit_camera(haiti, (1366, 560)), fit_camera(haiti, (390, 420))
    ((20.31, -24.5, 3.2), (20.31, -24.5, 1.1))
    """

    def world(lon: float, lat: float) -> tuple[float, float]:
        phi = math.radians(max(-85.05, min(85.05, lat)))
        return ((lon + 180) / 360 * 512, (1 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2 * 512)

    xy = [world(lon, lat) for lon, lat in points]
    xs, ys = [x for x, _ in xy], [y for _, y in xy]
    room_x, room_y = max(size[0] - 2 * padding_px, 1), max(size[1] - 2 * padding_px, 1)
    span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    zoom = min(max_zoom, math.log2(min(room_x / span_x, room_y / span_y)))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    lon = cx / 512 * 360 - 180
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * cy / 512))) - math.pi / 2)
    return (round(lat, 2), round(lon, 2), math.floor(zoom * 10) / 10)


def text_size_px(text: str, font_px: float, padding: tuple[float, float] = (3, 1)) -> tuple[float, float]:
    """The box of *text* in deck.gl's default monospace face at *font_px*, with the TextLayer's background padding.

    >>> text_size_px("UNMISS", 12)
    (49.2, 16.4)
    """
    return (round(len(text) * 0.6 * font_px + 2 * padding[0], 1), round(1.2 * font_px + 2 * padding[1], 1))


def overlay_texts(frame) -> dict[str, list[float]]:
    """The frame's texts other than the missions' labels (the explorer's and planner's), by text: their [lon, lat].

    They are drawn by TextLayers of their own (``proximity-labels`` and the like) and placed with the labels.
    """
    return {
        record["text"]: list(record["position"])
        for layer in frame.layers
        if layer.type == "TextLayer" and layer.id != "labels" and isinstance(layer.data, list)
        for record in layer.data
    }


def screen_labels(frame, size: tuple[int, int], *, camera: tuple[float, float, float] | None = None,
                  font_px: float | None = None) -> dict[str, Label]:  # fmt: skip
    """Where the labels of *frame* (an ``Atlas.frame``) go for a camera and map size, in pixels.

    Keys are acronyms and the texts of ``overlay_texts``; those texts come first, and a mission whose
    point one of them already names gets no label of its own.
    """
    camera = camera or frame.camera or WORLD_CAMERA
    font_px = font_px or frame.label_size
    missions = frame.atlas.missions
    texts = overlay_texts(frame)
    taken = {(round(lon, 3), round(lat, 3)) for lon, lat in texts.values()}
    rows = missions[missions["acronym"].isin(frame.labels) & missions["hq_lat"].notna()]
    anchors = {a: (lat, lon) for a, lat, lon in zip(rows["acronym"], rows["hq_lat"], rows["hq_lon"])
               if (round(lon, 3), round(lat, 3)) not in taken}  # fmt: skip
    anchors = {**{text: (lat, lon) for text, (lon, lat) in texts.items()}, **anchors}
    points = {a: mercator_px(lat, lon, camera, size) for a, (lat, lon) in anchors.items()}
    sizes = {a: text_size_px(a, font_px) for a in points}
    order = list(texts) + importance(frame.shown, [a for a in points if a not in texts])
    return place_labels(points, sizes, order, width=size[0], height=size[1])


def pixel_offsets(frame, size: tuple[int, int], *, camera: tuple[float, float, float] | None = None,
                  font_px: float | None = None) -> dict[str, list[float]]:  # fmt: skip
    """deck.gl ``getPixelOffset`` [dx, dy] of each label of *frame* that fits, by acronym or text (others are dropped).

    For a TextLayer with centred text (the default anchor and baseline) on a map of *size*
    (width, height) CSS pixels at *camera* (lat, lon, zoom; default the frame's).
    """
    return {a: [round(dx, 1), round(dy, 1)] for a, label in screen_labels(frame, size, camera=camera,
                                                                           font_px=font_px).items()
            for dx, dy in [label.offset]}  # fmt: skip
