"""Exports from the command line, checked as a user would check the files; the page gives the same bytes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from imcgeo.__main__ import build_parser, main
from imcgeo.atlas import Atlas
from imcgeo.export import FORMATS, _Canvas, credits, gif_bytes, html_bytes, schedule
from imcgeo.tables import csv_bytes

ROOT = Path(__file__).resolve().parents[1]


def test_csv_round_trip_with_neutralised_formulas():
    frame = pd.DataFrame(
        {
            "name": ["=1+1", "+SUM(A1)", "-2", "@cmd", "Côte d'Ivoire", "plain"],
            "n": [1, 2, 3, 4, 5, 6],
            "when": pd.to_datetime(["2010-01-12"] * 6),
        }
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").splitlines()[0] == "name,n,when"
    back = pd.read_csv(io.BytesIO(data))
    assert back["name"].tolist() == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "Côte d'Ivoire", "plain"]
    assert back["n"].tolist() == [1, 2, 3, 4, 5, 6]
    assert back["when"].tolist() == ["2010-01-12"] * 6


def gif_durations(path) -> list[int]:
    gif = Image.open(path)
    durations = []
    for frame in range(gif.n_frames):
        gif.seek(frame)
        durations.append(gif.info["duration"])
    return durations


def test_cli_gif_is_paced_and_small(tmp_path):
    out = tmp_path / "timeline.gif"
    assert main(["export", "--format", "gif", "--out", str(out), "--from", "1993", "--to", "2017"]) == 0
    gif = Image.open(out)
    assert gif.size == (1280, 720) and gif.format == "GIF"
    atlas = Atlas.shipped()
    view, _ = atlas.view_from_query({"from": "1993", "to": "2017"})
    seconds = schedule(atlas, view)
    assert sum(gif_durations(out)) == pytest.approx(1000 * sum(seconds.values()), abs=10 * gif.n_frames)
    assert 25 <= gif.n_frames <= 50
    assert out.stat().st_size < 5 * 1024 * 1024


def test_south_sudan_gif_dwells_on_the_surge_not_on_the_empty_year_after(tmp_path):
    out = tmp_path / "ss.gif"
    assert main(["export", "--format", "gif", "--out", str(out), "--scene", "south-sudan-2014"]) == 0
    durations = gif_durations(out)
    # 2011 (the hand-over from UNMIS), 2012, 2013, 2014 (two frames, the surge), then the empty 2015
    assert durations[-1] <= 300, "the empty 2015 flashes by"
    surge = len(durations) - 2
    assert durations[surge - 1] + durations[surge] >= 4000 and max(durations) == durations[surge], "the surge holds"
    slower = tmp_path / "slow.gif"
    options = ["--seconds-per-year", "2", "--hold", "0"]
    assert main(["export", "--format", "gif", "--out", str(slower), "--scene", "south-sudan-2014", *options]) == 0
    assert sum(gif_durations(slower)) == 2 * (sum(durations) - 3000)


def test_cli_mp4_plays_the_same_paced_timeline_and_shows_progress(tmp_path, capsys):
    import imageio_ffmpeg

    out = tmp_path / "timeline.mp4"
    assert main(["export", "--format", "mp4", "--out", str(out), "--from", "2008", "--to", "2012"]) == 0
    assert "rendering 100%" in capsys.readouterr().err
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (1280, 720) and meta["fps"] == 10
    atlas = Atlas.shipped()
    total = sum(schedule(atlas, atlas.view_from_query({"from": "2008", "to": "2012"})[0]).values())
    assert meta["duration"] == pytest.approx(total, abs=0.25)
    assert out.stat().st_size < 5 * 1024 * 1024


def test_cli_png_is_a_slide_sized_picture_with_a_map(tmp_path):
    out = tmp_path / "still.png"
    assert main(["export", "--format", "png", "--out", str(out), "--scene", "syria-2012"]) == 0
    image = Image.open(out).convert("RGB")
    assert image.size == (1920, 1080)
    assert len(image.getcolors(maxcolors=1 << 20)) > 50  # drawn, not blank


def test_cli_csv_follows_the_filters(tmp_path):
    out = tmp_path / "t.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--surge", "election", "--from", "2005"]) == 0
    table = pd.read_csv(out)
    assert len(table) >= 3 and set(table["surge"]) == {"election"}
    assert (pd.to_datetime(table["start"]).dt.year >= 2005).all()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith(("data:", "#")):
                self.remote.append(f"<{tag} {name}={value}>")


def test_cli_html_is_self_contained(tmp_path):
    out = tmp_path / "view.html"
    assert main(["export", "--format", "html", "--out", str(out), "--scene", "haiti-2010"]) == 0
    text = out.read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(text)
    assert tags.remote == [], "the file must load nothing from elsewhere"
    assert "createDeck" in text and "help for MINUSTAH" in text and len(text) > 4_000_000  # deck.gl inlined


def test_cli_refuses_bad_options_with_a_message(tmp_path, capsys):
    assert main(["export", "--format", "png", "--out", str(tmp_path / "x.png"), "--scene", "atlantis"]) == 2
    assert "no such scene" in capsys.readouterr().err
    result = subprocess.run(
        [sys.executable, "-m", "imcgeo", "export", "--format", "bmp", "--out", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.fixture
def captured_media(monkeypatch):
    """What the page hands to Streamlit's media storage, by URL (download buttons point there)."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[self.get_url(file_id)] = path_or_data if isinstance(path_or_data, bytes) else b""
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return files


def test_download_buttons_give_the_same_bytes_as_the_cli(tmp_path, captured_media):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["scene"] = "cote-divoire-2010"
    at.run()
    at.button_group(key="w_section").set_value("Export").run()
    next(b for b in at.button if b.label.startswith("Make the Animated GIF")).click().run()
    next(b for b in at.button if b.label.startswith("Make the MP4 video")).click().run()
    assert not at.exception
    buttons = {b.proto.label: captured_media[b.proto.url] for b in at.get("download_button")}
    for fmt, label in [
        ("png", "PNG still, 1920×1080"),
        ("html", "Offline HTML (works with no network)"),
        ("csv", "CSV of the filtered transfers"),
        ("gif", "Animated GIF, 2 years"),
        ("mp4", "MP4 video, 2 years"),
    ]:
        out = tmp_path / f"view.{fmt}"
        assert main(["export", "--format", fmt, "--out", str(out), "--scene", "cote-divoire-2010"]) == 0
        assert buttons[label] == out.read_bytes(), f"{fmt}: the page and the CLI differ"


def test_cli_help_lists_every_format_and_every_choice():
    parser = build_parser()
    export_parser = next(a for a in parser._subparsers._group_actions[0].choices.values())
    text = " ".join(export_parser.format_help().split())
    for action in export_parser._actions:
        for choice in action.choices or ():
            assert choice in text, f"{action.option_strings}: {choice} missing from the help"
    assert all(f"{fmt}:" in text for fmt in FORMATS)
    for option in ("--seconds-per-year", "--hold", "--scene"):
        assert option in text
    scenes = [s.id for s in Atlas.shipped().scenes]
    assert all(scene in text for scene in scenes)


def test_exports_credit_the_scene_sources():
    atlas = Atlas.shipped()
    view = atlas.scene_view("south-sudan-2014")
    line = credits(atlas, view)
    assert line.endswith("Sources: S/RES/2132 (2013); UN News, 2014-01-04; UNMISS press release, 2014-01-15")
    page = html_bytes(atlas, view).decode("utf-8")
    assert json.dumps(line)[1:-1] in page.split('id="imcgeo-view"')[1]  # the offline map's credits line
    canvas = _Canvas(atlas, view, (1280, 720))
    assert f"{canvas.credits.get_text()} · {canvas.sources.get_text()}" == line
    for text in (canvas.credits, canvas.sources):
        extent = text.get_window_extent(canvas.renderer)
        assert extent.x0 >= 0 and extent.x1 <= 1280  # the whole line is on the picture
        assert text.get_fontsize() >= 7, "and big enough to read"
    assert "Sources:" not in credits(atlas, atlas.view(year=2010))  # not a scene: no scene sources


@pytest.mark.parametrize("colour", ["asset", "surge"])
def test_gif_legend_colours_come_out_exactly_as_drawn_and_distinct(colour):
    """Every swatch of the GIF's legend keeps its colour: none merged with another, none shifted."""
    from imcgeo.encoding import legend

    atlas = Atlas.shipped()
    view, _ = atlas.view_from_query({"from": "2013", "to": "2014", "colour": colour})
    gif = Image.open(io.BytesIO(gif_bytes(atlas, view, size=(640, 360))))
    drawn = _Canvas(atlas, view, (640, 360)).draw(view.first)
    gif.seek(0)
    shown = gif.convert("RGB")
    legend_box = (0, 150, 200, 340)  # the legend's corner of the picture
    before, after = drawn.crop(legend_box).load(), shown.crop(legend_box).load()
    width, height = legend_box[2] - legend_box[0], legend_box[3] - legend_box[1]
    for text, rgb in legend(colour):
        pixels = [(x, y) for x in range(width) for y in range(height) if before[x, y] == rgb]
        assert len(pixels) >= 20, f"{text}: its swatch is not drawn in {rgb}"
        assert all(after[x, y] == rgb for x, y in pixels), f"{text}: the GIF changed {rgb}"
    colours = [rgb for _, rgb in legend(colour)]
    assert len(set(colours)) == len(colours)


def blob(page: str, name: str) -> dict:
    """A JSON block the offline file carries (<script type="application/json" id=...>)."""
    return json.loads(re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', page, re.S).group(1))


def test_the_offline_file_is_the_pages_own_map_with_everything_inlined():
    atlas = Atlas.shipped()
    page = html_bytes(atlas, atlas.scene_view("south-sudan-2014")).decode("utf-8")
    data, view = blob(page, "imcgeo-data"), blob(page, "imcgeo-view")
    assert (ROOT / "imcgeo" / "web" / "map.js").read_text(encoding="utf-8")[:200] in page.replace("<\\/", "</")
    assert view["title"] == atlas.scene("south-sudan-2014").title and view["overlay"] is True
    tips = [tip for tip in data["transfers"]["tooltip"] if "not named" in tip or "unnamed" in tip]
    assert len(tips) >= 3  # transfers from missions no source names travel too
    assert len(data["transfers"]["id"]) >= len(atlas.transfers) - 2 and blob(page, "imcgeo-outlines")["features"]
    assert not re.search(r"""<(script|link|img)[^>]*(src|href)=["']?(https?:)?//""", page), "a remote tag"


def test_offline_html_of_the_explorer_draws_its_dashed_rings():
    atlas = Atlas.shipped()
    page = html_bytes(atlas, atlas.view(year=2014, explore="MINUSCA", rings=True)).decode("utf-8")
    overlays = {layer["id"]: layer for layer in blob(page, "imcgeo-view")["overlays"]}
    assert {"rings", "helpers"} <= set(overlays)
    assert "PathStyleExtension" in page  # the vendored deck.gl extensions are inlined: the dashes draw
