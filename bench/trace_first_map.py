"""Where the browser's time to a visible map goes: a Chrome trace of one page load, today's page beside the old one.

    python bench/trace_first_map.py                       # today's dashboard and the old one (/tmp/oldmain)
    python bench/trace_first_map.py --keep /tmp/traces    # also keep the trace files (chrome://tracing, Perfetto)

Each page is loaded once to warm its server and the browser's cache, then once more with
tracing on. A screenshot loop watches the map's box; when it first shows drawn pixels the page
gets a ``performance.mark("visible")``. Printed for each page: milestones in ms after navigation
(DOM ready, each map file's fetch from resource timing, first canvas, visible) and where the
renderer's main thread spent its time before "visible" (script evaluation and compilation by
file, function calls by file, style/layout/paint, idle), plus the GPU process's busy time.

Servers listen on 127.0.0.1, ports 8630-8631.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import start, stop  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink.user_timing",
              "loading", "gpu", "toplevel"]  # fmt: skip
#: Canvas creation times, recorded from the very start of each document.
INIT = """
window.__canvases = [];
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes)
    if (n.nodeName === 'CANVAS' || (n.querySelector && n.querySelector('canvas')))
      window.__canvases.push(performance.now());
}).observe(document, {childList: true, subtree: true});
// WebSocket messages as they arrive: [ms, bytes] (the page's script output reaches the browser here).
window.__messages = [];
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener('message', (e) => window.__messages.push([performance.now(),
    e.data.byteLength || e.data.size || e.data.length || 0]));
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
Object.assign(window.WebSocket, NativeSocket);
"""
MAP_BOX = {"new": ".imcgeo-map", "old": "[data-testid='stDeckGlJsonChart']"}


def watch_visible(page, selector: str, limit: float = 120) -> float:
    """Poll screenshots of *selector* until it shows more than three colours; mark it; return page ms."""
    from PIL import Image

    box = page.locator(selector).first
    box.wait_for(timeout=limit * 1000)
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        rect = box.bounding_box()
        if rect and rect["width"] > 10 and rect["height"] > 10:
            colours = Image.open(io.BytesIO(page.screenshot(clip=rect))).convert("RGB").getcolors(maxcolors=4096)
            if colours is None or len(colours) > 3:
                return page.evaluate("performance.mark('visible'), performance.now()")
        time.sleep(0.05)
    raise TimeoutError(f"{selector} showed nothing within {limit} s")


def milestones(page) -> dict:
    nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
    nav = json.loads(nav)
    out = {"DOM ready": nav["domContentLoadedEventEnd"], "load": nav["loadEventEnd"]}
    for entry in page.evaluate("performance.getEntriesByType('resource').map(e => [e.name, e.startTime, e.responseEnd,"
                               " e.transferSize, e.encodedBodySize])"):  # fmt: skip
        name, begin, end, transfer, size = entry
        if "/static/imcgeo/" in name or "_stcore/stream" in name or (name.endswith(".js") and size > 500_000):
            short = name.rsplit("/", 1)[-1][:40]
            out[f"fetch {short} ({size // 1024} kB{', cached' if transfer == 0 else ''})"] = (begin, end)
    canvases = page.evaluate("window.__canvases")
    if canvases:
        out["first canvas (outside shadow roots)"] = canvases[0]
    messages = page.evaluate("window.__messages")
    if messages:
        out["first WebSocket message"] = messages[0][0]
        big = [m for m in messages if m[1] > 50_000]
        if big:
            out[f"first WebSocket message over 50 kB ({big[0][1] // 1024} kB: the map's element)"] = big[0][0]
    return out


def merged(intervals: list[tuple[float, float]]) -> float:
    """Total length of the union of [start, end) intervals (nested trace events counted once)."""
    total, reach = 0.0, float("-inf")
    for begin, end in sorted(intervals):
        if end <= reach:
            continue
        total += end - max(begin, reach)
        reach = end
    return total


def summarise(trace_path: Path, visible_ms: float) -> dict:
    """Busy time (ms) of the renderer's main thread before the 'visible' mark, by kind and file; GPU busy time.

    The window starts at the page's time origin: the mark's timestamp less *visible_ms* (its performance.now()).
    """
    events = json.loads(trace_path.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    threads = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
    mains = {key for key, name in threads.items() if name == "CrRendererMain"}
    marks = [e for e in events if e.get("name") == "visible" and (e["pid"], e["tid"]) in mains]
    if not marks:
        return {}
    main = (marks[-1]["pid"], marks[-1]["tid"])
    end = marks[-1]["ts"]
    begin = end - visible_ms * 1000
    busy: dict[str, list] = defaultdict(list)
    tasks: list[tuple[float, float]] = []
    gpu: list[tuple[float, float]] = []
    chunks: list[tuple[float, float]] = []  # the GPU process's long WebGL tasks (shader compiles, first draws)
    for e in events:
        if e.get("ph") != "X" or not (begin <= e.get("ts", 0) < end):
            continue
        key = (e["pid"], e["tid"])
        name, span = e["name"], (e["ts"] / 1000, (e["ts"] + e.get("dur", 0)) / 1000)
        top = name in ("RunTask", "ThreadControllerImpl::RunTask")
        if top and threads.get(key, "").startswith(("CrGpuMain", "VizCompositorThread")):
            gpu.append(span)
        if name == "WebGL" and threads.get(key, "").startswith("CrGpuMain") and span[1] - span[0] > 40:
            chunks.append((span[0] - begin / 1000, span[1] - span[0]))
        if key != main:
            continue
        args = e.get("args", {}).get("data", {}) or {}
        url = str(args.get("url") or args.get("scriptName") or "")
        short = url.rsplit("/", 1)[-1][:34] or "(inline)"
        if top:
            tasks.append(span)
        elif name == "EvaluateScript":
            busy[f"evaluate {short}"].append(span)
        elif name in ("v8.compile", "V8.CompileCode", "v8.compileModule", "CompileScript"):
            busy[f"compile {short}"].append(span)
        elif name == "FunctionCall":
            busy[f"call {short}"].append(span)
        elif name in ("UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "UpdateLayer", "Commit"):
            busy["style, layout, paint"].append(span)
        elif name in ("ParseHTML", "ParseAuthorStyleSheet"):
            busy["parse HTML/CSS"].append(span)
        elif name in ("MajorGC", "MinorGC", "V8.GC_SCAVENGER", "BlinkGC.AtomicPhase"):
            busy["garbage collection"].append(span)
    window, busy_ms = (end - begin) / 1000, merged(tasks)
    return {"window": window, "tasks": busy_ms, "idle": window - busy_ms, "gpu": merged(gpu), "chunks": chunks,
            "busy": {name: merged(spans) for name, spans in busy.items()}}  # fmt: skip


def trace_page(browser, url: str, selector: str, keep: Path | None, label: str) -> tuple[dict, dict]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(INIT)
    page = context.new_page()
    page.goto(url)  # warm: server caches, browser cache
    watch_visible(page, selector)
    page.wait_for_timeout(1500)
    page.goto("about:blank")
    page.goto(url)  # untraced: milestones without the tracer's overhead
    visible = watch_visible(page, selector)
    plain = milestones(page)
    plain["visible"] = visible
    page.wait_for_timeout(1500)
    folder = keep or Path(tempfile.mkdtemp())
    path = folder / f"trace-{label}.json"
    browser.start_tracing(page=page, path=str(path), categories=CATEGORIES)
    page.goto("about:blank")
    page.goto(url)
    visible = watch_visible(page, selector)
    found = milestones(page)
    found["visible"] = visible
    page.wait_for_timeout(300)
    browser.stop_tracing()
    context.close()
    summary = summarise(path, visible)
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return plain, found, summary


def show(label: str, plain: dict, found: dict, summary: dict) -> None:
    print(f"\n{label}: milestones of a warm load, untraced")
    for name, value in sorted(plain.items(), key=lambda kv: kv[1][0] if isinstance(kv[1], tuple) else kv[1]):
        text = f"{value[0]:.0f} -> {value[1]:.0f}" if isinstance(value, tuple) else f"{value:.0f}"
        print(f"  {name:<70}{text:>16} ms")
    print(f"{label}: the traced load (slower: the tracer's own cost)")
    for name, value in sorted(found.items(), key=lambda kv: kv[1][0] if isinstance(kv[1], tuple) else kv[1]):
        text = f"{value[0]:.0f} -> {value[1]:.0f}" if isinstance(value, tuple) else f"{value:.0f}"
        print(f"  {name:<70}{text:>16} ms")
    if not summary:
        print("  (no 'visible' mark in the trace)")
        return
    print(f"  main thread before visible: {summary['window']:.0f} ms, busy {summary['tasks']:.0f} ms, "
          f"idle {summary['idle']:.0f} ms; GPU/compositor busy {summary['gpu']:.0f} ms")  # fmt: skip
    chunks = ", ".join(f"{at:.0f}+{ms:.0f}" for at, ms in summary["chunks"])
    print(f"  GPU process WebGL tasks over 40 ms (start+ms): {chunks}")
    for name, ms in sorted(summary["busy"].items(), key=lambda kv: -kv[1])[:14]:
        print(f"    {name:<56}{ms:>10.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="/tmp/oldmain", help="a worktree of the dashboard before the browser map")
    parser.add_argument("--keep", help="keep the traces in this folder")
    args = parser.parse_args()
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    old = Path(args.old)
    procs = {"new": start(ROOT, 8630)}
    if (old / "dashboard.py").exists():
        procs["old"] = start(old, 8631)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            results = {}
            for label, port in (("new", 8630), ("old", 8631)):
                if label in procs:
                    results[label] = trace_page(browser, f"http://127.0.0.1:{port}", MAP_BOX[label], keep, label)
            browser.close()
    finally:
        stop(*procs.values())
    names = {"new": "today's dashboard (browser map component)", "old": "old dashboard (st.pydeck_chart)"}
    for label, (plain, found, summary) in results.items():
        show(names[label], plain, found, summary)


if __name__ == "__main__":
    main()
