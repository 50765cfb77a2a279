"""Did help come from the nearest missions? Shares, the chance baseline, a permutation test, counterexamples.

Everything starts from the frame :func:`imcgeo.proximity.event_ranks` returns (one row per
transfer: the rank its source held among the missions active then, 1 = nearest, out of
``candidates``), joined row by row with the transfers' ``case_type``. Pure pandas and numpy.

The baseline is a helper picked at random among the missions active at the time: each
transfer's rank is then uniform on 1..candidates. The p-value says how often such random
picks put at least as many sources among the *top* nearest as the record does (one-sided,
``draws`` simulated records from a seeded generator, so the numbers are reproducible). Rows of
one case that share a source (several assets from the same mission) share one draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imcgeo.geodesy import geodesic_km

__all__ = [
    "SCOPES",
    "counterexamples",
    "finding_text",
    "nearest_share",
    "report",
    "with_case_types",
]

#: Which transfers a share is computed over. Hand-overs and re-hatting pass a predecessor's (or a
#: regional force's) people to the mission that replaces it on the same ground, so they are
#: nearly always "nearest" and inflate the share.
SCOPES = {
    "all": "all transfers",
    "loans and support": "without hand-overs and re-hatting",
    "hand-overs and re-hatting": "hand-overs and re-hatting only",
}
_SUCCESSION = ("hand-over", "re-hatting")


def with_case_types(ranks: pd.DataFrame, transfers: pd.DataFrame) -> pd.DataFrame:
    """*ranks* with the transfers' ``case_type`` (and ``end``), joined row by row.

    event_ranks keeps the transfers' order but not every column, so the join is by position;
    a ValueError says so when the two frames do not line up.
    """
    if len(ranks) != len(transfers) or not (ranks["event_id"].to_numpy() == transfers["event_id"].to_numpy()).all():
        raise ValueError("ranks and transfers do not line up: pass the transfers event_ranks was computed from")
    out = ranks.reset_index(drop=True).copy()
    case = transfers["case_type"] if "case_type" in transfers else pd.Series("", index=transfers.index)
    out["case_type"] = case.fillna("").astype(str).to_numpy()
    return out


def _units(ranks: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Placed rows with an integer rank and a draw key (rows of one case with one source share it)."""
    column = f"rank_{measure}"
    if column not in ranks:
        raise ValueError(f"no column {column!r} in the ranks: measures there are " + ", ".join(
            c.removeprefix("rank_") for c in ranks.columns if c.startswith("rank_")))  # fmt: skip
    placed = ranks[ranks[column].notna() & ranks["candidates"].notna()].copy()
    placed["rank"] = placed[column].astype(int)
    placed["candidates"] = placed["candidates"].astype(int)
    placed["key"] = pd.factorize(
        placed["event_id"].astype(str) + "\x1f" + placed["source_mission"].astype(str)
        + "\x1f" + placed["target_mission"].astype(str) + "\x1f" + placed["start"].astype(str)
    )[0]  # fmt: skip
    placed["decade"] = (pd.to_datetime(placed["start"]).dt.year // 10 * 10).astype(int)
    return placed


def nearest_share(
    ranks: pd.DataFrame,
    transfers: pd.DataFrame | None = None,
    *,
    top: int = 3,
    measure: str = "hq",
    draws: int = 10_000,
    seed: int = 20261203,
) -> pd.DataFrame:
    """How often the source was among the *top* nearest missions, against chance: a tidy table.

    *ranks* is event_ranks' frame; with *transfers* its case types are joined first (else
    *ranks* must already have ``case_type``). One row per ``scope`` (SCOPES), ``period`` ("all"
    or a decade such as "1990s") and ``unit`` ("transfers", or "cases": a case counts when any
    of its sources was among the *top*): ``n``, ``in_top``, ``share``, ``chance`` (the share
    expected from random picks), ``p_value`` (permutation test, *draws* simulated records),
    ``median_rank``, and ``unplaced`` (rows left out because a placeholder has no place).
    Empty groups are left out.
    """
    if transfers is not None:
        ranks = with_case_types(ranks, transfers)
    if "case_type" not in ranks:
        raise ValueError("ranks have no case_type: pass the transfers too")
    placed = _units(ranks, measure)
    unplaced_all = ranks[ranks[f"rank_{measure}"].isna()]
    keys = placed.drop_duplicates("key").set_index("key").sort_index()
    rng = np.random.default_rng(seed)
    # One simulated rank per key and draw, uniform on 1..candidates (the missions active then).
    simulated = rng.integers(1, keys["candidates"].to_numpy() + 1, size=(draws, len(keys))) <= top
    rows = []
    scopes = {
        "all": np.ones(len(placed), dtype=bool),
        "loans and support": ~placed["case_type"].isin(_SUCCESSION).to_numpy(),
        "hand-overs and re-hatting": placed["case_type"].isin(_SUCCESSION).to_numpy(),
    }
    unplaced_scope = {
        "all": unplaced_all,
        "loans and support": unplaced_all[~unplaced_all["case_type"].isin(_SUCCESSION)],
        "hand-overs and re-hatting": unplaced_all[unplaced_all["case_type"].isin(_SUCCESSION)],
    }
    case_decade = placed.groupby("event_id")["decade"].min()
    for scope, mask in scopes.items():
        subset = placed[mask]
        periods = [("all", subset)] + [
            (f"{decade}s", subset[subset["decade"] == decade]) for decade in sorted(subset["decade"].unique())
        ]
        for period, group in periods:
            if group.empty:
                continue
            skipped = unplaced_scope[scope]
            if period != "all":
                skipped = skipped[pd.to_datetime(skipped["start"]).dt.year // 10 * 10 == int(period[:4])]
            rows.append(_transfer_row(group, simulated, top, scope, period, len(skipped)))
            events = group if period == "all" else subset[subset["event_id"].map(case_decade) == int(period[:4])]
            if not events.empty:
                rows.append(_case_row(events, simulated, top, scope, period))
    table = pd.DataFrame(rows)
    table.insert(0, "measure", measure)
    table.insert(1, "top", top)
    return table


def _transfer_row(group, simulated, top, scope, period, unplaced) -> dict:
    within = group["rank"].to_numpy() <= top
    cand = group["candidates"].to_numpy()
    null_counts = simulated[:, group["key"].to_numpy()].sum(axis=1)
    return {
        "scope": scope,
        "period": period,
        "unit": "transfers",
        "n": len(group),
        "in_top": int(within.sum()),
        "share": float(within.mean()),
        "chance": float(np.mean(np.minimum(top, cand) / cand)),
        "p_value": _p_value(null_counts, int(within.sum())),
        "median_rank": float(np.median(group["rank"])),
        "unplaced": unplaced,
    }


def _case_row(group, simulated, top, scope, period) -> dict:
    by_event = group.groupby("event_id", sort=True)
    observed = by_event["rank"].min().to_numpy() <= top
    null_any = np.zeros((simulated.shape[0], len(observed)), dtype=bool)
    chance = []
    for i, (_, rows) in enumerate(by_event):
        keys = rows.drop_duplicates("key")
        null_any[:, i] = simulated[:, keys["key"].to_numpy()].any(axis=1)
        cand = keys["candidates"].to_numpy()
        chance.append(1.0 - np.prod(1.0 - np.minimum(top, cand) / cand))
    return {
        "scope": scope,
        "period": period,
        "unit": "cases",
        "n": len(observed),
        "in_top": int(observed.sum()),
        "share": float(observed.mean()),
        "chance": float(np.mean(chance)),
        "p_value": _p_value(null_any.sum(axis=1), int(observed.sum())),
        "median_rank": float(np.median(by_event["rank"].min())),
        "unplaced": 0,
    }


def _p_value(null_counts: np.ndarray, observed: int) -> float:
    """One-sided permutation p-value with the usual +1 correction (never exactly 0)."""
    return float((1 + np.count_nonzero(null_counts >= observed)) / (1 + len(null_counts)))


def counterexamples(
    ranks: pd.DataFrame,
    transfers: pd.DataFrame | None = None,
    *,
    missions: pd.DataFrame | None = None,
    top: int = 3,
    measure: str = "hq",
) -> pd.DataFrame:
    """Help from far away: one row per case and source whose source was not among the *top* nearest.

    Columns: ``event_id``, ``source_mission``, ``target_mission``, ``start``, ``case_type``,
    ``assets`` (joined), ``rank``, ``candidates`` and, with *missions*, ``hq_km`` (geodesic km
    between the headquarters). With *missions*, transfers from a placeholder whose region differs
    from the target's (Haiti 2010: "Missions in Africa (unnamed)") are kept too, with no rank.
    Farthest first: highest rank, then largest distance.
    """
    if transfers is not None:
        ranks = with_case_types(ranks, transfers)
    column = f"rank_{measure}"
    far = ranks[ranks[column].notna() & (ranks[column].astype(float) > top)].copy()
    if missions is not None:
        region = dict(zip(missions["acronym"], missions["region"].fillna("")))
        unplaced = ranks[ranks[column].isna()]
        other_region = [
            bool(region.get(s)) and bool(region.get(t)) and region.get(s) != region.get(t)
            for s, t in zip(unplaced["source_mission"], unplaced["target_mission"])
        ]
        far = pd.concat([far, unplaced[other_region]])
    if far.empty:
        return pd.DataFrame(columns=["event_id", "source_mission", "target_mission", "start", "case_type",
                                     "assets", "rank", "candidates"])  # fmt: skip
    grouped = far.groupby(["event_id", "source_mission", "target_mission"], sort=False, dropna=False)
    table = grouped.agg(
        start=("start", "min"),
        case_type=("case_type", "first"),
        assets=("asset", lambda a: ", ".join(dict.fromkeys(a))),
        rank=(column, "min"),
        candidates=("candidates", "first"),
    ).reset_index()
    table["rank"] = pd.array(table["rank"], dtype="Int64")
    table["candidates"] = pd.array(table["candidates"], dtype="Int64")
    if missions is not None:
        where = missions.set_index("acronym")[["hq_lat", "hq_lon"]]
        src = where.reindex(table["source_mission"]).to_numpy(dtype=float)
        dst = where.reindex(table["target_mission"]).to_numpy(dtype=float)
        table["hq_km"] = np.round(np.atleast_1d(geodesic_km(src[:, 0], src[:, 1], dst[:, 0], dst[:, 1])), 0)
    order = ["rank", "hq_km"] if "hq_km" in table else ["rank"]
    table = table.sort_values(order, ascending=False, na_position="last", kind="stable")
    return table.reset_index(drop=True)


def _percent(x: float) -> str:
    return f"{100 * x:.0f}%"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def finding_text(table: pd.DataFrame, far: pd.DataFrame | None = None, *, examples: int = 3) -> str:
    """One paragraph for the page: the share with and without hand-overs and re-hatting, and counterexamples.

    *table* is :func:`nearest_share`'s result, *far* :func:`counterexamples`'.
    """
    top = int(table["top"].iloc[0])
    measure = {"hq": "headquarters to headquarters", "area": "host country to host country",
               "site": "closest points of presence", "travel": "estimated travel time"}.get(
        str(table["measure"].iloc[0]), str(table["measure"].iloc[0]))  # fmt: skip
    pick = table.set_index(["scope", "period", "unit"])

    def line(scope: str, unit: str) -> pd.Series | None:
        key = (scope, "all", unit)
        return pick.loc[key] if key in pick.index else None

    everything, loans = line("all", "transfers"), line("loans and support", "transfers")
    cases, loan_cases = line("all", "cases"), line("loans and support", "cases")
    if everything is None:
        return "No transfer in this selection can be placed on the map, so nearness cannot be measured."
    nearest = "the nearest mission" if top == 1 else f"one of the {top} missions nearest"
    text = (
        f"Of the {everything['n']} transfers that can be placed on the map, {everything['in_top']} "
        f"({_percent(everything['share'])}) came from {nearest} to the one helped "
        f"(measured {measure}), against {_percent(everything['chance'])} if the helper had been picked at random "
        f"among the missions active at the time ({_p(everything['p_value'])})."
    )
    if loans is not None:
        text += (
            f" Hand-overs and re-hatting pass a predecessor's people to the mission that replaces it, so they are "
            f"almost always 'nearest'; without them, {loans['in_top']} of {loans['n']} transfers "
            f"({_percent(loans['share'])}) came from {nearest.removeprefix('one of ')}, against "
            f"{_percent(loans['chance'])} by chance "
            f"({_p(loans['p_value'])})."
        )
    if cases is not None:
        text += (
            f" Counted by case, {cases['in_top']} of {cases['n']} ({_percent(cases['share'])}) drew on "
            + ("the nearest mission" if top == 1 else f"at least one of the {top} nearest missions")
            + (
                f" ({loan_cases['in_top']} of {loan_cases['n']} without hand-overs and re-hatting)."
                if loan_cases is not None
                else "."
            )
        )
    if far is not None and not far.empty:
        named = []
        for rec in far.head(examples).to_dict("records"):
            where = f"rank {rec['rank']} of {rec['candidates']}" if pd.notna(rec["rank"]) else "sources not named"
            km = f", {rec['hq_km']:,.0f} km" if "hq_km" in rec and pd.notna(rec.get("hq_km")) else ""
            named.append(f"{rec['source_mission']} to {rec['target_mission']} in {pd.Timestamp(rec['start']).year} "
                         f"({where}{km})")  # fmt: skip
        text += " Help also came from far away: " + "; ".join(named) + "."
    return text


def report(
    transfers: pd.DataFrame, missions: pd.DataFrame, *, world=None, top: int = 3, measure: str = "hq"
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The finding in one call: (nearest_share table, counterexamples, paragraph) for *transfers*.

    Ranks come from :func:`imcgeo.proximity.event_ranks` (several seconds on the shipped record,
    so cache the result); *world* defaults to the shipped one, as there.
    """
    from imcgeo.proximity import event_ranks  # the geodesy stack, only when asked for

    ranks = event_ranks(transfers, world=world)
    table = nearest_share(ranks, transfers, top=top, measure=measure)
    far = counterexamples(ranks, transfers, missions=missions, top=top, measure=measure)
    return table, far, finding_text(table, far)
