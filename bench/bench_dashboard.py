"""Benchmark the dashboard: script time per rerun, deck JSON size, and time to a visible map.

    python bench/bench_dashboard.py              # AppTest figures only (about a minute)
    python bench/bench_dashboard.py --browser    # also headless Chromium, side by side with a bare page

Script time is measured inside the Streamlit script run (a wrapper times ``dashboard.py``), so
AppTest's own overhead is left out. The browser figures compare, in one run and served the same
way, four pages: a bare page holding a one-point pydeck chart; the floor, a page whose chart has
one polygon, one point and one arc (the three layer types the map must draw: under software WebGL
each new layer type costs a shader compile on first paint, whatever its data); the map alone, the
dashboard's first deck with the shipped data and nothing else on the page; and the dashboard.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WRAPPER = """
import runpy, time
start = time.perf_counter()
try:
    runpy.run_path({dashboard!r}, run_name="__main__")
finally:
    with open({log!r}, "a") as f:
        f.write(f"{{(time.perf_counter() - start) * 1000:.2f}}\\n")
"""
BARE = """
import pydeck as pdk
import streamlit as st
st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", id="p", data=[{"p": [0, 0]}], get_position="p",
                get_radius=200000, get_fill_color=[0, 114, 178])], map_provider=None,
                initial_view_state=pdk.ViewState(latitude=0, longitude=0, zoom=1)), height=560)
"""
FLOOR = """
import pydeck as pdk
import streamlit as st
square = [[[0, 0], [20, 0], [20, 20], [0, 20], [0, 0]]]
layers = [
    pdk.Layer("GeoJsonLayer", id="countries", stroked=False, get_fill_color=[200, 200, 200], data={
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": square}}]}),
    pdk.Layer("ScatterplotLayer", id="missions", data=[{"p": [0, 0]}], get_position="p", get_radius=200000,
              get_fill_color=[0, 114, 178]),
    pdk.Layer("ArcLayer", id="transfers", data=[{"s": [0, 0], "t": [30, 10]}], get_source_position="s",
              get_target_position="t", get_source_color=[0, 114, 178], get_target_color=[213, 94, 0], get_width=3),
]
st.pydeck_chart(pdk.Deck(layers=layers, map_provider=None,
                initial_view_state=pdk.ViewState(latitude=0, longitude=0, zoom=1)), height=560)
"""
MAP_ONLY = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from imcgeo.atlas import Atlas
atlas = st.cache_resource(Atlas.shipped)()
st.pydeck_chart(atlas.frame(atlas.default_view).deck(), height=560)
"""
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def script_times(reruns: int) -> None:
    from streamlit.testing.v1 import AppTest

    from imcgeo.scenes import load_scenes

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "times.txt"
        wrapper = Path(tmp) / "timed_dashboard.py"
        wrapper.write_text(WRAPPER.format(dashboard=str(ROOT / "dashboard.py"), log=str(log)))
        at = AppTest.from_file(str(wrapper), default_timeout=120)
        at.run()
        cold = float(log.read_text().split()[-1])
        log.write_text("")
        surges = [["election"], ["start-up", "security-crisis"], [], ["natural-disaster"]]
        for i in range(reruns):
            at.multiselect(key="w_surge").set_value(surges[i % len(surges)]).run()
        filters = [float(x) for x in log.read_text().split()]
        log.write_text("")
        for i in range(reruns):
            at.radio(key="w_mode").set_value(("active", "cumulative")[i % 2]).run()
        steps = [float(x) for x in log.read_text().split()]
        sizes = {}
        for scene in ["", *(s.id for s in load_scenes())]:
            page = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
            if scene:
                page.query_params["scene"] = scene
            page.run()
            first = len(page.get("bidi_component")[0].proto.json)
            held = json.loads(page.get("bidi_component")[0].proto.json)["view"]["version"]
            page.session_state["map"] = {"data_version": held}  # as a browser that holds the data says
            page.radio(key="w_mode").set_value("active").run()
            sizes[scene or "(first view)"] = (first, len(page.get("bidi_component")[0].proto.json))
    frame_ms = frame_times(reruns)
    print("\nScript time per rerun, all shipped data (ms; target: median at most 50)")
    row("", "median", "p90", "max")
    row(f"filter change (surge), {len(filters)} reruns", *summary(filters))
    row(f"mode change (full rerun), {len(steps)} reruns", *summary(steps))
    row(f"a frame built on the server (exports, CLI), {len(frame_ms)} frames", *summary(frame_ms))
    row("first run (cold: loading and validating data)", f"{cold:.0f}", "", "")
    print("\nSent to the browser map (KB): the first mount (with the data), then a rerun (the view only)")
    row("", "first", "rerun", "")
    for name, (first, rerun) in sizes.items():
        row(name, f"{first / 1000:.0f}", f"{rerun / 1000:.1f}", "")


def frame_times(frames: int) -> list[float]:
    """What a playback tick costs: select the year's transfers and build and serialise the deck."""
    from imcgeo.atlas import Atlas

    atlas = Atlas.shipped().warm()
    times = []
    for i in range(frames):
        year = 1956 + i % 62
        start = time.perf_counter()
        atlas.frame(atlas.view(year=year)).deck().to_json()
        times.append((time.perf_counter() - start) * 1000)
    return times[62:] if len(times) > 62 else times  # after the first pass every year is cached


def summary(values: list[float]) -> tuple[str, str, str]:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.1f}", f"{ordered[int(0.9 * (len(ordered) - 1))]:.1f}", f"{ordered[-1]:.1f}"


def row(label, *cells):
    print(f"{label:<52}" + "".join(f"{c:>10}" for c in cells))


def browser_times(rounds: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        pages = {"bare": BARE, "floor": FLOOR, "map_only": MAP_ONLY.format(root=str(ROOT))}
        for name, text in pages.items():
            (Path(tmp) / f"{name}.py").write_text(text)
        servers = {
            "bare page, one point": start_server(Path(tmp) / "bare.py", 8761),
            "floor: one polygon, one point, one arc": start_server(Path(tmp) / "floor.py", 8763),
            "the map alone (shipped data, no page around it)": start_server(Path(tmp) / "map_only.py", 8764),
            "dashboard": start_server(ROOT / "dashboard.py", 8762),
        }
        try:
            results = {name: [] for name in servers}
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                for url in servers.values():  # a first load warms each server's caches; not counted
                    time_to_map(browser, url)
                for _ in range(rounds):
                    for name, url in servers.items():
                        results[name].append(time_to_map(browser, url))
                browser.close()
        finally:
            for proc in servers.values():
                proc.terminate()
    bare_s = statistics.median(results["bare page, one point"])
    print(f"\nTime to a visible map in headless Chromium (s, median of {rounds}; target: at most 1.3x the bare page)")
    row("", "median", "ratio", "min", "max")
    for name, times in results.items():
        median = statistics.median(times)
        row(name, f"{median:.2f}", f"{median / bare_s:.2f}x", f"{min(times):.2f}", f"{max(times):.2f}")


class Server(str):
    proc: subprocess.Popen

    def terminate(self):
        self.proc.terminate()


def start_server(script: Path, port: int) -> Server:
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    server = Server(url)
    server.proc = proc
    return server


def time_to_map(browser, url: str) -> float:
    """Seconds from navigation until the deck canvas shows drawn pixels (polled by screenshots)."""
    import io

    from PIL import Image

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(url)
    canvas = page.wait_for_selector("canvas", timeout=120_000)
    while time.perf_counter() - start < 120:
        box = canvas.bounding_box()
        if box and box["width"] > 10:
            shot = Image.open(io.BytesIO(page.screenshot(clip=box)))
            colours = shot.convert("RGB").getcolors(maxcolors=4096)
            if colours is None or len(colours) > 3:
                break
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=40)
    parser.add_argument("--browser", action="store_true", help="also time the map in headless Chromium")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    script_times(args.reruns)
    if args.browser:
        browser_times(args.rounds)


if __name__ == "__main__":
    main()
