"""Analysts' own files: validated like the shipped data, merged with or replacing it, for one session.

Nothing here writes a file: a combined ``Atlas`` lives only as long as the page session that
asked for it, so one analyst's upload is never seen by another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from imcgeo import data
from imcgeo._validate import MAX_BYTES
from imcgeo.atlas import Atlas
from imcgeo.errors import DataValidationError, Problem
from imcgeo.export import csv_bytes
from imcgeo.sites import PLAIN_COLUMNS, load_sites

__all__ = ["KINDS", "MAX_BYTES", "Combined", "combine", "template"]

KINDS = ("missions", "transfers", "sites")
MODES = ("merge", "replace")


@dataclass
class Combined:
    """The data a session works with, and what was done to get it."""

    atlas: Atlas
    sites: pd.DataFrame | None
    summary: list[str] = field(default_factory=list)


def template(kind: str, atlas: Atlas) -> bytes:
    """A CSV with the right header and two real rows from the shipped data, to fill in."""
    if kind == "missions":
        rows = atlas.missions[atlas.missions["acronym"].isin(["UNMIL", "UNOCI"])][data.MISSION_COLUMNS]
    elif kind == "transfers":
        rows = atlas.transfers[atlas.transfers["event_id"] == "2010-unoci-election-support"][data.TRANSFER_COLUMNS]
    elif kind == "sites":
        rows = load_sites(missions=atlas.missions).head(2)[PLAIN_COLUMNS]
    else:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    return csv_bytes(rows)


def combine(atlas: Atlas, files: dict[str, tuple[str, bytes]], mode: str = "merge") -> Combined:
    """The shipped *atlas* with the uploaded *files* ({kind: (file name, bytes)}) merged in or replacing it.

    In ``merge`` mode uploaded rows are added (an uploaded mission replaces a shipped one with the
    same acronym); in ``replace`` mode an uploaded file stands instead of its shipped counterpart.
    Raises DataValidationError naming the uploaded file, row, column and fix for any problem.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    unknown = set(files) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}")
    summary = []
    missions = atlas.missions
    if "missions" in files:
        name, payload = files["missions"]
        mine = data.load_missions(payload, countries=atlas.countries, name=name, lenient_dates=True)
        if mode == "merge":
            replaced = sorted(set(mine["acronym"]) & set(missions["acronym"]))
            missions = pd.concat([missions[~missions["acronym"].isin(mine["acronym"])], mine], ignore_index=True)
            summary.append(
                f"{len(mine)} missions from {name} added"
                + (f" ({len(replaced)} replace shipped rows)" if replaced else "")
            )
        else:
            missions = mine.reset_index(drop=True)
            summary.append(f"{len(mine)} missions from {name} replace the shipped missions")
    transfers = atlas.transfers
    if "transfers" in files:
        name, payload = files["transfers"]
        mine = data.load_transfers(payload, missions=missions, name=name, lenient_dates=True)
        if mode == "merge":
            _no_repeats(mine, transfers, name)
            transfers = pd.concat([transfers, mine], ignore_index=True)
            summary.append(f"{len(mine)} transfers from {name} added")
        else:
            transfers = mine
            summary.append(f"{len(mine)} transfers from {name} replace the shipped transfers")
    elif missions is not atlas.missions:
        # The shipped transfers must still name known missions (a replacing missions file may drop some).
        transfers = data.load_transfers(data.TRANSFERS_CSV, missions=missions, name="transfers.csv (shipped)")
    sites = None
    if "sites" in files:
        name, payload = files["sites"]
        mine = load_sites(payload, missions=missions, name=name, lenient_dates=True)
        shipped = load_sites(missions=missions) if mode == "merge" else None
        sites = mine if shipped is None else pd.concat([shipped, mine], ignore_index=True)
        summary.append(f"{len(mine)} sites from {name} {'added' if mode == 'merge' else 'replace the shipped sites'}")
    combined = Atlas.from_frames(missions, transfers, atlas.countries, scenes=atlas.scenes, outlines=atlas.outlines)
    return Combined(combined, sites, summary)


def _no_repeats(mine: pd.DataFrame, shipped: pd.DataFrame, name: str) -> None:
    key = ["event_id", "source_mission", "target_mission", "asset"]
    seen = set(map(tuple, shipped[key].to_numpy()))
    problems = [
        Problem(
            i + 2,
            "event_id",
            f"repeats a shipped transfer ({', '.join(map(str, row))})",
            "drop the row, or choose 'replace' to use only your transfers",
        )
        for i, row in enumerate(mine[key].to_numpy())
        if tuple(row) in seen
    ]
    if problems:
        raise DataValidationError(name, problems)
