"""Exports that leave the page: animated GIF, PNG still, self-contained offline HTML, and CSV.

Every export is a pure function of the data and a ``View``, so the page's download buttons and
``python -m imcgeo export`` give the same bytes for the same view. Pictures are drawn on the
server with matplotlib in plain longitude/latitude (plate carrée, stretched by 1/cos of the
centre latitude), with the same colours, widths and text as the map.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pydeck
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from PIL import Image
from pyproj import Geod

from imcgeo import layers
from imcgeo.atlas import MAX_LABELS, Atlas
from imcgeo.timeline import transfer_years
from imcgeo.view import View

__all__ = ["FORMATS", "csv_bytes", "export", "gif_bytes", "html_bytes", "mp4_bytes", "neutralise", "png_bytes"]

FORMATS = ("gif", "mp4", "png", "html", "csv")
CREDITS = "imcgeo · transfers from UN documents (data/README.md) · outlines: Natural Earth · HQs: GeoNames"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GEOD = Geod(ellps="WGS84")


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else is unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5 troops"), neutralise(-5), neutralise("UNMIL")
    ('\\'=HYPERLINK("http://x")', "'-5 troops", -5, 'UNMIL')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row; dates as YYYY-MM-DD; formula-like text cells neutralised."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def export(fmt: str, atlas: Atlas, view: View, progress: Callable[[float], None] | None = None) -> bytes:
    """The bytes of one export of *view*: ``gif``, ``png``, ``html`` or ``csv``."""
    if fmt == "gif":
        return gif_bytes(atlas, view, progress=progress)
    if fmt == "mp4":
        return mp4_bytes(atlas, view, progress=progress)
    if fmt == "png":
        return png_bytes(atlas, view)
    if fmt == "html":
        return html_bytes(atlas, view)
    if fmt == "csv":
        return csv_bytes(atlas.selected(view).drop(columns=[], errors="ignore"))
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


# --- HTML ---------------------------------------------------------------------------------------

_REMOTE = re.compile(r"<script[^>]*\bsrc=[\"']?https?:[^>]*>\s*</script>|<link[^>]*\bhref=[\"']?https?:[^>]*>", re.I)


def html_bytes(atlas: Atlas, view: View) -> bytes:
    """One self-contained HTML file of the view at its year: deck.gl inlined, no remote request.

    The tooltips are text, the legend and caption are written into the page (escaped), and every
    remote ``<script src>`` and ``<link href>`` of pydeck's template is removed.
    """
    deck = layers.offline_deck(atlas.deck_layers(view), view.camera, tooltip={"text": "{tooltip}"})
    # "</" inside a <script> would end it: escape it in the JSON (where "<\/" still means "</").
    deck_json = deck.to_json().replace("</", "<\\/").replace("<!--", "<\\!--")
    page = pydeck.io.html.render_json_to_html(deck_json, tooltip=deck._tooltip, offline=True)
    page = _REMOTE.sub("", page)
    page = page.replace("<title>pydeck</title>", f"<title>{html.escape(atlas.title(view))}</title>", 1)
    page = page.replace("</body>", _html_overlay(atlas, view) + "</body>", 1)
    return page.encode("utf-8")


def _html_overlay(atlas: Atlas, view: View) -> str:
    rows = "".join(
        f"<div><span style='display:inline-block;width:24px;height:5px;margin-right:6px;vertical-align:middle;"
        f"background:linear-gradient(90deg,rgba({r},{g},{b},.27),rgb({r},{g},{b}))'></span>{html.escape(label)}</div>"
        for label, (r, g, b) in layers.legend(view.colour)
    )
    box = (
        "position:absolute;z-index:2;background:rgba(255,255,255,.92);padding:8px 12px;border-radius:4px;"
        "font:13px/1.45 system-ui,sans-serif;color:#222"
    )
    return (
        f"<div id='imcgeo-title' style='{box};top:10px;left:10px;max-width:60%'>"
        f"<b style='font-size:17px'>{html.escape(atlas.title(view))}</b><br>{html.escape(atlas.caption(view))}</div>"
        f"<div id='imcgeo-legend' style='{box};bottom:24px;left:10px'><b>{_key_title(view)}</b>{rows}"
        "<div style='color:#555;margin-top:4px'>Faint → strong: source → target; wider: more</div></div>"
        f"<div style='{box};bottom:4px;right:6px;font-size:11px;padding:2px 6px'>{html.escape(CREDITS)}</div>"
    )


# --- pictures -----------------------------------------------------------------------------------


class _Canvas:
    """A matplotlib figure of the view that redraws only what changes between years."""

    def __init__(self, atlas: Atlas, view: View, size: tuple[int, int]):
        self.atlas, self.view = atlas, view
        width, height = size
        self.fig = plt.figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
        self.ax = self.fig.add_axes((0, 0.06, 1, 0.80))
        self.ax.set_axis_off()
        self._extent(width, height * 0.80)
        outlines = atlas.outlines["features"]
        self.iso3 = [f["properties"]["iso3"] for f in outlines]
        self.features = outlines
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
        self.title = self.fig.text(0.015, 0.955, atlas.title(view), fontsize=20 * scale, weight="bold", va="center")
        self.year = self.fig.text(0.985, 0.955, "", fontsize=30 * scale, weight="bold", ha="right", va="center",
                                  color="#2d3e50")  # fmt: skip
        self.caption = self.fig.text(0.015, 0.895, "", fontsize=12 * scale, va="center", color="#333")
        self.fig.text(0.985, 0.02, CREDITS, fontsize=8 * scale, ha="right", va="bottom", color="#666")
        self.labels: list = []
        self._legend(scale)
        self.ranges = transfer_years(atlas.transfers)
        self.scale = scale

    def _extent(self, width: float, height: float) -> None:
        lat, lon, zoom = self.view.camera or (15.0, 15.0, 1.3)
        span_lon = min(360.0, 360.0 * (width / 512) / 2**zoom)
        stretch = 1 / max(np.cos(np.radians(lat)), 0.2)
        span_lat = min(170.0, span_lon * height / width / stretch)
        self.ax.set_xlim(lon - span_lon / 2, lon + span_lon / 2)
        self.ax.set_ylim(max(-85.0, lat - span_lat / 2), min(85.0, lat + span_lat / 2))
        self.ax.set_aspect("auto")  # the limits above already give 1/cos(lat) on the figure's own shape

    def _legend(self, scale: float) -> None:
        handles = [
            plt.Line2D([], [], color=np.array(rgb) / 255, lw=3, label=label)
            for label, rgb in layers.legend(self.view.colour)
        ]
        handles += [
            plt.Line2D([], [], marker="o", ls="", color="#2d3e50", label="mission (active)"),
            plt.Line2D([], [], marker="o", ls="", mfc="white", mec="#2d3e50", label="service centre / not yet started"),
        ]
        self.ax.legend(handles=handles, loc="lower left", fontsize=8.5 * scale, frameon=True, framealpha=0.9,
                       title=_key_title(self.view), title_fontsize=9 * scale)  # fmt: skip

    def draw(self, year: int, growth: float = 1.0) -> Image.Image:
        """The frame for *year*; transfers that start in it drawn to *growth* (0-1) of their length."""
        maps, view = self.atlas.maps, self.view
        status = maps.status(year)
        hosts = {c for cell in self.atlas.missions.loc[status == "active", "host_iso3"] for c in cell.split(";") if c}
        self.countries.set_facecolor(
            [np.array(layers._tone(f, code in hosts)) / 255 for f, code in zip(self.features, self.iso3)]
        )
        style = [layers._style(k, s) for k, s in zip(self.placed["kind"], status.loc[self.placed.index])]
        self.points.set_facecolor([np.array(s["fill"]) / 255 for s in style])
        self.points.set_edgecolor([np.array(s["line"]) / 255 for s in style])
        shown = self.atlas.shown(view, year)
        records = maps.arcs(shown, view.colour, year).data
        first = self.ranges[0].loc[shown.index] if len(shown) else pd.Series(dtype=int)
        segments, colours, widths = [], [], []
        for record, started in zip(records, first.tolist() if len(shown) else []):
            part = growth if started == year else 1.0
            segments_, colours_ = _arc(record, part)
            segments += segments_
            colours += colours_
            widths += [record["w"] * 0.75 * self.scale] * len(segments_)
        self.arcs.set_segments(segments)
        self.arcs.set_color(colours)
        self.arcs.set_linewidth(widths)
        for label in self.labels:
            label.remove()
        involved = set(shown["source_mission"]) | set(shown["target_mission"])
        self.labels = []
        if len(involved) <= MAX_LABELS:
            rows = self.placed[self.placed["acronym"].isin(involved)]
            for acronym, lat, lon in zip(rows["acronym"], rows["hq_lat"], rows["hq_lon"]):
                self.labels.append(
                    self.ax.annotate(
                        acronym,
                        (lon, lat),
                        xytext=(0, 7 * self.scale),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8 * self.scale,
                        weight="bold",
                        zorder=4,
                        bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                    )
                )
        self.year.set_text(str(year))
        self.caption.set_text(self.atlas.caption(view, year))
        self.fig.canvas.draw()
        return Image.frombuffer("RGBA", self.fig.canvas.get_width_height(), self.fig.canvas.buffer_rgba()).convert(
            "RGB"
        )

    def close(self) -> None:
        plt.close(self.fig)


def _key_title(view: View) -> str:
    return "Surge type" if view.colour == "surge" else "Asset"


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
    canvas = _Canvas(atlas, view, size)
    try:
        image = canvas.draw(view.year)
    finally:
        canvas.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _frames(atlas: Atlas, view: View, frames_per_year: int, size: tuple[int, int], progress):
    """The timeline's pictures, *frames_per_year* a year from the view's first to last year."""
    steps = [
        (year, (k + 1) / frames_per_year) for year in range(view.first, view.last + 1) for k in range(frames_per_year)
    ]
    canvas = _Canvas(atlas, view, size)
    try:
        for i, (year, growth) in enumerate(steps):
            yield canvas.draw(year, growth)
            if progress:
                progress((i + 1) / len(steps))
    finally:
        canvas.close()


def gif_bytes(
    atlas: Atlas,
    view: View,
    *,
    frames_per_year: int = 2,
    size: tuple[int, int] = (1280, 720),
    seconds_per_year: float = 1.0,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The timeline from the view's first to last year, *frames_per_year* frames a year.

    Arcs that start in a year grow over that year's frames; the last frame holds for 3 s. One
    palette (from the last, fullest frame) serves every frame, which keeps colours steady;
    identical consecutive frames are merged by the GIF encoder, their durations added.
    """
    last = _Canvas(atlas, view, size)
    try:
        palette = last.draw(view.last).quantize(colors=192, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    finally:
        last.close()
    frames = [
        image.quantize(palette=palette, dither=Image.Dither.NONE)
        for image in _frames(atlas, view, frames_per_year, size, progress)
    ]
    durations = [int(1000 * seconds_per_year / frames_per_year)] * len(frames)
    durations[-1] = 3000
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)  # fmt: skip
    return out.getvalue()


def mp4_bytes(
    atlas: Atlas,
    view: View,
    *,
    frames_per_year: int = 2,
    size: tuple[int, int] = (1280, 720),
    seconds_per_year: float = 1.0,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The same timeline as the GIF as an H.264 video (the ffmpeg that ships in imageio-ffmpeg).

    Frames play at 10 per second, each drawing held as long as in the GIF; encoding is single
    threaded and bit-exact, so the same view always gives the same bytes.
    """
    import tempfile

    import imageio_ffmpeg

    fps = 10
    hold = max(1, round(fps * seconds_per_year / frames_per_year))
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
            frame = None
            for image in _frames(atlas, view, frames_per_year, size, progress):
                if frame is not None:
                    for _ in range(hold):
                        writer.send(frame)
                frame = np.asarray(image).tobytes()
            for _ in range(3 * fps):  # the last frame holds for 3 s, as in the GIF
                writer.send(frame)
        finally:
            writer.close()
        return Path(path).read_bytes()
