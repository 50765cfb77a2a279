"""Where a frame of playback goes in the browser: a JavaScript CPU profile and a trace of the dashboard's map playing.

    python bench/profile_playback.py                 # today's dashboard, 6 s of Play
    python bench/profile_playback.py --folder /tmp/propmain --seconds 8

Opens the dashboard (``--folder``, default this repository) in headless Chromium on 127.0.0.1:8632,
presses the map's Play and, for *seconds*, records the V8 CPU profile (self time by function and
file) and a Chrome trace (the renderer's main thread and the GPU process, busy time per frame).
Prints frames per second, main-thread and GPU busy milliseconds per frame, and the costliest
JavaScript functions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import start, stop  # noqa: E402
from trace_first_map import FLAGS, merged  # noqa: E402


def js_self_times(profile: dict) -> Counter:
    """Self time (ms) of each function in a V8 CPU profile, keyed 'name (file:line)'."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    counts: Counter = Counter(profile.get("samples", []))
    deltas = profile.get("timeDeltas", [])
    interval = (sum(deltas) / len(deltas) / 1000) if deltas else 1.0
    out: Counter = Counter()
    for node_id, hits in counts.items():
        frame = nodes[node_id]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1][:28]
        out[f"{frame['functionName'] or '(anonymous)'} ({where}:{frame['lineNumber'] + 1})"] += hits * interval
    return out


def main_self_times(events: list, thread, lo: float, hi: float) -> Counter:
    """Self time (ms) of each trace event name on *thread* between *lo* and *hi* (children subtracted)."""
    spans = sorted(
        (e for e in events if e.get("ph") == "X" and (e["pid"], e["tid"]) == thread and lo <= e["ts"] < hi),
        key=lambda e: (e["ts"], -e.get("dur", 0)),
    )
    out: Counter = Counter()
    stack: list = []
    for e in spans:
        begin, dur = e["ts"], e.get("dur", 0)
        while stack and stack[-1][0] + stack[-1][1] <= begin:
            stack.pop()
        if stack:
            out[stack[-1][2]] -= dur / 1000
        out[e["name"]] += dur / 1000
        stack.append((begin, dur, e["name"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=str(ROOT), help="the repository whose dashboard to run")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--save", help="write the V8 CPU profile here (.cpuprofile: Chrome DevTools opens it)")
    parser.add_argument("--mouse-away", action="store_true", help="move the pointer off the page after Play")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    proc = start(Path(args.folder), 8632)
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto("http://127.0.0.1:8632/?mode=active")
            box = page.locator(".imcgeo-map")
            box.evaluate("b => new Promise(r => { const t = () => b.imcgeo && b.imcgeo.painted ? r() : "
                         "setTimeout(t, 100); t(); })")  # fmt: skip
            page.wait_for_timeout(2000)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 500})
            trace = Path(tmp) / "trace.json"
            browser.start_tracing(
                page=page, path=str(trace), categories=["devtools.timeline", "gpu", "toplevel", "blink.user_timing"]
            )
            cdp.send("Profiler.start")
            frames = box.evaluate("b => b.imcgeo.frames")
            box.get_by_role("button", name="Play").click()
            if args.mouse_away:
                page.mouse.move(1, 1)
            page.evaluate("performance.mark('play-start')")
            page.wait_for_timeout(args.seconds * 1000)
            page.evaluate("performance.mark('play-end')")
            frames = box.evaluate("b => b.imcgeo.frames") - frames
            profile = cdp.send("Profiler.stop")["profile"]
            if args.save:
                Path(args.save).write_text(json.dumps(profile))
            browser.stop_tracing()
            box.get_by_role("button", name="Pause").click()
            browser.close()
            events = json.loads(trace.read_text())
            events = events["traceEvents"] if isinstance(events, dict) else events
    finally:
        stop(proc)
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
               if e.get("ph") == "M" and e.get("name") == "thread_name"}  # fmt: skip
    marks = {e["name"]: e["ts"] for e in events if e.get("name") in ("play-start", "play-end")}
    page_main = next(((e["pid"], e["tid"]) for e in events if e.get("name") == "play-start"), None)
    lo, hi = marks.get("play-start", 0), marks.get("play-end", float("inf"))
    spans: dict[str, list] = {"main": [], "gpu": [], "compositor": []}
    for e in events:
        if e.get("ph") != "X" or e["name"] not in ("ThreadControllerImpl::RunTask", "RunTask"):
            continue
        if not lo <= e["ts"] < hi:
            continue
        name = threads.get((e["pid"], e["tid"]), "")
        kind = {"CrRendererMain": "main", "CrGpuMain": "gpu", "VizCompositorThread": "compositor"}.get(name)
        if kind == "main" and page_main and (e["pid"], e["tid"]) != page_main:
            continue
        if kind:
            spans[kind].append((e["ts"] / 1000, (e["ts"] + e.get("dur", 0)) / 1000))
    fps = frames / args.seconds
    print(f"\n{args.folder}: {fps:.1f} frames per second over {args.seconds:.0f} s of Play ({frames} frames)")
    for kind, found in spans.items():
        busy = merged(found)
        per = busy / frames if frames else float("nan")
        print(f"  {kind:<11} busy {busy:7.0f} ms ({busy / args.seconds / 10:.0f} % of the time), {per:.1f} ms a frame")
    print("  the page's main thread by trace event, self time (ms over the window):")
    for name, ms in main_self_times(events, page_main, lo, hi).most_common(args.top):
        print(f"    {ms:8.1f}  {name}")
    print("  costliest JavaScript (self time, ms over the window):")
    for name, ms in js_self_times(profile).most_common(args.top):
        print(f"    {ms:8.1f}  {name}")


if __name__ == "__main__":
    main()
