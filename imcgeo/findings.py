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
from babel.numbers import format_percent

from imcgeo.geodesy import geodesic_km
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Translator, translator

__all__ = [
    "MEASURED",
    "SCOPES",
    "UNITS",
    "counterexamples",
    "finding_text",
    "nearest_share",
    "report",
    "share_words",
    "with_case_types",
]

#: Which transfers a share is computed over. Hand-overs and re-hatting pass a predecessor's (or a
#: regional force's) people to the mission that replaces it on the same ground, so they are
#: nearly always "nearest" and inflate the share.
SCOPES = {
    "all": N_("all transfers"),
    "loans and support": N_("without hand-overs and re-hatting"),
    "hand-overs and re-hatting": N_("hand-overs and re-hatting only"),
}
#: What a row of nearest_share counts (its ``unit``), as shown.
UNITS = {"transfers": N_("transfers"), "cases": N_("cases")}
#: How nearness was measured, as the finding's paragraph says it ("measured headquarters to headquarters").
MEASURED = {
    "hq": N_("headquarters to headquarters"),
    "area": N_("host country to host country"),
    "site": N_("closest points of presence"),
    "travel": N_("estimated travel time"),
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


def share_words(table: pd.DataFrame, *, tr: Translator | None = None) -> pd.DataFrame:
    """:func:`nearest_share`'s table with its ``scope``, ``period`` and ``unit`` in words, for a person to read.

    The table itself keeps codes (finding_text looks rows up by them); this copy says "all
    transfers", "all years", "1990s", "cases" in *tr*'s language (English by default).

    >>> share_words(pd.DataFrame({"scope": ["all"], "period": ["1990s"], "unit": ["cases"]})).iloc[0].tolist()
    ['all transfers', '1990s', 'cases']
    """
    tr = tr or translator(DEFAULT_LANGUAGE)

    def period(value: str) -> str:
        if value == "all":
            return tr.gettext("all years")
        if len(value) == 5 and value[:4].isdigit() and value.endswith("s"):
            return tr.gettext("{decade}s").format(decade=value[:4])
        return value

    out = table.copy()
    if "scope" in out:
        out["scope"] = [tr.gettext(SCOPES[v]) if v in SCOPES else v for v in out["scope"]]
    if "period" in out:
        out["period"] = [period(str(v)) for v in out["period"]]
    if "unit" in out:
        out["unit"] = [tr.gettext(UNITS[v]) if v in UNITS else v for v in out["unit"]]
    return out


def counterexamples(
    ranks: pd.DataFrame,
    transfers: pd.DataFrame | None = None,
    *,
    missions: pd.DataFrame | None = None,
    top: int = 3,
    measure: str = "hq",
    tr: Translator | None = None,
) -> pd.DataFrame:
    """Help from far away: one row per case and source whose source was not among the *top* nearest.

    Columns: ``event_id``, ``source_mission``, ``target_mission``, ``start``, ``case_type``,
    ``assets`` (their words joined, in *tr*'s language: English by default), ``rank``,
    ``candidates`` and, with *missions*, ``hq_km`` (geodesic km
    between the headquarters). With *missions*, transfers from a placeholder whose region differs
    from the target's (Haiti 2010: "Missions in Africa (unnamed)") are kept too, with no rank.
    Farthest first: highest rank, then largest distance.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
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
        assets=("asset", lambda a: ", ".join(tr.label(v).lower() for v in dict.fromkeys(a))),
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


def _percent(x: float, tr: Translator) -> str:
    return format_percent(x, locale=tr.locale)


def _p(p: float, tr: Translator) -> str:
    # Notation, the same in every language; only the number is written the language's way.
    return f"p < {tr.format_number(0.001, 3)}" if p < 0.001 else f"p = {tr.format_number(p, 3)}"


def finding_text(
    table: pd.DataFrame, far: pd.DataFrame | None = None, *, examples: int = 3, tr: Translator | None = None
) -> str:
    """One paragraph for the page: the share with and without hand-overs and re-hatting, and counterexamples.

    *table* is :func:`nearest_share`'s result, *far* :func:`counterexamples`'. *tr*: the
    paragraph's language (English by default); numbers, percentages and missions' acronyms are
    written its way.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    top = int(table["top"].iloc[0])
    code = str(table["measure"].iloc[0])
    measure = tr.gettext(MEASURED[code]) if code in MEASURED else code
    pick = table.set_index(["scope", "period", "unit"])

    def line(scope: str, unit: str) -> pd.Series | None:
        key = (scope, "all", unit)
        return pick.loc[key] if key in pick.index else None

    def num(value) -> str:
        return tr.format_number(int(value))

    everything, loans = line("all", "transfers"), line("loans and support", "transfers")
    cases, loan_cases = line("all", "cases"), line("loans and support", "cases")
    if everything is None:
        return tr.gettext("No transfer in this selection can be placed on the map, so nearness cannot be measured.")
    # The nearest missions are named inside a sentence: each phrase is translated with the verb
    # it follows (its context), since French needs "de la", "des" or "à la" there.
    if top == 1:
        came_from = tr.pgettext("came from", "the nearest mission")
        loans_from = came_from
        drew_on = tr.pgettext("drew on", "the nearest mission")
    else:
        came_from = tr.pgettext("came from", "one of the {top} missions nearest").format(top=num(top))
        loans_from = tr.pgettext("came from", "the {top} missions nearest").format(top=num(top))
        drew_on = tr.pgettext("drew on", "at least one of the {top} nearest missions").format(top=num(top))
    # English uses one form for any count; the plural pairs let other languages agree.
    text = tr.ngettext(
        "Of the {n} transfers that can be placed on the map, {in_top} ({share}) came from {nearest} to the one "
        "helped (measured {measure}), against {chance} if the helper had been picked at random among the missions "
        "active at the time ({p}).",
        "Of the {n} transfers that can be placed on the map, {in_top} ({share}) came from {nearest} to the one "
        "helped (measured {measure}), against {chance} if the helper had been picked at random among the missions "
        "active at the time ({p}).",
        int(everything["n"]),
    ).format(
        n=num(everything["n"]), in_top=num(everything["in_top"]), share=_percent(everything["share"], tr),
        nearest=came_from, measure=measure, chance=_percent(everything["chance"], tr),
        p=_p(everything["p_value"], tr),
    )  # fmt: skip
    if loans is not None:
        text += " " + tr.ngettext(
            "Hand-overs and re-hatting pass a predecessor's people to the mission that replaces it, so they are "
            "almost always 'nearest'; without them, {in_top} of {n} transfers ({share}) came from {nearest}, "
            "against {chance} by chance ({p}).",
            "Hand-overs and re-hatting pass a predecessor's people to the mission that replaces it, so they are "
            "almost always 'nearest'; without them, {in_top} of {n} transfers ({share}) came from {nearest}, "
            "against {chance} by chance ({p}).",
            int(loans["in_top"]),
        ).format(
            in_top=num(loans["in_top"]), n=num(loans["n"]), share=_percent(loans["share"], tr), nearest=loans_from,
            chance=_percent(loans["chance"], tr), p=_p(loans["p_value"], tr),
        )  # fmt: skip
    if cases is not None:
        values = {"in_top": num(cases["in_top"]), "n": num(cases["n"]), "share": _percent(cases["share"], tr),
                  "nearest": drew_on}  # fmt: skip
        if loan_cases is not None:
            text += " " + tr.ngettext(
                "Counted by case, {in_top} of {n} ({share}) drew on {nearest} ({loan_in_top} of {loan_n} without "
                "hand-overs and re-hatting).",
                "Counted by case, {in_top} of {n} ({share}) drew on {nearest} ({loan_in_top} of {loan_n} without "
                "hand-overs and re-hatting).",
                int(cases["in_top"]),
            ).format(loan_in_top=num(loan_cases["in_top"]), loan_n=num(loan_cases["n"]), **values)
        else:
            text += " " + tr.ngettext(
                "Counted by case, {in_top} of {n} ({share}) drew on {nearest}.",
                "Counted by case, {in_top} of {n} ({share}) drew on {nearest}.",
                int(cases["in_top"]),
            ).format(**values)
    if far is not None and not far.empty:
        named = []
        for rec in far.head(examples).to_dict("records"):
            if pd.notna(rec["rank"]):
                where = tr.gettext("rank {rank} of {candidates}").format(
                    rank=num(rec["rank"]), candidates=num(rec["candidates"])
                )
            else:
                where = tr.gettext("sources not named")
            if "hq_km" in rec and pd.notna(rec.get("hq_km")):
                where = tr.gettext("{where}, {km} km").format(where=where, km=tr.format_number(rec["hq_km"], 0))
            named.append(
                tr.gettext("{source} to {target} in {year} ({where})").format(
                    source=tr.mission_acronym(rec["source_mission"]),
                    target=tr.mission_acronym(rec["target_mission"]),
                    year=pd.Timestamp(rec["start"]).year,
                    where=where,
                )
            )
        text += " " + tr.gettext("Help also came from far away: {examples}.").format(examples="; ".join(named))
    return text


def report(
    transfers: pd.DataFrame,
    missions: pd.DataFrame,
    *,
    world=None,
    top: int = 3,
    measure: str = "hq",
    tr: Translator | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The finding in one call: (nearest_share table, counterexamples, paragraph) for *transfers*.

    Ranks come from :func:`imcgeo.proximity.event_ranks` (several seconds on the shipped record,
    so cache the result); *world* defaults to the shipped one, as there. *tr*: the language of
    the paragraph and of the counterexamples' words (English by default).
    """
    from imcgeo.proximity import event_ranks  # the geodesy stack, only when asked for

    ranks = event_ranks(transfers, world=world)
    table = nearest_share(ranks, transfers, top=top, measure=measure)
    far = counterexamples(ranks, transfers, missions=missions, top=top, measure=measure, tr=tr)
    return table, far, finding_text(table, far, tr=tr)
