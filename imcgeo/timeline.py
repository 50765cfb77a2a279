"""What is on the map at a point in time: transfers and mission status by year, and playback."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from imcgeo.i18n import DEFAULT_LANGUAGE, Translator, translator
from imcgeo.vocab import MODES

__all__ = [
    "DWELL",
    "QUICK",
    "Playback",
    "active_on",
    "caption",
    "mission_status",
    "pace",
    "transfer_years",
    "transfers_at",
    "transfers_on",
    "year_span",
]


def year_span(missions: pd.DataFrame, transfers: pd.DataFrame, today=None) -> tuple[int, int]:
    """First and last year of the whole history: the first mission to this year."""
    today = pd.Timestamp.today() if today is None else pd.Timestamp(today)
    first = int(min(missions["start"].min().year, transfers["start"].min().year))
    return first, int(today.year)


def transfer_years(transfers: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last year each transfer was under way (a transfer with no end lasts its start year)."""
    first = transfers["start"].dt.year
    last = transfers["end"].dt.year.fillna(first).astype(int)
    return first, last


def transfers_at(transfers: pd.DataFrame, year: int, mode: str = "active") -> pd.DataFrame:
    """Transfers shown at *year*: under way in it (``active``) or started by its end (``cumulative``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    first, last = transfer_years(transfers)
    shown = first <= year if mode == "cumulative" else (first <= year) & (last >= year)
    return transfers[shown]


def active_on(frame: pd.DataFrame, date) -> pd.Series:
    """Which rows (missions, or anything with ``start`` and ``end``) are active on *date*: started, not ended.

    An empty ``end`` means still active.
    """
    date = pd.Timestamp(date)
    return (frame["start"] <= date) & (frame["end"].isna() | (frame["end"] >= date))


def transfers_on(transfers: pd.DataFrame, date, mode: str = "active") -> pd.DataFrame:
    """Transfers shown on *date*: under way then (``active``) or started by then (``cumulative``).

    A transfer with no end counts as under way until the end of its start year.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    date = pd.Timestamp(date)
    started = transfers["start"] <= date
    if mode == "cumulative":
        return transfers[started]
    end = transfers["end"].fillna(pd.to_datetime(transfers["start"].dt.year.astype(str) + "-12-31"))
    return transfers[started & (end >= date)]


#: An empty year plays this share of a year's time, a year where transfers start this multiple of it.
QUICK, DWELL = 0.25, 2.0


def pace(
    selected: pd.DataFrame,
    first: int,
    last: int,
    *,
    mode: str = "active",
    focus: int | None = None,
    seconds_per_year: float = 1.0,
    hold: float = 3.0,
) -> dict[int, float]:
    """How long each year from *first* to *last* stays on screen, in seconds: quick through empty years.

    *selected* are the transfers that pass the view's filters (``Atlas.selected(view)``). A year
    where nothing is shown (``active`` mode), or nothing new starts (``cumulative``), plays
    ``QUICK`` x *seconds_per_year*; a year where transfers start, and the *focus* year (the one a
    scene is about), ``DWELL`` x *seconds_per_year*; any other year *seconds_per_year*. The end of
    the story, the last year that shows a transfer (``active``) or where one starts
    (``cumulative``), else *last*, is held *hold* seconds more.
    Durations are rounded to 10 ms, what a GIF can store.

    >>> t = pd.DataFrame({"start": pd.to_datetime(["2014-01-05"]), "end": pd.to_datetime([None])})
    >>> pace(t, 2011, 2015, focus=2014)
    {2011: 0.25, 2012: 0.25, 2013: 0.25, 2014: 5.0, 2015: 0.25}
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if seconds_per_year <= 0 or hold < 0:
        raise ValueError("seconds_per_year must be above 0 and hold 0 or more")
    starts, ends = transfer_years(selected)
    years = range(first, last + 1)
    starting = {year: bool((starts == year).any()) for year in years}
    showing = {year: bool(((starts <= year) & (ends >= year)).any()) for year in years}
    seconds = {}
    for year in years:
        empty = not starting[year] if mode == "cumulative" else not showing[year]
        factor = DWELL if starting[year] or year == focus else QUICK if empty else 1.0
        seconds[year] = factor * seconds_per_year
    story = [year for year in years if (starting if mode == "cumulative" else showing)[year]]
    seconds[story[-1] if story else last] += hold
    return {year: round(value, 2) for year, value in seconds.items()}


def mission_status(missions: pd.DataFrame, year: int) -> pd.Series:
    """``active`` if the mission ran at any time in *year*, ``future`` if it had not started, else ``ended``."""
    starts, ends = missions["start"].dt.year, missions["end"].dt.year
    status = pd.Series("active", index=missions.index)
    status[starts > year] = "future"
    status[ends.notna() & (ends < year)] = "ended"
    return status


def caption(
    shown: pd.DataFrame,
    year: int,
    mode: str,
    first_year: int | None = None,
    date=None,
    *,
    tr: Translator | None = None,
) -> str:
    """One line saying what the frame shows, e.g. '2010: 4 transfers, 2 to MINUSTAH (natural disaster)…'.

    With *date* (a moment within *year*), the line starts with that date instead of the year. When
    *shown* has an ``origin`` column, the transfers whose origin is ``yours`` (uploaded) are counted apart.
    *tr* gives the words, numbers, dates and acronyms in the reader's language (English by default).
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    moment = tr.format_date(pd.Timestamp(date), "medium") if date else f"{year}"
    when = moment if mode == "active" else f"{first_year or ''}–{moment}".lstrip("–")
    if shown.empty:
        if mode == "active":
            return tr.gettext("{when}: no transfers under way with these filters.").format(when=when)
        return tr.gettext("{when}: no transfers so far with these filters.").format(when=when)
    count = len(shown)
    # The three largest (target, surge) groups, ties in key order (plain counting: a pandas groupby
    # costs a millisecond, and this runs on every rerun of every visitor's page).
    counts = Counter(zip(shown["target_mission"], shown["surge"], strict=True))
    groups = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    parts = [
        tr.gettext("{n} to {mission} ({surge})").format(
            n=tr.format_number(n), mission=tr.mission_acronym(target), surge=tr.label(surge).lower()
        )
        for (target, surge), n in groups
    ]
    more = "" if len(groups) == len(counts) else ", …"
    # Rows an analyst uploaded are counted as theirs, never passed off as documented transfers.
    yours = int((shown["origin"] == "yours").sum()) if "origin" in shown else 0
    mine = " (" + tr.gettext("{n} from your data").format(n=tr.format_number(yours)) + ")" if yours else ""
    if mode == "active":
        head = tr.ngettext("{n} transfer under way", "{n} transfers under way", count)
    else:
        head = tr.ngettext("{n} transfer", "{n} transfers", count)
    what = f"{head.format(n=tr.format_number(count))}{mine} — " + ", ".join(parts) + more
    return tr.gettext("{when}: {what}").format(when=when, what=what)


@dataclass(frozen=True)
class Playback:
    """The animation's state: the current year, whether it plays, and how it steps.

    A frame is a pure step from one state to the next, so the page only stores it and
    a timer calls ``advance``.
    """

    year: int
    first: int
    last: int
    playing: bool = False
    loop: bool = True

    def advance(self, step: int = 1) -> Playback:
        """The next frame: *step* years on; at the end, wrap (loop) or stop (no loop)."""
        year = self.year + step
        if self.first <= year <= self.last:
            return self._at(year, self.playing)
        if self.loop:
            return self._at(self.first if step > 0 else self.last, self.playing)
        return self._at(self.last if step > 0 else self.first, False)

    def toggle(self) -> Playback:
        """Play or pause; playing from the last frame without loop starts over."""
        if not self.playing and self.year >= self.last:
            return self._at(self.first, True)
        return self._at(self.year, not self.playing)

    def _at(self, year: int, playing: bool) -> Playback:
        return Playback(year, self.first, self.last, playing, self.loop)
