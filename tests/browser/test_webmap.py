"""The browser map as the offline file, in Chromium (the page's own map is tested in test_page.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imcgeo import webmap
from imcgeo.atlas import Atlas

ROOT = Path(__file__).resolve().parents[2]


def _until(box, condition: str) -> None:
    """Wait until a JavaScript *condition* on the map's box ``b`` holds."""
    box.evaluate(f"b => new Promise(r => {{ const t = () => ({condition}) ? r() : setTimeout(t, 50); t(); }})")


def _screen_xy(box, lonlat) -> tuple[float, float]:
    """Page coordinates of a [lon, lat] on the map."""
    x, y = box.evaluate("(b, p) => b.imcgeo.deck.getViewports()[0].project(p)", lonlat)
    stage = box.locator(".im-stage").bounding_box()
    return stage["x"] + x, stage["y"] + y


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


def _base_colour(box, lonlat) -> list[int]:
    """The countries canvas's colour under [lon, lat], where the deck's camera puts that point."""
    return box.evaluate(
        """(b, p) => { const [x, y] = b.imcgeo.deck.getViewports()[0].project(p);
        const c = b.querySelector('canvas.im-base');
        return [...c.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data]; }""",
        lonlat,
    )


def test_the_countries_lie_under_the_deck_shade_the_hosts_and_follow_a_pan(offline_file, page):
    page.goto(offline_file.as_uri())
    box = page.locator(".imcgeo-map")
    _until(box, "b.imcgeo.deck && b.imcgeo.painted")
    tones = box.evaluate("b => b.imcgeo.data.tones")
    congo, brazil = [23.6, -2.9], [-51.9, -10.3]  # inside the DR Congo (MONUSCO's host in 2011) and Brazil
    assert _base_colour(box, congo) in tones["host"]
    assert _base_colour(box, brazil) in tones["land"]
    stage = box.locator(".im-stage").bounding_box()
    x, y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 180, y + 60, steps=6)
    page.mouse.up()
    _until(box, "b.imcgeo.viewState.longitude > 20")  # the camera moved east: the map went west
    assert _base_colour(box, congo) in tones["host"] and _base_colour(box, brazil) in tones["land"]
