"""Build data/strength.csv (uniformed strength per mission and month) from the file the UN publishes.

The UN Department of Peace Operations publishes, every month since November 1990, the number of
uniformed personnel each country contributes to each mission, by personnel type. Download it as
CSV from the "Troop and Police Contributions" data page (peacekeeping.un.org/en/data-troop-and-
police-contributions, which links the dataset on the UN Peace and Security Data Hub and HDX:
"Contribution of uniformed personnel to UN by Mission, Personnel Type, and Country"), then:

    python scripts/build_strength.py contributions.csv                # writes data/strength.csv
    python scripts/build_strength.py contributions.csv --out mine.csv --downloaded 2026-11-30

The script sums the contributing countries of each mission and date into troops (contingent
troops and staff officers), police (formed police units and individual police) and military
observers (experts on mission and military observers), and checks the result with
imcgeo.strength.load_strength. It reads these headers, in any of the spellings listed in
COLUMNS (case and spaces do not matter); another spelling can be named with --column, e.g.
``--column mission=Operation``. A personnel type it does not recognise stops the build with the
list of such types (nothing is guessed); map one with --type "Civilian Police=police".
Nothing is downloaded: the script reads only the file you give it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imcgeo.strength import STRENGTH_COLUMNS, STRENGTH_CSV, load_strength  # noqa: E402

#: What each needed column may be called in the UN's files (compared without case, spaces or '_').
COLUMNS = {
    "mission": ("Mission_Acronym", "Mission Acronym", "Mission", "Operation"),
    "date": ("Last_Reporting_Date", "Reporting Date", "Date", "Month"),
    "type": ("Personnel_Type", "Personnel Type", "Description", "Category", "Type"),
    "count": ("Total", "Total_Personnel", "Grand Total", "Personnel", "Count"),
}
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


def _key(name: str) -> str:
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


def find_columns(header: list[str], extra: dict[str, str]) -> dict[str, str]:
    """Which column of *header* holds each of mission, date, type and count; ValueError names the missing ones."""
    by_key = {_key(h): h for h in header}
    found, missing = {}, []
    for need, spellings in COLUMNS.items():
        names = [extra[need]] if need in extra else list(spellings)
        match = next((by_key[_key(n)] for n in names if _key(n) in by_key), None)
        if match is None:
            missing.append(f"{need} (tried {', '.join(names)})")
        else:
            found[need] = match
    if missing:
        raise ValueError(
            "cannot find the column(s) " + "; ".join(missing) + f". The file's columns are: {', '.join(header)}. "
            "Name the right one with --column, e.g. --column mission=Operation"
        )
    return found


def build(frame: pd.DataFrame, *, source: str, columns: dict[str, str] | None = None,
          types: dict[str, str] | None = None) -> pd.DataFrame:  # fmt: skip
    """Strength per mission and date (STRENGTH_COLUMNS) from the UN's per-country rows in *frame*."""
    names = find_columns(list(frame.columns), columns or {})
    mapping = {**TYPES, **{k.casefold().strip(): v for k, v in (types or {}).items()}}
    data = pd.DataFrame(
        {
            "mission": frame[names["mission"]].astype(str).str.strip(),
            "date": frame[names["date"]].astype(str).str.strip(),
            "type": frame[names["type"]].astype(str).str.strip(),
            "count": pd.to_numeric(frame[names["count"]].astype(str).str.replace(",", ""), errors="coerce"),
        }
    )
    unknown = sorted({t for t in data["type"] if t.casefold() not in mapping})
    if unknown:
        raise ValueError(
            f"unknown personnel type(s): {', '.join(unknown)}. "
            'Map each with --type "NAME=troops|police|military_observers"'
        )
    bad = data["count"].isna() | (data["count"] < 0)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in data.index[bad][:10])
        raise ValueError(f"counts that are not numbers in row(s) {rows} of the input (header = row 1)")
    dates = pd.to_datetime(data["date"], errors="coerce", format="ISO8601")
    retry = dates.isna()
    # Only unambiguous day-first spellings (31/01/2024) are accepted besides ISO; anything else stops.
    dates[retry] = pd.to_datetime(data.loc[retry, "date"], errors="coerce", format="%d/%m/%Y")
    if dates.isna().any():
        rows = ", ".join(str(i + 2) for i in data.index[dates.isna()][:10])
        raise ValueError(f"dates that cannot be read in row(s) {rows}: write them as YYYY-MM-DD")
    data["date"] = dates.dt.strftime("%Y-%m-%d")
    data["column"] = data["type"].str.casefold().map(mapping)
    table = data.pivot_table(index=["mission", "date"], columns="column", values="count", aggfunc="sum")
    table = table.reindex(columns=["troops", "police", "military_observers"], fill_value=0).fillna(0).astype(int)
    table["total"] = table.sum(axis=1)
    table = table.reset_index()
    table["source"] = source
    return table[STRENGTH_COLUMNS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="the UN's CSV of uniformed personnel by mission, type and country")
    parser.add_argument("--out", type=Path, default=STRENGTH_CSV, help="where to write (default data/strength.csv)")
    parser.add_argument("--downloaded", default="", help="the day you downloaded the file (YYYY-MM-DD), for the source")
    parser.add_argument("--column", action="append", default=[], metavar="NEED=NAME", help="name a column")
    parser.add_argument("--type", action="append", default=[], metavar="NAME=COLUMN", help="map a personnel type")
    args = parser.parse_args(argv)
    if args.file.suffix.lower() in (".xlsx", ".xls"):
        print(f"{args.file}: save the sheet as CSV first (File > Save as > CSV UTF-8)", file=sys.stderr)
        return 2
    try:
        frame = pd.read_csv(args.file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        columns = dict(item.split("=", 1) for item in args.column)
        types = dict(item.split("=", 1) for item in args.type)
        downloaded = f", downloaded {args.downloaded}" if args.downloaded else ""
        source = (
            "UN Department of Peace Operations, uniformed personnel by mission, type and country "
            f"({args.file.name}{downloaded})"
        )
        table = build(frame, source=source, columns=columns, types=types)
    except (OSError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, lineterminator="\n")
    load_strength(args.out)  # the same checks the dashboard applies
    print(f"{args.out}: {len(table)} rows, {table['mission'].nunique()} missions, "
          f"{table['date'].min()} to {table['date'].max()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
