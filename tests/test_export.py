"""Exports from the command line, checked as a user would check the files; the page gives the same bytes."""

from __future__ import annotations

import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from imcgeo.__main__ import main
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
    assert data.decode("utf-8").splitlines()[0] == "name,n,when"
    back = pd.read_csv(io.BytesIO(data))
    assert back["name"].tolist() == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "Côte d'Ivoire", "plain"]
    assert back["n"].tolist() == [1, 2, 3, 4, 5, 6]
    assert back["when"].tolist() == ["2010-01-12"] * 6


def test_cli_gif_has_a_frame_per_half_year_and_is_small(tmp_path):
    out = tmp_path / "timeline.gif"
    assert main(["export", "--format", "gif", "--out", str(out), "--from", "1993", "--to", "2017"]) == 0
    gif = Image.open(out)
    assert gif.size == (1280, 720) and gif.format == "GIF"
    durations = []
    for frame in range(gif.n_frames):
        gif.seek(frame)
        durations.append(gif.info["duration"])
    # 25 years at 1 s a year, 2 frames a year (identical ones merged), the last held 3 s
    assert sum(durations) == 24 * 1000 + 500 + 3000
    assert 25 <= gif.n_frames <= 50
    assert out.stat().st_size < 5 * 1024 * 1024


def test_cli_mp4_plays_the_same_timeline(tmp_path):
    import imageio_ffmpeg

    out = tmp_path / "timeline.mp4"
    assert main(["export", "--format", "mp4", "--out", str(out), "--from", "2008", "--to", "2012"]) == 0
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (1280, 720) and meta["fps"] == 10
    assert 5 * 1.0 + 2.5 <= meta["duration"] <= 5 * 1.0 + 3.5  # a second a year, the last frame held
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
