"""English and French: the catalogue is complete and current, formats and names read right, languages never mix."""

from __future__ import annotations

import builtins
import csv
import gettext
import importlib.util
import json
import locale
import re
import shutil
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from imcgeo import i18n
from imcgeo.i18n import (
    LANGUAGES,
    choose_language,
    compile_catalogue,
    country_name,
    mission_acronym,
    mission_name,
    po_path,
    translator,
)

ROOT = Path(__file__).resolve().parents[1]
NNBSP = "\u202f"  # narrow no-break space: CLDR's French thousands separator


def load_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def french_catalogue() -> Catalog:
    with po_path("fr").open("rb") as handle:
        return read_po(handle, locale="fr", domain=i18n.DOMAIN)


def text_of(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


# The catalogue


def test_every_french_message_is_translated_and_none_is_fuzzy():
    todo = []
    for message in french_catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            todo.append(f"fuzzy: {text_of(message)!r}")
        elif not all(s.strip() for s in strings):
            todo.append(f"untranslated: {text_of(message)!r}")
    assert not todo, "translate these in imcgeo/locale/fr/LC_MESSAGES/imcgeo.po:\n" + "\n".join(todo)


def test_translations_keep_every_placeholder():
    broken = []
    for message in french_catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{[^{}]*\}", ids[-1]))
        for string in strings:
            if string and set(re.findall(r"\{[^{}]*\}", string)) != wanted:
                broken.append(f"{text_of(message)!r} -> {string!r}: needs exactly {sorted(wanted)}")
    assert not broken, "\n".join(broken)


def test_catalogue_holds_exactly_the_messages_in_the_sources(tmp_path):
    script = load_script()
    template = script.extract(ROOT)
    pot = tmp_path / "imcgeo.pot"
    with pot.open("wb") as handle:
        write_po(handle, template)
    with pot.open("rb") as handle:
        extracted = {(m.context, text_of(m)) for m in read_po(handle) if m.id}
    catalogued = {(m.context, text_of(m)) for m in french_catalogue() if m.id}
    missing, gone = extracted - catalogued, catalogued - extracted
    assert not missing and not gone, (
        "imcgeo.po is stale: run `python scripts/i18n.py` and translate what it lists.\n"
        f"in the code, not in the catalogue: {sorted(t for _, t in missing)}\n"
        f"in the catalogue, gone from the code: {sorted(t for _, t in gone)}"
    )


def test_extraction_finds_marked_strings_vocabulary_labels_and_scene_text(tmp_path):
    """The staleness test can fail: a new string of each kind reaches the template."""
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    (tmp_path / "imcgeo").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "dashboard.py").write_text(
        'st.title(_("Where missions helped"))\nst.caption(tr.ngettext("{n} case", "{n} cases", n))\n', encoding="utf-8"
    )
    (tmp_path / "imcgeo" / "export.py").write_text('TITLE = N_("Timeline")\nx = f(name)\n', encoding="utf-8")
    (tmp_path / "imcgeo" / "vocab.py").write_text(
        'SURGES = ("flood-relief", "election")\nLABELS = {"hq": "Head office"}\nlimit = 3\n', encoding="utf-8"
    )
    (tmp_path / "data" / "scenes.toml").write_text(
        '[[scene]]\nid = "a"\ntitle = "A title"\ncaption = "A caption."\nsources = ["S/RES/1 (1946)"]\n',
        encoding="utf-8",
    )
    found = {text_of(m): m for m in load_script().extract(tmp_path) if m.id}
    assert set(found) == {
        "Where missions helped", "{n} case", "Timeline", "Flood relief", "Election", "Head office", "A title",
        "A caption.",
    }  # fmt: skip
    assert found["{n} case"].id == ("{n} case", "{n} cases")
    assert "S/RES/1 (1946)" not in found  # sources are cited as they are, never translated
    assert "scene a: caption" in found["A caption."].auto_comments


def test_every_scene_title_and_caption_reads_in_french():
    fr = translator("fr")
    scenes = tomllib.loads((ROOT / "data" / "scenes.toml").read_text(encoding="utf-8"))["scene"]
    for scene in scenes:
        for key in ("title", "caption"):
            assert fr.gettext(scene[key]) != scene[key], f"scene {scene['id']}: {key} is not translated"
    haiti = next(s for s in scenes if s["id"] == "haiti-2010")
    assert "12 janvier 2010" in fr.gettext(haiti["caption"])


def test_vocabulary_labels_in_french():
    fr, en = translator("fr"), translator("en")
    assert fr.label("natural-disaster") == "Catastrophe naturelle"
    assert fr.label("military-observers") == "Observateurs militaires"
    assert fr.label("Middle East") == "Moyen-Orient"
    assert fr.label("surge") == "Motif du renfort"
    assert en.label("natural-disaster") == "Natural disaster"
    assert fr.label(None) == "" and fr.gettext("") == ""  # not the catalogue's header


def test_french_plural_rule_counts_zero_and_one_as_singular(tmp_path):
    catalogue = Catalog(locale="fr", domain=i18n.DOMAIN)
    catalogue.add(("{n} transfer", "{n} transfers"), ("{n} transfert", "{n} de transferts", "{n} transferts"))
    path = tmp_path / "fr.po"
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    compiled = compile_catalogue(path)
    got = [compiled.ngettext("{n} transfer", "{n} transfers", n).format(n=n) for n in (0, 1, 2, 2_000_000)]
    assert got == ["0 transfert", "1 transfert", "2 transferts", "2000000 de transferts"]
    assert translator("en").ngettext("{n} transfer", "{n} transfers", 1) == "{n} transfer"


def test_fuzzy_entries_are_not_shown(tmp_path):
    catalogue = Catalog(locale="fr", domain=i18n.DOMAIN)
    catalogue.add("Troops", "Troupes")
    catalogue.add("Police", "Polices", flags=["fuzzy"])
    path = tmp_path / "fr.po"
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    compiled = compile_catalogue(path)
    assert (compiled.gettext("Troops"), compiled.gettext("Police")) == ("Troupes", "Police")


# Numbers, dates and months


def test_numbers_group_as_each_language_writes_them():
    fr, en = translator("fr"), translator("en")
    assert f"{fr.format_number(2500)} soldats" == f"2{NNBSP}500 soldats"
    assert f"{en.format_number(2500)} troops" == "2,500 troops"
    assert fr.format_number(1234.56, 1) == f"1{NNBSP}234,6"
    assert en.format_number(1234.56, 1) == "1,234.6"
    assert fr.format_number(980) == "980" and en.format_number(12, 0) == "12"


def test_dates_months_and_periods():
    fr, en = translator("fr"), translator("en")
    day = date(2010, 1, 12)
    assert fr.format_date(day) == "12 janvier 2010"
    assert en.format_date(day) == "12 January 2010"
    assert fr.format_date(datetime(2010, 1, 12, 15, 30)) == "12 janvier 2010"
    assert (fr.format_date(day, "month"), en.format_date(day, "year")) == ("janvier 2010", "2010")
    assert fr.month_names("wide")[0] == "janvier" and fr.month_names()[7] == "août"
    assert en.month_names() == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
    assert fr.format_period(date(2013, 12, 15), None) == "depuis le 15 décembre 2013"
    assert fr.format_period(date(2013, 12, 1), None, "month") == "depuis décembre 2013"
    assert en.format_period(date(1993, 1, 1), date(2017, 6, 30), "year").replace("\u2009", "") == "1993–2017"
    assert fr.format_period(date(2010, 11, 1), date(2011, 3, 1), "month").replace("\u2009", " ") == (
        "novembre 2010 – mars 2011"
    )
    with pytest.raises(ValueError, match="precision"):
        fr.format_period(day, day, "week")


# Choosing a language


@pytest.mark.parametrize(
    ("query", "switch", "browser", "expected"),
    [
        ("fr", "en", "en-US", "fr"),  # the link wins
        (None, "fr", "en-US", "fr"),  # then the switch
        (None, None, "fr-FR", "fr"),  # then the browser
        (None, None, "fr_CA", "fr"),
        (None, None, None, "en"),  # then English
        ("FR", None, None, "fr"),
        (["de", "fr"], None, None, "fr"),  # a repeated ?lang=: the first offered
        ("de", None, "fr-CH", "fr"),  # not offered: skipped, no error
        ("", "", "", "en"),
        (42, {"x": 1}, b"fr", "en"),  # not text at all
        ("fr;drop table", None, None, "en"),
        (None, None, "de-DE,fr;q=0.8,en;q=0.5", "fr"),  # Accept-Language: the best offered
        (None, None, "en;q=0.2,fr;q=0.9", "fr"),
        (None, None, "fr;q=0,en", "en"),  # q=0 means "not this one"
        (None, None, "fr;q=abc,en;q=0.5", "fr"),  # a weight that is not a number is ignored
    ],
)
def test_language_choice_order_and_fallbacks(query, switch, browser, expected):
    assert choose_language(query, switch, browser) == expected


def test_an_unknown_language_is_an_error_that_names_the_choices():
    with pytest.raises(ValueError, match="choose_language"):
        translator("de")


# One visitor's language never reaches another's


def test_two_languages_used_alternately_in_threads_do_not_leak():
    expected = {
        "en": ("Natural disaster", "12 January 2010", "2,500", "Côte d’Ivoire", "UNIFIL"),
        "fr": ("Catastrophe naturelle", "12 janvier 2010", f"2{NNBSP}500", "Côte d’Ivoire", "FINUL"),
    }

    def read(lang: str) -> tuple[str, tuple[str, ...]]:
        tr = translator(lang)
        return lang, (
            tr.gettext("Natural disaster"), tr.format_date(date(2010, 1, 12)), tr.format_number(2500),
            tr.country_name("CIV"), tr.mission_acronym("UNIFIL"),
        )  # fmt: skip

    langs = [LANGUAGES[i % 2] for i in range(2000)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(read, langs))
    assert all(seen == expected[lang] for lang, seen in results)
    assert [lang for lang, _ in results] == langs


def test_nothing_process_wide_changes():
    before = locale.setlocale(locale.LC_ALL)
    translator("fr").gettext("Troops")
    translator("fr").format_date(date(2010, 1, 12))
    assert locale.setlocale(locale.LC_ALL) == before
    assert gettext.gettext("Troops") == "Troops"  # no gettext.install, no textdomain
    assert "_" not in builtins.__dict__


# Names: countries and missions


def test_country_names_in_both_languages():
    assert (country_name("COD", "en"), country_name("COD", "fr")) == (
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
    )
    assert (country_name("SSD", "en"), country_name("SSD", "fr")) == ("South Sudan", "Soudan du Sud")
    assert (country_name("XKX", "en"), country_name("XKX", "fr")) == ("Kosovo", "Kosovo")
    assert (country_name("TLS", "fr"), country_name("LBN", "fr"), country_name("ESH", "fr")) == (
        "Timor-Leste",
        "Liban",
        "Sahara occidental",
    )
    assert country_name("ttO", "en") == "Trinidad and Tobago"
    assert country_name("ZZZ", "fr") == "ZZZ" and country_name("ZZZ", "fr", "?") == "?"


def test_every_outline_on_the_map_has_a_name_in_both_languages():
    features = json.loads((ROOT / "data" / "countries.geojson").read_text(encoding="utf-8"))["features"]
    codes = sorted({f["properties"]["iso3"] for f in features})
    unnamed = [(code, lang) for code in codes for lang in LANGUAGES if country_name(code, lang) == code]
    assert not unnamed, f"no name for: {unnamed}"
    differ = sum(country_name(code, "fr") != country_name(code, "en") for code in codes)
    assert differ > len(codes) / 2  # French names, not English ones twice


def test_mission_names_in_both_languages():
    assert (mission_acronym("UNIFIL", "fr"), mission_acronym("UNMISS", "fr"), mission_acronym("UNOCI", "fr")) == (
        "FINUL",
        "MINUSS",
        "ONUCI",
    )
    assert (mission_acronym("UNDOF", "fr"), mission_acronym("UNTSO", "fr"), mission_acronym("UNAMID", "fr")) == (
        "FNUOD",
        "ONUST",
        "MINUAD",
    )
    assert mission_acronym("UNMISS", "en") == "UNMISS"
    assert mission_name("UNIFIL", "fr") == "Force intérimaire des Nations Unies au Liban"
    assert mission_name("UNIFIL", "en") == "United Nations Interim Force in Lebanon"
    assert translator("fr").mission_name("UNFICYP") == "Force des Nations Unies chargée du maintien de la paix à Chypre"
    # No confirmed French acronym: the English one stays, rather than a guess.
    assert mission_acronym("RSCE", "fr") == "RSCE"
    # No confirmed French name: the English name, rather than a guess.
    assert mission_name("UNCPSG", "fr") == "United Nations Civilian Police Support Group"
    # A mission from an uploaded file.
    assert mission_name("MYMISSION", "fr", "My mission") == "My mission" and mission_acronym("X", "fr") == "X"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_shipped_mission_cites_its_french_name_or_says_it_is_not_confirmed():
    rows = read_csv(ROOT / "data" / "missions.csv")
    assert list(rows[0])[-3:] == ["acronym_fr", "name_fr", "source_fr"]
    for number, row in enumerate(rows, start=2):
        where = f"data/missions.csv row {number} ({row['acronym']})"
        assert row["source_fr"].strip(), f"{where}: source_fr is empty; cite where the French name can be looked up"
        if not (row["acronym_fr"] and row["name_fr"]):
            assert "not confirmed" in row["source_fr"], f"{where}: say in source_fr which part is not confirmed"
        for column in ("acronym_fr", "name_fr"):
            assert row[column] == row[column].strip(), f"{where}: {column} has spaces at an end"
            assert "'" not in row[column], f"{where}: {column}: use the typographic apostrophe ’"
    filled = sum(bool(row["name_fr"]) for row in rows)
    assert filled >= 0.9 * len(rows)
