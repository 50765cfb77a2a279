"""Deployment sites: read Geo-PKO-style files and plain site lists, validated like the other data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from imcgeo._validate import Problems, end_before_start, parse_date, parse_float, read_rows
from imcgeo.i18n import N_

__all__ = ["GEOPKO_COLUMNS", "PLAIN_COLUMNS", "SITES_CSV", "SITE_COLUMNS", "active_sites", "load_sites"]

SITES_CSV = Path(__file__).resolve().parent.parent / "data" / "sites.csv"

#: Columns of the frame load_sites returns, whatever the input format.
SITE_COLUMNS = ["mission", "site", "lat", "lon", "start", "end", "troops", "source"]
#: A plain list of sites: the first four are required.
PLAIN_COLUMNS = ["mission", "site", "lat", "lon", "start", "end", "source"]
#: Geo-PKO (Cil et al. 2020) aggregated by mission, year and location: the columns read.
GEOPKO_COLUMNS = ["mission", "year", "location", "latitude", "longitude", "NoTroops"]


def load_sites(
    path: str | Path | bytes | None = None,
    *,
    missions: pd.DataFrame | None = None,
    name: str | None = None,
    lenient_dates: bool = False,
) -> pd.DataFrame:
    """Deployment sites as a frame with ``SITE_COLUMNS``, from either file format.

    - Geo-PKO style (``mission, year, location, latitude, longitude`` and troop columns): each
      row is a site in a year, so it is active from 1 January to 31 December of that year;
      ``troops`` is ``NoTroops`` (a yearly average).
    - Plain (``mission, site, lat, lon`` and optional ``start, end, source``): empty dates mean
      the mission's whole life.

    With *missions*, every site's mission must be one of them. Raises DataValidationError listing
    every problem, with row, column and fix.
    """
    source = SITES_CSV if path is None else path
    label = name or (Path(source).name if not isinstance(source, bytes) else "sites.csv")
    optional = tuple(dict.fromkeys(PLAIN_COLUMNS[1:] + GEOPKO_COLUMNS[1:]))
    frame = read_rows(source, label, ["mission"], optional=optional, extra_ok=True)
    problems = Problems(label, lenient_dates=lenient_dates)
    geopko = {"year", "location", "latitude", "longitude"} <= set(frame.columns)
    need = GEOPKO_COLUMNS[:5] if geopko else PLAIN_COLUMNS[:4]
    for column in need:
        if column not in frame.columns:
            problems.add(1, column, N_("is missing from the header"),
                         N_("give either mission, site, lat, lon (plain) or mission, year, location, latitude, "
                            "longitude (Geo-PKO)"))  # fmt: skip
    problems.raise_if_any()
    known = None if missions is None else set(missions["acronym"])
    out = []
    for rec in frame.to_dict("records"):
        row = rec["_row"]
        mission = rec["mission"]
        if not mission:
            problems.add(row, "mission", N_("is empty"), N_("give the mission's acronym"))
        elif known is not None and mission not in known:
            problems.add(row, "mission", N_("'{mission}' is not in the missions file"),
                         N_("use the acronym as in missions.csv, or add the mission there first"),
                         mission=mission)  # fmt: skip
        if geopko:
            site, lat_col, lon_col = rec["location"], "latitude", "longitude"
            start, end = _year_span(rec["year"], row, problems)
            troops = _troops(rec.get("NoTroops", ""))
        else:
            site, lat_col, lon_col = rec["site"], "lat", "lon"
            start = parse_date(rec.get("start", ""), row, "start", problems, required=False)
            end = parse_date(rec.get("end", ""), row, "end", problems, required=False)
            if start is not None and end is not None and end < start:
                end_before_start(rec["end"], rec["start"], row, problems)
            troops = np.nan
        if not site:
            problems.add(row, "location" if geopko else "site", N_("is empty"), N_("name the site"))
        lat = parse_float(rec[lat_col], row, lat_col, problems, -90, 90)
        lon = parse_float(rec[lon_col], row, lon_col, problems, -180, 180)
        out.append((mission, site, lat, lon, start, end, troops, rec.get("source", "")))
    problems.raise_if_any()
    sites = pd.DataFrame(out, columns=SITE_COLUMNS)
    sites["start"] = pd.to_datetime(sites["start"])
    sites["end"] = pd.to_datetime(sites["end"])
    sites[["lat", "lon", "troops"]] = sites[["lat", "lon", "troops"]].astype(float)
    return sites


def _year_span(value: str, row: int, problems: Problems):
    if value.isdigit() and 1948 <= int(value) <= 2100:
        return pd.Timestamp(int(value), 1, 1), pd.Timestamp(int(value), 12, 31)
    problems.add(row, "year", N_("'{value}' is not a year"), N_("give a four-digit year such as 2010"), value=value)
    return None, None


def _troops(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return np.nan
    return number if np.isfinite(number) and number >= 0 else np.nan


def active_sites(sites: pd.DataFrame, date, missions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sites in use on *date*: within their own dates, or, where they have none, while their
    mission is active (when *missions* is given)."""
    date = pd.Timestamp(date)
    start, end = sites["start"], sites["end"]
    if missions is not None:
        period = missions.set_index("acronym")[["start", "end"]]
        start = start.fillna(sites["mission"].map(period["start"]))
        end = end.fillna(sites["mission"].map(period["end"]))
    on = (start.isna() | (start <= date)) & (end.isna() | (end >= date))
    return sites[on]
