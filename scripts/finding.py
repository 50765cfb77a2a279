"""Print the finding on the shipped data (did help come from the nearest missions?), or keep data/README.md in step.

    python scripts/finding.py            # print the tables and the paragraph
    python scripts/finding.py --write    # rewrite the block between the finding markers in data/README.md
    python scripts/finding.py --check    # exit 1 if that block differs from what the code computes now

Numbers come from imcgeo.proximity.event_ranks (headquarters distance, the 3 nearest) and
imcgeo.findings (10,000 seeded permutation draws), so they are reproducible.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imcgeo import data, findings  # noqa: E402

README = ROOT / "data" / "README.md"
START, END = "<!-- finding:start (python scripts/finding.py --write) -->", "<!-- finding:end -->"


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def block(top: int = 3, measure: str = "hq") -> str:
    """The markdown the README carries between the markers."""
    missions = data.load_missions()
    transfers = data.load_transfers(missions=missions)
    table, far, text = findings.report(transfers, missions, top=top, measure=measure)
    lines = [
        text,
        "",
        f"| scope | unit | n | among the {top} nearest | share | chance | p |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    overall = table[table["period"] == "all"]
    for rec in overall.to_dict("records"):
        lines.append(
            f"| {findings.SCOPES[rec['scope']]} | {rec['unit']} | {rec['n']} | {rec['in_top']} | "
            f"{rec['share']:.0%} | {rec['chance']:.0%} | {_p(rec['p_value'])} |"
        )
    lines += ["", "By decade (transfers; share / chance, p):", ""]
    decades = sorted(p for p in table["period"].unique() if p != "all")
    lines += ["| scope | " + " | ".join(decades) + " |", "| --- |" + " --- |" * len(decades)]
    for scope in findings.SCOPES:
        cells = []
        for decade in decades:
            hit = table[(table["scope"] == scope) & (table["period"] == decade) & (table["unit"] == "transfers")]
            cells.append(
                "" if hit.empty else
                f"{hit['in_top'].iloc[0]}/{hit['n'].iloc[0]} ({hit['share'].iloc[0]:.0%} / "
                f"{hit['chance'].iloc[0]:.0%}, {_p(hit['p_value'].iloc[0])})"
            )  # fmt: skip
        lines.append(f"| {findings.SCOPES[scope]} | " + " | ".join(cells) + " |")
    lines += ["", "Help from far away (source not among the 3 nearest), farthest first:", ""]
    lines += [
        "| case | from | to | year | kind | rank | km between HQs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rec in far.to_dict("records"):
        rank = f"{rec['rank']} of {rec['candidates']}" if pd.notna(rec["rank"]) else "not named"
        km = "" if pd.isna(rec.get("hq_km")) else f"{rec['hq_km']:,.0f}"
        lines.append(
            f"| {rec['event_id']} | {rec['source_mission']} | {rec['target_mission']} | "
            f"{pd.Timestamp(rec['start']).year} | {rec['case_type']} | {rank} | {km} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the block in data/README.md")
    action.add_argument("--check", action="store_true", help="exit 1 if data/README.md is out of date")
    args = parser.parse_args(argv)
    text = block()
    if not (args.write or args.check):
        print(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        print(f"{README}: the markers {START} and {END} are missing", file=sys.stderr)
        return 1
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{text}\n{END}{tail}"
    if args.check:
        if updated != readme:
            print(f"{README}: the finding is out of date; run python scripts/finding.py --write", file=sys.stderr)
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
