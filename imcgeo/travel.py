"""Travel-time estimates by mode, from the editable assumptions in data/travel.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imcgeo._validate import read_toml
from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Translator, translator

__all__ = ["TRAVEL_TOML", "Assumptions", "estimate_hours", "load_assumptions"]

TRAVEL_TOML = Path(__file__).resolve().parent.parent / "data" / "travel.toml"

_REQUIRED = {
    "road": ("label", "speed_kmh", "hours_per_day", "detour_factor"),
    "helicopter": ("label", "cruise_kmh", "range_km", "refuel_stop_h", "prep_h", "max_ferry_km"),
    "fixed_wing": ("label", "cruise_kmh", "range_km", "refuel_stop_h", "prep_h"),
}
# The shipped modes' labels (data/travel.toml), marked so the catalogue translates them; a label
# an analyst edits is shown as written.
_SHIPPED_LABELS = (
    N_("Road convoy"),
    N_("Helicopter (medium utility, Mi-8/Mi-17 class)"),
    N_("Fixed-wing transport (C-130 class)"),
)


@dataclass(frozen=True)
class Assumptions:
    """The figures behind the estimates, one mapping per mode (see data/travel.toml)."""

    road: dict
    helicopter: dict
    fixed_wing: dict

    def describe(self, *, tr: Translator | None = None) -> list[str]:
        """One line per mode, for showing beside the estimates, in *tr*'s language (English by default).

        >>> load_assumptions().describe()[0]
        'Road convoy: 30 km/h for 10 h a day, road 1.5× the straight distance, same landmass only'
        """
        tr = tr or translator(DEFAULT_LANGUAGE)
        r, h, f = self.road, self.helicopter, self.fixed_wing

        def n(value) -> str:
            return tr.format_number(value)

        return [
            tr.gettext(
                "{mode}: {speed} km/h for {hours} h a day, road {detour}× the straight distance, same landmass only"
            ).format(
                mode=tr.gettext(r["label"]),
                speed=n(r["speed_kmh"]),
                hours=n(r["hours_per_day"]),
                detour=n(r["detour_factor"]),
            ),
            tr.gettext(
                "{mode}: {speed} km/h, a {stop} h stop every {range} km, {prep} h to prepare, "
                "not flown beyond {ferry} km"
            ).format(
                mode=tr.gettext(h["label"]),
                speed=n(h["cruise_kmh"]),
                stop=n(h["refuel_stop_h"]),
                range=n(h["range_km"]),
                prep=n(h["prep_h"]),
                ferry=n(h["max_ferry_km"]),
            ),
            tr.gettext("{mode}: {speed} km/h, a {stop} h stop every {range} km, {prep} h to prepare").format(
                mode=tr.gettext(f["label"]),
                speed=n(f["cruise_kmh"]),
                stop=n(f["refuel_stop_h"]),
                range=n(f["range_km"]),
                prep=n(f["prep_h"]),
            ),
        ]


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read and check the assumptions file; DataValidationError names any missing or bad figure."""
    path = Path(path or TRAVEL_TOML)
    raw = read_toml(path)
    problems = []
    for mode, keys in _REQUIRED.items():
        section = raw.get(mode)
        if not isinstance(section, dict):
            problems.append(Problem.of(None, mode, N_("section is missing"), N_("add a [{mode}] section"), mode=mode))
            continue
        for key in keys:
            value = section.get(key)
            if key == "label":
                if not isinstance(value, str) or not value:
                    problems.append(Problem.of(None, f"{mode}.{key}", N_("is missing"), N_("give the mode a name")))
            elif not isinstance(value, int | float) or isinstance(value, bool) or not value > 0:
                problems.append(
                    Problem.of(
                        None,
                        f"{mode}.{key}",
                        N_("{value} is not a positive number"),
                        N_("give a number above 0"),
                        value=repr(value),
                    )
                )
    if problems:
        raise DataValidationError(path.name, problems)
    return Assumptions(raw["road"], raw["helicopter"], raw["fixed_wing"])


def estimate_hours(distance_km, assumptions: Assumptions, *, same_landmass=True) -> dict[str, np.ndarray]:
    """Estimated hours by mode for geodesic distances (km); NaN where a mode does not apply.

    ``road_days`` counts days of driving; the air modes count elapsed hours including
    preparation and refuelling stops.

    >>> a = load_assumptions()
    >>> {k: round(float(v), 2) for k, v in estimate_hours(900.0, a).items()}
    {'road_days': 4.5, 'helicopter_h': 8.09, 'fixed_wing_h': 7.67}
    """
    distance = np.asarray(distance_km, dtype=float)
    road, heli, fixed = assumptions.road, assumptions.helicopter, assumptions.fixed_wing
    road_hours = distance * road["detour_factor"] / road["speed_kmh"]
    road_days = np.where(np.asarray(same_landmass, dtype=bool), road_hours / road["hours_per_day"], np.nan)
    return {
        "road_days": road_days,
        "helicopter_h": np.where(distance <= heli["max_ferry_km"], _flight_hours(distance, heli), np.nan),
        "fixed_wing_h": _flight_hours(distance, fixed),
    }


def _flight_hours(distance: np.ndarray, mode: dict) -> np.ndarray:
    stops = np.maximum(np.ceil(distance / mode["range_km"]) - 1, 0)
    return mode["prep_h"] + distance / mode["cruise_kmh"] + stops * mode["refuel_stop_h"]
