"""English and French: message catalogues, the data's names, numbers and dates, and choosing a language.

One :class:`Translator` per language, shared by every session that reads that language (it holds
no state that changes after it is built). A page keeps the translator of its visitor's language;
nothing here installs a process-wide language (no ``gettext.install``, no ``setlocale``), so two
visitors in two languages never see each other's words.

The French catalogue ``imcgeo/locale/fr/LC_MESSAGES/imcgeo.po`` is compiled in memory with Babel
the first time French is asked for: no compiled ``.mo`` file is kept in the repository, so it
cannot fall out of date with the ``.po``. ``python scripts/i18n.py`` extracts, updates and checks
the catalogue.

>>> fr = translator("fr")
>>> fr.gettext("Natural disaster"), fr.format_number(2500), fr.format_date(date(2010, 1, 12))
('Catastrophe naturelle', '2\\u202f500', '12 janvier 2010')
>>> fr.country_name("CIV"), fr.mission_acronym("UNIFIL")
('Côte d’Ivoire', 'FINUL')
"""

from __future__ import annotations

import ast
import copy
import csv
import gettext as _gettext
import io
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers
from babel.core import get_global
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from imcgeo import vocab

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "N_",
    "Message",
    "MessageError",
    "Nn_",
    "Translator",
    "choose_language",
    "compile_catalogue",
    "country_name",
    "extract_scenes",
    "extract_vocab",
    "mission_acronym",
    "mission_name",
    "po_path",
    "translator",
]

#: The languages a person can choose, the first being the fallback.
LANGUAGES = ("en", "fr")
#: Each language in its own words, for the switch (never translated: a reader looks for their own).
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
#: The gettext domain: the catalogue's file name.
DOMAIN = "imcgeo"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_DATA = Path(__file__).resolve().parent.parent / "data"
_MISSIONS_CSV = _DATA / "missions.csv"

# Formatting conventions per language. English follows UN editorial style, which matches British
# English in CLDR: "12 January 2010", "2,500" (en_US would give "January 12, 2010").
_BABEL_LOCALE = {"en": "en_GB", "fr": "fr"}
# Date precisions (vocab.DATE_PRECISIONS) as CLDR skeletons: a date known to the month reads
# "January 2010", never "1 January 2010".
_SKELETON = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}

# Country names: CLDR's short names, except where the UN's own short name (UN M49, "Standard
# country or area codes for statistical use", published in English and French) differs in a
# way a UN reader would notice: CLDR says "Congo - Kinshasa", "Palestinian Territories",
# "Myanmar (Burma)", "Cape Verde", "Timor oriental".
_UN_NAMES = {
    "CD": ("Democratic Republic of the Congo", "République démocratique du Congo"),
    "CG": ("Congo", "Congo"),
    "PS": ("State of Palestine", "État de Palestine"),
    "MM": ("Myanmar", "Myanmar"),
    "CV": ("Cabo Verde", "Cabo Verde"),
    "TL": ("Timor-Leste", "Timor-Leste"),
}
# Units that Natural Earth draws (data/countries.geojson) but ISO 3166 does not code. English as
# Natural Earth names them; the French is this project's translation of that name.
_NATURAL_EARTH_ONLY = {
    "CYN": ("N. Cyprus", "Chypre du Nord"),
    "KAS": ("Siachen Glacier", "Glacier de Siachen"),
    "SOL": ("Somaliland", "Somaliland"),
    "IOA": ("Indian Ocean Ter.", "Territoires australiens de l’océan Indien"),
}
# Natural Earth and the World Bank code Kosovo XKX; CLDR's alias table knows only XKK.
_ALPHA3_EXTRA = {"XKX": "XK"}
# ISO 3166 user-assigned codes (CLDR names ZZ "Unknown Region", QO, EU...): not countries. XK stays.
_USER_ASSIGNED = re.compile(r"^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU)$")


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it (for module-level constants).

    Translate it where it is shown: ``tr.gettext(SOME_CONSTANT)``.

    >>> N_("Troops")
    'Troops'
    """
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for the catalogue (one plural entry), to be translated later with ngettext.

    >>> singular, plural = Nn_("{n} case", "{n} cases")
    >>> translator("en").ngettext(singular, plural, 2).format(n=2)
    '2 cases'
    """
    return singular, plural


@lru_cache(maxsize=4096)
def _format_decimal(number: float, decimals: int | None, locale: str) -> str:
    """Babel's formatting of one number (kept: a page formats the same counts on every rerun)."""
    if decimals is None:
        return _numbers.format_decimal(number, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _numbers.format_decimal(number, format=pattern, locale=locale, decimal_quantization=True)


class Translator:
    """Everything a person reads, in one language: messages, names, numbers and dates.

    Build it with :func:`translator` (cached per language). Methods never change global state and
    are safe to call from several threads at once.

    >>> en = translator("en")
    >>> en.ngettext("{n} transfer", "{n} transfers", 3).format(n=en.format_number(3))
    '3 transfers'
    """

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r} is not offered; use one of {LANGUAGES} (choose_language picks one)")
        self.lang = lang
        self.locale = Locale.parse(_BABEL_LOCALE[lang])
        self._catalogue = _compiled(lang)
        #: acronym -> (acronym, full name) as shown in this language; None: the shipped missions'.
        self._names: Mapping[str, tuple[str, str]] | None = None

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"

    def gettext(self, message: str) -> str:
        """The message in this language (the English itself where no translation exists).

        An empty message stays empty (gettext would return the catalogue's header).
        """
        return self._catalogue.gettext(message) if message else message

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message for ``n`` by this language's rule (French: 0 and 1 singular)."""
        return self._catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """The message in a context, for one English word that needs two French ones."""
        return self._catalogue.pgettext(context, message) if message else message

    def label(self, value: str | None) -> str:
        """The words for a vocabulary value (imcgeo.vocab) in this language; empty for a missing value.

        >>> translator("fr").label("security-crisis"), translator("fr").label("troops")
        ('Crise sécuritaire', 'Troupes')
        """
        return self.gettext(vocab.label(value))

    def format_number(self, number: float, decimals: int | None = None) -> str:
        """A number with this language's grouping: ``2,500`` or ``2 500`` (narrow no-break space).

        decimals: digits after the decimal sign, exactly; None shows a whole number as whole and
        keeps up to three decimals otherwise. Not for years: 2010 would read "2 010".

        >>> translator("en").format_number(2500), translator("fr").format_number(1234.5, 1)
        ('2,500', '1\\u202f234,5')
        """
        return _format_decimal(number, decimals, str(self.locale))

    def format_percent(self, share: float) -> str:
        """A share as a whole percentage: ``45%`` / ``45 %``.

        >>> translator("en").format_percent(0.45), translator("fr").format_percent(0.45)
        ('45%', '45\\xa0%')
        """
        return _numbers.format_percent(share, locale=self.locale)

    def format_date(self, when: date | datetime, format: str = "long") -> str:
        """A date in this language.

        format: Babel's ``short``, ``medium``, ``long`` or ``full``, or a precision from
        vocab.DATE_PRECISIONS (``day``, ``month``, ``year``) to show only what is known.

        >>> d = date(2010, 1, 12)
        >>> translator("en").format_date(d), translator("fr").format_date(d, "month")
        ('12 January 2010', 'janvier 2010')
        """
        if isinstance(when, datetime):
            when = when.date()
        if format in _SKELETON:
            return _dates.format_skeleton(_SKELETON[format], when, locale=self.locale)
        return _dates.format_date(when, format, locale=self.locale)

    def format_period(self, start: date | datetime, end: date | datetime | None, precision: str = "day") -> str:
        """A span of time in this language, shown to the given precision; an open end reads "since ...".

        >>> fr = translator("fr")
        >>> print(fr.format_period(date(2010, 1, 12), date(2010, 3, 3)))
        12 janv. – 3 mars 2010
        >>> print(fr.format_period(date(1993, 1, 1), date(2017, 1, 1), "year"))
        1993–2017
        >>> print(translator("en").format_period(date(2013, 12, 15), None))
        since 15 December 2013
        """
        if precision not in _SKELETON:
            raise ValueError(f"precision must be one of {tuple(_SKELETON)}, not {precision!r}")
        if isinstance(start, datetime):
            start = start.date()
        if end is None:
            shown = self.format_date(start, precision)
            # French says "depuis le 12 janvier 2010" but "depuis janvier 2010": two messages.
            if precision == "day":
                return self.gettext("since {day}").format(day=shown)
            return self.gettext("since {month_or_year}").format(month_or_year=shown)
        if isinstance(end, datetime):
            end = end.date()
        return _dates.format_interval(start, end, _SKELETON[precision], locale=self.locale)

    def month_names(self, width: str = "abbreviated") -> list[str]:
        """The twelve month names as they stand alone (a time axis), January first.

        width: ``wide``, ``abbreviated`` or ``narrow``.

        >>> translator("fr").month_names()[:2], translator("en").month_names("wide")[0]
        (['janv.', 'févr.'], 'January')
        """
        names = _dates.get_month_names(width, context="stand-alone", locale=self.locale)
        return [names[month] for month in range(1, 13)]

    def country_name(self, iso3: str, default: str | None = None) -> str:
        """A country's short name in this language, from its ISO 3166-1 alpha-3 code (see country_name)."""
        return country_name(iso3, self.lang, default)

    def with_names(self, names: Mapping[str, tuple[str, str]]) -> Translator:
        """This translator naming missions from *names* (acronym -> (acronym, full name) in this language).

        An ``Atlas`` gives its own (uploaded missions included): ``atlas.translator(lang)``.

        >>> tr = translator("fr").with_names({"MYM": ("MAM", "Ma mission")})
        >>> tr.mission_acronym("MYM"), tr.mission_name("MYM"), tr.gettext("Troops")
        ('MAM', 'Ma mission', 'Troupes')
        """
        named = copy.copy(self)
        named._names = dict(names)
        return named

    def mission_acronym(self, acronym: str) -> str:
        """A mission's acronym in this language (see mission_acronym); unknown acronyms stay as they are."""
        if self._names is not None and acronym in self._names:
            return self._names[acronym][0] or acronym
        return mission_acronym(acronym, self.lang)

    def mission_name(self, acronym: str, default: str | None = None) -> str:
        """A mission's full name in this language (see mission_name)."""
        if self._names is not None and acronym in self._names:
            return self._names[acronym][1] or (default if default is not None else acronym)
        return mission_name(acronym, self.lang, default)

    def message(self, message: Message | str) -> str:
        """A ``Message`` (or a plain message) in this language."""
        return message.text(self) if isinstance(message, Message) else self.gettext(message)


class MessageError(ValueError):
    """An error a person reads, in any language: ``str()`` is the English, ``text(tr)`` the same in *tr*'s.

    ``message`` keeps the English template and its values (a ``Message``).

    >>> error = MessageError("{n} is not a year", n="20x0")
    >>> str(error), error.text(translator("en"))
    ('20x0 is not a year', '20x0 is not a year')
    """

    def __init__(self, template: str, **params: object):
        self.message = Message(template, tuple(params.items()))
        super().__init__(self.message.text())

    def text(self, tr: Translator | None = None) -> str:
        """The message in *tr*'s language (English by default)."""
        return self.message.text(tr)


def _shown(value: object, tr: Translator) -> object:
    """A message's value as the reader sees it: numbers formatted, nested messages translated."""
    if isinstance(value, Message) or callable(getattr(value, "text", None)):  # also errors that carry their words
        return value.text(tr)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return tr.format_number(value)
    return value


@dataclass(frozen=True)
class Message:
    """A message kept to be shown later, in whatever language the reader has: a template and its values.

    Values that are numbers are formatted for the language, values that are messages translated;
    others are shown as they are.
    With *plural* and *n*, the template is the singular and the language's plural rule chooses.

    >>> note = Message("{n} transfer from {file} added", plural="{n} transfers from {file} added", n=2,
    ...                params=(("file", "mine.csv"),))
    >>> str(note), note.text(translator("en"))
    ('2 transfers from mine.csv added', '2 transfers from mine.csv added')
    """

    template: str
    params: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    n: int | None = None

    def text(self, tr: Translator | None = None) -> str:
        tr = tr or translator(DEFAULT_LANGUAGE)
        values = {k: _shown(v, tr) for k, v in self.params}
        if self.plural is not None and self.n is not None:
            return tr.ngettext(self.template, self.plural, self.n).format(n=tr.format_number(self.n), **values)
        return tr.gettext(self.template).format(**values)

    def __str__(self) -> str:
        return self.text()


@cache
def translator(lang: str) -> Translator:
    """The translator for a language of LANGUAGES, built once per process and shared.

    >>> translator("fr") is translator("fr"), translator("fr").lang
    (True, 'fr')
    """
    return Translator(lang)


def choose_language(
    query_lang: str | Iterable[str] | None = None,
    switch_lang: str | None = None,
    browser_locale: str | None = None,
) -> str:
    """The language to show: ``?lang=`` in the link, else the page's switch, else the browser's, else English.

    Each may be missing or anything at all; what is not an offered language is skipped. Accepts
    ``fr``, ``FR``, ``fr-FR``, ``fr_CA``, a list (a repeated query parameter: the first that
    counts), and a browser's Accept-Language list (``de-DE,fr;q=0.8``: the best offered).

    >>> choose_language("fr", "en", "en-US"), choose_language(None, None, "fr_CA")
    ('fr', 'fr')
    >>> choose_language("xx", None, "de-DE,fr;q=0.8,en;q=0.5"), choose_language(42, "", None)
    ('fr', 'en')
    """
    for candidate in (query_lang, switch_lang):
        if candidate is not None and not isinstance(candidate, str):
            try:
                candidate = next((c for c in candidate if _language_of(c)), None)
            except TypeError:  # not iterable (a number): not a language
                candidate = None
        lang = _language_of(candidate)
        if lang:
            return lang
    return _best_accepted(browser_locale) or DEFAULT_LANGUAGE


def _language_of(tag: object) -> str | None:
    """'fr' for 'fr', 'FR', 'fr-FR', 'fr_CA'; None for anything that is not an offered language."""
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def _best_accepted(header: object) -> str | None:
    """The offered language a browser ranks highest in a locale or an Accept-Language list."""
    if not isinstance(header, str):
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        lang = _language_of(tag)
        # A weight that is not a number is ignored, as if none were given.
        match = re.search(r"q\s*=\s*([01](?:\.\d{0,3})?)\s*$", params)
        quality = float(match.group(1)) if match else 1.0
        if lang and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else None


def country_name(iso3: str, lang: str, default: str | None = None) -> str:
    """A country's short name in a language, from its ISO 3166-1 alpha-3 code (CLDR, with UN usage).

    Codes ISO does not assign but data/countries.geojson uses (``XKX`` Kosovo, Natural Earth's
    ``CYN``, ``KAS``, ``SOL``, ``IOA``) are named too; any other unknown code gives ``default``,
    else the code itself.

    >>> country_name("COD", "fr"), country_name("SSD", "en"), country_name("XKX", "fr")
    ('République démocratique du Congo', 'South Sudan', 'Kosovo')
    >>> country_name("BIH", "en"), country_name("ZZZ", "fr", "Nowhere")
    ('Bosnia and Herzegovina', 'Nowhere')
    """
    return _country_names(lang).get(str(iso3).upper(), default if default is not None else str(iso3))


@cache
def _country_names(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not offered; use one of {LANGUAGES}")
    index = LANGUAGES.index(lang)
    territories = Locale.parse(_BABEL_LOCALE[lang]).territories
    aliases = {code: targets[0] for code, targets in get_global("territory_aliases").items() if len(targets) == 1}
    aliases.update(_ALPHA3_EXTRA)
    names: dict[str, str] = {}
    for alpha3, alpha2 in aliases.items():
        if len(alpha3) != 3 or not alpha3.isalpha() or alpha2 not in territories or _USER_ASSIGNED.match(alpha2):
            continue
        name = _UN_NAMES[alpha2][index] if alpha2 in _UN_NAMES else territories[alpha2]
        # CLDR's English writes "Bosnia & Herzegovina"; UN style spells out "and".
        names[alpha3] = name.replace(" & ", " and ") if lang == "en" else name
    names.update({code: pair[index] for code, pair in _NATURAL_EARTH_ONLY.items()})
    return names


def mission_acronym(acronym: str, lang: str) -> str:
    """A shipped mission's acronym in a language: the official French one where data/missions.csv has it.

    An Atlas names its own missions (uploads included) with ``Atlas.names(lang)``.

    >>> mission_acronym("UNMISS", "fr"), mission_acronym("UNMISS", "en"), mission_acronym("MONUSCO", "fr")
    ('MINUSS', 'UNMISS', 'MONUSCO')
    """
    if lang == "fr":
        return _names_fr().get(acronym, ("", ""))[0] or acronym
    return acronym


def mission_name(acronym: str, lang: str, default: str | None = None) -> str:
    """A shipped mission's full name in a language; where no French name is known, the English one.

    The English name is data/missions.csv's ``name``; the French, its ``name_fr``.
    A mission in neither (an uploaded file) gives ``default``, else the acronym.

    >>> mission_name("UNIFIL", "fr")
    'Force intérimaire des Nations Unies au Liban'
    >>> mission_name("UNIFIL", "en")
    'United Nations Interim Force in Lebanon'
    """
    if lang == "fr":
        name = _names_fr().get(acronym, ("", ""))[1]
        if name:
            return name
    return _names_en().get(acronym) or (default if default is not None else acronym)


@cache
def _names_fr() -> dict[str, tuple[str, str]]:
    """acronym -> (acronym_fr, name_fr) from data/missions.csv, empty strings where unknown."""
    with _MISSIONS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return {row["acronym"]: (row["acronym_fr"].strip(), row["name_fr"].strip()) for row in csv.DictReader(handle)}


@cache
def _names_en() -> dict[str, str]:
    with _MISSIONS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return {row["acronym"]: row["name"] for row in csv.DictReader(handle)}


def po_path(lang: str) -> Path:
    """Where a language's catalogue lives (``imcgeo/locale/<lang>/LC_MESSAGES/imcgeo.po``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _compiled(lang: str) -> _gettext.NullTranslations:
    """The language's catalogue, compiled in memory (English is the source language: no catalogue)."""
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return compile_catalogue(po_path(lang))


def compile_catalogue(path: Path) -> _gettext.GNUTranslations:
    """Read a ``.po`` file and compile it in memory; fuzzy entries are left out, as msgfmt does."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


# Babel extractors (named in babel.cfg). Some words a person reads are not string literals in
# the code: a vocabulary value's label is made from the value, and scene titles and captions
# are data. These put them in the catalogue, so a new value or an edited caption shows up there
# untranslated and the catalogue test fails until it is translated.


def extract_vocab(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for imcgeo/vocab.py: the label of every value of every vocabulary, and LABELS.

    Reads the module-level tuples and dicts of strings from the file's source (it never runs it);
    labels come from vocab.label, the function the page uses.
    """
    tree = ast.parse(fileobj.read())
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not isinstance(target, ast.Name) or not target.id.isupper() or node.value is None:
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if isinstance(value, dict):
            pairs = [(f"{target.id}[{key!r}]", text) for key, text in value.items()]
        elif isinstance(value, tuple):
            pairs = [(f"{target.id}: {item}", vocab.label(item)) for item in value if isinstance(item, str)]
        else:
            continue
        for comment, text in pairs:
            if isinstance(text, str):
                yield node.lineno, "gettext", text, [f"vocabulary {comment}"]


def extract_scenes(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for data/scenes.toml: every scene's title and caption (sources stay as cited)."""
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    lines = text.splitlines()
    for scene in tomllib.loads(text).get("scene", []):
        start = next(
            (i for i, line in enumerate(lines) if re.match(rf"id\s*=\s*\"{re.escape(scene['id'])}\"", line)), 0
        )
        for key in ("title", "caption"):
            if scene.get(key):
                lineno = next((i for i in range(start, len(lines)) if re.match(rf"{key}\s*=", lines[i])), start) + 1
                yield lineno, "gettext", scene[key], [f"scene {scene['id']}: {key}"]
