"""Travel-time estimates come from the editable assumptions file, and bad files say what to fix."""

from __future__ import annotations

import numpy as np
import pytest

from imcgeo.errors import DataValidationError
from imcgeo.travel import TRAVEL_TOML, estimate_hours, load_assumptions


def test_estimates_follow_the_file(tmp_path):
    text = TRAVEL_TOML.read_text().replace("speed_kmh = 30", "speed_kmh = 60")
    (tmp_path / "travel.toml").write_text(text)
    slow, fast = load_assumptions(), load_assumptions(tmp_path / "travel.toml")
    assert estimate_hours(600, fast)["road_days"] == pytest.approx(estimate_hours(600, slow)["road_days"] / 2)


def test_air_legs_add_refuelling_stops():
    a = load_assumptions()
    one_leg = estimate_hours(440.0, a)["helicopter_h"]
    two_legs = estimate_hours(460.0, a)["helicopter_h"]
    assert two_legs - one_leg == pytest.approx(a.helicopter["refuel_stop_h"] + 20 / a.helicopter["cruise_kmh"])
    assert np.isnan(estimate_hours(a.helicopter["max_ferry_km"] + 1, a)["helicopter_h"])
    assert np.isnan(estimate_hours(100.0, a, same_landmass=False)["road_days"])


def test_every_mode_is_described():
    lines = load_assumptions().describe()
    assert len(lines) == 3 and "km/h" in lines[0]


def test_bad_assumptions_file_names_the_figure(tmp_path):
    bad = TRAVEL_TOML.read_text().replace("cruise_kmh = 540", 'cruise_kmh = "fast"').replace("[road]", "[roads]")
    (tmp_path / "travel.toml").write_text(bad)
    with pytest.raises(DataValidationError) as info:
        load_assumptions(tmp_path / "travel.toml")
    text = str(info.value)
    assert "fixed_wing.cruise_kmh" in text and "column 'road': section is missing" in text
    (tmp_path / "broken.toml").write_text("[road\n")
    with pytest.raises(DataValidationError, match="cannot be read"):
        load_assumptions(tmp_path / "broken.toml")
