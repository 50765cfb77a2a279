"""A small world written as a data folder (like data/), for page and atlas tests that assert behaviour.

Four square countries: Aland and Bland share a border on the equator, Cland lies across the sea
to the south-east, Dland in the Americas. Four missions, one of them political, and four transfers
in four cases between 2006 and 2010; two scenes; two deployment sites of UNBBB.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from shapely.geometry import box, mapping

from imcgeo import data

COUNTRIES = {
    "AAA": ("Aland", box(0, 0, 10, 10)),
    "BBB": ("Bland", box(10, 0, 20, 10)),
    "CCC": ("Cland", box(40, -30, 50, -20)),
    "DDD": ("Dland", box(-80, 10, -70, 20)),
}
MISSIONS = [
    {"acronym": "UNAAA", "name": "UN Mission in Aland", "kind": "peacekeeping", "start": "2000-01-01",
     "end": "2010-12-31", "host_iso3": "AAA", "hq_city": "Acity", "hq_lat": "5.0", "hq_lon": "5.0",
     "region": "Africa", "source": "S/RES/1 (2000)"},
    {"acronym": "UNBBB", "name": "UN Mission in Bland", "kind": "peacekeeping", "start": "2005-06-01", "end": "",
     "host_iso3": "BBB", "hq_city": "Bcity", "hq_lat": "5.0", "hq_lon": "15.0", "region": "Africa",
     "source": "S/RES/2 (2005)"},
    {"acronym": "UNCCC", "name": "UN Office in Cland", "kind": "political", "start": "1990-01-01", "end": "",
     "host_iso3": "CCC", "hq_city": "Ccity", "hq_lat": "-25.0", "hq_lon": "45.0", "region": "Africa",
     "source": "S/RES/3 (1990)"},
    {"acronym": "UNDDD", "name": "UN Mission in Dland", "kind": "peacekeeping", "start": "2008-01-01",
     "end": "2012-12-31", "host_iso3": "DDD", "hq_city": "Dcity", "hq_lat": "15.0", "hq_lon": "-75.0",
     "region": "Americas", "source": "S/RES/4 (2008)"},
]  # fmt: skip
TRANSFERS = [
    {"event_id": "2006-bbb-startup", "source_mission": "UNAAA", "target_mission": "UNBBB", "start": "2006-01-01",
     "end": "2006-06-30", "asset": "troops", "quantity": "120", "surge": "start-up",
     "description": "Troops lent for the start-up.", "sources": "S/RES/2 (2005)", "confidence": "documented",
     "case_type": "loan", "date_precision": "day", "quantity_approx": "false"},
    {"event_id": "2007-bbb-election", "source_mission": "UNCCC", "target_mission": "UNBBB", "start": "2007-03-01",
     "end": "", "asset": "helicopters", "quantity": "", "surge": "election", "description": "Helicopters lent.",
     "sources": "S/2007/1", "confidence": "partial", "case_type": "loan", "date_precision": "month",
     "quantity_approx": "false"},
    {"event_id": "2009-ddd-quake", "source_mission": "UNBBB", "target_mission": "UNDDD", "start": "2009-02-01",
     "end": "2009-12-31", "asset": "police", "quantity": "50", "surge": "natural-disaster",
     "description": "Police sent after the earthquake.", "sources": "S/2009/2", "confidence": "documented",
     "case_type": "loan", "date_precision": "day", "quantity_approx": "false"},
    {"event_id": "2010-aaa-crisis", "source_mission": "UNBBB", "target_mission": "UNAAA", "start": "2010-05-01",
     "end": "2010-08-01", "asset": "troops", "quantity": "300", "surge": "security-crisis",
     "description": "Troops sent in the crisis.", "sources": "S/2010/3", "confidence": "documented",
     "case_type": "loan", "date_precision": "day", "quantity_approx": "false"},
]  # fmt: skip
SITES = [
    {"mission": "UNBBB", "site": "Bnorth", "lat": "9.0", "lon": "11.0", "start": "", "end": "", "source": "S/2006/1"},
    {"mission": "UNBBB", "site": "Bsouth", "lat": "1.0", "lon": "19.0", "start": "", "end": "", "source": "S/2006/1"},
]
SCENES = """
[[scene]]
id = "ddd-2009"
title = "Dland 2009: police from Bland"
caption = "After the earthquake UNBBB sent police to UNDDD."
year = 2009
from = 2008
to = 2010
mode = "active"
mission = "UNDDD"
camera = { lat = 12.0, lon = -30.0, zoom = 2.0 }
sources = ["S/2009/2"]

[[scene]]
id = "bbb-2006"
title = "Bland 2006: a start-up"
caption = "UNAAA lent troops to start UNBBB."
year = 2006
mode = "active"
sources = ["S/RES/2 (2005)"]
"""


def rows_csv(rows: list[dict], columns: list[str]) -> bytes:
    """CSV bytes with *columns*, each row's missing columns empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode("utf-8")


def transfer_columns() -> list[str]:
    return list(getattr(data, "SHIPPED_TRANSFER_COLUMNS", data.TRANSFER_COLUMNS))


def write_world(folder: Path, *, countries: bool = True, sites: bool = True) -> Path:
    """Write the small world into *folder* (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    if countries:
        features = [{"type": "Feature", "properties": {"iso3": iso3, "name": name}, "geometry": mapping(shape)}
                    for iso3, (name, shape) in COUNTRIES.items()]  # fmt: skip
        (folder / "countries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    (folder / "missions.csv").write_bytes(rows_csv(MISSIONS, data.MISSION_COLUMNS))
    (folder / "transfers.csv").write_bytes(rows_csv(TRANSFERS, transfer_columns()))
    if sites:
        (folder / "sites.csv").write_bytes(rows_csv(SITES, ["mission", "site", "lat", "lon", "start", "end", "source"]))
    (folder / "scenes.toml").write_text(SCENES, encoding="utf-8")
    return folder


def map_data(at) -> dict:
    """What the browser map holds after a page run (AppTest *at*): the page's assets and view, and the
    data payload, whether the page sent it inline or only its address (the published file, read
    here from the app's static folder as the browser would fetch it)."""
    sent = json.loads(at.get("bidi_component")[0].proto.json)
    if sent.get("data_url"):
        published = Path(__file__).resolve().parents[1] / sent["data_url"].removeprefix("app/")
        sent = {**sent, "data": json.loads(published.read_text(encoding="utf-8"))}
    return sent


def open_app(timeout: float = 90, **query):
    """The dashboard in AppTest, opened on a link with *query*, after its first run (which must not fail)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
