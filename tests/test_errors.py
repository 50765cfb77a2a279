"""Validation errors in English and French: a French reader gets the row, column, problem and fix in French.

Until the French of the validation messages is in imcgeo/locale/fr/LC_MESSAGES/imcgeo.po, it waits in
../helpers/fr_validation.json (English template -> French; for a plural, the list of the catalogue's forms):
the French here is the catalogue with that file's entries added, so these tests pass before and after the merge.
"""

from __future__ import annotations

import gettext
import io
import json
import pickle
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from builders import GOOD_MISSIONS, MISSION_HEADER, csv_bytes

from imcgeo import data
from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import DOMAIN, po_path, translator

ROOT = Path(__file__).resolve().parents[1]
PENDING = ROOT.parent / "helpers" / "fr_validation.json"
#: The modules whose messages a person reads when a data file fails validation.
VALIDATION_MODULES = ["errors.py", "_validate.py", "data.py", "sites.py", "strength.py"]
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
NNBSP = "\u202f"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def templates() -> dict[str, tuple[str, ...]]:
    """Every message marked in the validation modules: its id (the singular) -> all its English forms."""
    found = {}
    for module in VALIDATION_MODULES:
        for _, message, _, _ in extract_from_file("python", ROOT / "imcgeo" / module, keywords=KEYWORDS):
            forms = message if isinstance(message, tuple) else (message,)
            found[forms[0]] = forms
    return found


def pending() -> dict[str, str | list[str]]:
    return json.loads(PENDING.read_text(encoding="utf-8")) if PENDING.exists() else {}


class French:
    """The French catalogue, with the pending translations added: what translator("fr") gives after the merge."""

    def __init__(self) -> None:
        with po_path("fr").open("rb") as handle:
            catalogue = read_po(handle, locale="fr", domain=DOMAIN)
        english = templates()
        for msgid, french in pending().items():
            forms = english.get(msgid, (msgid,))
            key = forms if len(forms) > 1 else msgid
            current = catalogue.get(key)
            if current is None or not current.string or current.fuzzy:
                catalogue.delete(key)
                catalogue.add(key, tuple(french) if isinstance(french, list) else french)
        buffer = io.BytesIO()
        write_mo(buffer, catalogue, use_fuzzy=False)
        buffer.seek(0)
        self._catalogue = gettext.GNUTranslations(buffer)
        self._fr = translator("fr")

    def gettext(self, message: str) -> str:
        return self._catalogue.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue.ngettext(singular, plural, n)

    def format_number(self, number: float, decimals: int | None = None) -> str:
        return self._fr.format_number(number, decimals)


@pytest.fixture(scope="module")
def fr() -> French:
    return French()


def bad_missions(countries) -> DataValidationError:
    """A missions file whose first row has an unknown host code and no name (row 2 of the file)."""
    rows = list(GOOD_MISSIONS)
    cells = rows[0].split(",")
    cells[1], cells[5] = "", "ZZZ"
    rows[0] = ",".join(cells)
    with pytest.raises(DataValidationError) as info:
        data.load_missions(csv_bytes(MISSION_HEADER, rows), countries=countries, name="missions.csv")
    return info.value


def test_english_is_as_before(toy_countries):
    error = bad_missions(toy_countries)
    assert str(error) == (
        "missions.csv: 2 problems\n"
        "  - row 2, column 'name': is empty. Fix: give the mission's full name\n"
        "  - row 2, column 'host_iso3': 'ZZZ' is not a known ISO 3166-1 alpha-3 code. Fix: use three capital "
        "letters such as HTI, separated by ';' (XKX for Kosovo)"
    )
    assert error.text(translator("en")) == str(error)
    assert [str(p) for p in error.problems] == [p.text(translator("en")) for p in error.problems]


def test_a_french_reader_gets_row_column_problem_and_fix_in_french(toy_countries, fr):
    text = bad_missions(toy_countries).text(fr)
    assert text.splitlines() == [
        "missions.csv : 2 problèmes",
        "  - ligne 2, colonne « name » : est vide. Correction : donnez le nom complet de la mission",
        "  - ligne 2, colonne « host_iso3 » : « ZZZ » n’est pas un code ISO 3166-1 alpha-3 connu. Correction : "
        "utilisez trois lettres majuscules, comme HTI, séparées par « ; » (XKX pour le Kosovo)",
    ]
    english = {"row", "column", "fix", "is", "not", "empty", "known", "give", "use", "problems"}
    assert not english & set(re.findall(r"[a-z’']+", text.lower().replace("« name »", ""))), text


def test_the_parts_a_table_shows_are_translated_too(toy_countries, fr):
    problem = bad_missions(toy_countries).problems[1]
    assert (problem.row, problem.column) == (2, "host_iso3")
    assert problem.message_text(fr) == "« ZZZ » n’est pas un code ISO 3166-1 alpha-3 connu"
    assert problem.message_text() == "'ZZZ' is not a known ISO 3166-1 alpha-3 code"
    assert problem.fix_text(fr).startswith("utilisez trois lettres majuscules")


def test_one_problem_is_singular_in_both_languages(toy_countries, fr):
    with pytest.raises(DataValidationError) as info:
        data.load_missions(b"", countries=toy_countries, name="vide.csv")
    assert str(info.value).splitlines()[0] == "vide.csv: 1 problem"
    assert info.value.text(fr).splitlines() == [
        "vide.csv : 1 problème",
        "  - est vide. Correction : enregistrez le fichier avec une ligne d’en-tête et au moins une ligne de données",
    ]


def test_counts_and_distances_are_written_the_french_way(toy_countries, fr):
    rows = list(GOOD_MISSIONS)
    rows[0] = rows[0].replace(",5.0,5.0,", ",5.0,45.0,")  # an HQ thousands of km outside its host
    with pytest.raises(DataValidationError) as info:
        data.load_missions(csv_bytes(MISSION_HEADER, rows), countries=toy_countries)
    problem = info.value.problems[0]
    english, french = str(problem), problem.text(fr)
    km = re.search(r"is (\d{1,3}(?:,\d{3})+) km outside", english)
    assert km, english
    assert f"est à {km[1].replace(',', NNBSP)} km hors de ses pays hôtes AAA" in french, french
    assert "HQ (5.0, 45.0)" in english and "(5.0, 45.0)" in french  # the file's own values stay as written

    with pytest.raises(DataValidationError) as info:
        data.load_missions(b"a" * (5 * 1024 * 1024 + 1), countries=toy_countries)
    assert "is 5.0 MB, over the 5 MB limit" in str(info.value)
    assert "fait 5,0 Mo, au-delà de la limite de 5 Mo" in info.value.text(fr)


def test_the_values_from_the_file_are_never_translated(fr):
    problem = Problem.of(4, "kind", "'{value}' is not one of {allowed}", "use one of the listed values",
                         value="Peacekeeping", allowed="peacekeeping, political")  # fmt: skip
    assert problem.text(fr) == (
        "ligne 4, colonne « kind » : « Peacekeeping » ne fait pas partie des valeurs peacekeeping, political. "
        "Correction : utilisez l’une des valeurs de la liste"
    )


def test_a_broken_translation_or_finished_text_never_hides_the_problem():
    class Broken:
        def gettext(self, message):
            return message.replace("{code}", "{kode}")

        def ngettext(self, singular, plural, n):
            return singular if n == 1 else plural

        def format_number(self, number, decimals=None):
            return str(number)

    problem = Problem.of(2, "host_iso3", "'{code}' is not a known code", "check it", code="ZZZ")
    assert problem.text(Broken()) == "row 2, column 'host_iso3': 'ZZZ' is not a known code. Fix: check it"
    # A problem made with finished text (no params) is shown as it is, braces and all.
    assert str(Problem(3, None, "'{x}' is odd", "fix {x}")) == "row 3: '{x}' is odd. Fix: fix {x}"


def test_problems_compare_and_the_error_pickles(toy_countries):
    error = bad_missions(toy_countries)
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == str(error) and again.file == "missions.csv"
    assert len({*error.problems, *again.problems}) == 2


def test_every_validation_message_has_a_french_translation_with_the_same_placeholders():
    catalogue = translator("fr")
    waiting = pending()
    missing, broken = [], []
    for msgid, forms in templates().items():
        french = waiting.get(msgid)
        if french is None:
            translated = [catalogue.gettext(msgid)] if len(forms) == 1 else [
                catalogue.ngettext(*forms, n) for n in (1, 2)]  # fmt: skip
            french = None if translated == list(forms) else translated
        if not french:
            missing.append(msgid)
            continue
        for text in [french] if isinstance(french, str) else french:
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(msgid)):
                broken.append(f"{msgid!r} -> {text!r}")
    assert not missing, f"no French for: {missing}"
    assert not broken, "placeholders differ: " + "; ".join(broken)
    assert len(templates()) > 100  # the validation modules mark their messages for translation
