"""Find a place by name (any spelling in the offline gazetteer) or by coordinates typed as text."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Message, MessageError, Translator, translator

__all__ = [
    "ALT_SEP",
    "PLACES_CSV",
    "PLACE_COLUMNS",
    "Gazetteer",
    "Place",
    "PlaceNotFound",
    "PointError",
    "fold",
    "load_places",
    "looks_like_point",
    "parse_point",
    "resolve",
    "search",
]

PLACES_CSV = Path(__file__).resolve().parent.parent / "data" / "places.csv"
PLACE_COLUMNS = ["geonameid", "name", "asciiname", "alternates", "iso3", "lat", "lon", "population"]
#: Separator between the alternate names of a place in places.csv.
ALT_SEP = "|"

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
                          "ı": "i", "ħ": "h"})  # fmt: skip
# Apostrophes and ayn/hamza marks vanish ("N'Djamena" -> "ndjamena"); other punctuation splits words.
_SILENT = set("'’‘`´ʼʻʿʾ")
_ASCII_FOLD = str.maketrans({chr(c): ("" if chr(c) in _SILENT else " ") for c in range(128) if not chr(c).isalnum()})

# Match tiers, best first: the query is a whole name (the place's own, then an alternate), the
# start of a name (own, then alternate), the start of a later word in a name ("naqoura" in "En Naqoura").
_EXACT_NAME, _EXACT_ALT, _PREFIX_NAME, _PREFIX_ALT, _WORD = 0, 1, 2, 3, 4


def fold(text: str) -> str:
    """Accent-, case- and punctuation-free form of a name, as searched.

    >>> fold("En Nâqoûra"), fold("Port-au-Prince"), fold("N'Djaména"), fold("  Łódź ")
    ('en naqoura', 'port au prince', 'ndjamena', 'lodz')
    """
    text = str(text).casefold()
    if text.isascii():  # most names: no accents to strip, so skip the per-character pass
        return " ".join(text.translate(_ASCII_FOLD).split())
    plain = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    kept = []
    for ch in plain:
        if unicodedata.combining(ch) or ch in _SILENT:
            continue
        kept.append(ch if ch.isalnum() else " ")
    return " ".join("".join(kept).split())


class PointError(MessageError):
    """Text that looks like coordinates but cannot be read as a point; the message says the fix (any language)."""


class PlaceNotFound(LookupError):
    """No place of that name; ``suggestions`` holds close names from the gazetteer.

    ``str()`` is the English message, ``text(tr)`` the same in a translator's language.
    """

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = list(suggestions)
        super().__init__(self.text())

    def text(self, tr: Translator | None = None) -> str:
        """What was not found, the close names, and what to try, in *tr*'s language (English by default)."""
        tr = tr or translator(DEFAULT_LANGUAGE)
        if not self.suggestions:
            return tr.gettext(
                "'{query}' is not a place in the gazetteer (data/places.csv). Check the spelling, type the start "
                "of the name to see matches, or give coordinates as 'lat, lon'."
            ).format(query=self.query)
        quoted = ", ".join(tr.gettext("'{name}'").format(name=name) for name in self.suggestions)
        return tr.gettext(
            "'{query}' is not a place in the gazetteer (data/places.csv). Did you mean {suggestions}? Check the "
            "spelling, type the start of the name to see matches, or give coordinates as 'lat, lon'."
        ).format(query=self.query, suggestions=quoted)


@dataclass(frozen=True)
class Place:
    """A place found by name, or a point typed as coordinates (``geonameid`` 0, empty ``iso3``).

    ``matched`` is the spelling the query matched (an alternate name, say); ``exact`` says whether
    the whole name matched rather than its start.
    """

    name: str
    iso3: str
    lat: float
    lon: float
    population: int = 0
    geonameid: int = 0
    matched: str = ""
    exact: bool = True

    @property
    def label(self) -> str:
        """What a list of choices shows: 'Timbuktu, MLI (Tombouctou)'; coordinates for a point."""
        if not self.geonameid:
            return self.name
        also = f" ({self.matched})" if self.matched and fold(self.matched) != fold(self.name) else ""
        return f"{self.name}, {self.iso3}{also}"

    @property
    def choice_label(self) -> str:
        """A label that tells namesakes apart: 'San José, CRI · 9.93, -84.08 · 335,007 people'."""
        return self.choice_text()

    def choice_text(self, *, tr: Translator | None = None) -> str:
        """The choice label in *tr*'s language (English by default): numbers and words the language's way.

        >>> Place("San José", "CRI", 9.9333, -84.0833, population=335007, geonameid=3621849).choice_text()
        'San José, CRI · 9.93, -84.08 · 335,007 people'
        """
        tr = tr or translator(DEFAULT_LANGUAGE)
        values = {"place": self.label, "lat": tr.format_number(self.lat, 2), "lon": tr.format_number(self.lon, 2)}
        if self.population:
            return tr.gettext("{place} · {lat}, {lon} · {population} people").format(
                population=tr.format_number(self.population), **values
            )
        return tr.gettext("{place} · {lat}, {lon}").format(**values)


def _coord(prefix: str) -> str:
    return (
        rf"(?P<{prefix}pre>[NSEW])?\s*(?P<{prefix}num>[-+]?\d+(?:\.\d+)?)\s*"
        rf"(?:°\s*(?:(?P<{prefix}min>\d+(?:\.\d+)?)\s*['′]\s*)?(?:(?P<{prefix}sec>\d+(?:\.\d+)?)\s*[\"″]\s*)?)?"
        rf"(?P<{prefix}post>[NSEW])?"
    )


_POINT = re.compile(rf"^\s*{_coord('a')}(?:\s*[,;/]\s*|\s+|(?<=[NSEW]))\s*{_coord('b')}\s*$", re.IGNORECASE)
# A Message, so the example's words are translated with the message that shows it.
_EXAMPLE = Message(N_("'16.7735, -3.0074' (latitude first, decimal degrees) or '16.7735N 3.0074W'"))


def looks_like_point(text: str) -> bool:
    """True when *text* is made of numbers and coordinate signs only (then it is read as a point).

    >>> looks_like_point("12.5, -3"), looks_like_point("12°30'N 3°W"), looks_like_point("Gao")
    (True, True, False)
    """
    return bool(re.search(r"\d", text)) and re.fullmatch(r"[\s\d.,;/+\-−°'′\"″NSEWnsew]+", text) is not None


def parse_point(text: str) -> tuple[float, float]:
    """Read coordinates typed as text; returns ``(lat, lon)`` in decimal degrees (WGS84).

    Accepts "lat, lon" in decimal degrees and hemisphere or degree-minute-second forms such as
    "12.5N 3.2W" and "12°30'N 3°12'W". Raises PointError naming the fix.

    >>> parse_point("16.7735, -3.0074")
    (16.7735, -3.0074)
    >>> parse_point("12°30'N 3°12'W")
    (12.5, -3.2)
    >>> parse_point("3.2W 12.5N")
    (12.5, -3.2)
    >>> try:
    ...     parse_point("95, 10")
    ... except PointError as error:
    ...     print(error)
    latitude 95.0 is outside -90 to 90. Fix: give latitude first, then longitude; these look swapped: try '10.0, 95.0'
    """
    raw = str(text).replace("−", "-")
    found = _POINT.match(raw)
    if not found:
        decimal_comma = re.fullmatch(r"\s*[-+]?\d+,\d+\s*[;\s]\s*[-+]?\d+,\d+\s*", raw)
        if decimal_comma:
            raise PointError(
                N_(
                    "cannot read '{text}' as coordinates. Fix: use a point for decimals, give two numbers, "
                    "e.g. {example}"
                ),
                text=text,
                example=_EXAMPLE,
            )
        raise PointError(N_("cannot read '{text}' as coordinates. Fix: give two numbers, e.g. {example}"),
                         text=text, example=_EXAMPLE)  # fmt: skip
    values, hemis = [], []
    for part in "ab":
        pre, post = found.group(f"{part}pre"), found.group(f"{part}post")
        if pre and post:
            raise PointError(N_("'{text}' gives two hemisphere letters for one number. Fix: write e.g. {example}"),
                             text=text, example=_EXAMPLE)  # fmt: skip
        hemi = (pre or post or "").upper()
        number = found.group(f"{part}num")
        minutes, seconds = found.group(f"{part}min"), found.group(f"{part}sec")
        value = abs(float(number)) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        if (minutes and float(minutes) >= 60) or (seconds and float(seconds) >= 60):
            raise PointError(N_("'{text}' has minutes or seconds of 60 or more. Fix: write e.g. 12°30'N 3°12'W"),
                             text=text)  # fmt: skip
        if hemi and number.startswith(("-", "+")):
            raise PointError(N_("'{text}' gives both a sign and a hemisphere letter. Fix: use one, e.g. {example}"),
                             text=text, example=_EXAMPLE)  # fmt: skip
        negative = number.startswith("-") or hemi in ("S", "W")
        values.append(round(-value if negative else value, 10))
        hemis.append(hemi)
    if hemis[0] in ("E", "W") or hemis[1] in ("N", "S"):
        if (hemis[0] in ("E", "W") and hemis[1] in ("E", "W")) or (hemis[0] in ("N", "S") and hemis[1] in ("N", "S")):
            raise PointError(N_("'{text}' gives two latitudes or two longitudes. Fix: write e.g. {example}"),
                             text=text, example=_EXAMPLE)  # fmt: skip
        values.reverse()
    lat, lon = values
    # The numbers are echoed as typed (a decimal point), since that is how they are to be typed again.
    if not -90 <= lat <= 90:
        if -90 <= lon <= 90 and -180 <= lat <= 180:
            raise PointError(
                N_("latitude {lat} is outside -90 to 90. Fix: give latitude first, then longitude; these look "
                   "swapped: try '{lon}, {lat}'"),
                lat=str(lat), lon=str(lon),
            )  # fmt: skip
        raise PointError(N_("latitude {lat} is outside -90 to 90. Fix: give latitude first, then longitude"),
                         lat=str(lat))  # fmt: skip
    if not -180 <= lon <= 180:
        raise PointError(N_("longitude {lon} is outside -180 to 180. Fix: give a longitude between -180 and 180"),
                         lon=str(lon))  # fmt: skip
    return lat, lon


class Gazetteer:
    """The places with a search index built once: folded name -> entries, and a sorted list of keys.

    A key is a folded name, or the part of it from a later word on (so "naqoura" finds
    "En Naqoura"); typing searches the sorted keys by prefix with bisect.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)
        names = self.frame["name"].tolist()
        entries: list[tuple[str, int, str, int]] = []  # key, row, spelling, tier when the key is the whole query
        for row, (name, ascii_, alts) in enumerate(zip(names, self.frame["asciiname"], self.frame["alternates"])):
            spellings = [(name, _EXACT_NAME), (ascii_ or name, _EXACT_NAME)]
            spellings += [(alt, _EXACT_ALT) for alt in alts.split(ALT_SEP) if alt]
            seen: set[str] = set()
            for spelling, tier in spellings:
                key = fold(spelling)
                if not key or key in seen:
                    continue
                seen.add(key)
                entries.append((key, row, spelling, tier))
                words = key.split(" ")
                for i in range(1, len(words)):
                    entries.append((" ".join(words[i:]), row, spelling, _WORD))
        entries.sort(key=lambda e: (e[0], e[3], e[1]))
        self._keys = [e[0] for e in entries]
        self._rows = np.array([e[1] for e in entries], dtype=np.int64)
        self._spelling = [e[2] for e in entries]
        self._tier = np.array([e[3] for e in entries], dtype=np.int64)
        self._population = self.frame["population"].to_numpy(dtype=np.int64)
        self._geonameid = self.frame["geonameid"].to_numpy(dtype=np.int64)
        self._iso3 = self.frame["iso3"].tolist()
        self._names = names
        self._lat = self.frame["lat"].to_numpy(dtype=float)
        self._lon = self.frame["lon"].to_numpy(dtype=float)
        self._whole = sorted({k for k, t in zip(self._keys, self._tier.tolist()) if t != _WORD})

    def __len__(self) -> int:
        return len(self.frame)

    def _place(self, row: int, spelling: str, exact: bool) -> Place:
        return Place(
            name=self._names[row],
            iso3=self._iso3[row],
            lat=float(self._lat[row]),
            lon=float(self._lon[row]),
            population=int(self._population[row]),
            geonameid=int(self._geonameid[row]),
            matched=spelling,
            exact=exact,
        )

    def search(self, query: str, limit: int = 8, *, iso3: str | None = None) -> list[Place]:
        """Places whose names start with *query*, best first (see :func:`search`)."""
        key = fold(query)
        if not key:
            return []
        lo = bisect.bisect_left(self._keys, key)
        hi = bisect.bisect_left(self._keys, key + "\uffff", lo)
        if lo == hi:
            return []
        rows = self._rows[lo:hi]
        tier = self._tier[lo:hi].copy()
        # Keys equal to the query sort first within the range: the whole name matched.
        exact = np.arange(lo, hi) < bisect.bisect_right(self._keys, key, lo, hi)
        tier[~exact & (tier == _EXACT_NAME)] = _PREFIX_NAME
        tier[~exact & (tier == _EXACT_ALT)] = _PREFIX_ALT
        if iso3 is not None:
            keep = np.array([self._iso3[r] == iso3 for r in rows.tolist()], dtype=bool)
            rows, tier, exact, offsets = rows[keep], tier[keep], exact[keep], np.flatnonzero(keep) + lo
        else:
            offsets = np.arange(lo, hi)
        order = np.lexsort((self._geonameid[rows], -self._population[rows], tier))
        out: list[Place] = []
        taken: set[int] = set()
        for i in order.tolist():
            row = int(rows[i])
            if row in taken:
                continue
            taken.add(row)
            out.append(self._place(row, self._spelling[offsets[i]], bool(exact[i])))
            if len(out) >= limit:
                break
        return out

    def suggest(self, query: str, n: int = 5) -> list[str]:
        """Close spellings of *query* among the names (difflib), for "did you mean"."""
        key = fold(query)
        if not key:
            return []
        # Comparing with names of a similar length and the same first letter keeps this fast.
        lo = bisect.bisect_left(self._whole, key[0])
        hi = bisect.bisect_left(self._whole, key[0] + "\uffff")
        pool = [k for k in self._whole[lo:hi] if abs(len(k) - len(key)) <= 3]
        close = difflib.get_close_matches(key, pool, n=n, cutoff=0.7)
        if not close:
            pool = [k for k in self._whole if abs(len(k) - len(key)) <= 2]
            close = difflib.get_close_matches(key, pool, n=n, cutoff=0.75)
        out, seen = [], set()
        for folded in close:
            best = self.search(folded, limit=1)
            if best and best[0].geonameid not in seen:
                seen.add(best[0].geonameid)
                out.append(f"{best[0].name}, {best[0].iso3}")  # resolve() reads this back
        return out

    def resolve(self, text: str) -> Place | list[Place]:
        """One place for *text*, or the choices when several places bear that name (see :func:`resolve`)."""
        text = str(text).strip()
        if not text:
            raise PlaceNotFound(text, [])
        if looks_like_point(text):
            lat, lon = parse_point(text)
            return Place(name=f"{lat:.4f}, {lon:.4f}", iso3="", lat=lat, lon=lon, matched=text)
        name, iso3 = _split_country(text, set(self._iso3))
        found = [p for p in self.search(name, limit=50, iso3=iso3) if p.exact]
        own = [p for p in found if fold(p.matched) == fold(name) and self._is_own(p)]
        # A place's own name beats another place's alternate: "Bangui" is the capital, not a
        # village that GeoNames also lists as Bangui; a later word ("Fasher") counts last.
        whole = [p for p in found if fold(p.matched) == fold(name)]
        pick = own or whole or found
        if not pick:
            raise PlaceNotFound(text, self.suggest(name))
        return pick[0] if len(pick) == 1 else pick

    def _is_own(self, place: Place) -> bool:
        row = int(np.flatnonzero(self._geonameid == place.geonameid)[0])
        return fold(place.matched) in (fold(place.name), fold(self.frame.at[row, "asciiname"]))


def _split_country(text: str, codes: set[str]) -> tuple[str, str | None]:
    """'Gao, MLI' or 'Gao (MLI)' -> ('Gao', 'MLI'); a name alone -> (name, None)."""
    found = re.fullmatch(r"(.+?)\s*(?:,\s*([A-Za-z]{3})|\(\s*([A-Za-z]{3})\s*\))\s*", text)
    if found:
        code = (found.group(2) or found.group(3)).upper()
        if code in codes:
            return found.group(1), code
    return text, None


def load_places(path: str | Path | None = None) -> Gazetteer:
    """The gazetteer (default data/places.csv) with its search index; DataValidationError if unreadable."""
    path = Path(path or PLACES_CSV)
    fix = N_("restore it from the repository or rebuild it with scripts/build_places.py")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataValidationError(
            path.name, [Problem.of(None, None, N_("cannot be read ({error})"), fix, error=type(exc).__name__)]
        ) from None
    missing = [c for c in PLACE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(path.name, [Problem.of(1, c, N_("is missing from the header"), fix) for c in missing])
    problems = []
    numbers = {}
    for column in ("geonameid", "lat", "lon", "population"):
        values = pd.to_numeric(frame[column], errors="coerce")
        for i in np.flatnonzero(values.isna().to_numpy())[:5]:
            problems.append(
                Problem.of(int(i) + 2, column, N_("'{value}' is not a number"), fix, value=frame.at[i, column])
            )
        numbers[column] = values
    if problems:
        raise DataValidationError(path.name, problems)
    frame["geonameid"] = numbers["geonameid"].astype(np.int64)
    frame["population"] = numbers["population"].astype(np.int64)
    frame["lat"] = numbers["lat"].astype(float)
    frame["lon"] = numbers["lon"].astype(float)
    return Gazetteer(frame[PLACE_COLUMNS])


_SHIPPED: Gazetteer | None = None


def _gazetteer(places) -> Gazetteer:
    global _SHIPPED
    if isinstance(places, Gazetteer):
        return places
    if places is not None:
        return Gazetteer(places)
    if _SHIPPED is None:
        _SHIPPED = load_places()
    return _SHIPPED


def search(query: str, places: Gazetteer | pd.DataFrame | None = None, limit: int = 8) -> list[Place]:
    """Places whose names (own or alternate, any accents or case) start with *query*, best first.

    Ranked by: the whole name matches (the place's own name, then an alternate), the name starts
    with the query, a later word starts with it ("Naqoura" in "En Naqoura"); then by population.
    Each Place says which spelling matched (``matched``) and its country (``iso3``). *places* is
    a :class:`Gazetteer` from :func:`load_places` (default: data/places.csv) or a frame with its columns.

    >>> [(p.name, p.iso3, p.matched) for p in search("tombouctou")]
    [('Timbuktu', 'MLI', 'Tombouctou')]
    """
    return _gazetteer(places).search(query, limit)


def resolve(text: str, places: Gazetteer | pd.DataFrame | None = None) -> Place | list[Place]:
    """The place *text* names, or the choices when it is ambiguous.

    *text* is a name in any spelling the gazetteer knows ("Tombouctou", "Timbuktu"), optionally
    with a country code to pick among namesakes ("Gao, MLI" or "Gao (MLI)"), or coordinates
    (see :func:`parse_point`). Returns a Place, or a list of Places (most populous first) when
    several places bear that name. Raises PlaceNotFound (with close ``suggestions``) for an
    unknown name and PointError for unreadable coordinates.

    >>> resolve("Tombouctou").name, resolve("Gao, MLI").iso3
    ('Timbuktu', 'MLI')
    >>> [p.iso3 for p in resolve("Gao")]
    ['MLI', 'BFA']
    """
    return _gazetteer(places).resolve(text)
