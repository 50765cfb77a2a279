"""Validation of missions and transfers: one failing fixture per rule, and the shipped files pass."""

from __future__ import annotations

import pytest
from builders import (
    GOOD_MISSIONS,
    GOOD_TRANSFERS,
    MISSION_HEADER,
    OLD_TRANSFER_HEADER,
    OLD_TRANSFERS,
    TRANSFER_HEADER,
    csv_bytes,
)

from imcgeo import data
from imcgeo.errors import DataValidationError


def missions(rows=GOOD_MISSIONS, header=MISSION_HEADER, *, countries):
    return data.load_missions(csv_bytes(header, rows), countries=countries, name="missions.csv")


def transfers(rows=GOOD_TRANSFERS, header=TRANSFER_HEADER, *, countries):
    known = missions(countries=countries)
    return data.load_transfers(csv_bytes(header, rows), missions=known, name="transfers.csv")


def problems_of(call) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        call()
    assert isinstance(info.value, ValueError)
    return [str(p) for p in info.value.problems]


def replace(rows: list[str], index: int, column: int, value: str) -> list[str]:
    cells = rows[index].split(",")
    cells[column] = value
    return [*rows[:index], ",".join(cells), *rows[index + 1 :]]


# --- the good fixtures load, with the promised types ---


def test_good_missions_load_as_points_with_dates(toy_countries):
    frame = missions(countries=toy_countries)
    assert list(frame.columns[:11]) == data.MISSION_COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[1].x == 15.0 and frame.geometry.iloc[1].y == 5.0
    assert str(frame["start"].dtype).startswith("datetime64")
    assert frame["end"].isna().tolist() == [False, True, True]


def test_good_transfers_load_with_nullable_quantity(toy_countries):
    frame = transfers(countries=toy_countries)
    assert frame["quantity"].tolist()[0] == 120
    assert frame["quantity"].isna().tolist() == [False, True]
    assert frame["end"].isna().tolist() == [False, True]


# --- one failing fixture per rule (missions) ---

MISSION_CASES = {
    "missing column": (lambda r: r, MISSION_HEADER.replace(",region", ""), "column 'region': is missing"),
    "extra column": (lambda r: [x + ",1" for x in r], MISSION_HEADER + ",budget", "column 'budget': is not a known"),
    "renamed column": (lambda r: r, MISSION_HEADER.replace("hq_lat", "hq_latitude"), "rename 'hq_latitude'"),
    "duplicate acronym": (lambda r: [*r, r[0]], MISSION_HEADER, "'UNAAA' already appears in row 2"),
    "unparseable date": (lambda r: replace(r, 0, 3, "2000-13-01"), MISSION_HEADER, "'2000-13-01' is not a date"),
    "free-text date": (lambda r: replace(r, 0, 3, "March 2000"), MISSION_HEADER, "'March 2000' is not a date"),
    "end before start": (lambda r: replace(r, 0, 4, "1999-01-01"), MISSION_HEADER, "is before the start"),
    "latitude out of range": (lambda r: replace(r, 0, 7, "95"), MISSION_HEADER, "95 is outside -90 to 90"),
    "longitude not a number": (lambda r: replace(r, 0, 8, "east"), MISSION_HEADER, "'east' is not a number"),
    "coordinate NaN": (lambda r: replace(r, 0, 8, "nan"), MISSION_HEADER, "nan is outside"),
    "HQ outside host": (lambda r: replace(r, 0, 8, "45"), MISSION_HEADER, "km outside its host countries AAA"),
    "unknown ISO3": (lambda r: replace(r, 0, 5, "ZZZ"), MISSION_HEADER, "'ZZZ' is not a known ISO 3166-1"),
    "empty host": (lambda r: replace(r, 0, 5, ""), MISSION_HEADER, "column 'host_iso3': is empty"),
    "kind outside vocabulary": (
        lambda r: replace(r, 0, 2, "Peacekeeping"),
        MISSION_HEADER,
        "did you mean 'peacekeeping'",
    ),
    "region outside vocabulary": (lambda r: replace(r, 0, 9, "Oceania"), MISSION_HEADER, "'Oceania' is not one of"),
    "no source": (lambda r: replace(r, 0, 10, ""), MISSION_HEADER, "column 'source': is empty"),
    "empty acronym": (lambda r: replace(r, 0, 0, ""), MISSION_HEADER, "column 'acronym': is empty"),
    "ragged row": (lambda r: [*r, "UNDDD,Too,few"], MISSION_HEADER, "has 3 fields but the header has 11"),
}


@pytest.mark.parametrize("case", MISSION_CASES, ids=list(MISSION_CASES))
def test_each_mission_rule_has_a_failing_fixture(case, toy_countries):
    edit, header, expected = MISSION_CASES[case]
    found = problems_of(lambda: missions(edit(list(GOOD_MISSIONS)), header, countries=toy_countries))
    assert any(expected in p for p in found), found
    assert all("Fix:" in p for p in found)


def test_swapped_coordinates_are_named_as_such(toy_countries):
    rows = replace(replace(GOOD_MISSIONS, 2, 7, "45.0"), 2, 8, "-25.0")
    found = problems_of(lambda: missions(rows, countries=toy_countries))
    assert any("row 4" in p and "swapped" in p for p in found), found


def test_every_problem_is_reported_at_once(toy_countries):
    rows = replace(replace(GOOD_MISSIONS, 0, 3, "never"), 1, 9, "Mars")
    found = problems_of(lambda: missions(rows, countries=toy_countries))
    assert len(found) == 2
    assert found[0].startswith("row 2, column 'start'") and found[1].startswith("row 3, column 'region'")


def test_documented_placeholder_may_have_no_place(toy_countries):
    rows = [*GOOD_MISSIONS, 'Missions in Africa (unnamed),Several missions,other,1990-01-01,,,,,,Africa,"S/2010/200"']
    frame = missions(rows, countries=toy_countries)
    assert frame["hq_lat"].isna().iloc[-1] and frame["hq_lon"].isna().iloc[-1]
    assert frame.geometry.iloc[-1] is None or frame.geometry.iloc[-1].is_empty


# --- one failing fixture per rule (transfers) ---

TRANSFER_CASES = {
    "unknown mission": (lambda r: replace(r, 0, 1, "UNXYZ"), "'UNXYZ' is not in the missions file"),
    "mission to itself": (lambda r: replace(r, 0, 1, "UNBBB"), "is also the source"),
    "unparseable date": (lambda r: replace(r, 0, 3, "2006/01/01"), "'2006/01/01' is not a date"),
    "end before start": (lambda r: replace(r, 0, 4, "2005-12-31"), "is before the start"),
    "before target started": (lambda r: replace(r, 0, 3, "2004-01-01"), "UNBBB was active 2005-06-01 to today"),
    "after source ended": (lambda r: replace(replace(r, 0, 3, "2011-01-01"), 0, 4, ""), "UNAAA was active"),
    "asset outside vocabulary": (lambda r: replace(r, 0, 5, "tanks"), "'tanks' is not one of"),
    "surge outside vocabulary": (lambda r: replace(r, 0, 7, "earthquake"), "'earthquake' is not one of"),
    "confidence outside vocabulary": (lambda r: replace(r, 0, 10, "sure"), "'sure' is not one of"),
    "negative quantity": (lambda r: replace(r, 0, 6, "-5"), "'-5' is not a whole number"),
    "non-numeric quantity": (lambda r: replace(r, 0, 6, "about 100"), "'about 100' is not a whole number"),
    "fractional quantity": (lambda r: replace(r, 0, 6, "2.5"), "'2.5' is not a whole number"),
    "no source": (lambda r: replace(r, 0, 9, ""), "column 'sources': is empty"),
    "no event id": (lambda r: replace(r, 0, 0, ""), "column 'event_id': is empty"),
    "duplicate row": (lambda r: [*r, r[0]], "repeats row 2"),
    "case type outside vocabulary": (lambda r: replace(r, 0, 11, "lending"), "'lending' is not one of"),
    "case type empty": (lambda r: replace(r, 0, 11, ""), "column 'case_type': is empty"),
    "re-hatting from a UN mission": (
        lambda r: replace(r, 0, 11, "re-hatting"),
        "is 're-hatting' but the source UNAAA is a UN peacekeeping mission",
    ),
    "date precision outside vocabulary": (lambda r: replace(r, 0, 12, "exact"), "'exact' is not one of"),
    "date precision empty": (lambda r: replace(r, 0, 12, ""), "column 'date_precision': is empty"),
    "month precision on a mid-month date": (
        lambda r: replace(replace(r, 0, 3, "2006-01-15"), 0, 12, "month"),
        "is 'month' but the start 2006-01-15 is not the first of a month",
    ),
    "year precision on a March date": (lambda r: replace(r, 1, 12, "year"), "is 'year' but the start 2007-03-01"),
    "approximate flag not true or false": (lambda r: replace(r, 0, 13, "maybe"), "'maybe' is not true or false"),
    "approximate flag without a number": (lambda r: replace(r, 1, 13, "true"), "is true but there is no quantity"),
    "source_url not a web address": (lambda r: replace(r, 0, 14, "see S/RES/2"), "'see S/RES/2' is not a web address"),
    "description points to a notes file": (
        lambda r: replace(r, 0, 8, "Troops lent; see the notes file."),
        "sends the reader to a notes file",
    ),
    "documented but dated by the authorisation": (
        lambda r: replace(r, 0, 8, "Troops lent. Start is the date of the authorisation."),
        "is 'documented' but the description says the start is only the authorisation date",
    ),
}


@pytest.mark.parametrize("case", TRANSFER_CASES, ids=list(TRANSFER_CASES))
def test_each_transfer_rule_has_a_failing_fixture(case, toy_countries):
    edit, expected = TRANSFER_CASES[case]
    found = problems_of(lambda: transfers(edit(list(GOOD_TRANSFERS)), countries=toy_countries))
    assert any(expected in p for p in found), found


def test_an_approximate_number_is_kept_and_flagged(toy_countries):
    frame = transfers(replace(GOOD_TRANSFERS, 0, 13, "true"), countries=toy_countries)
    assert frame["quantity"].tolist()[0] == 120
    assert frame["quantity_approx"].tolist() == [True, False]
    assert frame["case_type"].tolist() == ["loan", "loan"]
    assert frame["source_url"].tolist() == ["https://example.org/s-res-2", ""]


def test_an_older_upload_without_the_new_columns_loads_with_defaults(toy_countries):
    known = missions(countries=toy_countries)
    payload = csv_bytes(OLD_TRANSFER_HEADER, OLD_TRANSFERS)
    frame = data.load_transfers(payload, missions=known, name="mine.csv", lenient_dates=True)
    assert list(frame.columns) == data.SHIPPED_TRANSFER_COLUMNS
    assert frame["case_type"].tolist() == ["", ""] and frame["date_precision"].tolist() == ["", ""]
    assert frame["quantity_approx"].tolist() == [False, False]
    assert frame["quantity_approx"].dtype == bool


def test_an_upload_may_give_some_new_columns_and_they_are_still_checked(toy_countries):
    known = missions(countries=toy_countries)
    header = OLD_TRANSFER_HEADER + ",case_type"
    rows = [OLD_TRANSFERS[0] + ",hand-over", OLD_TRANSFERS[1] + ","]
    frame = data.load_transfers(csv_bytes(header, rows), missions=known, lenient_dates=True)
    assert frame["case_type"].tolist() == ["hand-over", ""]
    bad = [OLD_TRANSFERS[0] + ",lend", OLD_TRANSFERS[1] + ","]
    found = problems_of(lambda: data.load_transfers(csv_bytes(header, bad), missions=known, lenient_dates=True))
    assert any("row 2, column 'case_type'" in p and "'lend' is not one of" in p for p in found), found


def test_the_shipped_file_must_have_the_new_columns(toy_countries):
    known = missions(countries=toy_countries)
    payload = csv_bytes(OLD_TRANSFER_HEADER, OLD_TRANSFERS)
    found = problems_of(lambda: data.load_transfers(payload, missions=known, name="transfers.csv"))
    assert any("column 'case_type': is missing" in p for p in found), found


def test_period_note_explains_a_transfer_outside_the_active_period(toy_countries):
    rows = replace(GOOD_TRANSFERS, 0, 3, "2005-01-01")
    rows = replace(rows, 0, 8, "Advance team. Period note: sent before the mission was established.")
    assert len(transfers(rows, countries=toy_countries)) == 2


# --- files that are not CSV at all get the same clean error ---

NOT_CSV = {
    "empty": (b"", "is empty"),
    "only whitespace": (b" \n\n", "is empty"),
    "header only": (MISSION_HEADER.encode() + b"\n", "has a header but no data rows"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not a text CSV file"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "not a text CSV file"),
    "wrong header": (b"name;age\nBob;3\n", "is not the expected header"),
    "unclosed quote": (csv_bytes(MISSION_HEADER, ['"UNAAA,x']), "Fix:"),
    "too large": (b"a" * (5 * 1024 * 1024 + 1), "over the 5 MB limit"),
}


@pytest.mark.parametrize("case", NOT_CSV, ids=list(NOT_CSV))
def test_a_file_that_is_not_csv_gets_a_clean_error(case, toy_countries):
    payload, expected = NOT_CSV[case]
    found = problems_of(lambda: data.load_missions(payload, countries=toy_countries, name="upload.csv"))
    assert any(expected in p for p in found), found


def test_the_error_names_the_file(toy_countries):
    with pytest.raises(DataValidationError) as info:
        data.load_missions(b"", countries=toy_countries, name="my-missions.csv")
    assert str(info.value).startswith("my-missions.csv: 1 problem")


def test_missing_file_is_a_clean_error(tmp_path, toy_countries):
    found = problems_of(lambda: data.load_missions(tmp_path / "nope.csv", countries=toy_countries))
    assert found == ["does not exist. Fix: check the path, or restore the file from the repository"]


@pytest.mark.parametrize(
    "encoding,delimiter",
    [("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t"), ("latin-1", ";")],
)
def test_bom_other_encodings_and_delimiters_are_read(encoding, delimiter, toy_countries):
    rows = [r.replace("Aland", "Åland Côte") for r in GOOD_MISSIONS]
    text = "\n".join([MISSION_HEADER, *rows]).replace(",", delimiter)
    frame = data.load_missions(text.encode(encoding), countries=toy_countries)
    assert frame["name"].iloc[0] == "UN Mission in Åland Côte"


def test_quoted_fields_with_delimiters_and_newlines(toy_countries):
    rows = [*GOOD_TRANSFERS[:1], GOOD_TRANSFERS[1].replace("Helicopters lent.", '"Two lines,\nwith a comma."')]
    frame = transfers(rows, countries=toy_countries)
    assert frame["description"].iloc[1] == "Two lines,\nwith a comma."


# --- the shipped files ---


@pytest.fixture(scope="module")
def shipped():
    countries = data.load_countries()
    missions_ = data.load_missions(countries=countries)
    return countries, missions_, data.load_transfers(missions=missions_)


def test_shipped_files_pass_validation(shipped):
    _, missions_, transfers_ = shipped
    assert len(missions_) >= 75
    assert len(transfers_) >= 30


def test_outlines_cover_every_host_country(shipped):
    countries, missions_, _ = shipped
    hosts = {code for cell in missions_["host_iso3"] for code in data.host_codes(cell)}
    assert hosts <= set(countries["iso3"])
    for code in ("XKX", "SSD", "ESH"):
        assert code in set(countries["iso3"])
    assert countries["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_shipped_missions_include_every_peacekeeping_operation_and_the_hubs(shipped):
    _, missions_, _ = shipped
    pko = missions_[missions_["kind"] == "peacekeeping"]
    assert len(pko) >= 71
    for acronym in ("UNTSO", "UNEF I", "ONUC", "UNAVEM II", "UNMIBH", "UNMIK", "MINUSTAH", "UNSMIS", "UNMISS"):
        assert acronym in set(missions_["acronym"])
    assert (missions_["kind"] == "service-centre").sum() >= 3


def test_shipped_transfers_include_the_founding_cases(shipped):
    _, missions_, transfers_ = shipped
    pairs = set(zip(transfers_["source_mission"], transfers_["target_mission"], transfers_["start"].dt.year))
    assert ("UNMIBH", "UNMIK", 1999) in pairs
    haiti = transfers_[(transfers_["target_mission"] == "MINUSTAH") & (transfers_["start"].dt.year == 2010)]
    assert {"logistics", "civilian-staff"} <= set(haiti["asset"])
    regions = dict(zip(missions_["acronym"], missions_["region"]))
    assert any(regions.get(s) == "Africa" for s in haiti["source_mission"])
    kinds = dict(zip(missions_["acronym"], missions_["kind"]))
    syria = transfers_[transfers_["target_mission"] == "UNSMIS"]
    field = {s for s in syria["source_mission"] if kinds[s] != "service-centre"}
    assert {"UNTSO", "UNDOF", "UNIFIL"} <= field
    assert {regions[s] for s in field} == {"Middle East"}
    assert transfers_["start"].dt.year.min() < 1970


def test_every_shipped_transfer_cites_a_dated_or_numbered_source(shipped):
    _, _, transfers_ = shipped
    for event, cell in zip(transfers_["event_id"], transfers_["sources"]):
        citations = [c.strip() for c in cell.split(";")]
        assert any(any(ch.isdigit() for ch in c) for c in citations), f"{event}: no document symbol or date in {cell!r}"


def test_every_shipped_transfer_has_a_case_type_and_a_date_precision(shipped):
    _, missions_, transfers_ = shipped
    assert set(transfers_["case_type"]) == {"loan", "hand-over", "re-hatting", "support"}
    assert set(transfers_["date_precision"]) <= {"day", "month", "year"}
    kinds = dict(zip(missions_["acronym"], missions_["kind"]))
    rehatted = transfers_[transfers_["case_type"] == "re-hatting"]
    assert {kinds[s] for s in rehatted["source_mission"]} == {"other"}
    # The rule the outside check asked for: approximations are flagged, never silent.
    approx = transfers_[transfers_["quantity_approx"]]
    assert approx["quantity"].notna().all()
    assert {"ECOMIL", "AMIS"} <= set(approx["source_mission"])


def test_the_record_reaches_past_2017_and_keeps_its_counterexamples(shipped):
    _, _, transfers_ = shipped
    years = transfers_["start"].dt.year
    assert years.max() >= 2020
    assert {("UNMISS", "MINUSCA"), ("MINUSTAH", "UNMISS")} <= set(
        zip(transfers_["source_mission"], transfers_["target_mission"])
    )


def test_first_hq_rule_holds_for_the_missions_the_check_named(shipped):
    _, missions_, _ = shipped
    hq = dict(zip(missions_["acronym"], missions_["hq_city"]))
    assert (hq["UNPROFOR"], hq["UNEF II"], hq["UNMOP"], hq["UNSOS"]) == ("Sarajevo", "Cairo", "Dubrovnik", "Nairobi")
    source = dict(zip(missions_["acronym"], missions_["source"]))
    assert all("HQ history" in source[m] for m in ("UNPROFOR", "UNEF II", "UNMOP", "UNSOS"))


# --- licences and credits ---


def test_every_shipped_data_file_has_a_licence_and_the_readme_shows_the_credits():
    from imcgeo import credits

    # Every file that ships in data/ (strength.csv is built by the user, never shipped).
    shipped = {p.name for p in data.DATA_DIR.iterdir() if p.is_file()} - {"README.md", "strength.csv"}
    headings = [line for line in (data.DATA_DIR / "README.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]  # fmt: skip
    assert {name for name in shipped if not any(name in h for h in headings)} == set(), "undocumented data files"
    named = " ".join(credits.licences()["file"])
    assert {name for name in shipped if name not in named} == set()
    assert credits.licences()["licence"].str.len().min() > 5
    readme = (data.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert credits.CREDITS in readme
    assert all(f"`{name}`" in readme for name in shipped)
    assert "MIT License" in (data.DATA_DIR.parent / "LICENSE").read_text(encoding="utf-8")
