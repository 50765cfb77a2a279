"""Scenes are data: the shipped file is valid, and a bad one names the scene and field."""

from __future__ import annotations

import pytest

from imcgeo import data
from imcgeo.errors import DataValidationError
from imcgeo.scenes import SCENES_TOML, load_scenes

REQUIRED = {"overview", "kosovo-1999", "haiti-2010", "syria-2012", "cote-divoire-2010", "south-sudan-2014"}


def test_shipped_scenes_cover_the_briefing_cases_with_sources():
    scenes = load_scenes(missions=set(data.load_missions()["acronym"]))
    assert {s.id for s in scenes} >= REQUIRED
    for scene in scenes:
        assert scene.sources and scene.caption and scene.camera and scene.year


def test_an_analyst_can_add_a_scene(tmp_path):
    extra = SCENES_TOML.read_text() + '\n[[scene]]\nid = "mine"\ntitle = "Mine"\ncaption = "A new view."\nyear = 2005\n'
    path = tmp_path / "scenes.toml"
    path.write_text(extra)
    assert load_scenes(path)[-1].id == "mine"


@pytest.mark.parametrize(
    "block,expected",
    [
        ('id = "Bad Id"\ntitle = "t"\ncaption = "c"', "'Bad Id' is not a valid id"),
        ('id = "x"\ncaption = "c"', "column 'title': is missing"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nyear = "2010"', "'2010' is not a year"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nsurge = ["earthquake"]', "outside the vocabulary"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nmode = "live"', "'live' is not one of"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\ncamera = { lat = 100, lon = 0, zoom = 2 }', "is not a camera"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nmission = "UNXYZ"', "'UNXYZ' is not in the missions file"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nbudget = 5', "column 'budget': is not a known field"),
        ('id = "x"\ntitle = "t"\ncaption = "c"\nfrom = 2010\nto = 2000', "is before from = 2010"),
    ],
)
def test_a_bad_scene_names_its_number_and_field(tmp_path, block, expected):
    path = tmp_path / "scenes.toml"
    path.write_text(f"[[scene]]\n{block}\n")
    with pytest.raises(DataValidationError) as info:
        load_scenes(path, missions={"UNMIK"})
    assert any(expected in str(p) and p.row == 1 for p in info.value.problems), info.value


def test_unreadable_scenes_file(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text("[[scene]\n")
    with pytest.raises(DataValidationError, match="cannot be read"):
        load_scenes(path)


@pytest.fixture(scope="module")
def atlas():
    from imcgeo.atlas import Atlas

    return Atlas.shipped()


def test_every_scene_opens_on_its_year_with_arcs_the_way_its_title_says(atlas):
    for scene in atlas.scenes:
        view = atlas.scene_view(scene.id)
        assert view.year == scene.year and view.first <= scene.year <= view.last, scene.id
        frame = atlas.frame(view)
        assert frame.arcs, f"{scene.id} opens on {scene.year} with nothing drawn"
        if scene.mission:  # "Bosnia's police start up the Kosovo mission", "the surge to UNMISS": help goes to it
            assert set(frame.shown["target_mission"]) == {scene.mission}, (scene.id, frame.shown["target_mission"])


def test_the_cote_divoire_scene_opens_before_the_help_ran_the_other_way(atlas):
    frame = atlas.frame(atlas.scene_view("cote-divoire-2010"))
    assert set(zip(frame.shown["source_mission"], frame.shown["target_mission"])) == {("UNMIL", "UNOCI")}


@pytest.mark.parametrize("size", [(1920, 720), (1366, 480)])
def test_every_scene_camera_frames_its_subject_on_a_projector_and_a_laptop(atlas, size):
    from imcgeo.labelling import mercator_px, subject

    for scene in atlas.scenes:
        frame = atlas.frame(atlas.scene_view(scene.id))
        outside = [
            (lon, lat)
            for lon, lat in subject(frame)
            if not (0 <= (xy := mercator_px(lat, lon, scene.camera, size))[0] <= size[0] and 0 <= xy[1] <= size[1])
        ]
        assert outside == [], f"{scene.id}: {outside} off a {size} map"


def test_on_a_phone_a_fitted_camera_frames_every_scene(atlas):
    from imcgeo.labelling import fit_camera, mercator_px, subject

    for scene in atlas.scenes:
        points = subject(atlas.frame(atlas.scene_view(scene.id)))
        camera = fit_camera(points, (390, 360))
        assert camera[2] <= scene.camera[2] + 1.5, scene.id  # never zoomed far past the stored view
        for lon, lat in points:
            x, y = mercator_px(lat, lon, camera, (390, 360))
            assert 0 <= x <= 390 and 0 <= y <= 360, (scene.id, lon, lat)
