"""Briefings in a real browser: presenter mode on one screen for every scene, each scene's subject framed inside the
map at 1366x768, 1920x1080 and on a 390x844 phone, labels apart, a phone's one- and two-finger gestures, and the
grey ring of a mission no source names read as a named symbol.

One server and one browser for the file; one tab per screen size, kept from test to test (presenter mode steps to
the next scene with its own button, as a briefer would, instead of reloading the page).
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from browser.test_page import CAPTION, open_page, query, wait_for

from imcgeo import labelling, webmap
from imcgeo.atlas import Atlas
from imcgeo.scenes import load_scenes

SCENES = load_scenes()
SCREENSHOTS = Path(__file__).parent / "screenshots"
PRESENTER = [(1366, 768), (1920, 1080)]
PHONE = (390, 844)
#: What a briefer must see without scrolling: the map, its legend, its controls and its time bar.
PARTS = (".im-stage", ".im-legend", ".im-controls", ".im-hist")
#: The map drawn and its labels placed for the view it holds.
SETTLED = "b.imcgeo.painted && b.imcgeo.labelKey !== '' && b.imcgeo.deck.isInitialized"


@functools.cache
def atlas() -> Atlas:
    return Atlas.shipped()


@functools.cache
def subject(scene_id: str) -> list[list[float]]:
    """The [lon, lat] points the scene is about on the day the page opens it (both ends of every transfer drawn)."""
    view = atlas().scene_view(scene_id)
    moment = replace(view, date=webmap.view_date(view, transfers=atlas().selected(view)))  # as the page does
    return labelling.subject(atlas().frame(moment))


@dataclass
class Tab:
    page: object
    presenter: bool
    scene: str | None = None


@pytest.fixture(scope="module")
def tabs(browser, server):
    """tab(width, height, presenter) -> a Tab at that size, opened once for the whole file."""
    opened: dict[tuple, Tab] = {}

    def tab(width: int, height: int, presenter: bool = True) -> Tab:
        key = (width, height, presenter)
        if key not in opened:
            phone = width < 600
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                          has_touch=phone)  # fmt: skip
            opened[key] = Tab(context.new_page(), presenter)
        return opened[key]

    yield tab
    for t in opened.values():
        t.page.context.close()


def show(tab: Tab, server: str, scene_id: str):
    """The map's box once *scene_id* is drawn in *tab*: the Next scene button if it is the next one, else its link."""
    ids = [s.id for s in SCENES]
    page = tab.page
    if tab.presenter and tab.scene in ids and ids[(ids.index(tab.scene) + 1) % len(ids)] == scene_id:
        page.get_by_role("button", name="Next scene").click()
        wait_for(lambda: query(page).get("scene") == scene_id)
        box = page.locator(".imcgeo-map")
    else:
        box = open_page(page, server, f"?scene={scene_id}" + ("&presenter=1" if tab.presenter else ""))
    title = atlas().frame(atlas().scene_view(scene_id)).title
    until(box, f"b.imcgeo.view && b.imcgeo.view.title === {json.dumps(title)} && {SETTLED}")
    tab.scene = scene_id
    return box


def until(box, condition: str, timeout_ms: float = 60_000) -> None:
    """Wait until a JavaScript *condition* on the map's box ``b`` holds (fail after *timeout_ms*)."""
    box.page.wait_for_function(f"b => {condition}", arg=box.element_handle(), timeout=timeout_ms)


def outside_the_window(box, page, height: int) -> list[str]:
    """The parts of the map (and the page's title and caption) not wholly inside the window, scrolled to the top."""
    out = []
    for part in PARTS:
        rect = box.locator(part).bounding_box()
        if not rect or rect["y"] < -1 or rect["y"] + rect["height"] > height + 1:
            out.append(f"{part} at {rect}")
    caption = page.locator("strong, h3").filter(has_text=CAPTION).first
    for name, locator in (("title", page.locator("h1").first), ("caption", caption)):
        rect = locator.bounding_box()
        if not rect or rect["y"] < -1 or rect["y"] + rect["height"] > height + 1:
            out.append(f"{name} at {rect}")
    return out


def framed(box, points) -> list:
    """The *points* ([lon, lat]) drawn outside the map's box or under its open legend, with where they are."""
    return box.evaluate(
        """(b, points) => { const v = b.imcgeo.deck.getViewports()[0], stage = b.querySelector('.im-stage');
        const legend = b.querySelector('.im-legend'), at = stage.getBoundingClientRect();
        const l = legend.getBoundingClientRect(), [x0, y0, x1, y1] = [l.left - at.left, l.top - at.top,
            l.right - at.left, l.bottom - at.top];
        return points.map(p => [p, v.project(p)]).filter(([p, [x, y]]) => x < 0 || y < 0 || x > v.width
            || y > v.height || (legend.open && x > x0 && x < x1 && y > y0 && y < y1)); }""",
        points,
    )


def overlapping(box) -> list:
    """Pairs of texts on the map whose boxes overlap (labels, the explorer's names and distances, rings' names)."""
    texts = box.evaluate("b => b.imcgeo.textBoxes()")
    hit = lambda a, b: a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]  # noqa: E731
    return [(a["text"], b["text"]) for a, b in itertools.combinations(texts, 2) if hit(a["box"], b["box"])]


@pytest.mark.parametrize("scene", [s.id for s in SCENES])
@pytest.mark.parametrize(("width", "height"), PRESENTER, ids=[f"{w}x{h}" for w, h in PRESENTER])
def test_presenter_mode_fits_one_screen_and_frames_the_scene(tabs, server, width, height, scene):
    """Title, caption, map, legend and controls in the window with no scrolling; every end of the scene's transfers
    on the map, none hidden under the legend; the legend whole (nothing cut off or scrolled away inside it)."""
    tab = tabs(width, height)
    box = show(tab, server, scene)
    page = tab.page
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert outside_the_window(box, page, height) == []
    assert box.evaluate("b => { const l = b.querySelector('.im-legend'); return l.scrollHeight <= l.clientHeight + 1 "
                        "&& l.scrollWidth <= l.clientWidth + 1; }"), "the legend is cut off"  # fmt: skip
    assert framed(box, subject(scene)) == [], f"{scene}: its subject is not all on the map at {width}x{height}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"briefing-{scene}-{width}.png"))


@pytest.mark.parametrize("scene", [s.id for s in SCENES])
def test_on_a_phone_each_scene_fits_the_first_screen_and_frames_its_subject(tabs, server, scene):
    """A public link to a scene on a 390x844 phone: title, caption, the whole map with its (folded) legend and
    controls on the first screen, and every end of the scene's transfers inside the map."""
    tab = tabs(*PHONE, presenter=False)
    box = show(tab, server, scene)
    assert outside_the_window(box, tab.page, PHONE[1]) == []
    assert framed(box, subject(scene)) == [], f"{scene}: its subject is not all on the phone's map"
    tab.page.screenshot(path=str(SCREENSHOTS / f"briefing-{scene}-phone.png"))


@pytest.mark.parametrize("scene", [s.id for s in SCENES])
def test_no_two_labels_overlap_in_a_scene_frame(tabs, server, scene):
    """At 1366x768 in presenter mode, every text on the map (mission labels, rings' names) clear of every other."""
    box = show(tabs(*PRESENTER[0]), server, scene)
    texts = box.evaluate("b => b.imcgeo.textBoxes()")
    assert texts or not subject(scene), f"{scene}: no label on the map"
    assert overlapping(box) == []


def test_the_explorers_names_and_distances_are_placed_with_the_labels(tabs, server):
    """The proximity explorer on UNMISS in 2014: its ring distances and the nearest missions' names, in their own
    layer, keep clear of the missions' labels and of each other, and all of them are drawn."""
    page = tabs(*PRESENTER[0], presenter=False).page
    box = open_page(page, server, "?year=2014&mission=UNMISS&explore=UNMISS&rings=1")
    until(box, f"b.imcgeo.view.overlays.some(o => o.id === 'proximity-labels') && {SETTLED}")
    texts = box.evaluate("b => b.imcgeo.textBoxes()")
    proximity = [t["text"] for t in texts if t["layer"] == "proximity-labels"]
    assert any(t.endswith(" km") for t in proximity) and any(t.startswith("#1 ") for t in proximity), proximity
    assert overlapping(box) == []
    page.screenshot(path=str(SCREENSHOTS / "briefing-explorer-UNMISS.png"))


def test_a_mission_no_source_names_is_a_ring_named_beside_it_and_in_the_legend(tabs, server):
    """Haiti 2010: the helpers are not named; each indicative place is a grey ring with its words beside it."""
    box = show(tabs(*PRESENTER[0]), server, "haiti-2010")
    unnamed = box.evaluate("b => b.imcgeo.deck.props.layers.filter(l => l.id === 'unnamed-points')"
                           ".flatMap(l => l.props.data.map(d => d.position))")  # fmt: skip
    assert unnamed, "no ring marks an unnamed mission"
    names = [t["text"] for t in box.evaluate("b => b.imcgeo.textBoxes()") if t["layer"] == "labels"]
    assert sum("(unnamed)" in n for n in names) == len({tuple(p) for p in unnamed}), names
    assert "grey ring" in box.locator(".im-legend").inner_text()


def touch(cdp, kind: str, points) -> None:
    fingers = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": fingers})


def swipe(page, cdp, starts, dx: float, dy: float, steps: int = 10) -> None:
    """Fingers down at *starts*, moved together by (dx, dy) CSS pixels, lifted."""
    touch(cdp, "touchStart", starts)
    for k in range(1, steps + 1):
        touch(cdp, "touchMove", [(x + dx * k / steps, y + dy * k / steps) for x, y in starts])
        page.wait_for_timeout(16)
    touch(cdp, "touchEnd", [])


def settled(page, box) -> dict:
    """The map's box once the page has stopped scrolling (a swipe flings on after the finger lifts)."""
    last = None
    for _ in range(40):
        now = box.locator(".im-stage").bounding_box()
        if now == last:
            return now
        last = now
        page.wait_for_timeout(150)
    raise AssertionError("the page kept scrolling")


def test_on_a_phone_one_finger_scrolls_the_page_and_two_fingers_pan_the_map(tabs, server):
    tab = tabs(*PHONE, presenter=False)
    box = show(tab, server, "south-sudan-2014")
    page = tab.page
    cdp = page.context.new_cdp_session(page)
    camera = "b => [b.imcgeo.viewState.longitude, b.imcgeo.viewState.latitude, b.imcgeo.viewState.zoom]"
    before, top = box.evaluate(camera), box.locator(".im-stage").bounding_box()
    x, y = top["x"] + top["width"] / 2, top["y"] + top["height"] * 0.7
    swipe(page, cdp, [(x, y)], 0, -200)  # a fling carries the page on: more would take the map off the screen
    wait_for(lambda: box.locator(".im-stage").bounding_box()["y"] < top["y"] - 80)
    moved = settled(page, box)
    assert box.evaluate(camera) == before, "a one-finger swipe moved the map"
    x, y = moved["x"] + moved["width"] / 2, moved["y"] + moved["height"] / 2
    assert y > 60, "the map scrolled out of reach"
    swipe(page, cdp, [(x - 60, y), (x + 60, y)], 80, 0)
    wait_for(lambda: box.evaluate(camera)[0] < before[0] - 10)  # dragged east: the map shows what lies west
    assert abs(box.locator(".im-stage").bounding_box()["y"] - moved["y"]) < 1, "a two-finger pan scrolled the page"
    page.screenshot(path=str(SCREENSHOTS / "briefing-phone-two-finger-pan.png"))
