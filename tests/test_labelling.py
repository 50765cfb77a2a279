"""Label placement: no two labels' boxes overlap, the most important are kept, the exports draw them so."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imcgeo import labelling, layers
from imcgeo.atlas import Atlas
from imcgeo.deckjson import offline_deck
from imcgeo.export import _Canvas

SIZES = [(1920, 1080), (1366, 560), (390, 420)]


def overlapping(boxes) -> list:
    return [(a, b) for (a, x), (b, y) in itertools.combinations(boxes.items(), 2) if labelling._overlaps(x, y)]


@pytest.fixture(scope="module")
def atlas():
    return Atlas.shipped()


@pytest.fixture(scope="module")
def syria(atlas):
    return atlas.frame(atlas.scene_view("syria-2012"))


@pytest.fixture(scope="module")
def car(atlas):
    """2014 in the Central African Republic: MINUSCA took over from BINUCA and MISCA, all in Bangui."""
    return atlas.frame(atlas.view(year=2014, mission="MINUSCA", camera=(6.5, 20.0, 5.0)))


points = st.dictionaries(
    st.text("ABCDEFGHIJ", min_size=2, max_size=7),
    st.tuples(st.floats(0, 400), st.floats(0, 300)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(points)
def test_placed_boxes_never_overlap_and_stay_inside(where):
    sizes = {a: labelling.text_size_px(a, 12) for a in where}
    placed = labelling.place_labels(where, sizes, sorted(where), width=400, height=300)
    boxes = {a: label.box for a, label in placed.items()}
    assert overlapping(boxes) == []
    assert all(b[0] >= 0 and b[2] <= 400 and b[1] >= 0 and b[3] <= 300 for b in boxes.values())
    for label in placed.values():  # every box keeps clear of every other labelled point
        for other, (x, y) in where.items():
            if other != label.acronym:
                assert not labelling._overlaps(label.box, (x - 4, y - 4, x + 4, y + 4)), (label, other)


def test_the_most_important_label_is_kept_when_room_runs_out():
    where = {a: (50.0, 50.0) for a in ("AAAA", "BBBB", "CCCC", "DDDD", "EEEE", "FFFF")}
    sizes = {a: (40.0, 14.0) for a in where}
    order = ["FFFF", "EEEE", "DDDD", "CCCC", "BBBB", "AAAA"]
    placed = labelling.place_labels(where, sizes, order, width=100, height=100)
    assert "FFFF" in placed and len(placed) < len(where)  # some dropped, never the first in importance
    assert [a for a in order if a in placed] == order[: len(placed)]


def test_targets_come_first_then_the_busiest(syria):
    assert labelling.importance(syria.shown, syria.labels)[0] == "UNSMIS"


@pytest.mark.parametrize("size", SIZES)
def test_syria_2012_labels_do_not_overlap_at_any_map_size(syria, size):
    placed = labelling.screen_labels(syria, size)
    assert overlapping({a: p.box for a, p in placed.items()}) == []
    assert "UNSMIS" in placed
    if size[0] >= 1366:  # on a slide or a laptop every mission of the story keeps its name
        assert set(placed) == {"UNSMIS", "UNTSO", "UNIFIL", "UNDOF", "UNGSC"}


@pytest.mark.parametrize("size", SIZES)
def test_car_2014_labels_in_one_city_are_all_readable(car, size):
    assert {"MINUSCA", "BINUCA", "MISCA"} <= set(car.labels)
    placed = labelling.screen_labels(car, size)
    assert overlapping({a: p.box for a, p in placed.items()}) == []
    assert {"MINUSCA", "BINUCA", "MISCA"} <= set(placed)
    assert any(p.leader for p in placed.values())  # three names at one point: one is moved out, with a line


@pytest.fixture(scope="module")
def south_sudan(atlas):
    return atlas.frame(atlas.scene_view("south-sudan-2014"))


@pytest.mark.parametrize("which", ["syria", "car", "south_sudan"])
def test_exported_pictures_draw_labels_apart_and_above_the_arcs(request, atlas, which):
    frame = request.getfixturevalue(which)
    canvas = _Canvas(atlas, frame.view, (1280, 720))
    canvas.draw(frame.view.year)
    drawn = {
        f"{i} {t.get_text()}": tuple(t.get_bbox_patch().get_window_extent(canvas.renderer).extents)
        for i, t in enumerate(canvas.labels)
    }
    assert overlapping(drawn) == [] and len(drawn) >= 3
    legend = canvas.legend.get_window_extent(canvas.renderer)
    assert not any(labelling._overlaps(box, tuple(legend.extents)) for box in drawn.values())
    assert all(t.get_zorder() > canvas.arcs.get_zorder() for t in canvas.labels)


def test_the_browser_map_gets_an_offset_per_label(syria):
    offsets = labelling.pixel_offsets(syria, (1366, 560))
    assert set(offsets) == {"UNSMIS", "UNTSO", "UNIFIL", "UNDOF", "UNGSC"}
    built = layers.labels_layer(set(syria.labels), syria.atlas.missions, offsets=offsets)
    spec = json.loads(offline_deck([built], syria.camera).to_json())["layers"][0]
    assert spec["getPixelOffset"] == "@@=o"
    assert {d["text"]: d["o"] for d in spec["data"]} == offsets


def test_a_ring_of_unnamed_missions_says_so_on_the_picture(atlas, south_sudan):
    canvas = _Canvas(atlas, south_sudan.view, (1280, 720))
    canvas.draw(2014)
    assert "not named" in [t.get_text() for t in canvas.labels]
    assert {"UNMISS", "MINUSTAH", "UNOCI", "MONUSCO"} <= {t.get_text() for t in canvas.labels}


@pytest.fixture(scope="module")
def explorer(atlas):
    """The proximity explorer's rings and nearest missions around UNMISS in 2014, over the transfers to it."""
    return atlas.frame(atlas.view(year=2014, mission="UNMISS", explore="UNMISS", rings=True))


@pytest.mark.parametrize("size", SIZES)
def test_the_explorers_distances_and_names_are_placed_with_the_labels(explorer, size):
    texts = labelling.overlay_texts(explorer)
    assert {"500 km", "1,000 km", "2,000 km"} <= set(texts) and any(t.startswith("#1 ") for t in texts)
    placed = labelling.screen_labels(explorer, size)
    assert overlapping({a: p.box for a, p in placed.items()}) == []
    if size[0] >= 1366:  # on a laptop or a slide every one of the explorer's texts is written
        assert set(texts) <= set(placed)
    first = next(t for t in texts if t.startswith("#1 ")).removeprefix("#1 ")
    assert first not in placed, "the nearest mission is labelled twice"


def test_on_a_phone_the_explorers_five_names_are_kept_before_the_missions_labels(explorer):
    placed = labelling.screen_labels(explorer, (390, 420))
    ranked = [t for t in labelling.overlay_texts(explorer) if t.startswith("#")]
    assert len(ranked) == 5 and set(ranked) <= set(placed), placed
