"""Benchmark the exports: the GIF timeline (target: 25 years at 2 frames a year in at most 10 s,
at most 5 MB), the PNG still and the offline HTML, side by side with drawing every frame afresh;
then each scene's paced GIF beside the old even pace (a second a year, the last frame held 3 s).

    python bench/bench_export.py
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imcgeo import export
from imcgeo.atlas import Atlas


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def fresh_frames(atlas, view, frames: int) -> float:
    """The naive way, for comparison: a new figure for every frame."""
    start = time.perf_counter()
    for i in range(frames):
        canvas = export._Canvas(atlas, view, (1280, 720))
        canvas.draw(view.first + i // 2, 0.5 + 0.5 * (i % 2))
    return time.perf_counter() - start


def main() -> None:
    atlas = Atlas.shipped()
    view, _ = atlas.view_from_query({"from": "1993", "to": "2017", "year": "2017"})
    frames = 2 * (view.last - view.first + 1)
    gif_s, gif = timed(export.gif_bytes, atlas, view)
    sample = 10
    naive_s = fresh_frames(atlas, view, sample) * frames / sample
    png_s, png = timed(export.png_bytes, atlas, view)
    html_s, page = timed(export.html_bytes, atlas, view)
    print(f"\nExports of {view.first}-{view.last}, all shipped transfers (seconds; sizes in MB)")
    print(f"{'':<46}{'seconds':>10}{'MB':>8}{'vs target':>12}")
    print(f"{f'GIF, {frames} frames at 1280x720':<46}{gif_s:>10.1f}{len(gif) / 1e6:>8.2f}{gif_s / 10:>11.2f}x")
    print(f"{'  same frames, a new figure each (est.)':<46}{naive_s:>10.1f}{'':>8}{naive_s / gif_s:>10.1f}x slower")
    print(f"{'GIF size against the 5 MB limit':<46}{'':>10}{'':>8}{len(gif) / 5e6:>11.2f}x")
    print(f"{'PNG still, 1920x1080':<46}{png_s:>10.2f}{len(png) / 1e6:>8.2f}")
    print(f"{'HTML, self-contained':<46}{html_s:>10.2f}{len(page) / 1e6:>8.2f}")
    pacing(atlas)


def gif_seconds(gif: bytes) -> tuple[int, float]:
    image = Image.open(io.BytesIO(gif))
    total = 0
    for frame in range(image.n_frames):
        image.seek(frame)
        total += image.info["duration"]
    return image.n_frames, total / 1000


def pacing(atlas) -> None:
    """Each scene's GIF: frames and length, paced, beside the even pace; time on the scene's year and on empty years."""
    print("\nScene GIFs, paced (export.schedule) beside the even pace of one second a year, last frame held 3 s")
    print(f"{'scene':<24}{'years':>6}{'frames':>8}{'paced s':>9}{'even s':>8}{'on its year':>13}{'empty years':>13}"
          f"{'render s':>10}")  # fmt: skip
    for scene in atlas.scenes:
        view = atlas.scene_view(scene.id)
        seconds = export.schedule(atlas, view)
        render_s, gif = timed(export.gif_bytes, atlas, view)
        frames, total = gif_seconds(gif)
        years = view.last - view.first + 1
        even = years - 1 + 0.5 + 3  # the old pace: two half-second frames a year, the last one held 3 s
        shown = {y for y in seconds if not atlas.frame(atlas.view(**{**vars(view), "year": y})).shown.empty}
        empty = sum(s for y, s in seconds.items() if y not in shown)
        print(f"{scene.id:<24}{years:>6}{frames:>8}{total:>9.2f}{even:>8.1f}{seconds[scene.year]:>12.2f}s"
              f"{empty:>12.2f}s{render_s:>10.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
