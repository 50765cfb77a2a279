"""Tables people read and download: words not codes, empty cells, whole counts, one column order, Excel-ready CSV."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from imcgeo import tables
from imcgeo.atlas import Atlas
from imcgeo.uploads import template


@pytest.fixture(scope="module")
def atlas():
    return Atlas.shipped()


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_transfers_csv_opens_in_excel_with_words_intact_and_no_none(atlas):
    data = tables.csv_bytes(atlas.transfers)
    header, *body = rows(data)
    assert header[:7] == tables.TRANSFER_TABLE[:7] and len(body) == len(atlas.transfers)
    cells = [cell for row in body for cell in row]
    assert not {"None", "nan", "NaN", "NaT", "<NA>"} & set(cells)
    quantity = [row[header.index("quantity")] for row in body]
    assert all(q == "" or q.isdigit() for q in quantity), "counts are whole: 500, never 500.0"
    accented = {text for text in atlas.transfers["description"] if not text.isascii()}
    assert accented and accented <= set(cells), "accents (Côte d'Ivoire, Sévaré) survive the round trip"


def test_missions_csv_rounds_coordinates_and_keeps_one_order(atlas):
    header, *body = rows(tables.csv_bytes(atlas.missions))
    assert header[:3] == ["acronym", "name", "kind"] and "geometry" not in header
    lat = [row[header.index("hq_lat")] for row in body if row[header.index("hq_lat")]]
    assert all(len(value.split(".")[-1]) <= 3 for value in lat)
    shuffled = atlas.missions[list(reversed(atlas.missions.columns))]
    assert tables.csv_bytes(shuffled) == tables.csv_bytes(atlas.missions), "one column order, whatever comes in"


def test_every_table_kind_is_recognised_and_ordered(atlas):
    helpers = atlas.helpers("MINUSCA", "2020-12-01", k=3)
    ranks = atlas.case_ranks
    assert [tables.table_kind(t) for t in (atlas.transfers, helpers, ranks, atlas.missions)] == [
        "transfers",
        "helpers",
        "case_ranks",
        "missions",
    ]
    header = rows(tables.csv_bytes(helpers))[0]
    assert header[:7] == ["rank", "acronym", "name", "kind", "region", "travel_h", "travel_by"]
    body = rows(tables.csv_bytes(helpers))[1:]
    assert all(row[header.index("hq_km")].isdigit() for row in body)  # kilometres whole
    assert all(len(row[header.index("travel_h")].split(".")[-1]) <= 1 for row in body)


def test_display_reads_as_words_with_empty_cells(atlas):
    shown = tables.display(atlas.transfers)
    assert "Security crisis" in set(shown["surge"]) and "security-crisis" not in set(shown["surge"])
    assert "Military observers" in set(shown["asset"])
    assert not shown.select_dtypes(include="object").isin(["None", "nan"]).any().any()
    text = shown.select_dtypes(include="object").drop(columns=["start", "end"])  # dates stay dates, to sort
    assert not text.isna().any().any(), "a missing text cell is empty, never None"
    assert str(shown["quantity"].dtype) == "Int64"


def test_uploaded_rows_read_as_yours():
    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "source_mission": ["X", "Y"],
            "target_mission": ["T", "T"],
            "origin": ["yours", "shipped"],
        }
    )
    assert tables.display(frame)["origin"].tolist() == ["Your data (uploaded)", "Shipped (documented)"]
    assert rows(tables.csv_bytes(frame))[0][-1] == "origin"


def test_templates_still_load_back(atlas):
    for kind in ("missions", "transfers"):
        data = template(kind, atlas)
        assert data.startswith(b"\xef\xbb\xbf")
    mine = Atlas.from_files(transfers=("t.csv", template("transfers", atlas)), mode="replace", base=atlas)
    assert len(mine.transfers) == 2
