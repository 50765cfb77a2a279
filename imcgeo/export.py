"""Exports that leave the page: animated GIF, PNG still, self-contained offline HTML, and CSV.

Every export is a pure function of the data and a ``View``, so the page's download buttons and
``python -m imcgeo export`` give the same bytes for the same view.

>>> from imcgeo import Atlas
>>> atlas = Atlas.shipped()
>>> gif = export("gif", atlas, atlas.scene_view("cote-divoire-2010"))
>>> gif[:6], Image.open(io.BytesIO(gif)).n_frames > 1
(b'GIF89a', True)

Pictures are drawn on the server with matplotlib in plain longitude/latitude (plate carrée,
stretched by 1/cos of the centre latitude), with the same colours, widths and text as the map.
Labels are placed by ``imcgeo.labelling`` (no two overlap, drawn above the arcs); transfers from
or to missions no source names are dashed, from or to a hollow ring at their indicative point.
Animations are paced by ``imcgeo.timeline.pace``: quick through empty years, holding on the years
that carry the story. Every export's credits line carries the scene's sources.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from PIL import Image
from pyproj import Geod

from imcgeo import labelling, webmap
from imcgeo.atlas import Atlas, Frame
from imcgeo.credits import credits_line
from imcgeo.deckjson import WORLD_CAMERA
from imcgeo.encoding import (
    HOST_TONES,
    LAND_TONES,
    SERVICE_CENTRE,
    STATUS_STYLE,
    land_tone,
    legend,
    mission_style,
)
from imcgeo.tables import csv_bytes
from imcgeo.timeline import pace, transfer_years
from imcgeo.view import View

__all__ = [
    "FORMATS",
    "FORMAT_HELP",
    "credits",
    "export",
    "gif_bytes",
    "html_bytes",
    "mp4_bytes",
    "png_bytes",
    "schedule",
]

FORMATS = ("gif", "mp4", "png", "html", "csv")
#: What each format is, for help texts.
FORMAT_HELP = {
    "gif": "animated timeline (loops; plays in slides and chat)",
    "mp4": "animated timeline as an H.264 video",
    "png": "1920x1080 still of the view's year",
    "html": "the interactive map as one offline file",
    "csv": "the filtered transfers, for a spreadsheet",
}
_GEOD = Geod(ellps="WGS84")
#: Colours of the text drawn on pictures: title and year, caption, credits.
TEXT_RGB = ((34, 34, 34), (45, 62, 80), (51, 51, 51), (102, 102, 102))


def export(
    fmt: str,
    atlas: Atlas,
    view: View,
    progress: Callable[[float], None] | None = None,
    *,
    seconds_per_year: float = 1.0,
    hold: float = 3.0,
) -> bytes:
    """The bytes of one export of *view*: ``gif``, ``mp4``, ``png``, ``html`` or ``csv``.

    *seconds_per_year* and *hold* pace the animations (``imcgeo.timeline.pace``).
    """
    if fmt == "gif":
        return gif_bytes(atlas, view, progress=progress, seconds_per_year=seconds_per_year, hold=hold)
    if fmt == "mp4":
        return mp4_bytes(atlas, view, progress=progress, seconds_per_year=seconds_per_year, hold=hold)
    if fmt == "png":
        return png_bytes(atlas, view)
    if fmt == "html":
        return html_bytes(atlas, view)
    if fmt == "csv":
        return csv_bytes(atlas.selected(view))
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def credits(atlas: Atlas, view: View) -> str:
    """The credits line of an export: the data's credits, and the sources of the view's scene when it is one.

    >>> atlas = Atlas.shipped()
    >>> credits(atlas, atlas.scene_view("syria-2012")).split(" · Sources: ")[1]
    'S/RES/2042 (2012); S/RES/2043 (2012); S/PV.6886; UN News, 2012-12-12'
    """
    line, sources = _credits(atlas, view)
    return line + (" · " + sources if sources else "")


def _credits(atlas: Atlas, view: View) -> tuple[str, str]:
    """The data's credits and the scene's sources ("Sources: ...", empty if none), in the view's language."""
    tr = atlas.translator(view.lang)
    scene = atlas.scene(view.scene)
    sources = (
        tr.gettext("Sources: {sources}").format(sources="; ".join(scene.sources)) if scene and scene.sources else ""
    )
    return credits_line(strength=atlas.strength is not None, tr=tr), sources


def schedule(atlas: Atlas, view: View, *, seconds_per_year: float = 1.0, hold: float = 3.0) -> dict[int, float]:
    """Seconds on screen for each year of the view's animation (``imcgeo.timeline.pace``).

    A scene dwells on its own year; the end of the story holds *hold* seconds more.
    """
    scene = atlas.scene(view.scene)
    return pace(atlas.selected(view), view.first, view.last, mode=view.mode, focus=scene.year if scene else None,
                seconds_per_year=seconds_per_year, hold=hold)  # fmt: skip


# --- HTML ---------------------------------------------------------------------------------------


def html_bytes(atlas: Atlas, view: View) -> bytes:
    """One self-contained HTML file: the page's own animated map (imcgeo/web/map.js) standing alone.

    deck.gl, the map, the data and the outlines are inlined; it plays, steps, shows the histogram,
    legend, title, caption, text tooltips and the credits with the scene's sources, and requests
    nothing from anywhere (``imcgeo.webmap.offline_html``).
    """
    return webmap.offline_html(atlas, view, credits=credits(atlas, view))


# --- pictures -----------------------------------------------------------------------------------


class _Canvas:
    """A matplotlib figure of the view that redraws only what changes between frames.

    Its own ``Figure`` on an Agg canvas: no pyplot, no global backend, safe in server threads.
    """

    def __init__(self, atlas: Atlas, view: View, size: tuple[int, int]):
        self.atlas, self.view = atlas, view
        width, height = size
        self.fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0, 0.06, 1, 0.80))
        self.ax.set_axis_off()
        self._extent(width, height * 0.80)
        outlines = atlas.outlines["features"]
        self.iso3 = [f["properties"]["iso3"] for f in outlines]
        self.tones = [f["properties"].get("tone", 0) for f in outlines]
        self.countries = PatchCollection(
            [PathPatch(_path(f["geometry"])) for f in outlines], linewidths=0.0, edgecolors="none", zorder=1
        )
        self.ax.add_collection(self.countries)
        placed = atlas.missions[atlas.missions["hq_lat"].notna()]
        self.placed = placed
        self.points = self.ax.scatter(placed["hq_lon"], placed["hq_lat"], s=16, zorder=3, linewidths=0.8)
        self.arcs = LineCollection([], zorder=2, capstyle="butt", joinstyle="round")
        self.ax.add_collection(self.arcs)
        scale = height / 720
        self.unnamed = LineCollection([], zorder=2, capstyle="butt", linestyles=(0, (3, 2)))
        self.ax.add_collection(self.unnamed)
        self.rings = self.ax.scatter([], [], s=110 * scale**2, zorder=3, facecolors="none", edgecolors="#2d3e50",
                                     linewidths=1.2 * scale, linestyles="--")  # fmt: skip
        self.title = self.fig.text(0.015, 0.955, atlas.title(view), fontsize=20 * scale, weight="bold", va="center")
        self.year = self.fig.text(0.985, 0.955, "", fontsize=30 * scale, weight="bold", ha="right", va="center",
                                  color="#2d3e50")  # fmt: skip
        self.caption = self.fig.text(0.015, 0.895, "", fontsize=12 * scale, va="center", color="#333")
        # Two lines under the map: the scene's sources (what a briefer is asked for), then the data's credits.
        line, sources = _credits(atlas, view)
        self.credits = self.fig.text(0.985, 0.006, line, fontsize=8 * scale, ha="right", va="bottom",
                                     color="#666")  # fmt: skip
        self.sources = self.fig.text(0.985, 0.03, sources, fontsize=8.5 * scale, ha="right", va="bottom",
                                     color="#444")  # fmt: skip
        self.labels: list = []
        self.boxes: dict[str, tuple] = {}
        self.scale = scale
        self._legend(scale)
        self.renderer = self.fig.canvas.get_renderer()
        for text in (self.credits, self.sources):
            self._fit(text, width - 0.03 * width)
        self.first_year = transfer_years(atlas.transfers)[0]

    def _fit(self, text, width_px: float) -> None:
        """Shrink *text* until it fits *width_px* (a long list of sources must not run off the picture)."""
        while text.get_window_extent(self.renderer).width > width_px and text.get_fontsize() > 4:
            text.set_fontsize(text.get_fontsize() * 0.92)

    def _extent(self, width: float, height: float) -> None:
        lat, lon, zoom = self.view.camera or WORLD_CAMERA
        span_lon = min(360.0, 360.0 * (width / 512) / 2**zoom)
        stretch = 1 / max(np.cos(np.radians(lat)), 0.2)
        span_lat = min(170.0, span_lon * height / width / stretch)
        self.ax.set_xlim(lon - span_lon / 2, lon + span_lon / 2)
        self.ax.set_ylim(max(-85.0, lat - span_lat / 2), min(85.0, lat + span_lat / 2))
        self.ax.set_aspect("auto")  # the limits above already give 1/cos(lat) on the figure's own shape

    def _legend(self, scale: float) -> None:
        tr = self.atlas.translator(self.view.lang)
        handles = [
            Line2D([], [], color=np.array(rgb) / 255, lw=3, label=text) for text, rgb in legend(self.view.colour, tr)
        ]
        handles += [
            Line2D([], [], marker="o", ls="", color="#2d3e50", label=tr.gettext("mission (active)")),
            Line2D([], [], marker="o", ls="", mfc="white", mec="#2d3e50",
                   label=tr.gettext("service centre / not yet started")),
            Line2D([], [], color="#2d3e50", lw=1.5, ls=(0, (3, 2)), marker="o", mfc="none", markevery=[0],
                   label=tr.gettext("from / to missions no source names")),
        ]  # fmt: skip
        self.legend = self.ax.legend(handles=handles, loc="lower left", fontsize=8.5 * scale, frameon=True,
                                     framealpha=0.9, title=tr.label(self.view.colour),
                                     title_fontsize=9 * scale)  # fmt: skip
        self.legend.set_zorder(6)

    def draw(self, year: int, growth: float = 1.0) -> Image.Image:
        """The frame for *year*; transfers that start in it drawn to *growth* (0-1) of their length."""
        frame = self.atlas.frame(replace(self.view, year=year, date=None))
        self.countries.set_facecolor(
            [np.array(land_tone(tone, code in frame.hosts)) / 255 for tone, code in zip(self.tones, self.iso3)]
        )
        style = [mission_style(k, s) for k, s in zip(self.placed["kind"], frame.status.loc[self.placed.index])]
        self.points.set_facecolor([np.array(s["fill"]) / 255 for s in style])
        self.points.set_edgecolor([np.array(s["line"]) / 255 for s in style])
        drawn = {False: ([], [], []), True: ([], [], [])}
        rings = []
        for index, record in frame.arcs.items():
            part = growth if self.first_year[index] == year else 1.0
            segments_, colours_ = _arc(record, part)
            unnamed = record.get("unnamed")
            if unnamed:  # one colour along the dash: a fade would hide it at the indicative end
                colours_ = [(*(np.array(record["c1"][:3]) / 255), 0.9)] * len(segments_)
                rings.append(record["from"] if unnamed == "source" else record["to"])
            segments, colours, widths = drawn[bool(unnamed)]
            segments += segments_
            colours += colours_
            widths += [record["w"] * 0.75 * self.scale] * len(segments_)
        for collection, (segments, colours, widths) in ((self.arcs, drawn[False]), (self.unnamed, drawn[True])):
            collection.set_segments(segments)
            collection.set_color(colours)
            collection.set_linewidth(widths)
        self.rings.set_offsets(np.array(rings, dtype=float).reshape(-1, 2))
        self._labels(frame, rings)
        self.year.set_text(str(year))
        self.caption.set_text(frame.caption)
        self.fig.canvas.draw()
        return Image.frombuffer("RGBA", self.fig.canvas.get_width_height(), self.fig.canvas.buffer_rgba()).convert(
            "RGB"
        )

    def _labels(self, frame: Frame, rings: list) -> None:
        """The frame's labels where ``imcgeo.labelling`` puts them: none overlapping, clear of the legend.

        Each ring of unnamed missions is labelled "not named" too, after every mission's label.
        """
        for text in self.labels:
            text.remove()
        self.labels = []
        rows = self.placed[self.placed["acronym"].isin(frame.labels)]
        anchors = {a: (lon, lat) for a, lat, lon in zip(rows["acronym"], rows["hq_lat"], rows["hq_lon"])}
        order = labelling.importance(frame.shown, list(anchors))
        tr = frame.tr
        texts = {a: (tr.mission_acronym(a), "bold") for a in anchors}
        for i, (lon, lat) in enumerate(dict.fromkeys(map(tuple, rings))):
            anchors[f"ring {i}"] = (lon, lat)
            texts[f"ring {i}"] = (tr.gettext("not named"), "normal")
            order.append(f"ring {i}")
        box = self.ax.get_window_extent(self.renderer)
        points, sizes = {}, {}
        font = 8 * self.scale
        pad = 0.15 * font * self.fig.dpi / 72  # the label box's padding, in pixels
        for key, (lon, lat) in anchors.items():
            x, y = self.ax.transData.transform((lon, lat))
            points[key] = (x - box.x0, box.y1 - y)
            probe = self.ax.text(0, 0, texts[key][0], fontsize=font, weight=texts[key][1])
            extent = probe.get_window_extent(self.renderer)
            probe.remove()
            sizes[key] = (extent.width + 2 * pad + 1, extent.height + 2 * pad + 1)
        legend = self.legend.get_window_extent(self.renderer)
        legend_px = (legend.x0 - box.x0, box.y1 - legend.y1, legend.x1 - box.x0, box.y1 - legend.y0)
        placed = labelling.place_labels(points, sizes, order, width=box.width, height=box.height, gap=5 * self.scale,
                                        obstacles=[legend_px])  # fmt: skip
        self.boxes = {key: where.box for key, where in placed.items()}
        leader = {"arrowstyle": "-", "color": "#444", "lw": 0.7 * self.scale, "shrinkA": 0, "shrinkB": 3}
        for key, where in placed.items():
            dx, dy = where.offset
            text, weight = texts[key]
            self.labels.append(
                self.ax.annotate(text, anchors[key], xytext=(dx, -dy), textcoords="offset pixels", ha="center",
                                 va="center", fontsize=font, weight=weight, zorder=5,
                                 style="italic" if weight == "normal" else "normal",
                                 arrowprops=leader if where.leader else None,
                                 bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
            )  # fmt: skip


def _path(geometry: dict) -> MplPath:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    vertices, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            ring = np.asarray(ring, dtype=float)
            vertices.append(ring)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _arc(record: dict, part: float, steps: int = 24) -> tuple[list, list]:
    """A great-circle arc as short segments fading from source to target, cut at *part* of its length."""
    (lon1, lat1), (lon2, lat2) = record["from"], record["to"]
    inner = _GEOD.npts(lon1, lat1, lon2, lat2, steps - 1)
    points = np.array([(lon1, lat1), *inner, (lon2, lat2)])
    points[:, 0] = np.degrees(np.unwrap(np.radians(points[:, 0])))  # no jump across the antimeridian
    keep = max(1, round(part * steps))
    rgb = np.array(record["c1"][:3]) / 255
    alpha0, alpha1 = record["c0"][3] / 255, record["c1"][3] / 255
    segments = [points[i : i + 2] for i in range(keep)]
    colours = [(*rgb, alpha0 + (alpha1 - alpha0) * (i + 1) / steps) for i in range(keep)]
    return segments, colours


def png_bytes(atlas: Atlas, view: View, size: tuple[int, int] = (1920, 1080)) -> bytes:
    """A still of the view at its year, at slide resolution, with title, caption, legend and credits."""
    image = _Canvas(atlas, view, size).draw(view.year)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _frames(atlas: Atlas, view: View, frames_per_year: int, size: tuple[int, int], progress, hold: float,
            seconds_per_year: float):  # fmt: skip
    """The timeline's pictures and how long each stays (seconds), paced by ``schedule``.

    A year where arcs start gets *frames_per_year* pictures (the arcs grow), any other year one;
    the year's time is shared among them, and the end of the story's *hold* goes to its last.
    """
    seconds = schedule(atlas, view, seconds_per_year=seconds_per_year, hold=0)
    held = schedule(atlas, view, seconds_per_year=seconds_per_year, hold=hold)
    starts = set(transfer_years(atlas.selected(view))[0])
    steps = []
    for year in range(view.first, view.last + 1):
        count = frames_per_year if year in starts else 1
        steps += [(year, (k + 1) / count, seconds[year] / count) for k in range(count)]
        steps[-1] = (year, 1.0, steps[-1][2] + held[year] - seconds[year])
    canvas = _Canvas(atlas, view, size)
    for i, (year, growth, duration) in enumerate(steps):
        yield canvas.draw(year, growth), duration
        if progress:
            progress((i + 1) / len(steps))


def gif_bytes(
    atlas: Atlas,
    view: View,
    *,
    frames_per_year: int = 2,
    size: tuple[int, int] = (1280, 720),
    seconds_per_year: float = 1.0,
    hold: float = 3.0,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The timeline from the view's first to last year, paced by ``schedule`` (quick through empty years).

    Arcs that start in a year grow over its *frames_per_year* frames; the end of the story holds
    *hold* seconds more. One palette serves every frame, which keeps colours steady: every colour
    of the legend, the land and the missions exactly, then the last (fullest) frame's most common
    blends. Identical consecutive frames are merged by the GIF encoder, their durations added.
    """
    palette = _gif_palette(_Canvas(atlas, view, size).draw(view.last), view.colour)
    frames, durations = [], []
    for image, duration in _frames(atlas, view, frames_per_year, size, progress, hold, seconds_per_year):
        frames.append(image.quantize(palette=palette, dither=Image.Dither.NONE))
        durations.append(max(20, round(duration * 100) * 10))  # GIFs count in hundredths of a second
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)  # fmt: skip
    return out.getvalue()


def _gif_palette(reference: Image.Image, colour_by: str) -> Image.Image:
    """A 256-colour palette that holds every drawn key colour exactly, filled up from *reference*."""
    fixed = [rgb for _, rgb in legend(colour_by)]
    fixed += [tuple(c[:3]) for c in (*LAND_TONES, *HOST_TONES)]
    fixed += [tuple(style[i][:3]) for style in (*STATUS_STYLE.values(), SERVICE_CENTRE) for i in (0, 1)]
    fixed += [(255, 255, 255), (0, 0, 0), *TEXT_RGB]
    fixed = list(dict.fromkeys(fixed))
    adaptive = reference.quantize(colors=256 - len(fixed), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = Image.new("P", (1, 1))
    palette.putpalette([c for rgb in fixed for c in rgb] + adaptive.getpalette()[: 3 * (256 - len(fixed))])
    return palette


def mp4_bytes(
    atlas: Atlas,
    view: View,
    *,
    frames_per_year: int = 2,
    size: tuple[int, int] = (1280, 720),
    seconds_per_year: float = 1.0,
    hold: float = 3.0,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The same timeline as the GIF, paced the same, as an H.264 video (the ffmpeg that ships in imageio-ffmpeg).

    Frames play at 10 per second, each drawing held as long as in the GIF; encoding is single
    threaded and bit-exact, so the same view always gives the same bytes.
    """
    import tempfile

    import imageio_ffmpeg

    fps = 10
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "timeline.mp4")
        writer = imageio_ffmpeg.write_frames(
            path, size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None, bitrate=None,
            output_params=["-crf", "23", "-preset", "veryfast", "-threads", "1", "-fflags", "+bitexact",
                           "-flags:v", "+bitexact", "-map_metadata", "-1"],
            ffmpeg_log_level="error", macro_block_size=16,
        )  # fmt: skip
        writer.send(None)
        try:
            elapsed = sent = 0
            for image, duration in _frames(atlas, view, frames_per_year, size, progress, hold, seconds_per_year):
                elapsed += duration
                # Whole video frames up to the picture's end time: the total stays exact despite rounding.
                count = max(0, round(elapsed * fps) - sent)
                picture = np.asarray(image).tobytes()
                for _ in range(count):
                    writer.send(picture)
                sent += count
        finally:
            writer.close()
        return Path(path).read_bytes()
