"""Analysts' own files through Atlas.from_files: bad input gets a clear error, good files merge or replace."""

from __future__ import annotations

import pytest

from imcgeo import data
from imcgeo.atlas import Atlas
from imcgeo.errors import DataValidationError
from imcgeo.uploads import safe_name, template

HEADER = ",".join(data.TRANSFER_COLUMNS)
ROW = "mine-2020,UNMISS,MINUSCA,2020-03-15,,troops,40,security-crisis,A test row.,My notes of 2020-03-20,partial"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.shipped()


def upload(atlas, text: str | bytes, kind: str = "transfers", mode: str = "merge") -> Atlas:
    payload = text.encode("utf-8") if isinstance(text, str) else text
    return Atlas.from_files(**{kind: (f"my-{kind}.csv", payload)}, mode=mode, base=atlas)


def test_merge_adds_and_replace_swaps(atlas):
    before = len(atlas.transfers)
    merged = upload(atlas, f"{HEADER}\n{ROW}\n")
    assert len(merged.transfers) == before + 1
    assert list(map(str, merged.origin)) == ["1 transfer from my-transfers.csv added"]
    replaced = upload(atlas, f"{HEADER}\n{ROW}\n", mode="replace")
    assert replaced.transfers["event_id"].tolist() == ["mine-2020"]
    assert len(atlas.transfers) == before and not atlas.origin, "the shipped data is never changed"


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_what_is_not_uploaded_is_kept(atlas, mode):
    mine = upload(atlas, f"{HEADER}\n{ROW}\n", mode=mode)
    assert mine.sites is not None and len(mine.sites) == len(atlas.sites)  # the curated sites stay
    assert len(mine.missions) == len(atlas.missions) and mine.scenes == atlas.scenes
    assert mine.outlines is atlas.outlines and mine.data_version != atlas.data_version


def test_an_uploaded_mission_can_be_new_or_replace_a_shipped_one(atlas):
    missions = (
        ",".join(data.MISSION_COLUMNS) + "\n"
        "MYMISSION,My test mission,other,2019-01-01,,LBR,Monrovia,6.3005,-10.7969,Africa,My notes 2019\n"
        "UNMIL,UN Mission in Liberia,peacekeeping,2003-09-19,2018-03-30,LBR,Monrovia,6.3,-10.8,Africa,S/RES/1509\n"
    )
    combined = upload(atlas, missions, kind="missions")
    assert "MYMISSION" in set(combined.missions["acronym"])
    assert combined.missions.set_index("acronym").loc["UNMIL", "hq_lat"] == 6.3
    assert list(map(str, combined.origin)) == [
        "2 missions from my-missions.csv added",
        "1 of them replaces a shipped row",
    ]


def test_replacing_missions_leaves_out_what_refers_to_missions_it_drops(atlas):
    missions = (
        ",".join(data.MISSION_COLUMNS) + "\nUNMIL,Mine,peacekeeping,2003-09-19,,LBR,Monrovia,6.3,-10.8,Africa,x 1\n"
    )
    mine = upload(atlas, missions, kind="missions", mode="replace")
    assert mine.missions["acronym"].tolist() == ["UNMIL"]
    assert mine.transfers.empty and set(mine.sites["mission"]) <= {"UNMIL"}
    assert "shipped transfers left out" in str(mine.origin[-1])
    assert all(scene.mission in (None, "UNMIL") for scene in mine.scenes)


def test_templates_are_valid_files(atlas):
    for kind in ("missions", "transfers", "sites"):
        assert upload(atlas, template(kind, atlas), kind=kind, mode="replace" if kind == "transfers" else "merge")


@pytest.mark.parametrize(
    "payload",
    [
        f"\ufeff{HEADER}\n{ROW}\n".encode(),  # UTF-8 with BOM
        f"{HEADER}\n{ROW.replace('A test row.', 'Côte dIvoire row.')}\n".encode("latin-1"),
        f"{HEADER}\n{ROW}\n".replace(",", ";").encode(),
        f"{HEADER}\n{ROW}\n".replace(",", "\t").encode(),
        f"{HEADER}\n{ROW.replace('A test row.', chr(34) + 'Two lines,' + chr(10) + 'one row.' + chr(34))}\n".encode(),
        f"{HEADER}\n{ROW.replace('2020-03-15', '15 March 2020')}\n".encode(),
        f"{HEADER}\n{ROW.replace('2020-03-15', 'March 2020')}\n".encode(),
        f"{HEADER}\n{ROW.replace('2020-03-15', '15/03/2020')}\n".encode(),
    ],
    ids=["bom", "latin-1", "semicolon", "tab", "quoted-newline", "day-month-year", "month-year", "slashes"],
)
def test_common_file_variants_are_read(atlas, payload):
    row = upload(atlas, payload).transfers.iloc[-1]
    assert row["event_id"] == "mine-2020" and row["start"].year == 2020 and row["start"].month == 3


BAD = {
    "empty file": (b"", "is empty"),
    "not csv (png)": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a text CSV file"),
    "not csv (prose)": (b"Dear colleagues, please find the list attached.\n", "not the expected header"),
    "too large": (b"x" * (5 * 1024 * 1024 + 10), "over the 5 MB limit"),
    "header only": (f"{HEADER}\n".encode(), "no data rows"),
    "ambiguous date": (f"{HEADER}\n{ROW.replace('2020-03-15', '03/04/2020')}\n".encode(), "is ambiguous"),
    "unknown mission": (f"{HEADER}\n{ROW.replace('UNMISS', 'UNKNOWN')}\n".encode(), "is not in the missions file"),
    "duplicate rows": (f"{HEADER}\n{ROW}\n{ROW}\n".encode(), "repeats row 2"),
    "nan quantity": (f"{HEADER}\n{ROW.replace(',40,', ',nan,')}\n".encode(), "is not a whole number"),
    "script in a vocabulary cell": (
        f"{HEADER}\n{ROW.replace('troops', '<script>x</script>')}\n".encode(),
        "is not one of",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_transfer_files_raise_data_validation_errors(atlas, case):
    payload, expected = BAD[case]
    with pytest.raises(DataValidationError) as info:
        upload(atlas, payload)
    assert info.value.file == "my-transfers.csv"
    assert any(expected in str(p) for p in info.value.problems), info.value


@pytest.mark.parametrize(
    "kind,text,expected",
    [
        ("missions", "MINE,x,other,2019-01-01,,LBR,Monrovia,nan,-10.8,Africa,s 1", "nan is outside"),
        ("missions", "MINE,x,other,2019-01-01,,LBR,Monrovia,inf,-10.8,Africa,s 1", "inf is outside"),
        ("missions", "MINE,x,other,2019-01-01,,LBR,Monrovia,-10.8,6.3,Africa,s 1", "swapped"),
        ("missions", "UNX,x,other,2019-01-01,,LBR,Monrovia,6.3,-10.8,Africa,s 1\n" * 2, "already appears"),
        ("sites", "UNMIL,Base,95,1", "95 is outside"),
        ("sites", "NOBODY,Base,6,-10", "is not in the missions file"),
    ],
)
def test_bad_missions_and_sites(atlas, kind, text, expected):
    header = ",".join(data.MISSION_COLUMNS) if kind == "missions" else "mission,site,lat,lon"
    with pytest.raises(DataValidationError) as info:
        upload(atlas, f"{header}\n{text}\n", kind=kind)
    assert any(expected in str(p) for p in info.value.problems), info.value


def test_a_transfer_already_shipped_is_not_added_twice(atlas):
    with pytest.raises(DataValidationError, match="repeats a shipped transfer"):
        upload(atlas, template("transfers", atlas))


def test_file_names_are_shown_as_plain_text():
    assert safe_name("<img src=x onerror=alert(1)>.csv") == "_img src_x onerror_alert_1__.csv"
    assert len(safe_name("a" * 500)) == 80
