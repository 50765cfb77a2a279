"""The finding, made sharper: shares, chance, permutation p-values and counterexamples on a hand-built record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imcgeo import findings


def hand_built() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Five placed transfer rows in four cases, and one from a placeholder (no place, no rank).

    With top=1 the exact answers are known: transfers 3 of 5 nearest, chance 0.35, p = 0.296875
    (case e1's two rows share one draw); cases 2 of 4, chance 0.3125, p = 0.3671875; without the
    hand-over 2 of 4 transfers, chance 0.375, p = 0.53125.
    """
    rows = [
        ("e1", "A", "T", "2005-03-01", "troops", 1, 2, "loan"),
        ("e1", "A", "T", "2005-03-01", "helicopters", 1, 2, "loan"),
        ("e2", "B", "T", "2006-01-01", "troops", 1, 4, "hand-over"),
        ("e3", "C", "U", "1995-05-01", "police", 3, 4, "loan"),
        ("e4", "D", "U", "1996-06-01", "troops", 4, 4, "loan"),
        ("e5", "X", "U", "1997-01-01", "logistics", None, None, "loan"),
    ]
    ranks = pd.DataFrame(
        [
            {
                "event_id": e, "source_mission": s, "target_mission": t, "start": pd.Timestamp(d), "asset": a,
                "surge": "start-up", "candidates": c, "rank_hq": r, "note": "" if r else "placeholder",
            }
            for e, s, t, d, a, r, c, _ in rows
        ]
    )  # fmt: skip
    for column in ("candidates", "rank_hq"):
        ranks[column] = pd.array(ranks[column], dtype="Int64")
    transfers = pd.DataFrame({"event_id": [r[0] for r in rows], "case_type": [r[7] for r in rows]})
    return ranks, transfers


def cell(table, scope, period, unit, column):
    return table.set_index(["scope", "period", "unit"]).loc[(scope, period, unit), column]


@pytest.fixture(scope="module")
def table():
    ranks, transfers = hand_built()
    return findings.nearest_share(ranks, transfers, top=1, draws=20_000, seed=7)


def test_shares_and_chance_are_exact(table):
    assert cell(table, "all", "all", "transfers", "n") == 5
    assert cell(table, "all", "all", "transfers", "in_top") == 3
    assert cell(table, "all", "all", "transfers", "share") == pytest.approx(0.6)
    assert cell(table, "all", "all", "transfers", "chance") == pytest.approx(0.35)
    assert cell(table, "all", "all", "transfers", "unplaced") == 1
    assert cell(table, "all", "all", "cases", "in_top") == 2
    assert cell(table, "all", "all", "cases", "chance") == pytest.approx(0.3125)
    assert cell(table, "loans and support", "all", "transfers", "share") == pytest.approx(0.5)
    assert cell(table, "loans and support", "all", "transfers", "chance") == pytest.approx(0.375)
    assert cell(table, "hand-overs and re-hatting", "all", "transfers", "n") == 1


def test_permutation_p_values_match_the_exact_probabilities(table):
    assert cell(table, "all", "all", "transfers", "p_value") == pytest.approx(0.296875, abs=0.015)
    assert cell(table, "all", "all", "cases", "p_value") == pytest.approx(0.3671875, abs=0.015)
    assert cell(table, "loans and support", "all", "transfers", "p_value") == pytest.approx(0.53125, abs=0.015)


def test_decades_split_the_record(table):
    assert cell(table, "all", "1990s", "transfers", "in_top") == 0
    assert cell(table, "all", "1990s", "transfers", "p_value") == 1.0  # nothing to beat
    assert cell(table, "all", "2000s", "transfers", "share") == 1.0
    assert cell(table, "all", "2000s", "cases", "n") == 2
    assert not ((table["scope"] == "hand-overs and re-hatting") & (table["period"] == "1990s")).any()


def test_the_test_is_reproducible_and_seeded():
    ranks, transfers = hand_built()
    first = findings.nearest_share(ranks, transfers, top=1, draws=2_000, seed=3)
    again = findings.nearest_share(ranks, transfers, top=1, draws=2_000, seed=3)
    other = findings.nearest_share(ranks, transfers, top=1, draws=2_000, seed=4)
    assert first.equals(again)
    assert not np.array_equal(first["p_value"], other["p_value"])


def test_a_record_of_nearest_helpers_beats_chance():
    ranks = pd.DataFrame(
        {"event_id": [f"e{i}" for i in range(20)], "source_mission": "A", "target_mission": "T",
         "start": pd.Timestamp("2010-01-01"), "asset": "troops", "candidates": 20, "rank_hq": 1}
    )  # fmt: skip
    transfers = pd.DataFrame({"event_id": ranks["event_id"], "case_type": "loan"})
    result = findings.nearest_share(ranks, transfers, top=1, draws=5_000)
    assert cell(result, "all", "all", "transfers", "p_value") == pytest.approx(1 / 5_001)


def test_ranks_and_transfers_must_line_up():
    ranks, transfers = hand_built()
    with pytest.raises(ValueError, match="do not line up"):
        findings.nearest_share(ranks, transfers.iloc[::-1])


def test_counterexamples_keep_help_from_far_away():
    ranks, transfers = hand_built()
    missions = pd.DataFrame(
        {"acronym": list("ABCDTUX"), "region": ["Africa"] * 6 + ["Europe"],
         "hq_lat": [0, 0, 0, 10, 0, 0, np.nan], "hq_lon": [0, 1, 2, 3, 0.5, 1, np.nan]}
    )  # fmt: skip
    far = findings.counterexamples(ranks, transfers, missions=missions, top=1)
    assert far["source_mission"].tolist() == ["D", "C", "X"]
    assert far["rank"].tolist()[:2] == [4, 3] and pd.isna(far["rank"].iloc[2])
    assert far["hq_km"].iloc[0] == pytest.approx(1128, abs=2)  # WGS84 geodesic, (10N, 3E) to (0, 1E)


def test_the_paragraph_states_the_numbers_and_names_the_counterexamples(table):
    ranks, transfers = hand_built()
    text = findings.finding_text(table, findings.counterexamples(ranks, transfers, top=1))
    assert text.startswith("Of the 5 transfers that can be placed on the map, 3 (60%) came from the nearest mission")
    assert "against 35%" in text and "p = 0.2" in text
    assert "without them, 2 of 4 transfers (50%)" in text
    assert "Counted by case, 2 of 4 (50%)" in text
    assert "D to U in 1996 (rank 4 of 4)" in text


def test_on_the_shipped_record_succession_inflates_the_share_and_far_help_stays_visible():
    from imcgeo import data

    missions = data.load_missions()
    transfers = data.load_transfers(missions=missions)
    table, far, text = findings.report(transfers, missions)
    everything = cell(table, "all", "all", "transfers", "share")
    loans = cell(table, "loans and support", "all", "transfers", "share")
    succession = cell(table, "hand-overs and re-hatting", "all", "transfers", "share")
    assert succession > everything > loans
    assert cell(table, "all", "all", "transfers", "chance") < everything
    pairs = set(zip(far["source_mission"], far["target_mission"]))
    assert {("MINUSTAH", "UNMISS"), ("Missions in Africa (unnamed)", "MINUSTAH")} <= pairs
    assert "MINUSTAH to UNMISS in 2014" in text
