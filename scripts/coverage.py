"""Print how many transfer rows and cases the record holds, by decade and by case type.

    python scripts/coverage.py                  # the shipped data/transfers.csv
    python scripts/coverage.py --before d304e53 # also the file as it was at that commit (git show), for comparison
    python scripts/coverage.py --write           # rewrite the counts table between the markers in data/README.md
    python scripts/coverage.py --check           # exit 1 if that table is out of date

Rows of an older file that had no case_type column are classified by the current file's row with
the same event, missions and asset; rows found in neither are counted as "unclassified".
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
KEY = ["event_id", "source_mission", "target_mission", "asset"]
README = ROOT / "data" / "README.md"
START, END = "<!-- coverage:start (python scripts/coverage.py --write) -->", "<!-- coverage:end -->"
KINDS = ["loan", "hand-over", "re-hatting", "support"]


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows and cases per decade (of the row's start; a case counts in the decade it started) and case type."""
    frame = frame.assign(decade=pd.to_datetime(frame["start"]).dt.year // 10 * 10)
    frame["decade"] = frame["decade"].astype(str) + "s"
    first = frame.groupby("event_id")["decade"].min()
    rows = pd.crosstab(frame["decade"], frame["case_type"], margins=True, margins_name="total")
    cases = frame.drop_duplicates(["event_id", "case_type"]).assign(decade=lambda f: f["event_id"].map(first))
    cases = pd.crosstab(cases["decade"], cases["case_type"], margins=True, margins_name="total")
    # A case with two kinds of rows (a hand-over plus a loan) counts under each, so totals are distinct cases.
    distinct = frame.drop_duplicates("event_id").assign(decade=lambda f: f["event_id"].map(first))
    cases["total"] = distinct.groupby("decade").size().reindex(cases.index).fillna(len(distinct)).astype(int)
    return pd.concat({"rows": rows, "cases": cases}, axis=1).fillna(0).astype(int)


def markdown(frame: pd.DataFrame) -> str:
    """The README's table: rows and cases per decade, and cases per kind."""
    table = summary(frame)
    lines = ["| decade | rows | cases | " + " | ".join(KINDS) + " |", "| --- |" + " --- |" * (2 + len(KINDS))]
    for decade in table.index:
        kinds = [str(table.loc[decade, ("cases", k)]) if ("cases", k) in table.columns else "0" for k in KINDS]
        row = [decade, str(table.loc[decade, ("rows", "total")]), str(table.loc[decade, ("cases", "total")]), *kinds]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", metavar="REV", help="a git revision to compare with")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the counts table in data/README.md")
    action.add_argument("--check", action="store_true", help="exit 1 if data/README.md is out of date")
    args = parser.parse_args(argv)
    now = pd.read_csv(ROOT / "data" / "transfers.csv", dtype=str, keep_default_na=False)
    if args.write or args.check:
        readme = README.read_text(encoding="utf-8")
        if START not in readme or END not in readme:
            print(f"{README}: the markers {START} and {END} are missing", file=sys.stderr)
            return 1
        head, rest = readme.split(START, 1)
        updated = f"{head}{START}\n{markdown(now)}\n{END}{rest.split(END, 1)[1]}"
        if args.check:
            if updated != readme:
                print(f"{README}: the counts are out of date; run python scripts/coverage.py --write", file=sys.stderr)
                return 1
            return 0
        README.write_text(updated, encoding="utf-8")
        return 0
    pd.set_option("display.width", 200)
    print(f"data/transfers.csv now: {len(now)} rows, {now['event_id'].nunique()} cases")
    print(summary(now).to_string())
    if args.before:
        text = subprocess.run(
            ["git", "show", f"{args.before}:data/transfers.csv"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        old = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        if "case_type" not in old:
            types = now.drop_duplicates(KEY).set_index(KEY)["case_type"]
            old["case_type"] = [types.get(tuple(k), "unclassified") for k in old[KEY].itertuples(index=False)]
        print(f"\nat {args.before}: {len(old)} rows, {old['event_id'].nunique()} cases")
        print(summary(old).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
