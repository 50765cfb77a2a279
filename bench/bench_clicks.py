"""Clicks on the browser map (issue 11), today's page beside an earlier commit's, in one run.

    git worktree add /tmp/before 92ed493        # the page before clicks were read from the pointer
    python bench/bench_clicks.py                # about four minutes on two cores
    python bench/bench_clicks.py --before /tmp/before --rounds 7 --pairs 6

Prints, for each page (each click on a freshly opened page; the pages take turns):
- click to highlight: from the pointer going down on a mission (the mouse has rested on it first,
  as a hand does: its tooltip is up) to the map drawing it selected, in the browser;
- click to the page's answer: to the link naming the mission (the server has run and the browser
  has applied its answer);
- two quick clicks: a mission, then open land 100 ms later, then the other way round: how many of
  the --pairs tries ended with both in the link (the mission selected and the planner's place) and
  in the sidebar.

Both servers are started here, on 127.0.0.1:8622 (today's) and 8623 (the earlier one), and stopped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_webmap import FLAGS, start_server  # noqa: E402

LINK = "?year=2012&mode=cumulative&lat=15.00&lon=30.00&zoom=1.5"  # a camera of the user's: answers do not move it
LAND = [68.0, 48.0]  # the middle of Kazakhstan


def query(page) -> dict:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def until(predicate, limit: float = 15.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def open_map(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + "/" + LINK)
    box = page.locator(".imcgeo-map")
    box.evaluate("b => new Promise(r => { const t = () => (b.imcgeo && b.imcgeo.deck && b.imcgeo.deck.isInitialized"
                 " && b.imcgeo.painted) ? r() : setTimeout(t, 50); t(); })")  # fmt: skip
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
    return page, box


def screen(box, lonlat) -> tuple[float, float]:
    x, y = box.evaluate("(b, p) => b.imcgeo.deck.getViewports()[0].project(p)", lonlat)
    stage = box.locator(".im-stage").bounding_box()
    return stage["x"] + x, stage["y"] + y


def lone_mission(box) -> tuple[str, list]:
    """A mission with no other within 25 pixels, clear of the map's edges."""
    found = box.evaluate(
        """b => { const s = b.imcgeo, v = s.deck.getViewports()[0];
        const pts = s.M.filter(m => m.position).map(m => ({a: m.acronym, p: m.position, xy: v.project(m.position)}));
        const inside = q => q.xy[0] > 260 && q.xy[1] > 40 && q.xy[0] < v.width - 40 && q.xy[1] < v.height - 40;
        const far = (q, o) => o === q || Math.hypot(o.xy[0] - q.xy[0], o.xy[1] - q.xy[1]) > 25;
        const alone = pts.filter(q => inside(q) && pts.every(o => far(q, o)));
        return alone[0] && [alone[0].a, alone[0].p]; }"""
    )
    return found[0], found[1]


def one_click(browser, url: str) -> tuple[float, float]:
    """Milliseconds from pointer down on a mission to its highlight, and to the link naming it."""
    page, box = open_map(browser, url)
    try:
        acronym, where = lone_mission(box)
        x, y = screen(box, where)
        page.mouse.move(x - 30, y)
        page.mouse.move(x, y, steps=5)
        box.locator(".im-tip").wait_for(state="visible", timeout=10_000)
        box.evaluate(
            """(b, a) => { const s = b.imcgeo, t = (window.__t = {});
            window.addEventListener('pointerdown', () => { t.down = performance.now(); }, true);
            const poll = () => { if (s.selected === a && !t.sel) t.sel = performance.now();
              if (location.search.includes('mission=' + a) && !t.link) t.link = performance.now();
              if (!(t.sel && t.link)) requestAnimationFrame(poll); };
            poll(); }""",
            acronym,
        )
        page.mouse.down()
        page.mouse.up()
        until(lambda: page.evaluate("() => Boolean(window.__t.sel && window.__t.link)"))
        t = page.evaluate("() => window.__t")
        return t.get("sel", float("nan")) - t["down"], t.get("link", float("nan")) - t["down"]
    finally:
        page.close()


def quick_pair(browser, url: str, first: str, gap_ms: int) -> bool:
    """A mission and open land clicked *gap_ms* apart (*first* first): whether both count, in the link and sidebar."""
    page, box = open_map(browser, url)
    try:
        acronym, where = lone_mission(box)
        spots = {"mission": screen(box, where), "land": screen(box, LAND)}
        page.mouse.click(*spots[first])
        page.wait_for_timeout(gap_ms)
        page.mouse.click(*spots["land" if first == "mission" else "mission"])
        both = until(lambda: query(page).get("mission") == acronym and bool(query(page).get("at")), 10)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=30_000)
        page.wait_for_timeout(1000)  # anything still on its way
        sidebar = page.locator(".st-key-w_mission input").input_value()
        return both and query(page).get("mission") == acronym and bool(query(page).get("at")) and sidebar == acronym
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="/tmp/before", help="worktree of the earlier page (default /tmp/before)")
    parser.add_argument("--rounds", type=int, default=7, help="single clicks per page")
    parser.add_argument("--pairs", type=int, default=6, help="quick pairs per page (half each way round)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    servers = {"today's page": start_server(ROOT, 8622), "before": start_server(Path(args.before), 8623)}
    missing = [name for name, server in servers.items() if not server]
    servers = {name: server for name, server in servers.items() if server}
    clicks = {name: [] for name in servers}
    pairs = {name: [] for name in servers}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for server in servers.values():  # warm each server and the browser's cache; not counted
                one_click(browser, server)
            for _ in range(args.rounds):
                for name, server in servers.items():
                    clicks[name].append(one_click(browser, server))
            for i in range(args.pairs):
                for name, server in servers.items():
                    pairs[name].append(quick_pair(browser, server, ("mission", "land")[i % 2], 100))
            browser.close()
    finally:
        for server in servers.values():
            server.proc.terminate()
            server.proc.wait(timeout=20)

    print(f"\nA click on a mission (ms, median of {args.rounds}, each on a fresh page; pages take turns)")
    print(f"  {'':<34}{'to highlight':>14}{'range':>14}{'to the link':>14}{'range':>14}")
    for name, values in clicks.items():
        sel, link = [v[0] for v in values], [v[1] for v in values]
        print(f"  {name:<34}{statistics.median(sel):>14.0f}{f'{min(sel):.0f}-{max(sel):.0f}':>14}"
              f"{statistics.median(link):>14.0f}{f'{min(link):.0f}-{max(link):.0f}':>14}")  # fmt: skip
    print("\nTwo clicks 100 ms apart, a mission and open land (alternately mission first and land first)")
    for name, results in pairs.items():
        print(f"  {name:<34}both counted in {sum(results)} of {len(results)}")
    for name in missing:
        print(f"  {name}: not measured: no dashboard at {args.before} (git worktree add {args.before} 92ed493)")


if __name__ == "__main__":
    main()
