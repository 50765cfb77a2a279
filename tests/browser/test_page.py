"""What only a real browser shows: the map playing in the browser, clicks, keys and the camera reaching the
page and its link, scenes, filters, presenter mode on one screen, notices, the offline HTML export."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

CAPTION = re.compile(r"^(\d\d? \w{3,4} )?(\d{4})(–(\d\d? \w{3,4} )?\d{4})?: ")


def open_page(page, server, query: str = ""):
    """The page with its map started (deck.gl initialised, first picture drawn)."""
    page.goto(f"{server}/{query}")
    box = page.locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=90_000)
    until(box, "b.imcgeo && b.imcgeo.deck && b.imcgeo.deck.isInitialized && b.imcgeo.painted")
    # The map's start-up reruns (it says it holds the data and has WebGL) are over: the page is at rest.
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
    return box


def until(box, condition: str) -> None:
    """Wait until a JavaScript *condition* on the map's box ``b`` holds."""
    box.evaluate(f"b => new Promise(r => {{ const t = () => ({condition}) ? r() : setTimeout(t, 50); t(); }})")


def caption(page) -> str:
    return page.locator("strong").filter(has_text=CAPTION).first.inner_text(timeout=30_000)


def query(page) -> dict[str, str]:
    """The link's query now (asked of the browser: the sync API's page.url only updates inside its calls)."""
    return {k: v[-1] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def wait_for(predicate, timeout: float = 30.0, step: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def screen_xy(box, lonlat) -> tuple[float, float]:
    """Page coordinates of a [lon, lat] on the map."""
    x, y = box.evaluate("(b, p) => b.imcgeo.deck.getViewports()[0].project(p)", lonlat)
    stage = box.locator(".im-stage").bounding_box()
    return stage["x"] + x, stage["y"] + y


def test_playback_runs_in_the_browser_and_pause_hands_the_date_to_the_page(server, page, screenshot):
    reruns = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: reruns.append(payload)))
    box = open_page(page, server, "?from=2008&to=2012&year=2008&mode=active")
    page.wait_for_timeout(1500)  # the map's start-up state (data version, WebGL) reaches the page once
    before, sent = caption(page), len(reruns)
    picture = box.locator(".im-stage").screenshot()
    box.get_by_role("button", name="Play").click()
    until(box, "b.imcgeo.frames > 40")
    page.wait_for_timeout(1000)
    assert len(reruns) == sent, "playback asked the server for a rerun"
    assert box.locator(".im-stage").screenshot() != picture, "the picture did not change while playing"
    box.get_by_role("button", name="Pause").click()
    paused = box.evaluate("b => b.dataset.date")
    after = wait_for(lambda: (c := caption(page)) != before and c)
    assert paused[:4] in after, f"the caption does not follow the paused date {paused}: {after}"
    wait_for(lambda: query(page).get("date") == paused)
    screenshot("paused")


def test_keyboard_space_plays_and_pauses_and_pagedown_steps_the_scene(server, page):
    box = open_page(page, server, "?scene=haiti-2010")
    box.focus()
    page.keyboard.press("Space")
    until(box, "b.imcgeo.frames > 5")
    page.keyboard.press("Space")
    assert box.evaluate("b => b.imcgeo.playing") is False, "Space did not pause"
    box.get_by_role("button", name="Play").click()
    until(box, "b.imcgeo.frames > 10")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert box.evaluate("b => b.imcgeo.playing") is False, "Space after a click on Play did not pause"
    page.keyboard.press("Home")
    assert box.evaluate("b => b.dataset.date").endswith("-01-01")
    box.focus()
    page.keyboard.press("PageDown")  # a presentation clicker: the next scene
    wait_for(lambda: query(page).get("scene") not in (None, "haiti-2010"))


def lone_mission(box) -> dict:
    """A mission on the map with no other within 25 pixels (a click there can only mean it)."""
    target = box.evaluate(
        """b => { const s = b.imcgeo, v = s.deck.getViewports()[0];
        const pts = s.M.filter(m => m.position).map(m => ({a: m.acronym, p: m.position, xy: v.project(m.position)}));
        const inside = q => q.xy[0] > 260 && q.xy[1] > 40 && q.xy[0] < v.width - 40 && q.xy[1] < v.height - 40;
        const far = (q, o) => o === q || Math.hypot(o.xy[0] - q.xy[0], o.xy[1] - q.xy[1]) > 25;
        const alone = pts.filter(q => inside(q) && pts.every(o => far(q, o)));
        return alone[0] && {acronym: alone[0].a, position: alone[0].p}; }"""
    )
    assert target, "no mission stands alone on the map"
    return target


LAND = [68.0, 48.0]  # open land: the middle of Kazakhstan


def sidebar_mission(page) -> str:
    return page.locator(".st-key-w_mission input").input_value()


def planner_place(page) -> str:
    page.get_by_text("missions active then").first.wait_for(timeout=30_000)  # the planner answers
    return page.get_by_label("Place or coordinates").input_value()


def test_a_click_on_a_mission_selects_it_and_a_click_on_land_asks_the_planner(server, page):
    box = open_page(page, server, "?year=2012&mode=cumulative")
    target = lone_mission(box)
    page.mouse.click(*screen_xy(box, target["position"]))
    wait_for(lambda: query(page).get("mission") == target["acronym"])
    wait_for(lambda: sidebar_mission(page) == target["acronym"])  # the sidebar follows
    page.mouse.click(*screen_xy(box, LAND))
    at = wait_for(lambda: query(page).get("at"))
    lat, lon = (float(v) for v in at.split(","))
    assert abs(lat - 48) < 1.5 and abs(lon - 68) < 1.5
    wait_for(lambda: planner_place(page) == f"{float(lat)}, {float(lon)}")


@pytest.mark.parametrize("gap_ms", [100, 400])
def test_two_quick_clicks_on_the_map_both_count(server, page, gap_ms):
    """A mission, then open land, then (on a new page) the other way round, the second click *gap_ms* after
    the first: before the page has answered the first. Both count, and the sidebar and planner show both.
    (deck.gl's own onClick dropped a click followed by another within 300 ms; and the second click's request
    carried the browser's older sidebar and planner values, which used to undo the first.)"""
    for first in ("mission", "land"):
        # A camera of the user's own: the planner's answer then leaves it, and the second click's spot, alone.
        box = open_page(page, server, "?year=2012&mode=cumulative&lat=15.00&lon=30.00&zoom=1.5")
        acronym, spot = (target := lone_mission(box))["acronym"], screen_xy(box, target["position"])
        spots = {"mission": spot, "land": screen_xy(box, LAND)}
        page.mouse.click(*spots[first])
        page.wait_for_timeout(gap_ms)  # the gap under test, not a wait for the page
        page.mouse.click(*spots["land" if first == "mission" else "mission"])
        wait_for(lambda: query(page).get("mission") == acronym and query(page).get("at"))  # noqa: B023
        wait_for(lambda: sidebar_mission(page) == acronym)  # noqa: B023
        wait_for(lambda: planner_place(page) == "48.0, 68.0")
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=30_000)
        assert query(page).get("mission") == acronym, f"{first} first: the selection was undone"
        assert box.evaluate("b => b.imcgeo.selected") == acronym
        assert planner_place(page) == "48.0, 68.0", f"{first} first: the planner lost its place"


def test_after_clicks_on_the_map_the_users_own_changes_still_count(server, page):
    """The page ignores widget values that came with the map's own requests: not those the user sets after."""
    box = open_page(page, server, "?year=2012&mode=cumulative&lat=15.00&lon=30.00&zoom=1.5")
    target = lone_mission(box)
    page.mouse.click(*screen_xy(box, LAND))
    wait_for(lambda: planner_place(page) == "48.0, 68.0")
    page.mouse.click(*screen_xy(box, target["position"]))
    wait_for(lambda: sidebar_mission(page) == target["acronym"])
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=30_000)
    page.get_by_label("Within km (0: any)").fill("3000")
    page.get_by_label("Within km (0: any)").press("Enter")
    wait_for(lambda: query(page).get("within_km") == "3000")
    page.locator(".st-key-w_mission input").click()
    page.keyboard.type("All missions")  # the list is long: typing narrows it
    page.get_by_role("option", name="All missions").click()
    wait_for(lambda: "mission" not in query(page))
    assert query(page).get("within_km") == "3000" and query(page).get("at")


def test_quick_steps_with_the_explorer_open_keep_the_map_on_its_way(server, page):
    """With the explorer open (its date follows the map's), a mission clicked and then six quick steps: each
    step's request carries the explorer's older values, which must not pull the map back."""
    box = open_page(page, server, "?year=2012&mode=cumulative&date=2012-07-01")
    page.locator(".st-key-w_section button", has_text="Proximity explorer").click()
    page.get_by_text("Which missions were close enough").wait_for(timeout=30_000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=30_000)
    target = lone_mission(box)
    page.mouse.click(*screen_xy(box, target["position"]))
    box.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(30)  # quicker than the page answers
    last = box.evaluate("b => b.dataset.date")
    assert last > "2012-07-01"
    wait_for(lambda: query(page).get("date") == last and query(page).get("explore") == target["acronym"])
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=30_000)
    assert box.evaluate("b => b.dataset.date") == last, "the map was pulled back to an earlier date"
    assert query(page).get("mission") == target["acronym"]
    assert "on" not in query(page), "the explorer's date was set, by nobody (it follows the map's)"
    explorer = page.locator(".st-key-w_explore input")
    wait_for(lambda: explorer.input_value() == target["acronym"])


def test_a_missions_tooltip_gives_its_mandate_and_strength_on_the_day(server, page):
    box = open_page(page, server, "?date=2015-08-01&year=2015&mode=active")
    where = box.evaluate("b => b.imcgeo.M.find(m => m.acronym === 'UNMISS').position")
    page.mouse.move(*screen_xy(box, where))
    tip = box.locator(".im-tip")
    tip.wait_for(state="visible", timeout=15_000)
    text = tip.inner_text()
    assert text.startswith("UNMISS") and "Mandate:" in text
    assert "Strength on 30 Jun 2015: 13,058 uniformed, 11,342 troops" in text, text


def test_pan_and_zoom_reach_the_link_and_reopen_there(server, page, browser):
    box = open_page(page, server)
    stage = box.locator(".im-stage").bounding_box()
    page.mouse.move(stage["x"] + stage["width"] * 0.6, stage["y"] + stage["height"] * 0.5)
    for _ in range(3):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    zoom = float(wait_for(lambda: float(query(page).get("zoom", 0)) > 1.5 and query(page)["zoom"]))
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        link = page.evaluate("location.href").removeprefix(server + "/")
        state = open_page(other, server, link).evaluate("b => b.imcgeo.viewState")
        assert abs(state["zoom"] - zoom) < 0.11
    finally:
        other.close()


def test_dragging_on_the_histogram_sets_the_period(server, page):
    box = open_page(page, server)
    hist = box.locator(".im-hist").bounding_box()
    y = hist["y"] + hist["height"] / 2
    page.mouse.move(hist["x"] + hist["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(hist["x"] + hist["width"] * 0.7, y, steps=8)
    page.mouse.up()
    first = int(wait_for(lambda: query(page).get("from") != "1948" and query(page).get("from")))
    assert 1980 < first < int(query(page)["to"]) < 2015


def test_presenter_mode_fits_one_screen_and_frames_its_scene(server, browser):
    """Title, caption, map, legend and controls in the window with no scrolling, each scene's subject on the map,
    at 1366x768 (the tightest) and 1920x1080: the scenes with the widest, the tightest and a long-haul subject."""
    from imcgeo.scenes import load_scenes

    chosen = {"syria-2012", "south-sudan-2014", "haiti-2010"}
    scenes = [scene for scene in load_scenes() if scene.id in chosen]
    for width, height, shown in ((1366, 768, scenes), (1920, 1080, scenes[:1])):
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            for scene in shown:
                box = open_page(page, server, f"?scene={scene.id}&presenter=1")
                assert not page.locator("[data-testid='stSidebar']").is_visible()
                assert page.get_by_role("button", name="Next scene").is_visible()
                for part in (".im-stage", ".im-legend", ".im-hist", ".im-controls"):
                    rect = box.locator(part).bounding_box()
                    assert rect and rect["y"] + rect["height"] <= height + 1, f"{scene.id}: {part} below the fold"
                inside = box.evaluate(
                    """b => { const v = b.imcgeo.deck.getViewports()[0], s = b.imcgeo;
                    const ends = s.T.filter(t => s.ids.has(t.id)).flatMap(t => [t.from, t.to]);
                    return ends.length === 0 || ends.some(p => { const [x, y] = v.project(p);
                        return x >= 0 && y >= 0 && x <= v.width && y <= v.height; }); }"""
                )
                assert inside, f"{scene.id}: its subject is off the map at {width}x{height}"
                page.screenshot(path=f"tests/browser/screenshots/presenter-{scene.id}-{width}.png")
        finally:
            page.close()


def test_on_a_phone_the_map_is_on_the_first_screen_and_a_tap_selects_a_mission(server, browser):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    try:
        box = open_page(page, server, "?scene=south-sudan-2014")
        stage = box.locator(".im-stage").bounding_box()
        assert stage["y"] < 844 * 0.5 and stage["y"] + stage["height"] > 844 * 0.6, "the map is below the fold"
        assert box.evaluate("b => !b.querySelector('.im-legend').open"), "the legend hides the map on a phone"
        page.screenshot(path="tests/browser/screenshots/phone-south-sudan.png")
        target = lone_mission(box)
        x, y = screen_xy(box, target["position"])
        page.touchscreen.tap(x + 5, y + 4)  # a fingertip, a little off the dot
        wait_for(lambda: query(page).get("mission") == target["acronym"])
    finally:
        phone.close()


def test_a_hostile_link_shows_a_notice_not_a_traceback(server, page):
    open_page(page, server, "?surge=%3Cscript%3Ealert(1)%3C/script%3E&year=abc&lat=nan&lon=1&zoom=2")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_text("Ignored surge=").first.wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("Ignored")[0]
    assert dialogs == []


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


def test_two_visitors_in_two_languages_at_once_each_keep_their_own(server, browser):
    """An English and a French visitor on one server at the same time: page, map controls and tooltips each
    in its own language, and switching one does not touch the other."""
    from imcgeo.i18n import translator

    fr = translator("fr")
    contexts = {lang: browser.new_context(viewport={"width": 1366, "height": 900}) for lang in ("en", "fr")}
    pages = {lang: context.new_page() for lang, context in contexts.items()}
    for lang, page in pages.items():  # both start loading before either is checked
        page.goto(f"{server}/?scene=haiti-2010" + ("&lang=fr" if lang == "fr" else ""))
    boxes = {}
    for lang, page in pages.items():
        box = page.locator(".imcgeo-map")
        box.locator("canvas").first.wait_for(timeout=90_000)
        until(box, "b.imcgeo && b.imcgeo.deck && b.imcgeo.deck.isInitialized && b.imcgeo.painted")
        boxes[lang] = box
    play = {lang: box.locator(".im-controls button").nth(2) for lang, box in boxes.items()}
    assert play["en"].get_attribute("aria-label") == "Play"
    assert play["fr"].get_attribute("aria-label") == fr.gettext("Play") != "Play"
    assert pages["fr"].locator("h1").first.inner_text().startswith("2010\u00a0:")
    assert pages["en"].locator("h1").first.inner_text().startswith("2010:")
    assert pages["fr"].locator("summary").filter(has_text=fr.gettext("Legend")).count() == 1
    # The French visitor switches to English; the English visitor's page, reloaded, is unchanged.
    pages["fr"].locator(".st-key-w_lang button", has_text="English").click()
    wait_for(lambda: pages["fr"].locator("h1").first.inner_text().startswith("2010:"))
    wait_for(lambda: play["fr"].get_attribute("aria-label") == "Play")
    pages["en"].reload()
    box = pages["en"].locator(".imcgeo-map")
    box.locator("canvas").first.wait_for(timeout=90_000)
    assert pages["en"].locator("h1").first.inner_text().startswith("2010:")
    for context in contexts.values():
        context.close()
