"""Mission strength: the build script turns the UN's per-country file into strength per mission; loading checks it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from imcgeo import data, strength
from imcgeo.errors import DataValidationError

ROOT = Path(__file__).resolve().parents[1]

# The shape of the UN's file: one row per contributing country, mission, type and month.
UN_FILE = """Contributing_Country,Mission_Acronym,Personnel_Type,Last_Reporting_Date,Female_Personnel,Total
Ghana,UNMIL,Troops,2011-01-31,5,700
Nigeria,UNMIL,Troops,2011-01-31,10,"1,200"
Nigeria,UNMIL,Formed Police Units,2011-01-31,20,120
Norway,UNMIL,Individual Police,2011-01-31,3,15
Ghana,UNMIL,Experts on Mission,2011-01-31,0,8
Ghana,UNMIL,Staff Officer,2011-01-31,1,12
Ghana,UNOCI,Troops,2011-01-31,4,500
Ghana,UNMIL,Troops,2011-02-28,5,690
"""


def load_script():
    spec = importlib.util.spec_from_file_location("build_strength", ROOT / "scripts" / "build_strength.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_sums_countries_into_troops_police_and_observers(tmp_path):
    source = tmp_path / "contributions.csv"
    source.write_text(UN_FILE, encoding="utf-8")
    out = tmp_path / "strength.csv"
    assert load_script().main([str(source), "--out", str(out), "--downloaded", "2026-11-30"]) == 0
    table = strength.load_strength(out)
    jan = table[(table["mission"] == "UNMIL") & (table["date"] == "2011-01-31")].iloc[0]
    assert (jan["troops"], jan["police"], jan["military_observers"], jan["total"]) == (1912, 135, 8, 2055)
    assert "contributions.csv, downloaded 2026-11-30" in jan["source"]
    assert len(table) == 3 and set(table["mission"]) == {"UNMIL", "UNOCI"}


def test_an_unknown_personnel_type_stops_the_build_and_can_be_mapped(tmp_path):
    source = tmp_path / "contributions.csv"
    source.write_text(UN_FILE + "Fiji,UNMIL,Corrections Officers,2011-01-31,0,4\n", encoding="utf-8")
    out = tmp_path / "strength.csv"
    script = load_script()
    assert script.main([str(source), "--out", str(out)]) == 1
    assert not out.exists()
    assert script.main([str(source), "--out", str(out), "--type", "Corrections Officers=police"]) == 0
    assert strength.load_strength(out).query("mission == 'UNMIL'")["police"].iloc[0] == 139


def test_a_file_with_other_headers_names_what_is_missing(tmp_path):
    script = load_script()
    frame = pd.DataFrame({"PKO": ["UNMIL"], "Date": ["2011-01-31"], "Type": ["Troops"], "Total": ["5"]})
    with pytest.raises(ValueError, match=r"mission \(tried Mission_Acronym.*--column mission="):
        script.build(frame, source="UN")
    table = script.build(frame, source="UN", columns={"mission": "PKO"})
    assert table["troops"].tolist() == [5]


def test_ambiguous_or_unreadable_dates_are_refused(tmp_path):
    script = load_script()
    frame = pd.DataFrame({"Mission": ["UNMIL"], "Date": ["January 2011"], "Personnel_Type": ["Troops"], "Total": ["5"]})
    with pytest.raises(ValueError, match="dates that cannot be read in row"):
        script.build(frame, source="UN")


def test_the_missing_file_message_names_the_file_and_the_command(monkeypatch, tmp_path):
    monkeypatch.setattr(strength, "STRENGTH_CSV", tmp_path / "strength.csv")
    with pytest.raises(DataValidationError) as info:
        strength.load_strength()
    text = str(info.value)
    assert text.startswith("strength.csv: 1 problem")
    assert "python scripts/build_strength.py" in text and "data/README.md" in text


STRENGTH_HEADER = "mission,date,troops,police,military_observers,total,source"
STRENGTH_CASES = {
    "total below its parts": ("UNMIL,2011-01-31,10,5,1,12,UN", "12 is less than troops + police"),
    "no figure at all": ("UNMIL,2011-01-31,,,,,UN", "no figure is given"),
    "fractional count": ("UNMIL,2011-01-31,10.5,,,,UN", "'10.5' is not a whole number"),
    "no source": ("UNMIL,2011-01-31,10,,,10,", "column 'source': is empty"),
    "unknown mission": ("UNXYZ,2011-01-31,10,,,10,UN", "'UNXYZ' is not in the missions file"),
    "bad date": ("UNMIL,31/01/2011,10,,,10,UN", "'31/01/2011' is not a date"),
}


@pytest.mark.parametrize("case", STRENGTH_CASES, ids=list(STRENGTH_CASES))
def test_each_strength_rule_has_a_failing_fixture(case):
    row, expected = STRENGTH_CASES[case]
    missions = pd.DataFrame({"acronym": ["UNMIL"]})
    payload = f"{STRENGTH_HEADER}\n{row}\n".encode()
    with pytest.raises(DataValidationError) as info:
        strength.load_strength(payload, missions=missions)
    assert any(expected in str(p) for p in info.value.problems), info.value.problems


def test_a_total_may_exceed_its_parts_and_is_summed_when_absent():
    payload = f"{STRENGTH_HEADER}\nUNMIL,2011-01-31,10,5,1,20,UN\nUNMIL,2011-02-28,10,5,1,,UN\n".encode()
    table = strength.load_strength(payload)
    assert table["total"].tolist() == [20, 16]


def test_strength_on_a_date_takes_the_latest_recent_figure():
    table = strength.load_strength(
        f"{STRENGTH_HEADER}\nA,2020-01-31,10,,,10,UN\nA,2020-02-29,12,,,12,UN\nB,2019-01-31,5,,,5,UN\n".encode()
    )
    assert strength.strength_on(table, "2020-02-29")["total"].tolist() == [12]
    assert strength.strength_on(table, "2020-02-28")["total"].tolist() == [10]
    assert strength.strength_on(table, "2020-03-15", max_age_days=None)["mission"].tolist() == ["A", "B"]
    assert strength.strength_on(table, "2018-12-31").empty


def test_the_shipped_partial_table_loads_and_names_its_sources():
    missions = data.load_missions()
    table = strength.load_strength_reports(missions=missions)
    assert len(table) >= 3
    assert table["source"].str.len().min() > 20
    unmiss = table[(table["mission"] == "UNMISS") & (table["date"] == "2015-06-30")].iloc[0]
    assert (unmiss["troops"], unmiss["total"]) == (11342, 13058)


def test_a_built_table_that_no_longer_loads_is_reported_not_passed_over(tmp_path):
    from worlds import write_world

    from imcgeo.atlas import Atlas

    folder = write_world(tmp_path / "world")
    (folder / "strength.csv").write_text(
        "mission,date,troops,police,military_observers,total,source\nUNGONE,2011-01-31,10,,,10,UN\n", encoding="utf-8"
    )
    atlas = Atlas.from_dir(folder)
    said = [atlas.translator("en").message(w) for w in atlas.warnings]
    assert len(said) == 1 and said[0].startswith("strength.csv could not be used") and "UNGONE" in said[0]
    assert atlas.translator("fr").message(atlas.warnings[0]).startswith("strength.csv n’a pas pu servir")
    (folder / "strength.csv").unlink()
    assert Atlas.from_dir(folder).warnings == ()  # not built: no warning, the partial table if any
