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
        out["first canvas"] = canvases[0]
    return out


def summarise(trace_path: Path) -> dict:
    """Busy time (ms) of the renderer's main thread before the 'visible' mark, by kind and file; GPU busy time."""
    events = json.loads(trace_path.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    threads = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
    mains = {key for key, name in threads.items() if name == "CrRendererMain"}
    marks = [e for e in events if e.get("name") == "visible" and (e["pid"], e["tid"]) in mains]
    nav = [e for e in events if e.get("name") == "navigationStart" and (e["pid"], e["tid"]) in mains]
    if not marks:
        return {}
    main = (marks[-1]["pid"], marks[-1]["tid"])
    end = marks[-1]["ts"]
    begin = max((e["ts"] for e in nav if (e["pid"], e["tid"]) == main and e["ts"] < end), default=0)
    busy: dict[str, float] = defaultdict(float)
    tasks = 0.0
    gpu = 0.0
    for e in events:
        if e.get("ph") != "X" or not (begin <= e.get("ts", 0) < end):
            continue
        key = (e["pid"], e["tid"])
        name, dur = e["name"], e.get("dur", 0) / 1000
        top = name in ("RunTask", "ThreadControllerImpl::RunTask")
        if top and threads.get(key, "").startswith(("CrGpuMain", "VizCompositorThread")):
            gpu += dur
        if key != main:
            continue
        args = e.get("args", {}).get("data", {}) or {}
        url = str(args.get("url") or args.get("scriptName") or "")
        short = url.rsplit("/", 1)[-1][:34] or "(inline)"
        if top:
            tasks += dur
        elif name == "EvaluateScript":
            busy[f"evaluate {short}"] += dur
        elif name in ("v8.compile", "V8.CompileCode", "v8.compileModule", "CompileScript"):
            busy[f"compile {short}"] += dur
        elif name == "FunctionCall":
            busy[f"call {short}"] += dur
        elif name in ("UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "UpdateLayer", "Commit"):
            busy["style, layout, paint"] += dur
        elif name in ("ParseHTML", "ParseAuthorStyleSheet"):
            busy["parse HTML/CSS"] += dur
        elif name in ("MajorGC", "MinorGC", "V8.GC_SCAVENGER", "BlinkGC.AtomicPhase"):
            busy["garbage collection"] += dur
    window = (end - begin) / 1000
    return {"window": window, "tasks": tasks, "idle": window - tasks, "gpu": gpu, "busy": dict(busy)}


def trace_page(browser, url: str, selector: str, keep: Path | None, label: str) -> tuple[dict, dict]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(INIT)
    page = context.new_page()
    page.goto(url)  # warm: server caches, browser cache
    watch_visible(page, selector)
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
    summary = summarise(path)
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return found, summary


def show(label: str, found: dict, summary: dict) -> None:
    print(f"\n{label}")
    for name, value in sorted(found.items(), key=lambda kv: kv[1][0] if isinstance(kv[1], tuple) else kv[1]):
        text = f"{value[0]:.0f} -> {value[1]:.0f}" if isinstance(value, tuple) else f"{value:.0f}"
        print(f"  {name:<58}{text:>16} ms")
    if not summary:
        print("  (no 'visible' mark in the trace)")
        return
    print(f"  main thread before visible: {summary['window']:.0f} ms, busy {summary['tasks']:.0f} ms, "
          f"idle {summary['idle']:.0f} ms; GPU/compositor busy {summary['gpu']:.0f} ms")  # fmt: skip
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
    for label, (found, summary) in results.items():
        show(names[label], found, summary)


if __name__ == "__main__":
    main()
