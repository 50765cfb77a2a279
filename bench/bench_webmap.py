"""Benchmark the browser map (issue 11) side by side with the old pydeck dashboard, in one run.

    python bench/bench_webmap.py                          # everything (about four minutes on two cores)
    python bench/bench_webmap.py --seconds 5 --rounds 3   # shorter
    python bench/bench_webmap.py --old /tmp/oldmain       # the old dashboard's worktree (default)

The baseline is the dashboard as it was before the browser map replaced ``st.pydeck_chart``
(``git log -S pydeck_chart -- dashboard.py``: be323c2 replaced it), run from a worktree so
nothing in this one changes: ``git worktree add /tmp/oldmain be323c2~1``. Without it the old
page's columns say "n/a".

Prints:
- Streamlit reruns during playback in Chromium: the WebSocket frames the browser sends while the
  map plays (each rerun request is one), for today's page (the map's own Play) and the old one
  (its Play button, a fragment rerun per year).
- Bytes the server sends for one filter change (all WebSocket frames until the page settles).
- Playback frames per second in headless Chromium, beside a trivial deck.gl page animating one
  arc with the same deck.gl bundle (the ratio of frame times; the issue's target is at most 1.5).
- Time to a visible map (first drawn pixels in the map's box, polled by screenshots), median of
  --rounds loads after one warming load each, pages interleaved: today's page, the old page, the
  offline file, and a kepler.gl HTML file of the same three layers where one can be made.

The kepler.gl file is the one keplergl writes (``KeplerGl.save_to_html``, read-only, kepler's own
"No Basemap" style, the three layers in one colour each at full opacity). Its page loads kepler.gl,
React and their peers from CDNs; ``bench/kepler_assets.py`` fetches the same npm packages once into
a cache outside the repository and the page is rewritten to load them from 127.0.0.1:8640 (its
docstring lists what differs: a kepler.gl version the registry has, no Uber fonts). One-time setup,
bench-only (neither is a project requirement)::

    pip install keplergl==0.4.0 && python bench/kepler_assets.py    # needs npm and node once

Without it the kepler.gl row is left out and the reason printed. On that page every request to a
host other than 127.0.0.1 is aborted and counted, and "drawn" waits for a data layer's colour on
its map canvas: its controls alone, drawn before any data, have more than three colours.

Servers listen on 127.0.0.1: streamlit on 8620 and 8621, the kepler.gl page on 8640.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
#: The map's box on each page (time to a visible map is read from a screenshot of it).
MAP_BOX = {"new": ".imcgeo-map", "old": "[data-testid='stDeckGlJsonChart']", "file": "canvas",
           "kepler": "#default-deckgl-overlay"}  # fmt: skip
#: Requests to any host but this machine (aborted on the kepler.gl page, which is the one that makes them).
LOCAL_ONLY = re.compile(r"^(?!https?://127\.0\.0\.1[:/])(https?|wss?)://")

TRIVIAL = """<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}#m{width:100%;height:560px}</style>
</head><body><div id="m"></div><script>__DECK__</script><script>
window.frames_drawn = 0;
const d = new deck.Deck({parent: document.getElementById('m'), width: '100%', height: '100%',
  initialViewState: {latitude: 10, longitude: 15, zoom: 1.3}, controller: true, layers: []});
function tick(now) {
  const t = (now / 4000) % 1;
  d.setProps({layers: [new deck.ArcLayer({id: 'arc', data: [{s: [0, 0], t: [60 * t, 20 * t]}],
    getSourcePosition: x => x.s, getTargetPosition: x => x.t, getSourceColor: [0, 114, 178],
    getTargetColor: [213, 94, 0], getWidth: 3, greatCircle: true, updateTriggers: {getTargetPosition: t}})]});
  window.frames_drawn += 1;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
</script></body></html>"""


class Server(str):
    proc: subprocess.Popen


def start_server(folder: Path, port: int, *extra: str) -> Server | None:
    """``streamlit run dashboard.py`` from *folder* (its own config) on 127.0.0.1:*port*; None if it does not answer."""
    if not (folder / "dashboard.py").exists():
        return None
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(folder)},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(450):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            server = Server(url)
            server.proc = proc
            return server
        except OSError:
            if proc.poll() is not None:
                return None
            time.sleep(0.2)
    proc.kill()
    return None


def watch_socket(page) -> dict:
    """Frames the page sends, bytes it receives, and messages over 10 kB it receives (map frames)."""
    seen = {"sent": 0, "received": 0, "large": 0, "frames": []}

    def received(payload) -> None:
        seen["received"] += len(payload)
        seen["large"] += len(payload) > 10_000

    def on_socket(ws):
        ws.on("framesent", lambda payload: (seen.__setitem__("sent", seen["sent"] + 1), seen["frames"].append(payload)))
        ws.on("framereceived", received)

    page.on("websocket", on_socket)
    return seen


def settle(page, seen: dict, quiet_s: float = 1.5, limit_s: float = 30, expect: bool = False) -> None:
    """Wait until no WebSocket bytes arrived for *quiet_s* seconds (with *expect*, after the first new bytes).

    Waits with ``page.wait_for_timeout``: Playwright's sync API delivers events only inside its own
    calls, so a ``time.sleep`` would count this window's frames in the next one.
    """
    start = time.perf_counter()
    if expect:
        first = seen["received"]
        while seen["received"] == first and time.perf_counter() - start < limit_s:
            page.wait_for_timeout(50)
    last, since = seen["received"], time.perf_counter()
    while time.perf_counter() - start < limit_s:
        page.wait_for_timeout(100)
        if seen["received"] != last:
            last, since = seen["received"], time.perf_counter()
        elif time.perf_counter() - since > quiet_s:
            return


def open_map(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = watch_socket(page)
    page.goto(url)
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=120_000)
    box.evaluate("b => new Promise(r => { const t = () => b.imcgeo.deck ? r() : setTimeout(t, 100); t(); })")
    settle(page, seen)
    return page, box, seen


def sent_kind(payload) -> str:
    """What a WebSocket frame the browser sent asks for: a rerun and the component state it carries, or its kind."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
    kind = message.WhichOneof("type") or "?"
    if kind == "rerun_script":
        states = [
            w.json_value for w in message.rerun_script.widget_states.widgets if w.WhichOneof("value") == "json_value"
        ]
        return f"rerun {' '.join(states)[:120]}"
    return kind


def map_fps(page, box, seconds: float, seen: dict | None = None) -> float:
    """Frames per second the page's map draws during *seconds* of Play (then paused again).

    With *seen* (``watch_socket``), what the socket carried until just before Pause is noted in it
    (``played``): Pause itself hands the date to the page, a rerun the issue asks for.
    """
    frames = box.evaluate("b => b.imcgeo.frames")
    box.get_by_role("button", name="Play").click()
    page.wait_for_timeout(seconds * 1000)
    frames = box.evaluate("b => b.imcgeo.frames") - frames
    if seen is not None:
        seen["played"] = {key: seen[key] for key in ("sent", "received", "large")}
    box.get_by_role("button", name="Pause").click()
    return frames / seconds


def new_map_figures(browser, url: str, seconds: float, trivial: Path, fps_rounds: int) -> dict:
    """Today's page: reruns and bytes while playing, bytes for a filter, and fps beside the trivial page."""
    page, box, seen = open_map(browser, url + "/?mode=active")
    sent, received, large = seen["sent"], seen["received"], seen["large"]
    fps = map_fps(page, box, seconds, seen)
    played = seen["played"]
    reruns, play_bytes, play_frames = played["sent"] - sent, played["received"] - received, played["large"] - large
    what = [sent_kind(frame) for frame in seen["frames"][sent : played["sent"]]]
    settle(page, seen)
    # Frame rates alternate with the trivial page's, so that other work on the machine weighs on both.
    pairs = [(trivial_fps(browser, trivial, seconds), fps)]
    for _ in range(fps_rounds - 1):
        pairs.append((trivial_fps(browser, trivial, seconds), map_fps(page, box, seconds)))
    settle(page, seen)
    received = seen["received"]
    page.get_by_role("combobox", name=re.compile("^Surge")).click()
    page.get_by_role("option", name=re.compile("^election$", re.I)).click()
    settle(page, seen, expect=True)
    filter_bytes = seen["received"] - received
    page.close()
    return {"reruns": reruns, "what": what, "play_bytes": play_bytes, "play_frames": play_frames, "fps_pairs": pairs,
            "filter_bytes": filter_bytes}  # fmt: skip


def dashboard_figures(browser, url: str, seconds: float) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = watch_socket(page)
    page.goto(url)
    page.wait_for_selector("canvas", timeout=120_000)
    settle(page, seen, quiet_s=3)
    out = {"reruns": None, "filter_bytes": None}
    try:
        received = seen["received"]
        page.get_by_role("radio", name="Under way in the year").check(force=True, timeout=5_000)
        settle(page, seen, quiet_s=2, expect=True)
        out["filter_bytes"] = seen["received"] - received
    except Exception as exc:  # the page's widgets move while it is refactored: say so, keep going
        out["filter_note"] = f"no mode control found ({type(exc).__name__})"
    try:
        sent, received, large = seen["sent"], seen["received"], seen["large"]
        page.get_by_role("button", name="Play").first.click(timeout=5_000)
        page.wait_for_timeout(seconds * 1000)
        out["reruns"], out["play_bytes"] = seen["sent"] - sent, seen["received"] - received
        out["play_frames"] = seen["large"] - large
        page.get_by_role("button", name="Pause").first.click(timeout=5_000)
    except Exception as exc:
        out["play_note"] = f"no Play button found ({type(exc).__name__})"
    page.close()
    return out


def trivial_fps(browser, path: Path, seconds: float) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(path.as_uri())
    page.wait_for_function("window.frames_drawn > 10", timeout=60_000)
    start = page.evaluate("window.frames_drawn")
    page.wait_for_timeout(seconds * 1000)
    fps = (page.evaluate("window.frames_drawn") - start) / seconds
    page.close()
    return fps


def offline_fps(browser, path: Path, seconds: float) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(path.as_uri())
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=60_000)
    box.get_by_role("button", name="Play").click()
    start = box.evaluate("b => b.imcgeo.frames")
    page.wait_for_timeout(seconds * 1000)
    fps = (box.evaluate("b => b.imcgeo.frames") - start) / seconds
    page.close()
    return fps


def time_to_map(
    browser, url: str, selector: str = "canvas", remote: list | None = None, drawn=None
) -> tuple[float, float]:
    """Seconds from navigation until the map's box (*selector*) shows drawn pixels, and until its picture is whole.

    Polled by screenshots of the box. Drawn: more than three colours, or *drawn(png)* when given.
    Whole: the first of a run of identical screenshots lasting a second (every layer drawn, labels
    placed); the map is at rest. With *remote* (a list), every request to a host other than
    127.0.0.1 is aborted and its URL appended to *remote*.
    """
    from PIL import Image

    def many_colours(png: bytes) -> bool:
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=4096)
        return colours is None or len(colours) > 3

    drawn = drawn or many_colours
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    if remote is not None:
        page.route(LOCAL_ONLY, lambda route: (remote.append(route.request.url), route.abort()))
    start = time.perf_counter()
    page.goto(url)
    canvas = page.locator(selector).first
    canvas.wait_for(timeout=120_000)
    first = whole = None
    last, since = b"", 0.0
    while time.perf_counter() - start < 120:
        box = canvas.bounding_box()
        if box and box["width"] > 10 and box["height"] > 10:
            taken = time.perf_counter()
            png = page.screenshot(clip=box)
            if first is None and drawn(png):
                first = taken - start
            if first is not None:
                if png != last:
                    last, since = png, taken - start
                elif taken - start - since >= 1.0:
                    whole = since
                    break
        time.sleep(0.05 if first is None else 0.15)
    page.close()
    return (first or float("nan")), (whole or float("nan"))


#: Layer colours in the kepler.gl file: drawn at full opacity, so that "drawn" can look for them (kepler's
#: own controls are drawn over its map canvas and have more than three colours before any layer is).
KEPLER_COLOURS = {"countries": (0, 158, 115), "missions": (230, 159, 0), "transfers": (204, 121, 167)}
KEPLER_PORT = 8640


def kepler_config() -> dict:
    """kepler.gl's map config for the three layers: outlines, mission points, transfer arcs; no basemap."""
    c = KEPLER_COLOURS
    layers = [
        {"id": "countries", "type": "geojson", "config": {
            "dataId": "countries", "label": "countries", "color": list(c["countries"]), "isVisible": True,
            "columns": {"geojson": "_geojson"},
            "visConfig": {"filled": False, "stroked": True, "thickness": 0.5, "opacity": 1, "strokeOpacity": 1,
                          "strokeColor": list(c["countries"])}}},
        {"id": "missions", "type": "point", "config": {
            "dataId": "missions", "label": "missions", "color": list(c["missions"]), "isVisible": True,
            "columnMode": "points", "columns": {"lat": "hq_lat", "lng": "hq_lon"},
            "visConfig": {"radius": 10, "opacity": 1, "filled": True}}},
        {"id": "transfers", "type": "arc", "config": {
            "dataId": "transfers", "label": "transfers", "color": list(c["transfers"]), "isVisible": True,
            "columnMode": "points",
            "columns": {"lat0": "src_lat", "lng0": "src_lon", "lat1": "dst_lat", "lng1": "dst_lon"},
            "visConfig": {"opacity": 1, "thickness": 2, "targetColor": list(c["transfers"])}}},
    ]  # fmt: skip
    # "no_map" is kepler.gl's own "No Basemap" style: like our maps, no tiles. kepler still asks for its
    # default style (dark-matter) at start-up, before the template's addDataToMap applies this one: aborted, counted.
    return {"version": "v1", "config": {"visState": {"layers": layers}, "mapStyle": {"styleType": "no_map"}}}


def kepler_drawn(png: bytes) -> bool:
    """Whether a screenshot of kepler's map shows one of its data layers (KEPLER_COLOURS), not only its controls."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    for colour in KEPLER_COLOURS.values():
        if int((np.abs(pixels - np.array(colour)).max(axis=2) <= 12).sum()) >= 20:
            return True
    return False


def kepler_file(atlas, folder: Path) -> tuple[str | None, str]:
    """The URL of a kepler.gl HTML file of countries, missions and transfers, served from *folder*, or None and why not.

    keplergl writes a page that loads kepler.gl, React and its peers from CDNs; kepler_assets.py fetches
    the same packages once from the npm registry into a cache outside the repository and rewrites the
    page to load them from 127.0.0.1:KEPLER_PORT (a server this function starts; it is
    ``kepler_file.server``, terminate it when done).
    """
    try:
        from keplergl import KeplerGl
    except ImportError:
        return None, "keplergl is not installed (pip install keplergl==0.4.0, then python bench/kepler_assets.py)"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import kepler_assets

    try:
        assets = kepler_assets.ensure()
    except Exception as exc:  # npm, node or the registry missing: say which, compare the rest
        return None, f"its CDN files could not be had from npm ({type(exc).__name__}: {str(exc)[:200]})"
    missions = atlas.missions[atlas.missions["hq_lat"].notna()][["acronym", "hq_lat", "hq_lon"]]
    where = missions.set_index("acronym")
    t = atlas.transfers[
        atlas.transfers["source_mission"].isin(where.index) & atlas.transfers["target_mission"].isin(where.index)
    ]
    arcs = t.assign(
        src_lat=t["source_mission"].map(where["hq_lat"]), src_lon=t["source_mission"].map(where["hq_lon"]),
        dst_lat=t["target_mission"].map(where["hq_lat"]), dst_lon=t["target_mission"].map(where["hq_lon"]),
    )[["event_id", "src_lat", "src_lon", "dst_lat", "dst_lon"]]  # fmt: skip
    kmap = KeplerGl(height=560)
    kmap.add_data(data=json.dumps(atlas.outlines), name="countries")
    kmap.add_data(data=missions, name="missions")
    kmap.add_data(data=arcs, name="transfers")
    raw = folder / "kepler-cdn.html"
    with contextlib.redirect_stdout(io.StringIO()):  # it prints "Map saved to ..."
        kmap.save_to_html(file_name=str(raw), config=kepler_config(), read_only=True)
    served = folder / "kepler"
    served.mkdir(exist_ok=True)
    (served / "assets").symlink_to(assets, target_is_directory=True)
    url = f"http://127.0.0.1:{KEPLER_PORT}"
    html = kepler_assets.localize(raw.read_text(encoding="utf-8"), assets, f"{url}/assets")
    (served / "index.html").write_text(html, encoding="utf-8")
    kepler_file.server = kepler_assets.serve(served, KEPLER_PORT)
    info = kepler_assets.manifest(assets)
    notes = [f"keplergl {info['keplergl']}", *sorted(set(info["substituted"].values())),
             *(f"dropped {u} ({why})" for u, why in {**info["missing"], **info["dropped"]}.items())]  # fmt: skip
    return f"{url}/index.html", "; ".join(notes)


def row(label, *cells):
    print(f"  {label:<52}" + "".join(f"{c:>14}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each playback window")
    parser.add_argument("--rounds", type=int, default=5, help="time-to-map loads per page (after one warming load)")
    parser.add_argument("--fps-rounds", type=int, default=3, help="playback windows of the map and the trivial page")
    parser.add_argument("--old", default="/tmp/oldmain", help="worktree of the dashboard before the browser map")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from imcgeo import webmap
    from imcgeo.atlas import Atlas
    from imcgeo.webmap import DECK_JS

    atlas = Atlas.shipped()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trivial = tmp / "trivial.html"
        trivial.write_text(TRIVIAL.replace("__DECK__", DECK_JS.read_text(encoding="utf-8")), encoding="utf-8")
        offline = tmp / "offline.html"
        offline.write_bytes(webmap.offline_html(atlas, atlas.view(mode="active")))
        kepler_file.server = None
        dashboard = old_dashboard = None
        try:
            kepler, kepler_why = kepler_file(atlas, tmp)
            dashboard = start_server(ROOT, 8620)
            old_dashboard = start_server(Path(args.old), 8621)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                new = new_map_figures(browser, dashboard, args.seconds, trivial, args.fps_rounds) if dashboard else {}
                old = dashboard_figures(browser, old_dashboard, args.seconds) if old_dashboard else {}
                fps_offline = offline_fps(browser, offline, args.seconds)
                pages = {"today's dashboard (browser map component)": (dashboard, MAP_BOX["new"]),
                         "old dashboard (st.pydeck_chart), before be323c2": (old_dashboard, MAP_BOX["old"]),
                         "browser map, offline file": (offline.as_uri(), MAP_BOX["new"])}  # fmt: skip
                kepler_name = "kepler.gl HTML file, same three layers"
                kepler_remote: list[list[str]] = []  # per measured load: the remote URLs it asked for (aborted)
                if kepler:
                    pages[kepler_name] = (kepler, MAP_BOX["kepler"])
                pages = {k: v for k, v in pages.items() if v[0]}
                extra = {kepler_name: {"drawn": kepler_drawn}}
                for name, (url, selector) in pages.items():  # warm each server's caches and the browser's; not counted
                    time_to_map(browser, url, selector, [] if name == kepler_name else None, **extra.get(name, {}))
                times = {name: [] for name in pages}
                for _ in range(args.rounds):
                    for name, (url, selector) in pages.items():
                        remote = None
                        if name == kepler_name:
                            remote = []
                            kepler_remote.append(remote)
                        times[name].append(time_to_map(browser, url, selector, remote, **extra.get(name, {})))
                browser.close()
        finally:
            for server in (dashboard, old_dashboard):
                if server:
                    server.proc.terminate()
                    server.proc.wait(timeout=20)
            if kepler_file.server:
                kepler_file.server.terminate()
                kepler_file.server.wait(timeout=20)

    print(f"\nPlayback in headless Chromium ({args.seconds:.0f} s of Play), one run, same machine")
    row("", "today's page", "old page", "target")
    row("Streamlit reruns asked for (WebSocket frames sent)", new.get("reruns", "n/a"),
        old.get("reruns", old.get("play_note", "n/a")), "0")  # fmt: skip
    row("bytes the server sent during playback", new.get("play_bytes", "n/a"), old.get("play_bytes", "n/a"), "0")
    row("server messages over 10 kB (map frames) in that time", new.get("play_frames", "n/a"),
        old.get("play_frames", "n/a"), "0")  # fmt: skip
    row("bytes sent for one filter change", new.get("filter_bytes", "n/a"),
        old.get("filter_bytes", old.get("filter_note", "n/a")), "<= 20000")  # fmt: skip
    print("  (today: the surge filter; old page: its 'Show transfers' radio, one rerun each)")
    for what in new.get("what", []):
        print(f"  today's page sent while playing: {what}")
    pairs = new.get("fps_pairs") or []
    print(f"\nFrames per second while playing ({len(pairs)} windows of {args.seconds:.0f} s, alternating)")
    row("", "fps", "frame ms", "ratio")
    for i, (fps_trivial, fps_map) in enumerate(pairs, 1):
        row(f"window {i}: trivial deck.gl page, one arc", f"{fps_trivial:.1f}", f"{1000 / fps_trivial:.1f}", "1.00x")
        row(f"window {i}: today's dashboard, its map playing", f"{fps_map:.1f}", f"{1000 / fps_map:.1f}",
            f"{fps_trivial / fps_map:.2f}x")  # fmt: skip
    if pairs:
        ratios = [a / b for a, b in pairs]
        row("median ratio of frame times (map / trivial)", "", "", f"{statistics.median(ratios):.2f}x")
        fps_trivial = statistics.median(a for a, _ in pairs)
        row("browser map, offline file (vs median trivial)", f"{fps_offline:.1f}", f"{1000 / fps_offline:.1f}",
            f"{fps_trivial / fps_offline:.2f}x")  # fmt: skip
    print("  target: the map's frame time at most 1.5x the trivial page's")
    print(f"\nTime to a visible map (s, median of {args.rounds}, after one warming load each; pages interleaved)")
    row("", "drawn", "min-max", "whole", "min-max")
    for name, values in times.items():
        drawn, whole = [v[0] for v in values], [v[1] for v in values]
        row(name, f"{statistics.median(drawn):.2f}", f"{min(drawn):.2f}-{max(drawn):.2f}",
            f"{statistics.median(whole):.2f}", f"{min(whole):.2f}-{max(whole):.2f}")  # fmt: skip
    print("  drawn: first pixels in the map's box; whole: the picture stops changing (every layer and label drawn)")
    if not old_dashboard:
        print(f"  old dashboard: not compared: no worktree at {args.old} (git worktree add {args.old} be323c2~1)")
    if not kepler:
        print(f"  kepler.gl: not compared: {kepler_why}")
    else:
        counts = [len(r) for r in kepler_remote]
        urls = sorted({u for r in kepler_remote for u in r})
        print(
            textwrap.fill(
                f"kepler.gl: keplergl's own page with its CDN files from npm, served from 127.0.0.1:"
                f"{KEPLER_PORT}: {kepler_why}",
                110,
                initial_indent="  ",
                subsequent_indent="    ",
                break_on_hyphens=False,  # keep URLs whole
                break_long_words=False,
            )
        )
        print(f"  kepler.gl: requests to other hosts, aborted: {'/'.join(map(str, counts))} per measured load")
        for u in urls:
            print(f"    {u[:110]}")
        print("  kepler.gl drawn: 20 pixels of a data layer's colour on its map canvas (not its controls alone)")


if __name__ == "__main__":
    main()
