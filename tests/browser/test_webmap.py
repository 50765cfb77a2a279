"""The browser map in Chromium: in the harness page (as the dashboard mounts it) and as the offline file."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from imcgeo import webmap
from imcgeo.atlas import Atlas

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "browser" / "apps" / "webmap_app.py"
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
PORTS = range(8600, 8650)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8600-8649")


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """The harness app on 127.0.0.1 with static serving on, as the dashboard will run."""
    port = _free_port()
    log = tmp_path_factory.mktemp("harness") / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(HARNESS), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--server.enableStaticServing", "true"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"the harness did not start: {log.read_text()[-2000:]}")
        time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def sockets(page):
    """Counts of WebSocket frames the page sends (reruns) and bytes it receives."""
    seen = {"sent": 0, "received": 0}

    def watch(ws):
        ws.on("framesent", lambda payload: seen.__setitem__("sent", seen["sent"] + 1))
        ws.on("framereceived", lambda payload: seen.__setitem__("received", seen["received"] + len(payload)))

    page.on("websocket", watch)
    return seen


def _open(page, url):
    page.goto(url)
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=60_000)
    page.get_by_text("Caption:").wait_for(timeout=60_000)
    # Ready once deck.gl has started.
    _until(box, "b.imcgeo.deck && b.imcgeo.deck.isInitialized")
    return box


def _until(box, condition: str) -> None:
    """Wait until a JavaScript *condition* on the map's box ``b`` holds."""
    box.evaluate(f"b => new Promise(r => {{ const t = () => ({condition}) ? r() : setTimeout(t, 50); t(); }})")


def _text(page, prefix: str) -> str:
    return page.get_by_text(prefix).first.inner_text()


def _wait_text_change(page, prefix: str, before: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = _text(page, prefix)
        if now != before:
            return now
        page.wait_for_timeout(100)
    raise AssertionError(f"{prefix!r} stayed {before!r}")


def _screen_xy(box, lonlat) -> tuple[float, float]:
    """Page coordinates of a [lon, lat] on the map."""
    x, y = box.evaluate("(b, p) => b.imcgeo.deck.getViewports()[0].project(p)", lonlat)
    stage = box.locator(".im-stage").bounding_box()
    return stage["x"] + x, stage["y"] + y


def test_playback_draws_in_the_browser_with_no_rerun_and_pause_hands_the_date_to_the_page(harness, page, sockets):
    box = _open(page, harness + "/?mode=active&year=2008")
    page.wait_for_timeout(1500)  # let the start-up state changes (data version, WebGL) settle
    caption = _text(page, "Caption:")
    before = box.locator(".im-stage").screenshot()
    sent = sockets["sent"]
    box.get_by_role("button", name="Play").click()
    _until(box, "b.imcgeo.frames > 40")
    page.wait_for_timeout(2000)
    assert sockets["sent"] == sent, "playback asked the server for a rerun"
    assert box.locator(".im-stage").screenshot() != before, "the picture did not change while playing"
    box.get_by_role("button", name="Pause").click()
    paused = box.evaluate("b => b.dataset.date")
    after = _wait_text_change(page, "Caption:", caption)
    assert paused[:4] in after, f"the caption does not follow the paused date {paused}: {after}"


def test_clicks_select_a_mission_or_hand_coordinates_to_the_page(harness, page):
    box = _open(page, harness + "/?mode=cumulative")
    # A mission drawn at least 25 px from every other, inside the map.
    target = box.evaluate(
        """b => { const s = b.imcgeo, v = s.deck.getViewports()[0];
        const pts = s.M.filter(m => m.position).map(m => ({a: m.acronym, p: m.position, xy: v.project(m.position)}));
        const inside = q => q.xy[0] > 40 && q.xy[1] > 40 && q.xy[0] < v.width - 40 && q.xy[1] < v.height - 200;
        const far = (q, o) => o === q || Math.hypot(o.xy[0] - q.xy[0], o.xy[1] - q.xy[1]) > 25;
        const alone = pts.filter(q => inside(q) && pts.every(o => far(q, o)));
        return alone[0] && {acronym: alone[0].a, position: alone[0].p}; }"""
    )
    assert target, "no mission stands alone on the map"
    mission = _text(page, "Mission:")
    page.mouse.click(*_screen_xy(box, target["position"]))
    assert f"Mission: {target['acronym']}" in _wait_text_change(page, "Mission:", mission)
    # Open land: the middle of Kazakhstan (clear of the legend and the missions).
    clicks = _text(page, "Clicks:")
    page.mouse.click(*_screen_xy(box, [68.0, 48.0]))
    shown = _wait_text_change(page, "Clicks:", clicks)
    lat, lon = (float(v) for v in re.findall(r"'(?:lat|lon)': (-?[\d.]+)", shown))
    assert abs(lat - 48) < 1.5 and abs(lon - 68) < 1.5, shown


def test_pan_and_zoom_reach_the_link_and_reopen_there(harness, page, browser):
    box = _open(page, harness)
    stage = box.locator(".im-stage").bounding_box()
    page.mouse.move(stage["x"] + stage["width"] * 0.6, stage["y"] + stage["height"] * 0.5)
    for _ in range(3):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    page.wait_for_function("() => Number(new URLSearchParams(location.search).get('zoom')) > 1.5", timeout=30_000)
    query = parse_qs(urlparse(page.url).query)
    zoom = float(query["zoom"][0])
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        reopened = _open(other, page.url)
        state = reopened.evaluate("b => b.imcgeo.viewState")
        assert abs(state["zoom"] - zoom) < 0.11
        assert abs(state["latitude"] - float(query["lat"][0])) < 0.02
    finally:
        other.close()


def test_keyboard_plays_pauses_steps_and_reports_page_keys(harness, page):
    box = _open(page, harness + "/?year=2010&date=2010-06-15")
    box.focus()
    page.keyboard.press("Space")
    _until(box, "b.imcgeo.frames > 5")
    page.keyboard.press("Space")
    assert box.evaluate("b => b.imcgeo.playing") is False, "Space did not pause"
    # Play with the mouse, then Space pauses: the button keeps the focus and acts once.
    box.get_by_role("button", name="Play").click()
    _until(box, "b.imcgeo.frames > 10")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert box.evaluate("b => b.imcgeo.playing") is False, "Space after a click on Play did not pause"
    page.keyboard.press("Home")
    assert box.evaluate("b => b.dataset.date") == "1948-01-01"
    page.keyboard.press("ArrowRight")
    assert box.evaluate("b => b.dataset.date") == "1948-02-01"
    page.keyboard.press("End")
    assert box.evaluate("b => b.dataset.date")[:4] == box.evaluate("b => String(new Date().getUTCFullYear())")
    keys = _text(page, "Clicks:")
    page.keyboard.press("PageDown")
    assert "PageDown" in _wait_text_change(page, "Clicks:", keys)
    labels = box.locator("button, select, input").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent))"
    )
    assert all(labels), f"a control has no label: {labels}"


def test_dragging_on_the_histogram_sets_the_period(harness, page):
    box = _open(page, harness)
    period = _text(page, "Mission:")
    hist = box.locator(".im-hist").bounding_box()
    y = hist["y"] + hist["height"] / 2
    page.mouse.move(hist["x"] + hist["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(hist["x"] + hist["width"] * 0.7, y, steps=8)
    page.mouse.up()
    shown = _wait_text_change(page, "Mission:", period)
    first, last = (int(v) for v in re.search(r"Period: (\d{4})–(\d{4})", shown).groups())
    assert 1980 < first < last < 2015, shown


def test_screenshots_at_two_screen_sizes(harness, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1920, 1080), (1366, 768)):
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            box = _open(page, harness + "/?mode=active&year=2011")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(SCREENSHOTS / f"webmap-{width}x{height}.png"))
            stage = box.locator(".im-stage").bounding_box()
            assert stage["width"] > 0.4 * width
        finally:
            page.close()


@pytest.fixture(scope="module")
def offline_file(tmp_path_factory) -> Path:
    atlas = Atlas.shipped()
    path = tmp_path_factory.mktemp("offline") / "imcgeo-map.html"
    path.write_bytes(webmap.offline_html(atlas, atlas.view(mode="active", year=2011)))
    return path


def test_offline_file_plays_with_every_request_aborted(offline_file, page):
    url = offline_file.as_uri()
    aborted = []
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else (
        aborted.append(route.request.url), route.abort()))  # fmt: skip
    page.goto(url)
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=60_000)
    assert "Inter-mission cooperation" in box.locator(".im-title").inner_text()
    assert "Surge type" in box.locator(".im-legend").inner_text()
    assert "Natural Earth" in box.locator(".im-credits").inner_text()
    caption = box.locator(".im-caption").inner_text()
    box.get_by_role("button", name="Play").click()
    _until(box, "b.imcgeo.frames > 30")
    box.get_by_role("button", name="Pause").click()
    assert box.locator(".im-caption").inner_text() != caption
    # A text tooltip over a mission, inside the map's box.
    where = box.evaluate("b => { const m = b.imcgeo.M.find(m => m.position); return m.position; }")
    x, y = _screen_xy(box, where)
    page.mouse.move(x, y)
    tip = box.locator(".im-tip")
    tip.wait_for(state="visible", timeout=10_000)
    stage, bubble = box.locator(".im-stage").bounding_box(), tip.bounding_box()
    assert stage["x"] <= bubble["x"] and bubble["x"] + bubble["width"] <= stage["x"] + stage["width"] + 1
    assert tip.evaluate("t => t.children.length") == 0
    assert aborted == []


def test_without_webgl_the_map_says_so(offline_file, browser):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    no_webgl = browser.browser_type.launch(
        executable_path=chromium, args=[*flags, "--disable-webgl", "--disable-3d-apis"]
    )
    try:
        page = no_webgl.new_page()
        page.goto(offline_file.as_uri())
        note = page.locator(".im-fallback")
        note.wait_for(state="visible", timeout=30_000)
        assert "cannot start WebGL" in note.inner_text()
    finally:
        no_webgl.close()


def test_the_explorers_rings_draw_over_the_arcs(tmp_path, page):
    atlas = Atlas.shipped()
    path = tmp_path / "rings.html"
    path.write_bytes(webmap.offline_html(atlas, atlas.view(explore="UNMISS", rings=True, mode="active", year=2014)))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=60_000)
    _until(box, "b.imcgeo.deck && b.imcgeo.deck.props.layers.length > 3")
    ids = box.evaluate("b => b.imcgeo.deck.props.layers.map(l => l.id)")
    assert {"rings", "helpers"} <= set(ids) and ids.index("rings") > ids.index("transfers")
    assert errors == []
