"""scripts/build_strength.py on the UN's file layouts: sums by hand, day-first dates, unknown types and missions."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from imcgeo import strength

ROOT = Path(__file__).resolve().parents[1]
MISSIONS = pd.DataFrame({"acronym": pd.read_csv(ROOT / "data" / "missions.csv", dtype=str)["acronym"]})

# What two countries contributed, by mission, type and month: (country, ISO, mission, type, month, female, male).
CONTRIBUTIONS = [
    ("Ghana", "GHA", "UNMIL", "Troops", 1, 5, 695),
    ("Nigeria", "NGA", "UNMIL", "Troops", 1, 10, 1190),
    ("Ghana", "GHA", "UNMIL", "Individual Police", 1, 3, 12),
    ("Nigeria", "NGA", "UNMIL", "Formed Police Units", 1, 20, 100),
    ("Ghana", "GHA", "UNMIL", "Experts on Mission", 1, 1, 7),
    ("Nigeria", "NGA", "UNMIL", "Staff Officer", 1, 2, 10),
    ("Ghana", "GHA", "UNMIL", "Troops", 2, 5, 685),
    ("Nigeria", "NGA", "UNMIL", "Troops", 2, 10, 1180),
    ("Ghana", "GHA", "UNMIL", "Individual Police", 2, 3, 13),
    ("Nigeria", "NGA", "UNOCI", "Troops", 2, 4, 496),
]
MONTH_END = {1: "2011-01-31", 2: "2011-02-28"}
# Added up by hand from the rows above: (troops, police, military_observers, total).
BY_HAND = {
    ("UNMIL", "2011-01-31"): (700 + 1200 + 12, 15 + 120, 8, 2055),
    ("UNMIL", "2011-02-28"): (690 + 1190, 16, 0, 1896),
    ("UNOCI", "2011-02-28"): (500, 0, 0, 500),
}


def load_script():
    spec = importlib.util.spec_from_file_location("build_strength", ROOT / "scripts" / "build_strength.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dmy(month: int) -> str:
    year, mm, dd = MONTH_END[month].split("-")
    return f"{dd}/{mm}/{year}"


def hdx_file(extra: list[str] = ()) -> str:
    """HDX odp_contributionsbygender.csv: day-first dates, female and male, acronyms with stray spaces."""
    lines = ["Contributing_Country,ISOCode3,Mission_Acronym,Personnel_Type,Last_Reporting_Date,"
             "Female_Personnel,Male_Personnel"]  # fmt: skip
    for i, (country, iso, mission, kind, month, female, male) in enumerate(CONTRIBUTIONS):
        acronym = f"{mission}  " if i % 2 else f" {mission}"
        lines.append(f"{country},{iso},{acronym},{kind},{dmy(month)},{female},{male}")
    return "\n".join([*lines, *extra]) + "\n"


def hub_file() -> str:
    """Data Hub DPO-UCHISTORICAL.csv: lower-case headers, male before female."""
    lines = ["contribution_id,contributing_country,isocode3,mission_acronym,personnel_type,male_personnel,"
             "female_personnel,last_reporting_date"]  # fmt: skip
    for i, (country, iso, mission, kind, month, female, male) in enumerate(CONTRIBUTIONS):
        lines.append(f"{i + 1},{country},{iso},{mission},{kind},{male},{female},{MONTH_END[month]}")
    return "\n".join(lines) + "\n"


def pre2010_file() -> str:
    """DPPADPO-UCPre2010.csv: one troop count per contributor, mission and date; one count left empty."""
    troops: dict[tuple, int] = {}
    for country, iso, mission, kind, month, female, male in CONTRIBUTIONS:
        if kind in ("Troops", "Staff Officer"):
            key = (country, iso, mission, month)
            troops[key] = troops.get(key, 0) + female + male
    lines = ["ID,Contributor,Contributor_ISO-3,Troops,Date,Mission"]
    for i, ((country, iso, mission, month), count) in enumerate(troops.items()):
        lines.append(f"{i + 1},{country},{iso},{count},{dmy(month)},{mission}")
    lines.append(f"{len(troops) + 1},Norway,NOR,,{dmy(1)},UNMIL")
    return "\n".join(lines) + "\n"


def run(tmp_path, text: str, *options: str, name: str = "contributions.csv"):
    """Run the script on *text*; returns its exit code and the table written, loaded as the dashboard does, or None."""
    source, out = tmp_path / name, tmp_path / "strength.csv"
    source.write_text(text, encoding="utf-8")
    out.unlink(missing_ok=True)
    code = load_script().main([str(source), "--out", str(out), *options])
    table = strength.load_strength(out, missions=MISSIONS) if out.exists() else None
    return code, table


def figures(table: pd.DataFrame) -> dict:
    """(mission, ISO date) -> (troops, police, military_observers, total), None where empty."""
    return {
        (row.mission, row.date.strftime("%Y-%m-%d")): tuple(
            None if pd.isna(v) else int(v) for v in (row.troops, row.police, row.military_observers, row.total)
        )
        for row in table.itertuples()
    }


@pytest.mark.parametrize("layout", ["hdx", "hub"])
def test_a_file_by_type_is_summed_as_by_hand(tmp_path, capsys, layout):
    text = hdx_file() if layout == "hdx" else hub_file()
    code, table = run(tmp_path, text, "--downloaded", "2026-11-30")
    out = capsys.readouterr().out
    assert code == 0, out
    assert figures(table) == BY_HAND
    assert ("HDX odp_contributionsbygender.csv" if layout == "hdx" else "DPO-UCHISTORICAL.csv") in out
    assert "(the file has no total column)" in out
    assert table["source"].str.contains("contributions.csv, downloaded 2026-11-30").all()


def test_the_pre_2010_troops_file_gives_troops_and_leaves_the_rest_empty(tmp_path, capsys):
    code, table = run(tmp_path, pre2010_file())
    out = capsys.readouterr().out
    assert code == 0, out
    assert figures(table) == {key: (troops, None, None, None) for key, (troops, *_) in BY_HAND.items()}
    assert "DPPADPO-UCPre2010.csv" in out and "police, military_observers and total left empty" in out


def test_another_count_column_in_the_wide_file_stops_until_mapped(tmp_path, capsys):
    lines = pre2010_file().splitlines()
    lines = [f"{lines[0]},Civ Pol"] + [f"{line},{7 if line.endswith('UNOCI') else ''}" for line in lines[1:]]
    text = "\n".join(lines) + "\n"
    code, table = run(tmp_path, text)
    assert code == 1 and table is None
    assert "'Civ Pol' are neither identifiers nor personnel types" in capsys.readouterr().err
    code, table = run(tmp_path, text, "--type", "Civ Pol=police")
    assert code == 0
    assert figures(table)["UNOCI", "2011-02-28"] == (500, 7, None, None)
    assert figures(table)["UNMIL", "2011-01-31"] == (1912, None, None, None)  # its police cells are all empty


def test_columns_can_still_be_named_on_a_published_layout(tmp_path, capsys):
    code, table = run(tmp_path, hub_file().replace("mission_acronym", "PKO"))
    assert code == 1 and "mission (tried Mission_Acronym" in capsys.readouterr().err
    code, table = run(tmp_path, hub_file().replace("mission_acronym", "PKO"), "--column", "mission=PKO")
    assert code == 0 and figures(table) == BY_HAND


def test_an_empty_female_or_male_cell_beside_a_number_counts_as_none(tmp_path):
    text = hub_file().replace("UNOCI,Troops,496,4,", "UNOCI,Troops,496,,")
    code, table = run(tmp_path, text)
    assert code == 0 and figures(table)["UNOCI", "2011-02-28"] == (496, 0, 0, 496)


def test_day_first_dates_known_from_the_layout_or_found_in_the_file(tmp_path, capsys):
    early = hdx_file().replace("28/02/2011", "05/02/2011")
    code, table = run(tmp_path, early)  # the HDX layout writes day first: 05/02 is 5 February
    assert code == 0 and ("UNOCI", "2011-02-05") in figures(table)
    generic = early.replace("Mission_Acronym", "Mission").replace("31/01/2011", "01/01/2011")
    code, table = run(tmp_path, generic)
    err = capsys.readouterr().err
    assert code == 1 and table is None
    assert "contributions.csv: row 2, column 'Last_Reporting_Date': '01/01/2011' could be day/month/year" in err
    assert "--dayfirst" in err and "--monthfirst" in err
    code, table = run(tmp_path, generic, "--monthfirst")
    assert code == 0 and ("UNOCI", "2011-05-02") in figures(table)
    found = generic.replace("05/02/2011", "25/02/2011")  # a day above 12 settles it
    code, table = run(tmp_path, found)
    assert code == 0 and set(figures(table)) == {("UNMIL", "2011-01-01"), ("UNMIL", "2011-02-25"),
                                                 ("UNOCI", "2011-02-25")}  # fmt: skip


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["01/31/2011", "02/28/2011"], ["2011-01-31", "2011-02-28"]),
        (["31.01.2011", "2011-02-28"], ["2011-01-31", "2011-02-28"]),
        (["31-Jan-2011", "28 February 11"], ["2011-01-31", "2011-02-28"]),
    ],
)
def test_month_first_iso_and_named_months_are_read(dates, expected):
    assert load_script().parse_dates(pd.Series(dates), column="Date", dayfirst=None).tolist() == expected


def test_dates_written_both_ways_in_one_file_are_refused():
    with pytest.raises(ValueError, match=r"mixes day-first dates \('31/01/2011', row 2\) and month-first"):
        load_script().parse_dates(pd.Series(["31/01/2011", "02/28/2011"]), column="Date", dayfirst=None)


def test_a_date_against_the_known_order_names_its_row_and_the_fix(tmp_path, capsys):
    code, _ = run(tmp_path, hdx_file(["Ghana,GHA,UNMIL,Troops,01/31/2011,1,1"]))
    err = capsys.readouterr().err
    assert code == 1
    assert "row 12 '01/31/2011'" in err and "read day first" in err and "--monthfirst" in err


def test_an_unknown_personnel_type_stops_the_build_naming_it(tmp_path, capsys):
    code, table = run(tmp_path, hdx_file(["Fiji,FJI,UNMIL,Corrections Officers,31/01/2011,0,4"]))
    err = capsys.readouterr().err
    assert code == 1 and table is None
    assert "unknown personnel type(s) in column 'Personnel_Type': 'Corrections Officers' (row 12, 1 row(s))" in err
    assert '--type "NAME=troops|police|military_observers|ignore"' in err
    code, table = run(tmp_path, hdx_file(["Fiji,FJI,UNMIL,Corrections Officers,31/01/2011,0,4"]),
                      "--type", "Corrections Officers=ignore")  # fmt: skip
    assert code == 0 and figures(table) == BY_HAND


def test_an_unknown_mission_is_reported_never_dropped_silently(tmp_path, capsys):
    text = hdx_file(["Ghana,GHA,UNXYZ ,Troops,31/01/2011,2,40", "Ghana,GHA,unmil,Troops,31/01/2011,0,1"])
    code, table = run(tmp_path, text)
    err = capsys.readouterr().err
    assert code == 1 and table is None
    assert "2 mission acronym(s) in column 'Mission_Acronym' are not in missions.csv" in err
    assert "UNXYZ: 1 row(s) from row 12" in err
    assert 'unmil: 1 row(s) from row 13 (ours is spelt UNMIL: --mission "UNMIL=unmil")' in err
    code, table = run(tmp_path, text, "--mission", "UNMIL=unmil", "--drop-unmatched")
    out = capsys.readouterr().out
    assert code == 0
    assert "left out, not in missions.csv (--drop-unmatched): UNXYZ (1 row(s))" in out
    assert figures(table)["UNMIL", "2011-01-31"] == (1913, 135, 8, 2056)
    code, table = run(tmp_path, text, "--mission", "UNMIL=unmil", "--mission", "UNOCI=UNXYZ")
    assert code == 0 and figures(table)["UNOCI", "2011-01-31"] == (42, 0, 0, 42)


def test_a_mission_mapped_to_an_acronym_we_do_not_have_is_refused(tmp_path, capsys):
    code, _ = run(tmp_path, hdx_file(), "--mission", "UNNOPE=UNMIL")
    assert code == 1 and "--mission UNNOPE: not in the missions file" in capsys.readouterr().err
