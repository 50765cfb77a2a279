"""What only a real browser shows: playback, links, filters, presenter mode, notices, the offline HTML export."""

from __future__ import annotations

import re
import time

from imcgeo import data
from imcgeo.__main__ import main

CAPTION = re.compile(r"^(\d{4})(–\d{4})?: ")


def open_page(page, server, query: str = ""):
    page.goto(f"{server}/{query}")
    page.wait_for_selector("canvas", timeout=90_000)
    page.get_by_role("button", name=re.compile("Play|Pause")).wait_for(timeout=60_000)


def caption(page) -> str:
    return page.locator("strong").filter(has_text=CAPTION).first.inner_text(timeout=30_000)


def wait_for(predicate, timeout: float = 30.0, step: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def test_play_advances_the_year_and_pause_stops_it(server, page, screenshot):
    open_page(page, server, "?from=1990&to=2000&year=1990&mode=active")
    assert caption(page).startswith("1990")
    page.get_by_role("button", name="▶ Play").click()
    wait_for(lambda: not caption(page).startswith("1990"), timeout=40)
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=30_000)
    time.sleep(1.0)
    held = caption(page)
    time.sleep(3.0)
    assert caption(page) == held, "the year kept moving after Pause"
    assert f"year={held[:4]}" in page.url
    screenshot("paused")


def map_pixels(page):
    """The drawn map as grey levels, for comparing views of it."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    box = page.locator("canvas").first.bounding_box()
    return np.asarray(Image.open(BytesIO(page.screenshot(clip=box))).convert("L"), dtype=float)


def share_changed(a, b) -> float:
    return float((abs(a - b) > 40).mean())


def test_the_users_zoom_survives_playback(server, page, screenshot):
    open_page(page, server, "?from=2009&to=2012&year=2009&mode=active")
    time.sleep(3)
    default = map_pixels(page)
    box = page.locator("canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.55)
    for _ in range(2):
        page.mouse.wheel(0, -300)
        time.sleep(0.5)
    time.sleep(2)
    zoomed = map_pixels(page)
    assert share_changed(default, zoomed) > 0.1, "the wheel did not zoom the map"
    page.get_by_role("button", name="▶ Play").click()
    wait_for(lambda: caption(page).startswith("2010"), timeout=60)
    page.get_by_role("button", name="⏸ Pause").click()
    time.sleep(2)
    played = map_pixels(page)
    screenshot("zoom-kept-after-playback")
    assert share_changed(zoomed, played) > 0, "the map did not redraw for the new year"
    assert share_changed(zoomed, played) < 0.1, "playback reset the user's view"
    assert share_changed(default, played) > 0.1


def test_a_deep_link_opens_the_scene(server, page, screenshot):
    open_page(page, server, "?scene=syria-2012")
    page.get_by_role("heading", name="2012: Middle East missions start up UNSMIS in Syria").wait_for(timeout=30_000)
    assert caption(page).startswith("2012:") and "UNSMIS" in caption(page)
    screenshot("scene-syria")


def test_the_surge_filter_changes_the_count_in_text(server, page):
    total = len(data.load_transfers())
    open_page(page, server, "?year=2026")
    before = caption(page)
    assert before.startswith(f"1948–2026: {total} transfers")
    page.goto(f"{server}/?year=2026&surge=election")
    page.wait_for_selector("canvas", timeout=90_000)
    after = wait_for(lambda: (c := caption(page)) != before and c)
    count = int(re.search(r": (\d+) transfer", after).group(1))
    assert 0 < count < total and "(election)" in after and "(start-up)" not in after


def test_presenter_mode_hides_the_clutter(server, page, screenshot):
    open_page(page, server, "?scene=haiti-2010&presenter=1")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.get_by_role("button", name="Next scene ▶").is_visible()
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    screenshot("presenter")


def test_a_hostile_link_shows_a_notice_not_a_traceback(server, page):
    open_page(page, server, "?surge=%3Cscript%3Ealert(1)%3C/script%3E&year=abc&lat=nan&lon=1&zoom=2")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_text("Ignored surge=").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("Ignored")[0]
    assert dialogs == []


def test_the_html_export_draws_with_the_network_blocked(browser, tmp_path):
    out = tmp_path / "view.html"
    assert main(["export", "--format", "html", "--out", str(out), "--scene", "south-sudan-2014"]) == 0
    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    page = context.new_page()
    requested = []

    def block(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            requested.append(url)
            route.abort()

    page.route("**/*", block)
    page.goto(out.as_uri())
    page.wait_for_selector("canvas", timeout=60_000)
    time.sleep(4)
    box = page.locator("canvas").first.bounding_box()
    from io import BytesIO

    from PIL import Image

    shot = Image.open(BytesIO(page.screenshot(clip=box))).convert("RGB")
    assert len(shot.getcolors(maxcolors=1 << 20)) > 20, "the offline HTML drew nothing"
    assert page.get_by_text("2013-14: the surge to UNMISS").is_visible()
    assert requested == [], f"the file tried to reach {requested[:3]}"
    context.close()


def test_hostile_text_in_an_upload_stays_inert(server, page, tmp_path, screenshot):
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(
        "event_id,source_mission,target_mission,start,end,asset,quantity,surge,description,sources,confidence\n"
        f'xss-2020,UNMISS,MINUSCA,2020-03-15,,troops,40,security-crisis,"{payload}","{payload} 2020",partial\n',
        encoding="utf-8",
    )
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, server, "?year=2020&mode=active")
    page.get_by_text("Your data", exact=True).click()
    page.locator("input[type=file]").nth(1).set_input_files(str(hostile))
    page.get_by_role("button", name="Use these files").click()
    page.get_by_text("Your own data, in this tab only").wait_for(timeout=60_000)
    page.get_by_text("Show the").first.click()  # the table of transfers on the map
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.locator("canvas").first.scroll_into_view_if_needed()
    canvas = page.locator("canvas").first.bounding_box()
    for x in range(0, int(canvas["width"]), 40):  # sweep the map so tooltips open over the arcs
        page.mouse.move(canvas["x"] + x, canvas["y"] + canvas["height"] * 0.55)
    time.sleep(1)
    screenshot("hostile-upload")
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
