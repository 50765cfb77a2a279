"""Load and validate the shipped (or a user's) missions, transfers and country outlines."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import Geod

from imcgeo._validate import Problems, check_vocabulary, end_before_start, parse_date, parse_float, read_rows
from imcgeo.errors import DataValidationError, Problem
from imcgeo.geodesy import distance_to_shape_km
from imcgeo.i18n import N_
from imcgeo.vocab import ASSETS, CASE_TYPES, CONFIDENCE, DATE_PRECISIONS, KINDS, REGIONS, SURGES

__all__ = [
    "ASSETS",
    "CASE_TYPES",
    "CONFIDENCE",
    "DATA_DIR",
    "HQ_OUTSIDE_HOST",
    "KINDS",
    "MISSION_COLUMNS",
    "MISSION_FRENCH_COLUMNS",
    "PERIOD_NOTE",
    "REGIONS",
    "SHIPPED_MISSION_COLUMNS",
    "SHIPPED_TRANSFER_COLUMNS",
    "SURGES",
    "TRANSFER_COLUMNS",
    "TRANSFER_DEFAULTS",
    "TRANSFER_OPTIONAL_COLUMNS",
    "host_codes",
    "load_countries",
    "load_missions",
    "load_transfers",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MISSIONS_CSV = DATA_DIR / "missions.csv"
TRANSFERS_CSV = DATA_DIR / "transfers.csv"
COUNTRIES_GEOJSON = DATA_DIR / "countries.geojson"

MISSION_COLUMNS = [
    "acronym",
    "name",
    "kind",
    "start",
    "end",
    "host_iso3",
    "hq_city",
    "hq_lat",
    "hq_lon",
    "region",
    "source",
]
#: The mission's official French acronym and name, and where to check them. The shipped file has
#: them; an analyst's file may leave them out (the page then shows the English ones in French).
MISSION_FRENCH_COLUMNS = ["acronym_fr", "name_fr", "source_fr"]
#: Every column of the shipped missions.csv, in order.
SHIPPED_MISSION_COLUMNS = [*MISSION_COLUMNS, *MISSION_FRENCH_COLUMNS]
TRANSFER_COLUMNS = [
    "event_id", "source_mission", "target_mission", "start", "end", "asset", "quantity", "surge",
    "description", "sources", "confidence",
]  # fmt: skip
#: Columns the shipped file must have and an analyst's file may leave out (filled with the defaults
#: in TRANSFER_DEFAULTS), so that files made before they existed still load.
TRANSFER_OPTIONAL_COLUMNS = ["case_type", "date_precision", "quantity_approx", "source_url"]
#: Every column of the shipped transfers.csv, in order.
SHIPPED_TRANSFER_COLUMNS = [*TRANSFER_COLUMNS, *TRANSFER_OPTIONAL_COLUMNS]
#: What an analyst's file that leaves an optional column out (or a cell empty) gets.
TRANSFER_DEFAULTS = {"case_type": "", "date_precision": "", "quantity_approx": "false", "source_url": ""}


#: Columns of the page's own tables that an uploaded file may carry back: read and ignored.
UPLOAD_EXTRA = ("origin",)

#: A transfer dated outside a mission's active period is accepted when its description says why
#: in a sentence that starts with this marker.
PERIOD_NOTE = "Period note:"

#: Words that mark a start date that is only the date of the Security Council's authorisation:
#: such a row cannot be ``documented`` (nobody confirmed the move started that day).
AUTHORISATION_DATE = re.compile(r"date of (the )?(its )?authori[sz]ation|authori[sz]ation date", re.IGNORECASE)
#: Descriptions must stand on their own: there is no notes file to send a reader to.
NOTES_FILE = re.compile(r"notes? file", re.IGNORECASE)

#: How far (geodesic km) a headquarters may lie outside its host countries' outlines.
HQ_TOLERANCE_KM = 50.0

#: Headquarters that lie outside their host countries as Natural Earth draws them, and why.
#: Documented in data/README.md; every other HQ must lie within HQ_TOLERANCE_KM of a host.
HQ_OUTSIDE_HOST: dict[str, str] = {}

_GEOD = Geod(ellps="WGS84")


def host_codes(host_iso3: str) -> list[str]:
    """The ISO3 codes of a ``host_iso3`` cell.

    >>> host_codes("LBR;CIV")
    ['LBR', 'CIV']
    """
    return [code.strip() for code in host_iso3.split(";") if code.strip()]


def load_countries(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Country outlines (EPSG:4326) with ``iso3`` and ``name`` columns."""
    return _countries(str(path or COUNTRIES_GEOJSON)).copy()


@lru_cache(maxsize=4)
def _countries(path: str) -> gpd.GeoDataFrame:
    name = Path(path).name
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for missing or corrupt files
        problem = Problem.of(
            None,
            None,
            N_("cannot be read as GeoJSON ({error})"),
            N_("restore it from the repository or rebuild it with scripts/build_countries.py"),
            error=type(exc).__name__,
        )
        raise DataValidationError(name, [problem]) from None
    if "iso3" not in frame.columns or frame.empty:
        problem = Problem.of(
            None,
            None,
            N_("has no 'iso3' property on its features"),
            N_("rebuild it with scripts/build_countries.py"),
        )
        raise DataValidationError(name, [problem])
    # A file without a CRS is lon/lat by the GeoJSON standard; any other CRS is reprojected, not relabelled.
    return frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")


def load_missions(
    path: str | Path | bytes | None = None,
    *,
    countries: gpd.GeoDataFrame | None = None,
    name: str | None = None,
    lenient_dates: bool = False,
) -> gpd.GeoDataFrame:
    """Missions as a GeoDataFrame in EPSG:4326 with HQ points as geometry.

    ``start``/``end`` are datetimes (``end`` NaT while active); ``hq_lat``/``hq_lon`` floats.
    Raises DataValidationError listing every problem in the file.
    """
    source = MISSIONS_CSV if path is None else path
    label = name or (Path(source).name if not isinstance(source, bytes) else "missions.csv")
    countries = load_countries() if countries is None else countries
    # An analyst's file may carry the ``origin`` column of a table this page gave them: it is read and dropped.
    optional = (*MISSION_FRENCH_COLUMNS, *(UPLOAD_EXTRA if lenient_dates else ()))
    frame = read_rows(source, label, MISSION_COLUMNS, optional=optional)
    frame = frame.drop(columns=list(UPLOAD_EXTRA), errors="ignore")
    for column in MISSION_FRENCH_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    problems = Problems(label, lenient_dates=lenient_dates)
    known_iso3 = set(countries["iso3"])
    shapes = dict(zip(countries["iso3"], countries.geometry))
    starts, ends, lats, lons = [], [], [], []
    seen: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        row = rec["_row"]
        acronym = rec["acronym"]
        if not acronym:
            problems.add(row, "acronym", N_("is empty"), N_("give the mission's acronym as the UN spells it"))
        elif acronym in seen:
            problems.add(
                row,
                "acronym",
                N_("'{acronym}' already appears in row {other_row}"),
                N_("keep one row per mission, or give this one its own acronym"),
                acronym=acronym,
                other_row=str(seen[acronym]),
            )
        else:
            seen[acronym] = row
        if not rec["name"]:
            problems.add(row, "name", N_("is empty"), N_("give the mission's full name"))
        check_vocabulary(rec["kind"], row, "kind", KINDS, problems)
        if not rec["source"]:
            problems.add(row, "source", N_("is empty"), N_("cite where the dates come from, e.g. S/RES/1542 (2004)"))
        _check_french(rec, row, problems)
        start = parse_date(rec["start"], row, "start", problems, required=True)
        end = parse_date(rec["end"], row, "end", problems, required=False)
        if start is not None and end is not None and end < start:
            end_before_start(rec["end"], rec["start"], row, problems)
        codes = host_codes(rec["host_iso3"])
        for code in codes if known_iso3 else ():  # no outlines at all: nothing to check codes against
            if code not in known_iso3:
                problems.add(
                    row,
                    "host_iso3",
                    N_("'{code}' is not a known ISO 3166-1 alpha-3 code"),
                    N_("use three capital letters such as HTI, separated by ';' (XKX for Kosovo)"),
                    code=code,
                )
        placeholder = rec["kind"] == "other" and not codes and not rec["hq_lat"] and not rec["hq_lon"]
        if rec["region"] or not placeholder:
            check_vocabulary(rec["region"], row, "region", REGIONS, problems)
        if not codes and not placeholder:
            problems.add(row, "host_iso3", N_("is empty"), N_("give the host country codes, e.g. LBR;CIV"))
        lat = lon = None
        if not placeholder:
            lat = parse_float(rec["hq_lat"], row, "hq_lat", problems, -90, 90)
            lon = parse_float(rec["hq_lon"], row, "hq_lon", problems, -180, 180)
        if lat is not None and lon is not None and codes and all(c in shapes for c in codes):
            _check_hq_in_host(acronym, lat, lon, codes, shapes, row, problems)
        starts.append(start)
        ends.append(end)
        lats.append(np.nan if lat is None else lat)
        lons.append(np.nan if lon is None else lon)
    problems.raise_if_any()
    frame = frame.drop(columns="_row")
    frame["start"] = pd.to_datetime(pd.Series(starts, dtype=object))
    frame["end"] = pd.to_datetime(pd.Series(ends, dtype=object))
    frame["hq_lat"] = lats
    frame["hq_lon"] = lons
    # Placeholders have no place: no geometry rather than a point at NaN, NaN.
    geometry = [shapely.Point(lon, lat) if np.isfinite(lat) else None for lat, lon in zip(lats, lons)]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _check_french(rec: dict, row: int, problems: Problems) -> None:
    """A French acronym or name cites where it can be checked, and a half-known pair says which half is missing."""
    known = tuple(c for c in ("acronym_fr", "name_fr") if rec[c])
    if known and not rec["source_fr"]:
        problems.add(row, "source_fr", N_("is empty"), _CITE_FRENCH[known])
    elif len(known) == 1 and "not confirmed" not in rec["source_fr"]:
        missing = "name_fr" if known == ("acronym_fr",) else "acronym_fr"
        problems.add(row, missing, N_("is empty but source_fr does not say so"), _GIVE_FRENCH[missing])


# Whole sentences, one per case, so that a translation never has to fit English words into French.
_CITE_FRENCH = {
    ("acronym_fr",): N_(
        "cite where the French acronym can be checked, "
        "e.g. the French version of the resolution: S/RES/1996 (2011), version française"
    ),
    ("name_fr",): N_(
        "cite where the French name can be checked, "
        "e.g. the French version of the resolution: S/RES/1996 (2011), version française"
    ),
    ("acronym_fr", "name_fr"): N_(
        "cite where the French acronym and name can be checked, "
        "e.g. the French version of the resolution: S/RES/1996 (2011), version française"
    ),
}
_GIVE_FRENCH = {
    "acronym_fr": N_("give the French acronym, or add to source_fr which part is 'not confirmed'"),
    "name_fr": N_("give the French name, or add to source_fr which part is 'not confirmed'"),
}


def _check_hq_in_host(acronym, lat, lon, codes, shapes, row, problems) -> None:
    point = shapely.Point(lon, lat)
    distance_km = min(_distance_to_shape_km(point, shapes[code]) for code in codes)
    if distance_km <= HQ_TOLERANCE_KM or acronym in HQ_OUTSIDE_HOST:
        return
    swapped = shapely.Point(lat, lon)
    fix = (
        N_("latitude and longitude look swapped (rerun scripts/geocode.py)")
        if -90 <= lon <= 90 and min(_distance_to_shape_km(swapped, shapes[c]) for c in codes) <= HQ_TOLERANCE_KM
        else N_("check the coordinates and the host countries (rerun scripts/geocode.py)")
    )
    problems.add(
        row,
        "hq_lat",
        N_("HQ ({lat}, {lon}) is {distance_km:,.0f} km outside its host countries {codes}"),
        fix,
        lat=str(lat),
        lon=str(lon),
        distance_km=distance_km,
        codes=";".join(codes),
    )


def _distance_to_shape_km(point: shapely.Point, shape) -> float:
    """Geodesic km from *point* to *shape* (0 inside): the one measure imcgeo.geodesy gives."""
    return distance_to_shape_km(point.y, point.x, shape)


def load_transfers(
    path: str | Path | bytes | None = None,
    *,
    missions: pd.DataFrame | None = None,
    name: str | None = None,
    lenient_dates: bool = False,
) -> pd.DataFrame:
    """Transfers between missions with ``start``/``end`` as datetimes and ``quantity`` as Int64.

    Every mission named must be in *missions* (default: the shipped missions). The shipped file
    (strict) must have every column of SHIPPED_TRANSFER_COLUMNS filled; an analyst's file
    (``lenient_dates=True``) may leave out the TRANSFER_OPTIONAL_COLUMNS, which then get
    TRANSFER_DEFAULTS. The frame always has every column: ``quantity_approx`` is boolean,
    ``case_type``, ``date_precision`` and ``source_url`` are text ("" when not given).
    Raises DataValidationError listing every problem in the file.
    """
    source = TRANSFERS_CSV if path is None else path
    label = name or (Path(source).name if not isinstance(source, bytes) else "transfers.csv")
    missions = load_missions() if missions is None else missions
    periods = {
        acronym: (start, end) for acronym, start, end in zip(missions["acronym"], missions["start"], missions["end"])
    }
    kinds = dict(zip(missions["acronym"], missions["kind"]))
    strict = not lenient_dates
    if strict:
        frame = read_rows(source, label, SHIPPED_TRANSFER_COLUMNS)
    else:
        frame = read_rows(source, label, TRANSFER_COLUMNS, optional=(*TRANSFER_OPTIONAL_COLUMNS, *UPLOAD_EXTRA))
        frame = frame.drop(columns=list(UPLOAD_EXTRA), errors="ignore")
    for column in TRANSFER_OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = TRANSFER_DEFAULTS[column]
    problems = Problems(label, lenient_dates=lenient_dates)
    starts, ends, quantities, approx = [], [], [], []
    seen: dict[tuple, int] = {}
    for rec in frame.to_dict("records"):
        row = rec["_row"]
        if not rec["event_id"]:
            problems.add(
                row,
                "event_id",
                N_("is empty"),
                N_("give the case a short id shared by its rows, e.g. 2010-minustah-earthquake"),
            )
        for column in ("source_mission", "target_mission"):
            if rec[column] not in periods:
                problems.add(
                    row,
                    column,
                    N_("'{mission}' is not in the missions file"),
                    N_("use the acronym exactly as in missions.csv, or add the mission there first"),
                    mission=rec[column],
                )
        if rec["source_mission"] and rec["source_mission"] == rec["target_mission"]:
            problems.add(
                row,
                "target_mission",
                N_("'{mission}' is also the source"),
                N_("a transfer goes from one mission to another"),
                mission=rec["target_mission"],
            )
        start = parse_date(rec["start"], row, "start", problems, required=True)
        end = parse_date(rec["end"], row, "end", problems, required=False)
        if start is not None and end is not None and end < start:
            end_before_start(rec["end"], rec["start"], row, problems)
        if start is not None and PERIOD_NOTE not in rec["description"]:
            for column in ("source_mission", "target_mission"):
                _check_period(rec[column], start, end, periods, row, column, problems)
        check_vocabulary(rec["asset"], row, "asset", ASSETS, problems)
        check_vocabulary(rec["surge"], row, "surge", SURGES, problems)
        check_vocabulary(rec["confidence"], row, "confidence", CONFIDENCE, problems)
        quantity = _parse_quantity(rec["quantity"], row, problems)
        if not rec["sources"]:
            problems.add(
                row,
                "sources",
                N_("is empty"),
                N_("cite a resolution (S/RES/1951 (2010)), a report (S/2010/200) or a dated UN press item"),
            )
        _check_description(rec, row, problems)
        _check_case_type(rec, kinds, row, problems, strict=strict)
        _check_date_precision(rec, start, row, problems, strict=strict)
        is_approx = _parse_approx(rec["quantity_approx"], quantity, row, problems, strict=strict)
        _check_url(rec["source_url"], row, problems)
        key = (rec["event_id"], rec["source_mission"], rec["target_mission"], rec["asset"])
        if key in seen:
            problems.add(
                row,
                "event_id",
                N_("repeats row {other_row} (same event, missions and asset)"),
                N_("merge the two rows or give them different assets"),
                other_row=str(seen[key]),
            )
        seen.setdefault(key, row)
        starts.append(start)
        ends.append(end)
        quantities.append(quantity)
        approx.append(is_approx)
    problems.raise_if_any()
    frame = frame.drop(columns="_row").reset_index(drop=True)
    frame["start"] = pd.to_datetime(pd.Series(starts, dtype=object))
    frame["end"] = pd.to_datetime(pd.Series(ends, dtype=object))
    frame["quantity"] = pd.array(quantities, dtype="Int64")
    frame["quantity_approx"] = pd.Series(approx, dtype=bool)
    return frame


def _check_description(rec: dict, row: int, problems: Problems) -> None:
    if NOTES_FILE.search(rec["description"]):
        problems.add(
            row,
            "description",
            N_("sends the reader to a notes file, and there is none"),
            N_("say what the note would say in the description itself"),
        )
    if rec["confidence"] == "documented" and AUTHORISATION_DATE.search(rec["description"]):
        problems.add(
            row,
            "confidence",
            N_("is 'documented' but the description says the start is only the authorisation date"),
            N_(
                "mark the row 'partial' (the move itself is not dated), "
                "or give the confirmed date and drop that sentence"
            ),
        )


def _check_case_type(rec: dict, kinds: dict, row: int, problems: Problems, *, strict: bool) -> None:
    value = rec["case_type"]
    if not value:
        if strict:
            problems.add(
                row,
                "case_type",
                N_("is empty"),
                N_("give one of {values} (data/README.md)"),
                values=", ".join(CASE_TYPES),
            )
        return
    if not check_vocabulary(value, row, "case_type", CASE_TYPES, problems):
        return
    # Re-hatting puts a non-UN force's troops under UN command: the source is such a force.
    source_kind = kinds.get(rec["source_mission"])
    if value == "re-hatting" and source_kind is not None and source_kind != "other":
        problems.add(
            row,
            "case_type",
            N_("is 're-hatting' but the source {mission} is a UN {kind} mission"),
            N_("use 'hand-over' for a UN predecessor, or 're-hatting' only from a non-UN force (kind 'other')"),
            mission=rec["source_mission"],
            kind=source_kind,
        )


def _check_date_precision(rec: dict, start, row: int, problems: Problems, *, strict: bool) -> None:
    value = rec["date_precision"]
    if not value:
        if strict:
            problems.add(
                row, "date_precision", N_("is empty"), N_("say how exactly the start is known: day, month or year")
            )
        return
    if not check_vocabulary(value, row, "date_precision", DATE_PRECISIONS, problems) or start is None:
        return
    # A date known to the month is written as the 1st, to the year as 1 January (data/README.md).
    if value == "month" and start.day != 1:
        problems.add(
            row,
            "date_precision",
            N_("is 'month' but the start {start} is not the first of a month"),
            N_("write the start as the first of the month, or say 'day' if the day is known"),
            start=f"{start:%Y-%m-%d}",
        )
    if value == "year" and (start.month, start.day) != (1, 1):
        problems.add(
            row,
            "date_precision",
            N_("is 'year' but the start {start} is not 1 January"),
            N_("write the start as YYYY-01-01, or say 'month' or 'day'"),
            start=f"{start:%Y-%m-%d}",
        )


def _parse_approx(value: str, quantity: int | None, row: int, problems: Problems, *, strict: bool) -> bool:
    text = value.strip().lower()
    if not text and not strict:
        return False
    if text not in ("true", "false"):
        problems.add(
            row,
            "quantity_approx",
            N_("'{value}' is not true or false"),
            N_("write true when the source gives the number as approximate ('about 90'), else false"),
            value=value,
        )
        return False
    if text == "true" and quantity is None:
        problems.add(
            row,
            "quantity_approx",
            N_("is true but there is no quantity"),
            N_("give the approximate number the source states, or write false"),
        )
    return text == "true"


def _check_url(value: str, row: int, problems: Problems) -> None:
    if value and (not re.fullmatch(r"https?://\S+", value)):
        problems.add(
            row,
            "source_url",
            N_("'{value}' is not a web address"),
            N_("give one address starting https:// (or leave it empty); cite other sources in 'sources'"),
            value=value[:60],
        )


def _check_period(acronym, start, end, periods, row, column, problems) -> None:
    if acronym not in periods:
        return
    active_from, active_to = periods[acronym]
    last = end if end is not None else start
    outside = start < active_from or (pd.notna(active_to) and last > active_to)
    if not outside:
        return
    fix = N_("check the dates, or explain in the description with a sentence starting '{note}'")
    values = {"mission": acronym, "start": f"{active_from:%Y-%m-%d}", "note": PERIOD_NOTE}
    if pd.isna(active_to):
        message = N_("{mission} was active {start} to today, but this transfer falls outside that period")
    else:
        message = N_("{mission} was active {start} to {end}, but this transfer falls outside that period")
        values["end"] = f"{active_to:%Y-%m-%d}"
    problems.add(row, column, message, fix, **values)


def _parse_quantity(value: str, row: int, problems: Problems) -> int | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        number = None
    if number is None or not np.isfinite(number) or number < 0 or number != int(number):
        problems.add(
            row,
            "quantity",
            N_("'{value}' is not a whole number of people or items"),
            N_("give a whole number such as 120, or leave it empty when the source gives none"),
            value=value,
        )
        return None
    return int(number)
