"""CSV exports are UTF-8 with a header and cannot run as spreadsheet formulas."""

from __future__ import annotations

import io

import pandas as pd

from imcgeo.export import csv_bytes


def test_csv_round_trip_with_neutralised_formulas():
    frame = pd.DataFrame(
        {
            "name": ["=1+1", "+SUM(A1)", "-2", "@cmd", "Côte d'Ivoire", "plain"],
            "n": [1, 2, 3, 4, 5, 6],
            "when": pd.to_datetime(["2010-01-12"] * 6),
        }
    )
    data = csv_bytes(frame)
    text = data.decode("utf-8")
    assert text.splitlines()[0] == "name,n,when"
    back = pd.read_csv(io.BytesIO(data))
    assert back["name"].tolist() == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "Côte d'Ivoire", "plain"]
    assert back["n"].tolist() == [1, 2, 3, 4, 5, 6]
    assert back["when"].tolist() == ["2010-01-12"] * 6
