"""Frames of the animation: what is shown in a year, mission status, captions and playback stepping."""

from __future__ import annotations

import pandas as pd
import pytest

from imcgeo.timeline import Playback, caption, mission_status, transfers_at


def frame():
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "source_mission": ["X", "Y", "X"],
            "target_mission": ["T", "T", "U"],
            "start": pd.to_datetime(["2000-03-01", "2002-05-01", "2004-01-01"]),
            "end": pd.to_datetime(["2003-06-30", None, None]),
            "surge": ["start-up", "election", "natural-disaster"],
        }
    )


def test_active_mode_shows_transfers_under_way_and_cumulative_all_so_far():
    t = frame()
    assert transfers_at(t, 2001, "active")["event_id"].tolist() == ["a"]
    assert transfers_at(t, 2002, "active")["event_id"].tolist() == ["a", "b"]
    assert transfers_at(t, 2003, "active")["event_id"].tolist() == ["a"]  # b had no end: its start year only
    assert transfers_at(t, 2003, "cumulative")["event_id"].tolist() == ["a", "b"]
    assert transfers_at(t, 1999, "cumulative").empty
    with pytest.raises(ValueError):
        transfers_at(t, 2000, "sometimes")


def test_mission_status_by_year():
    missions = pd.DataFrame(
        {
            "start": pd.to_datetime(["1990-01-01", "2005-06-01", "1995-01-01"]),
            "end": pd.to_datetime([None, None, "1999-12-31"]),
        }
    )
    assert mission_status(missions, 2000).tolist() == ["active", "future", "ended"]
    assert mission_status(missions, 1999).tolist() == ["active", "future", "active"]


def test_caption_says_what_the_frame_shows():
    t = frame()
    assert caption(transfers_at(t, 2002, "active"), 2002, "active") == (
        "2002: 2 transfers under way — 1 to T (election), 1 to T (start-up)"
    )
    assert caption(t.iloc[:0], 1990, "active") == "1990: no transfers under way with these filters."
    assert caption(t, 2004, "cumulative", 1948).startswith("1948–2004: 3 transfers — ")


def test_playback_steps_loops_and_stops():
    p = Playback(year=2000, first=1999, last=2001, playing=True, loop=True)
    assert [p.advance().year, p.advance().advance().year] == [2001, 1999]
    no_loop = Playback(2001, 1999, 2001, playing=True, loop=False)
    end = no_loop.advance()
    assert (end.year, end.playing) == (2001, False)
    assert end.toggle() == Playback(1999, 1999, 2001, True, False)  # play again from the start
    assert Playback(2000, 1999, 2001).advance(-1).year == 1999
    assert Playback(1999, 1999, 2001, loop=True).advance(-1).year == 2001
    assert Playback(2000, 1999, 2001, playing=True).toggle().playing is False


def test_pace_runs_quickly_through_empty_years_and_holds_on_the_story():
    from imcgeo.timeline import pace

    t = frame()  # a: 2000-2003, b: 2002, c: 2004
    seconds = pace(t, 1995, 2008, seconds_per_year=1.0, hold=3.0)
    assert list(seconds) == list(range(1995, 2009))
    assert seconds[1995] == seconds[2007] == 0.25  # nothing shown: a quarter of a year's time
    assert seconds[2001] == 1.0  # a transfer under way, none starting
    assert seconds[2000] == seconds[2002] == 2.0  # transfers start: twice as long
    assert seconds[2004] == 2.0 + 3.0  # the last year that shows a transfer ends the story: held
    assert seconds[2008] == 0.25  # empty years after the story are not held
    assert sum(seconds.values()) < 14 * 1.0  # shorter than a second a year for a mostly empty span


def test_pace_dwells_on_the_focus_year_and_scales_with_its_options():
    from imcgeo.timeline import pace

    t = frame()
    plain, focused = pace(t, 1999, 2005), pace(t, 1999, 2005, focus=2001)
    assert focused[2001] == 2 * plain[2001]
    slow = pace(t, 1999, 2005, seconds_per_year=2.0, hold=0)
    assert slow == {year: 2 * s for year, s in pace(t, 1999, 2005, hold=0).items()}
    assert pace(t.iloc[:0], 1999, 2001, hold=1.5) == {1999: 0.25, 2000: 0.25, 2001: 1.75}  # nothing: hold at the end
    cumulative = pace(t, 1999, 2006, mode="cumulative")
    assert cumulative[2003] == 0.25 and cumulative[2004] == 5.0  # nothing new in 2003; 2004 is the last start
    with pytest.raises(ValueError):
        pace(t, 1999, 2001, seconds_per_year=0)


def test_caption_counts_uploaded_rows_as_yours():
    t = frame().assign(origin=["shipped", "yours", "yours"])
    assert caption(t, 2004, "cumulative").startswith("2004: 3 transfers (2 from your data) — ")
    assert "your data" not in caption(frame(), 2004, "cumulative")
