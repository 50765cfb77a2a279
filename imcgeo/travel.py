"""Travel-time estimates by mode, from the editable assumptions in data/travel.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imcgeo._validate import read_toml
from imcgeo.errors import DataValidationError, Problem

__all__ = ["TRAVEL_TOML", "Assumptions", "estimate_hours", "load_assumptions"]

TRAVEL_TOML = Path(__file__).resolve().parent.parent / "data" / "travel.toml"

_REQUIRED = {
    "road": ("label", "speed_kmh", "hours_per_day", "detour_factor"),
    "helicopter": ("label", "cruise_kmh", "range_km", "refuel_stop_h", "prep_h", "max_ferry_km"),
    "fixed_wing": ("label", "cruise_kmh", "range_km", "refuel_stop_h", "prep_h"),
}


@dataclass(frozen=True)
class Assumptions:
    """The figures behind the estimates, one mapping per mode (see data/travel.toml)."""

    road: dict
    helicopter: dict
    fixed_wing: dict

    def describe(self) -> list[str]:
        """One line per mode, for showing beside the estimates."""
        r, h, f = self.road, self.helicopter, self.fixed_wing
        return [
            f"{r['label']}: {r['speed_kmh']} km/h for {r['hours_per_day']} h a day, road {r['detour_factor']}× "
            "the straight distance, same landmass only",
            f"{h['label']}: {h['cruise_kmh']} km/h, a {h['refuel_stop_h']} h stop every {h['range_km']} km, "
            f"{h['prep_h']} h to prepare, not flown beyond {h['max_ferry_km']} km",
            f"{f['label']}: {f['cruise_kmh']} km/h, a {f['refuel_stop_h']} h stop every {f['range_km']} km, "
            f"{f['prep_h']} h to prepare",
        ]


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read and check the assumptions file; DataValidationError names any missing or bad figure."""
    path = Path(path or TRAVEL_TOML)
    raw = read_toml(path)
    problems = []
    for mode, keys in _REQUIRED.items():
        section = raw.get(mode)
        if not isinstance(section, dict):
            problems.append(Problem(None, mode, "section is missing", f"add a [{mode}] section"))
            continue
        for key in keys:
            value = section.get(key)
            if key == "label":
                if not isinstance(value, str) or not value:
                    problems.append(Problem(None, f"{mode}.{key}", "is missing", "give the mode a name"))
            elif not isinstance(value, int | float) or isinstance(value, bool) or not value > 0:
                problems.append(
                    Problem(None, f"{mode}.{key}", f"{value!r} is not a positive number", "give a number above 0")
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
