"""Uniformed strength of missions over time: troops, police and military observers from UN figures.

Two tables share one shape (columns STRENGTH_COLUMNS, one row per mission and date):

- ``data/strength.csv``: the UN's monthly figures, built on the user's machine by
  ``python scripts/build_strength.py FILE`` from the file the UN publishes (see data/README.md);
  it is not shipped, so :func:`load_strength` says how to build it when it is absent.
- ``data/strength_reports.csv``: a small, partial table shipped with the package, each figure
  copied from a UN document or dated UN statement named in its ``source``
  (:func:`load_strength_reports`).

Nothing here downloads anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from imcgeo._validate import Problems, parse_date, read_rows
from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import N_

__all__ = [
    "BUILD_COMMAND",
    "COUNT_COLUMNS",
    "REPORTS_CSV",
    "STRENGTH_COLUMNS",
    "STRENGTH_CSV",
    "load_strength",
    "load_strength_reports",
    "strength_on",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STRENGTH_CSV = DATA_DIR / "strength.csv"
REPORTS_CSV = DATA_DIR / "strength_reports.csv"

#: Head counts, by kind of uniformed personnel; ``total`` is their sum.
COUNT_COLUMNS = ["troops", "police", "military_observers", "total"]
STRENGTH_COLUMNS = ["mission", "date", *COUNT_COLUMNS, "source"]
#: How to make data/strength.csv (data/README.md says which file to download and from where).
BUILD_COMMAND = "python scripts/build_strength.py <the UN file you downloaded>.csv"


def load_strength(path: str | Path | bytes | None = None, *, missions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The UN's monthly uniformed strength per mission, from data/strength.csv (or *path*).

    Returns STRENGTH_COLUMNS with ``date`` as datetimes and the counts as Int64 (empty where
    the file gives none). When the default file is absent, raises DataValidationError whose fix
    names the file to download and BUILD_COMMAND. With *missions*, every mission must be there.
    """
    if path is None and not STRENGTH_CSV.exists():
        problem = Problem.of(
            None,
            None,
            N_("does not exist (it is built on your machine, not shipped: expected at {path})"),
            N_(
                "download the UN's monthly 'uniformed personnel by mission, personnel type and country' CSV "
                "(data/README.md, section strength.csv) and run: {command}"
            ),
            path=str(STRENGTH_CSV),
            command=BUILD_COMMAND,
        )
        raise DataValidationError("strength.csv", [problem])
    return _load(STRENGTH_CSV if path is None else path, missions=missions)


def load_strength_reports(path: str | Path | bytes | None = None, *, missions=None) -> pd.DataFrame:
    """The shipped partial table of strengths stated in UN documents (data/strength_reports.csv)."""
    return _load(REPORTS_CSV if path is None else path, missions=missions)


def _load(source, *, missions) -> pd.DataFrame:
    name = Path(source).name if not isinstance(source, bytes) else "strength.csv"
    frame = read_rows(source, name, STRENGTH_COLUMNS)
    problems = Problems(name)
    known = None if missions is None else set(missions["acronym"])
    dates, counts = [], {c: [] for c in COUNT_COLUMNS}
    seen: dict[tuple, int] = {}
    for rec in frame.to_dict("records"):
        row = rec["_row"]
        if not rec["mission"]:
            problems.add(row, "mission", N_("is empty"), N_("give the mission's acronym as in missions.csv"))
        elif known is not None and rec["mission"] not in known:
            problems.add(
                row,
                "mission",
                N_("'{mission}' is not in the missions file"),
                N_("use its acronym"),
                mission=rec["mission"],
            )
        date = parse_date(rec["date"], row, "date", problems, required=True)
        values = {c: _count(rec[c], row, c, problems) for c in COUNT_COLUMNS}
        parts = [values[c] for c in COUNT_COLUMNS[:3] if values[c] is not None]
        if values["total"] is None and len(parts) == 3:
            values["total"] = sum(parts)
        elif values["total"] is not None and sum(parts) > values["total"]:
            # A stated total may exceed its parts (staff officers or corrections officers counted
            # in no column), but never fall short of them.
            problems.add(
                row,
                "total",
                N_("{total} is less than troops + police + military_observers ({parts})"),
                N_("correct the total or the parts (leave a part empty when the source does not give it)"),
                total=values["total"],
                parts=sum(parts),
            )
        if all(v is None for v in values.values()):
            problems.add(row, "total", N_("no figure is given"), N_("give at least the total the source states"))
        if not rec["source"]:
            problems.add(row, "source", N_("is empty"), N_("cite the UN file or document the figure comes from"))
        key = (rec["mission"], rec["date"])
        if key in seen:
            problems.add(
                row,
                "date",
                N_("repeats row {other_row} (same mission and date)"),
                N_("keep one row"),
                other_row=str(seen[key]),
            )
        seen.setdefault(key, row)
        dates.append(date)
        for c in COUNT_COLUMNS:
            counts[c].append(values[c])
    problems.raise_if_any()
    frame = frame.drop(columns="_row").reset_index(drop=True)
    frame["date"] = pd.to_datetime(pd.Series(dates, dtype=object))
    for c in COUNT_COLUMNS:
        frame[c] = pd.array(counts[c], dtype="Int64")
    return frame[STRENGTH_COLUMNS].sort_values(["mission", "date"], kind="stable").reset_index(drop=True)


def _count(value: str, row: int, column: str, problems: Problems) -> int | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        number = np.nan
    if not np.isfinite(number) or number < 0 or number != int(number):
        problems.add(
            row, column, N_("'{value}' is not a whole number of people"), N_("give a count such as 1200"), value=value
        )
        return None
    return int(number)


def strength_on(strength: pd.DataFrame, date, *, max_age_days: int | None = 62) -> pd.DataFrame:
    """Uniformed strength of each mission on *date*: its latest figure dated on or before it.

    A figure older than *max_age_days* (default about two monthly reports) does not count, so a
    mission that stopped reporting, or has closed, drops out; ``None`` accepts any age. Returns
    one row per mission with STRENGTH_COLUMNS and ``age_days`` (how old the figure is on *date*).

    >>> table = pd.DataFrame({"mission": ["A", "A", "B"], "date": pd.to_datetime(["2020-01-31", "2020-02-29",
    ...     "2019-01-31"]), "troops": [10, 12, 5], "police": [1, 1, 0], "military_observers": [0, 0, 0],
    ...     "total": [11, 13, 5], "source": ["UN"] * 3})
    >>> strength_on(table, "2020-03-15")[["mission", "total", "age_days"]].to_dict("records")
    [{'mission': 'A', 'total': 13, 'age_days': 15}]
    """
    date = pd.Timestamp(date)
    known = strength[strength["date"] <= date].sort_values("date", kind="stable")
    latest = known.groupby("mission", sort=True).tail(1).copy()
    latest["age_days"] = (date - latest["date"]).dt.days
    if max_age_days is not None:
        latest = latest[latest["age_days"] <= max_age_days]
    return latest.sort_values("mission").reset_index(drop=True)
