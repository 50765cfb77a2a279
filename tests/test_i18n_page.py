"""English and French as a visitor meets them: the page, the link, the switch, the map, the exports, the CLI.

These run the page on the shipped data (its scenes, missions and French names are what a French
reader sees). "English left on the French page" is measured with words: a word of the English
messages that no French translation and no data file uses is English a French reader should not
meet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import Image
from streamlit.testing.v1 import AppTest
from worlds import map_data, open_app

from imcgeo import data, tables, webmap
from imcgeo.__main__ import main
from imcgeo.atlas import TITLE, Atlas
from imcgeo.credits import credits_line
from imcgeo.export import export
from imcgeo.i18n import po_path, translator

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
SECTIONS = ["Planner", "Proximity explorer", "Export", "Missions", "About the data", "Your data"]
#: A link a French briefer might send: a scene, a place for the planner, the explorer's rings.
FRENCH_LINK = {"lang": "fr", "scene": "haiti-2010", "at": "-1.68,29.22", "rings": "1"}


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch):
    monkeypatch.delenv("IMCGEO_DATA_DIR", raising=False)
    monkeypatch.delenv("IMCGEO_PUBLIC", raising=False)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.shipped()


def open_page(**query) -> AppTest:
    return open_app(timeout=120, **query)


def words(text: str) -> set[str]:
    """Lower-case words of three letters or more, outside {placeholders}, `code` and markup."""
    text = re.sub(r"\{[^}]*\}|`[^`]*`|<[^>]*>|https?://\S+", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ’']{3,}", text)}


@pytest.fixture(scope="module")
def english_only() -> set[str]:
    """Words of the English messages that no French translation and no data file uses."""
    with po_path("fr").open("rb") as handle:
        catalogue = read_po(handle)
    english, french = set(), set()
    for message in catalogue:
        if not message.id:
            continue
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= words(text)
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            french |= words(text or "")
    shared = set()
    for name in ("missions.csv", "transfers.csv", "sites.csv", "scenes.toml", "strength_reports.csv"):
        path = data.DATA_DIR / name
        if path.exists():
            shared |= words(path.read_text(encoding="utf-8"))
    return english - french - shared


def page_texts(at: AppTest) -> list[str]:
    """Every text AppTest sees that the page wrote itself: headings, prose, notices, widget labels, help, options."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [element.value for element in at.get(kind) if not element.value.startswith("<style>")]
    for kind in ("button", "download_button", "toggle", "checkbox", "radio", "selectbox", "multiselect", "slider",
                 "text_input", "number_input", "date_input", "button_group", "expander"):  # fmt: skip
        for widget in at.get(kind):
            proto = widget.proto
            for field in ("label", "help", "placeholder"):
                texts.append(getattr(proto, field, "") or "")
            options = getattr(widget, "options", None)
            if options and kind not in ("selectbox", "multiselect"):  # those list missions and cases: data
                texts += [str(o) for o in options]
    for frame in at.dataframe:  # the headings the tables show
        config = frame.proto.columns
        texts += re.findall(r'"label":\s*"([^"]*)"', config)
    return [t for t in texts if t]


def english_left(at: AppTest, english_only: set[str]) -> dict[str, set[str]]:
    return {text[:90]: found for text in page_texts(at) if (found := words(text) & english_only)}


def test_the_french_page_shows_no_english_label(english_only):
    at = open_page(**FRENCH_LINK)
    assert at.title[0].value == translator("fr").gettext(Atlas.shipped().scene("haiti-2010").title)
    left = english_left(at, english_only)
    for section in SECTIONS:
        at.button_group(key="w_section").set_value(section).run()
        assert not at.exception and not at.error, (section, at.exception, at.error)
        left |= english_left(at, english_only)
    assert not left, f"English on the French page: {left}"


def test_the_check_finds_english(english_only):
    """The scan above can fail: the same page in English is full of words it flags."""
    at = open_page(scene="haiti-2010")
    assert len(english_left(at, english_only)) > 10


def test_a_french_link_reopens_in_french_and_the_switch_changes_the_language():
    at = open_page(scene="haiti-2010", lang="fr")
    french_title = at.title[0].value
    assert french_title != Atlas.shipped().scene("haiti-2010").title
    assert at.query_params["lang"] == "fr"
    again = open_page(**dict(at.query_params.items()))
    assert again.title[0].value == french_title and again.session_state["view"].lang == "fr"
    english = open_page(scene="haiti-2010")
    assert english.title[0].value == Atlas.shipped().scene("haiti-2010").title
    english.button_group(key="w_lang").set_value("fr").run()
    assert english.title[0].value == french_title and english.query_params["lang"] == "fr"
    english.button_group(key="w_lang").set_value("en").run()
    assert english.title[0].value == Atlas.shipped().scene("haiti-2010").title and "lang" not in english.query_params


def test_two_visitors_in_two_languages_side_by_side_do_not_leak():
    """Two sessions of one server process, their reruns interleaved: each keeps its own words.

    (AppTest cannot run sessions in parallel threads; tests/browser/test_page.py opens two browser
    pages at once on a real server.)
    """
    titles = {"en": translator("en").gettext(TITLE), "fr": translator("fr").gettext(TITLE)}
    assert titles["en"] != titles["fr"]
    pages = {"en": open_page(), "fr": open_page(lang="fr")}
    for mode in ("active", "cumulative", "active"):
        for lang, at in pages.items():
            at.radio(key="w_mode").set_value(mode).run()
            assert at.title[0].value == titles[lang]
            assert at.sidebar.radio[0].label == translator(lang).gettext("Show transfers")
            sent = json.loads(at.get("bidi_component")[0].proto.json)
            assert sent["view"]["lang"] == lang
            assert sent["view"]["title"] == titles[lang]


def test_the_map_speaks_french(atlas):
    at = open_page(lang="fr", scene="haiti-2010")
    sent = map_data(at)
    assert sent["data_url"].startswith("app/static/imcgeo/data-fr-")
    fr = translator("fr")
    words_ = sent["data"]["words"]
    assert words_["lang"] == "fr" and words_["months"][0] == "janv."
    assert words_["text"]["Play"] == fr.gettext("Play") != "Play"
    assert set(webmap.MAP_TEXTS) <= set(words_["text"]) | {t for t in webmap.MAP_TEXTS if fr.gettext(t) == t}
    # Only words French spells as English may stay as they are on the French map.
    assert set(webmap.MAP_TEXTS) - set(words_["text"]) <= {"Pause", "Date"}
    assert sent["view"]["title"] == at.title[0].value
    unifil = sent["data"]["missions"]["acronym"].index("UNIFIL")
    assert sent["data"]["missions"]["shown"][unifil] == "FINUL"
    assert "Mandat" in sent["data"]["missions"]["tooltip"][unifil]
    assert sent["data"]["legend"]["surge"][0][0] == fr.label(sent["data"]["legend_keys"]["surge"][0])


def test_map_js_shows_only_texts_the_catalogue_has():
    """Every fixed text of map.js is listed in webmap.MAP_TEXTS / MAP_PLURALS, so it reaches the catalogue."""
    source = (ROOT / "imcgeo" / "web" / "map.js").read_text(encoding="utf-8")
    found = set(re.findall(r'\bT\(\s*"([^"]+)"', source))
    found |= set(re.findall(r'\bsay\([^;]*?"[^"]*",\s*"([^"]+)"\)', source))
    found |= set(re.findall(r'\bbtn\(\s*"([^"]+)"', source))
    found |= {t for pair in re.findall(r'\bplural\([^,]+,\s*"([^"]+)",\s*"([^"]+)"', source) for t in pair}
    found |= set(re.findall(r'\[\d+,\s*"([^"]+)"\]', source))  # SPEEDS
    found |= {t for a, b, c in re.findall(r'T\(\s*\w+ === "\w+" \? "([^"]+)" : \w+ === "\w+" \? "([^"]+)" : "([^"]+)"',
                                          source) for t in (a, b, c)}  # fmt: skip
    listed = set(webmap.MAP_TEXTS) | {t for pair in webmap.MAP_PLURALS for t in pair}
    assert len(found) > 30 and not found - listed, f"map.js texts missing from webmap.MAP_TEXTS: {found - listed}"


def test_french_exports_carry_french_titles_legend_and_credits(atlas, tmp_path):
    fr = translator("fr")
    view = atlas.scene_view("haiti-2010")
    french = view.__class__(**{**view.__dict__, "lang": "fr"})
    page = export("html", atlas, french).decode("utf-8")
    title = fr.gettext(atlas.scene("haiti-2010").title)
    assert title != atlas.scene("haiti-2010").title
    assert "<html lang='fr'>" in page and f"<title>{title}</title>" in page
    blobs = dict(re.findall(r'<script type="application/json" id="imcgeo-(\w+)">(.*?)</script>', page))
    shown, words_ = json.loads(blobs["view"]), json.loads(blobs["data"])["words"]
    assert shown["title"] == title and shown["credits"].startswith(credits_line(tr=fr))
    assert fr.gettext("Sources: {sources}").split("{")[0] + "SC/10854" in shown["credits"]
    assert words_["text"]["Play"] == fr.gettext("Play") and words_["lang"] == "fr"
    # The GIF: the same map, its words in French: the pictures differ where the words are, and only a little.
    english_gif, french_gif = (
        Image.open(io.BytesIO(export("gif", atlas, view))),
        Image.open(io.BytesIO(export("gif", atlas, french))),
    )
    english_gif.seek(english_gif.n_frames - 1)
    french_gif.seek(french_gif.n_frames - 1)
    a, b = english_gif.convert("RGB"), french_gif.convert("RGB")
    assert a.size == b.size
    width, height = a.size
    changed = [
        sum(1 for p, q in zip(a.crop(box).getdata(), b.crop(box).getdata()) if p != q)
        for box in ((0, 0, width, int(height * 0.12)), (0, int(height * 0.12), width, height))
    ]
    assert changed[0] > 200, "the title and caption are drawn in French"
    assert changed[1] < 0.1 * width * height, "the map itself is the same"


def test_french_csv_has_french_headings_and_loads_back(atlas):
    fr = translator("fr")
    payload = tables.csv_bytes(atlas.transfers.head(5), tr=fr)
    header = next(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    assert fr.gettext("To") in header and "target_mission" not in header
    again = data.load_transfers(payload, missions=atlas.missions, name="transferts.csv")
    assert len(again) == 5 and set(again["target_mission"]) <= set(atlas.transfers["target_mission"])


def test_the_cli_writes_french_with_lang_fr(tmp_path, capsys):
    out = tmp_path / "haiti.html"
    assert main(["export", "--format", "html", "--out", str(out), "--scene", "haiti-2010", "--lang", "fr"]) == 0
    assert "<html lang='fr'>" in out.read_text(encoding="utf-8")
    said = capsys.readouterr().err
    wrote = translator("fr").ngettext(
        "wrote {file} ({mb} MB, {format}, {first}-{last}, {n} transfer) in {seconds} s",
        "wrote {file} ({mb} MB, {format}, {first}-{last}, {n} transfers) in {seconds} s",
        2,
    )
    assert wrote.split(" (")[0].replace("{file}", str(out)) in said and "wrote" not in said
    with pytest.raises(SystemExit):  # only the offered languages
        main(["export", "--format", "png", "--out", str(out), "--lang", "de"])


def test_french_tables_read_french_words_and_acronyms(atlas):
    fr = translator("fr").with_names(atlas.names("fr"))
    shown = tables.display(atlas.transfers[atlas.transfers["target_mission"] == "UNIFIL"].head(3), fr)
    assert set(shown["target_mission"]) == {"FINUL"}
    assert all(value in {fr.label(s) for s in data.SURGES} for value in shown["surge"])
