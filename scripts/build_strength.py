"""Build data/strength.csv (uniformed strength per mission and month) from the file the UN publishes.

The UN Department of Peace Operations publishes, every month since November 1990, the number of
uniformed personnel each country contributes to each mission, by personnel type. Download it as
CSV from the "Troop and Police Contributions" data page (peacekeeping.un.org/en/data-troop-and-
police-contributions, which links the dataset on the UN Peace and Security Data Hub and HDX:
"Contribution of uniformed personnel to UN by Mission, Personnel Type, and Country"), then:

    python scripts/build_strength.py odp_contributionsbygender.csv   # writes data/strength.csv
    python scripts/build_strength.py FILE.csv --out mine.csv --downloaded 2026-11-30

The script sums the contributing countries of each mission and date into troops (contingent
troops and staff officers), police (formed police units and individual police) and military
observers (experts on mission and military observers), checks every mission against
data/missions.csv, and checks the result as the dashboard will (imcgeo.strength.load_strength)
before writing it. Nothing is downloaded: the script reads only the file you give it.

Layouts it recognises by their headers. What follows is what public code written by others to read
these files shows (R, Stata and Python scripts on GitHub), not UN documentation:

1. HDX ``odp_contributionsbygender.csv``, seen in four public R and Stata scripts reading it:
   columns Contributing_Country, ISOCode3, Mission_Acronym, Personnel_Type, Last_Reporting_Date,
   Female_Personnel, Male_Personnel. There is no total column: users sum female and male. Dates are
   day first (``31/07/2020``; read with R "%d/%m/%Y", lubridate "dmy" and Stata "DM20Y"). Users strip
   stray spaces from Mission_Acronym. Personnel types: Troops, Experts on Mission, Formed Police
   Units, Individual Police, Staff Officer.
2. UN Peace and Security Data Hub ``DPO-UCHISTORICAL.csv``, seen in two public Python scripts
   reading it: lower-case columns contribution_id, contributing_country, isocode3, mission_acronym,
   personnel_type, male_personnel, female_personnel, last_reporting_date; the type "Troops"; empty
   female or male cells (one script reads them as 0, as this one does beside a number). Not
   confirmed: how its dates are written (both scripts let pandas guess) and the spelling of its
   other personnel types (taken to be as in 1; any other stops the build).
3. ``DPPADPO-UCPre2010.csv`` (the years before 2010), seen in one of those scripts: columns ID,
   Contributor, Contributor_ISO-3, Troops, Date, Mission, one row per contributor, mission and date
   with a troop count. Not confirmed: whether other columns carry police or observers (that script
   keeps only Troops), whether Troops can be empty (accepted here) and how Date is written. A column
   that is neither an identifier nor a known personnel type stops the build until you map it
   (``--type "NAME=police"``) or leave it out (``--type "NAME=ignore"``). From a troops-only file,
   police, military_observers and total stay empty: the file does not give them.
4. Personnel-type labels of the UN's older monthly PDF reports, seen in a public scraper of them:
   Contingent Troop, Experts on Mission, Formed Police Units, Individual Police, Military Observer,
   Troop, Police, Civilian Police. All are in TYPES.

Anything else is read with the spellings in COLUMNS (case, spaces and '_' do not matter) or named
with ``--column``, e.g. ``--column mission=Operation``; a file with a count column (Total) is summed
as it is, one without is summed as female + male. Nothing is guessed:

- A personnel type not in TYPES stops the build with the list; map it with ``--type``.
- Dates: ISO (2020-07-31), day/month/year or month/day/year (with '/', '-' or '.'; two-digit years
  are 1969-2068), or with the month's English name (31-Jul-2020). Day first is known for layout 1,
  and found when a first number above 12 appears; a second number above 12 means month first. A
  file that gives no such clue (every day 12 or less) stops with the row and the fix:
  ``--dayfirst`` or ``--monthfirst``.
- Mission acronyms are stripped of surrounding spaces. One not in data/missions.csv stops the build
  with the list (the dashboard would refuse the whole table): map the UN's spelling to ours with
  ``--mission OURS=THEIRS`` (were the file to write UNEF II as "UNEF 2": ``--mission "UNEF II=UNEF 2"``)
  or leave those missions out with ``--drop-unmatched`` (they are listed when the table is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imcgeo.strength import STRENGTH_COLUMNS, STRENGTH_CSV, load_strength  # noqa: E402

MISSIONS_CSV = ROOT / "data" / "missions.csv"

#: What each column may be called in the UN's files (compared without case, spaces or '_').
COLUMNS = {
    "mission": ("Mission_Acronym", "Mission Acronym", "Mission", "Operation"),
    "date": ("Last_Reporting_Date", "Reporting Date", "Date", "Month"),
    "type": ("Personnel_Type", "Personnel Type", "Description", "Category", "Type"),
    "count": ("Total", "Total_Personnel", "Grand Total", "Personnel", "Count"),
    "female": ("Female_Personnel", "Female"),
    "male": ("Male_Personnel", "Male"),
}
#: Columns that identify a row rather than count people (for files with one column per personnel type).
IDENTIFIERS = ("ID", "contribution_id", "Contributor", "Contributor_ISO-3", "Contributing_Country", "ISOCode3")
#: Personnel types, as the UN names them, and the column they count towards.
TYPES = {
    "troops": "troops",
    "troop": "troops",
    "contingent troop": "troops",
    "staff officer": "troops",
    "staff officers": "troops",
    "formed police units": "police",
    "formed police unit": "police",
    "fpu": "police",
    "individual police": "police",
    "individual police officers": "police",
    "police": "police",
    "civilian police": "police",
    "experts on mission": "military_observers",
    "expert on mission": "military_observers",
    "military experts on mission": "military_observers",
    "military observers": "military_observers",
    "military observer": "military_observers",
}
PARTS = ["troops", "police", "military_observers"]
TARGETS = (*PARTS, "ignore")


class Layout(NamedTuple):
    """A published layout: the exact headers that identify it and what is known of its dates."""

    name: str
    header: tuple[str, ...]
    dayfirst: bool | None  # None: not known, found from the dates themselves


HDX_HEADER = ("Contributing_Country", "ISOCode3", "Mission_Acronym", "Personnel_Type", "Last_Reporting_Date",
              "Female_Personnel", "Male_Personnel")  # fmt: skip
HUB_HEADER = ("contribution_id", "contributing_country", "isocode3", "mission_acronym", "personnel_type",
              "male_personnel", "female_personnel", "last_reporting_date")  # fmt: skip
PRE2010_HEADER = ("ID", "Contributor", "Contributor_ISO-3", "Troops", "Date", "Mission")
LAYOUTS = (
    Layout("HDX odp_contributionsbygender.csv", HDX_HEADER, dayfirst=True),
    Layout("UN Peace and Security Data Hub DPO-UCHISTORICAL.csv", HUB_HEADER, dayfirst=None),
    Layout("DPPADPO-UCPre2010.csv (troops by contributor, mission and date)", PRE2010_HEADER, dayfirst=None),
)
GENERIC = Layout("a file with other headers", (), dayfirst=None)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_NAMED = re.compile(r"^(\d{1,2})[-/ .]([A-Za-z]{3,9})\.?[-/ .,]+(\d{4}|\d{2})$")
# English month names, written out: the calendar module's follow the machine's locale.
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")  # fmt: skip
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)} | {n[:3]: i for i, n in enumerate(_MONTH_NAMES, 1)}
_MONTHS["sept"] = 9


def _key(name: str) -> str:
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


def detect_layout(header: list[str]) -> Layout:
    """The published layout whose headers *header* holds (exact spelling), else GENERIC.

    >>> detect_layout(["ID", "Contributor", "Contributor_ISO-3", "Troops", "Date", "Mission"]).dayfirst is None
    True
    """
    names = {str(h).strip() for h in header}
    return next((layout for layout in LAYOUTS if set(layout.header) <= names), GENERIC)


def _find(header: list[str], need: str, extra: dict[str, str]) -> tuple[str | None, list[str]]:
    by_key = {_key(h): h for h in header}
    names = [extra[need]] if need in extra else list(COLUMNS[need])
    return next((by_key[_key(n)] for n in names if _key(n) in by_key), None), names


def find_columns(header: list[str], extra: dict[str, str], types: dict[str, str] | None = None) -> dict[str, str]:
    """Which column of *header* holds each of mission, date, type and count; ValueError names the missing ones.

    The count may instead be female + male (both columns present). A file with no type column but
    a column per personnel type (Troops, Police..., or one mapped in *types*) needs neither.
    """
    unknown = sorted(set(extra) - set(COLUMNS))
    if unknown:
        raise ValueError(
            f"--column {', '.join(unknown)}: not a column this script needs. Name one of {', '.join(COLUMNS)}"
        )
    found, missing = {}, []
    for need in COLUMNS:
        match, names = _find(header, need, extra)
        if match is not None:
            found[need] = match
        elif need in ("mission", "date", "type") or need in extra:
            missing.append((need, f"{need} (tried {', '.join(names)})"))
    wide = "type" not in found and "type" not in extra and _type_columns(header, _mapping(types), found)
    if wide:
        missing = [(need, text) for need, text in missing if need != "type"]
    elif "count" not in found and not {"female", "male"} <= set(found) and not {"count", "female", "male"} & set(extra):
        tried = ", ".join(COLUMNS["count"])
        both = f"{COLUMNS['female'][0]} and {COLUMNS['male'][0]}"
        missing.append(("count", f"count (tried {tried}, or both of {both})"))
    if missing:
        raise ValueError(
            "cannot find the column(s) "
            + "; ".join(text for _, text in missing)
            + f". The file's columns are: {', '.join(header)}. "
            "Name the right one with --column, e.g. --column mission=Operation"
        )
    return found


def _type_columns(header: list[str], mapping: dict[str, str], found: dict[str, str]) -> list[str]:
    """The columns of *header* named as a personnel type (a file with one count column per type)."""
    taken = {found.get("mission"), found.get("date")}
    return [h for h in header if h not in taken and str(h).strip().casefold() in mapping]


def parse_dates(values: pd.Series, *, column: str, dayfirst: bool | None, why: str = "") -> pd.Series:
    """ISO date strings (YYYY-MM-DD) for the day-first, month-first or ISO *values*; ValueError names rows and fix.

    *dayfirst* True or False fixes the order of numeric dates; None finds it from the values (a
    first number above 12 means day first, a second above 12 month first) and refuses a file that
    gives no clue. *why* says where a known order comes from, for the error message.

    >>> parse_dates(pd.Series(["31/01/2011", "28/02/2011"]), column="Date", dayfirst=None).tolist()
    ['2011-01-31', '2011-02-28']
    """
    text = values.astype(str).str.strip()
    unique = pd.unique(text)
    numeric = {v: m.groups() for v in unique if (m := _NUMERIC.match(v))}
    if numeric and dayfirst is None:
        day_clue = [v for v, (a, b, _) in numeric.items() if int(a) > 12]
        month_clue = [v for v, (a, b, _) in numeric.items() if int(b) > 12]
        if day_clue and month_clue:
            raise ValueError(
                f"column '{column}' mixes day-first dates ('{day_clue[0]}', row {_row(text, day_clue[0])}) and "
                f"month-first dates ('{month_clue[0]}', row {_row(text, month_clue[0])}). "
                "Fix: write every date one way in the file (YYYY-MM-DD is safest)"
            )
        if not day_clue and not month_clue:
            first = next(iter(numeric))
            raise ValueError(
                f"row {_row(text, first)}, column '{column}': '{first}' could be day/month/year or "
                "month/day/year, and no date in the file has a day above 12 to tell. Fix: check one date "
                "whose day you know (the UN's monthly figures are for the last day of the month) and run "
                "again with --dayfirst (31/01/2011 style) or --monthfirst (01/31/2011 style)"
            )
        dayfirst = bool(day_clue)
        why = f"because of '{(day_clue or month_clue)[0]}' in row {_row(text, (day_clue or month_clue)[0])}"
    parsed, bad = {}, []
    for value in unique:
        day = _date(value, numeric.get(value), dayfirst)
        if day is None:
            bad.append(value)
        else:
            parsed[value] = day.isoformat()
    if bad:
        rows = sorted(_row(text, v) for v in bad)
        shown = ", ".join(f"row {r} '{text.iloc[r - 2]}'" for r in rows[:10])
        order = "" if dayfirst is None else f" (numeric dates are read {'day' if dayfirst else 'month'} first {why})"
        raise ValueError(
            f"dates that cannot be read in row(s) of column '{column}'{order}: {shown}"
            f"{' and more' if len(rows) > 10 else ''}. Fix: write them as YYYY-MM-DD"
            + ("" if dayfirst is None else ", or give --dayfirst or --monthfirst if the order is the other one")
        )
    return text.map(parsed)


def _row(text: pd.Series, value: str) -> int:
    """The file row (header = row 1) of the first cell equal to *value*."""
    return int((text.to_numpy() == value).argmax()) + 2


def _date(value: str, numeric: tuple[str, str, str] | None, dayfirst: bool | None) -> dt.date | None:
    try:
        if m := _ISO.match(value):
            year, month, day = (int(g) for g in m.groups())
        elif numeric is not None and dayfirst is not None:
            a, b, year = (int(g) for g in numeric)
            day, month = (a, b) if dayfirst else (b, a)
        elif m := _NAMED.match(value):
            day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).casefold()), int(m.group(3))
            if month is None:
                return None
        else:
            return None
        if year < 100:  # two-digit years as Python's %y reads them; the UN's figures begin in 1990
            year += 2000 if year < 69 else 1900
        return dt.date(year, month, day)
    except ValueError:
        return None


def _counts(values: pd.Series, column: str) -> pd.Series:
    """Head counts as floats (NaN where the cell is empty); ValueError names rows that are not whole numbers."""
    text = values.astype(str).str.strip().str.replace(",", "", regex=False)
    number = pd.to_numeric(text, errors="coerce")
    bad = (text != "") & (number.isna() | (number < 0) | (number % 1 != 0))
    if bad.any():
        rows = [i + 2 for i in range(len(text)) if bad.iloc[i]]
        shown = ", ".join(f"row {r} '{values.iloc[r - 2]}'" for r in rows[:10])
        raise ValueError(
            f"counts that are not numbers of people in column '{column}': {shown}"
            f"{' and more' if len(rows) > 10 else ''} (header = row 1). Fix: give a whole number, or leave it empty"
        )
    return number.where(text != "")


def _mapping(types: dict[str, str] | None) -> dict[str, str]:
    extra = {}
    for name, target in (types or {}).items():
        if target.strip() not in TARGETS:
            raise ValueError(f'--type "{name}={target}": the column must be one of {", ".join(TARGETS)}')
        extra[name.strip().casefold()] = target.strip()
    return {**TYPES, **extra}


def _long_rows(frame: pd.DataFrame, names: dict[str, str], mapping: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """One row per input row: mission, date, part (troops, police...) and count, from a file with a type column."""
    kind = frame[names["type"]].astype(str).str.strip()
    unknown = sorted({t for t in kind if t.casefold() not in mapping})
    if unknown:
        listed = ", ".join(f"'{t}' (row {_row(kind, t)}, {int((kind == t).sum())} row(s))" for t in unknown)
        raise ValueError(
            f"unknown personnel type(s) in column '{names['type']}': {listed}. Nothing is guessed: "
            'map each with --type "NAME=troops|police|military_observers|ignore"'
        )
    notes = []
    if "count" in names:
        count = _counts(frame[names["count"]], names["count"])
    else:
        female, male = _counts(frame[names["female"]], names["female"]), _counts(frame[names["male"]], names["male"])
        # An empty cell beside a number is read as 0, as users of the file do; both empty is no count.
        count = female.fillna(0) + male.fillna(0)
        count[female.isna() & male.isna()] = float("nan")
        notes.append(f"counts are {names['female']} + {names['male']} (the file has no total column)")
    part = kind.str.casefold().map(mapping)
    return pd.DataFrame({"part": part.to_numpy(), "count": count.to_numpy()}), notes


def _wide_rows(frame: pd.DataFrame, names: dict[str, str], mapping: dict[str, str],
               columns: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:  # fmt: skip
    """Stacked rows (input row, part, count) from a file with one count column per personnel type."""
    identifiers = {_key(i) for i in (*IDENTIFIERS, *columns.values())} | {_key(names["mission"]), _key(names["date"])}
    counted = _type_columns(list(frame.columns), mapping, names)
    others = [c for c in frame.columns if _key(c) not in identifiers and c not in counted]
    if others:
        raise ValueError(
            f"column(s) {', '.join(repr(c) for c in others)} are neither identifiers nor personnel types this "
            'script knows. Fix: say what each counts with --type "NAME=troops|police|military_observers", '
            'or leave it out with --type "NAME=ignore"'
        )
    pieces = []
    for column in counted:
        target = mapping[str(column).strip().casefold()]
        if target != "ignore":
            pieces.append(pd.DataFrame({"_pos": range(len(frame)), "part": target,
                                        "count": _counts(frame[column], column).to_numpy()}))  # fmt: skip
    ignored = [c for c in counted if mapping[str(c).strip().casefold()] == "ignore"]
    notes = [f"one column per personnel type: {', '.join(c for c in counted if c not in ignored)}"]
    if ignored:
        notes.append(f"ignored as asked: {', '.join(ignored)}")
    stacked = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=["_pos", "part", "count"])
    return stacked, notes


def build(
    frame: pd.DataFrame,
    *,
    source: str,
    columns: dict[str, str] | None = None,
    types: dict[str, str] | None = None,
    missions: dict[str, str] | None = None,
    known: set[str] | None = None,
    drop_unmatched: bool = False,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Strength per mission and date (STRENGTH_COLUMNS) from the UN's per-country rows in *frame*.

    *columns* names columns (``{"mission": "Operation"}``); *types* maps personnel types or
    type columns to troops, police, military_observers or ignore; *missions* maps our acronym to
    the file's (``{"OURS": "THEIRS"}``). With *known* (our acronyms), a mission not in it raises
    ValueError listing them, or with *drop_unmatched* is left out. *dayfirst* fixes the order of
    numeric dates (None: known from the layout or found from the dates). Counts are Int64, empty
    where the file does not give them (a type the file never mentions). ``table.attrs`` holds
    ``layout`` (its name), ``notes`` (what the build did, for the user) and ``left_out`` (the
    file's acronyms left out, with their row counts).
    """
    columns = {k.strip(): v.strip() for k, v in (columns or {}).items()}
    header = [str(c) for c in frame.columns]
    frame = frame.set_axis(header, axis=1).reset_index(drop=True).fillna("").astype(str)
    layout = detect_layout(header)
    names = find_columns(header, columns, types)
    mapping = _mapping(types)
    if "type" in names:
        counted, notes = _long_rows(frame, names, mapping)
        counted["_pos"] = range(len(frame))
    else:
        counted, notes = _wide_rows(frame, names, mapping, columns)
    mission = frame[names["mission"]].str.strip().str.replace(r"\s+", " ", regex=True)
    ours = {theirs.strip(): our.strip() for our, theirs in (missions or {}).items()}
    if known is not None:
        wrong = sorted(our for our in ours.values() if our not in known)
        if wrong:
            raise ValueError(f"--mission {', '.join(wrong)}: not in the missions file. Fix: use our acronym (left)")
    mission = mission.map(lambda m: ours.get(m, m))
    why = f"because the {layout.name} layout writes them so" if layout.dayfirst else ""
    if dayfirst is not None:
        why = "as asked"
    dates = parse_dates(frame[names["date"]], column=names["date"], dayfirst=layout.dayfirst if dayfirst is None
                        else dayfirst, why=why)  # fmt: skip
    empty = mission == ""
    if empty.any():
        rows = ", ".join(str(i + 2) for i in empty[empty].index[:10])
        raise ValueError(f"row(s) {rows}, column '{names['mission']}': no mission acronym. Fix: fill it in")
    left_out = pd.DataFrame(columns=["mission", "rows"])
    if known is not None:
        unmatched = ~mission.isin(known)
        if unmatched.any():
            left_out = mission[unmatched].value_counts().rename_axis("mission").reset_index(name="rows")
            left_out = left_out.sort_values("mission").reset_index(drop=True)
            if not drop_unmatched:
                raise ValueError(_unmatched_message(left_out, known, mission, names["mission"]))
    counted["mission"] = mission.to_numpy()[counted["_pos"].to_numpy(dtype=int)]
    counted["date"] = dates.to_numpy()[counted["_pos"].to_numpy(dtype=int)]
    if known is not None:
        counted = counted[counted["mission"].isin(known)]
    counted = counted[counted["part"] != "ignore"]
    no_count = counted["count"].isna()
    if no_count.any():
        notes.append(f"{int(no_count.sum())} entries with an empty count add nothing")
    covered = [p for p in PARTS if (counted["part"] == p).any()]
    sums = counted.groupby(["mission", "date", "part"])["count"].sum(min_count=1).unstack("part")
    table = sums.reindex(columns=PARTS)
    for part in covered:
        # A type with no row for a mission and month is none of it there; one whose rows are all empty is unknown.
        present = counted[counted["part"] == part].groupby(["mission", "date"]).size()
        absent = ~table.index.isin(present.index)
        table.loc[absent, part] = 0
    missing = [p for p in PARTS if p not in covered]
    if missing:
        notes.append(f"{', '.join(missing)} and total left empty: the file does not give them")
    figures = table.notna().any(axis=1)
    if not figures.all():
        gone = [f"{m} {d}" for m, d in table.index[~figures.to_numpy()][:5]]
        more = " and more" if (~figures).sum() > 5 else ""
        notes.append(f"{int((~figures).sum())} mission-month(s) with no count at all left out: {', '.join(gone)}{more}")
    table = table[figures].astype("Int64")
    table["total"] = table[PARTS].sum(axis=1, min_count=3).where(table[PARTS].notna().all(axis=1)).astype("Int64")
    table = table.reset_index()
    table["source"] = source
    table = table[STRENGTH_COLUMNS].sort_values(["mission", "date"], kind="stable").reset_index(drop=True)
    table.columns.name = None
    table.attrs = {"layout": layout.name, "notes": notes, "left_out": left_out}
    return table


def _unmatched_message(left_out: pd.DataFrame, known: set[str], mission: pd.Series, column: str) -> str:
    by_key = {_key(k): k for k in known}
    listed = []
    for name, rows in zip(left_out["mission"], left_out["rows"]):
        # Only a difference of case, spaces or punctuation is suggested: a near spelling may be another mission.
        guess = by_key.get(_key(name))
        hint = f' (ours is spelt {guess}: --mission "{guess}={name}")' if guess else ""
        listed.append(f"{name}: {rows} row(s) from row {_row(mission, name)}{hint}")
    return (
        f"{len(listed)} mission acronym(s) in column '{column}' are not in missions.csv: "
        + "; ".join(listed)
        + '. Fix: map the file\'s spelling to ours with --mission "OURS=THEIRS", or leave them out with '
        "--drop-unmatched (they are then listed)"
    )


def _pairs(items: list[str], option: str, form: str) -> dict[str, str]:
    pairs = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f'{option} "{item}": write it as {option} "{form}"')
        left, right = item.split("=", 1)
        pairs[left.strip()] = right.strip()
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="the UN's CSV of uniformed personnel by mission, type and country")
    parser.add_argument("--out", type=Path, default=STRENGTH_CSV, help="where to write (default data/strength.csv)")
    parser.add_argument("--downloaded", default="", help="the day you downloaded the file (YYYY-MM-DD), for the source")
    parser.add_argument("--column", action="append", default=[], metavar="NEED=NAME", help="name a column")
    parser.add_argument("--type", action="append", default=[], metavar="NAME=COLUMN", help="map a personnel type")
    parser.add_argument("--mission", action="append", default=[], metavar="OURS=THEIRS",
                        help="our acronym (missions.csv) for the file's spelling")  # fmt: skip
    parser.add_argument("--drop-unmatched", action="store_true", help="leave out missions not in missions.csv")
    parser.add_argument("--missions", type=Path, default=MISSIONS_CSV, help="the missions file to check against")
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="numeric dates are day/month/year")
    order.add_argument("--monthfirst", action="store_true", help="numeric dates are month/day/year")
    args = parser.parse_args(argv)
    if args.file.suffix.lower() in (".xlsx", ".xls"):
        print(f"{args.file}: save the sheet as CSV first (File > Save as > CSV UTF-8)", file=sys.stderr)
        return 2
    try:
        known = set(pd.read_csv(args.missions, dtype=str, keep_default_na=False, encoding="utf-8-sig")["acronym"])
    except (OSError, KeyError, ValueError) as exc:
        print(f"{args.missions}: cannot read the missions' acronyms ({exc}). Fix: give --missions data/missions.csv",
              file=sys.stderr)  # fmt: skip
        return 1
    try:
        frame = pd.read_csv(args.file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        downloaded = f", downloaded {args.downloaded}" if args.downloaded else ""
        source = (
            "UN Department of Peace Operations, uniformed personnel by mission, type and country "
            f"({args.file.name}{downloaded})"
        )
        table = build(
            frame,
            source=source,
            columns=_pairs(args.column, "--column", "NEED=NAME"),
            types=_pairs(args.type, "--type", "NAME=COLUMN"),
            missions=_pairs(args.mission, "--mission", "OURS=THEIRS"),
            known=known,
            drop_unmatched=args.drop_unmatched,
            dayfirst=True if args.dayfirst else False if args.monthfirst else None,
        )
        if table.empty:
            raise ValueError("no mission and month has a count. Fix: check the file is the UN's contributions CSV")
    except (OSError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    text = table.to_csv(index=False, lineterminator="\n")
    # The same checks the dashboard applies, before anything is written.
    load_strength(text.encode("utf-8"), missions=pd.DataFrame({"acronym": sorted(known)}))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.file.name}: read as {table.attrs['layout']}")
    for note in table.attrs["notes"]:
        print(f"  {note}")
    left_out = table.attrs["left_out"]
    if len(left_out):
        listed = ", ".join(f"{m} ({r} row(s))" for m, r in zip(left_out["mission"], left_out["rows"]))
        print(f"  left out, not in {args.missions.name} (--drop-unmatched): {listed}")
    print(f"{args.out}: {len(table)} rows, {table['mission'].nunique()} missions, "
          f"{table['date'].min()} to {table['date'].max()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
