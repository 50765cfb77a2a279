"""Deployment-site files: plain lists and Geo-PKO-style tables, with row-level errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from imcgeo import data
from imcgeo.errors import DataValidationError
from imcgeo.geodesy import geodesic_km, nearest
from imcgeo.sites import active_sites, load_sites

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "geopko" / "FrontMap_v.2.3.csv"
MISSIONS = pd.DataFrame(
    {
        "acronym": ["UNMIL", "UNOCI"],
        "start": pd.to_datetime(["2003-09-01", "2004-04-01"]),
        "end": pd.to_datetime(["2018-03-30", "2017-06-30"]),
    }
)
GEOPKO_HEADER = (
    "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO,ave.no.troops"
)


def problems(payload: bytes) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_sites(payload, missions=MISSIONS, name="sites.csv")
    return [str(p) for p in info.value.problems]


def test_plain_list_with_optional_dates():
    text = (
        "mission,site,lat,lon,start,end\n"
        "UNMIL,Gbarnga,6.9956,-9.4722,,\n"
        "UNOCI,Bouaké,7.69,-5.03,2004-04-01,2011-12-31\n"
    )
    sites = load_sites(text.encode(), missions=MISSIONS)
    assert sites["site"].tolist() == ["Gbarnga", "Bouaké"]
    assert pd.isna(sites.loc[0, "start"]) and sites.loc[1, "end"] == pd.Timestamp("2011-12-31")
    assert active_sites(sites, "2015-01-01", MISSIONS)["site"].tolist() == ["Gbarnga"]
    assert active_sites(sites, "2019-01-01", MISSIONS).empty  # UNMIL had closed


def test_geopko_rows_are_sites_in_a_year():
    text = GEOPKO_HEADER + "\nUNMIL,2010,Liberia,Gbarnga,6.9956,-9.4722,1,850,0,0,0,0,0,0,850\n"
    sites = load_sites(text.encode(), missions=MISSIONS)
    row = sites.iloc[0]
    assert (row["site"], row["troops"]) == ("Gbarnga", 850)
    assert (row["start"], row["end"]) == (pd.Timestamp("2010-01-01"), pd.Timestamp("2010-12-31"))


@pytest.mark.parametrize(
    "payload,expected",
    [
        (b"mission,site,lat,lon\nUNXYZ,Somewhere,1,1\n", "'UNXYZ' is not in the missions file"),
        (b"mission,site,lat,lon\nUNMIL,Gbarnga,96,1\n", "96 is outside -90 to 90"),
        (b"mission,site,lat,lon\nUNMIL,Gbarnga,inf,1\n", "inf is outside"),
        (b"mission,site,lat,lon\nUNMIL,,6,-9\n", "column 'site': is empty"),
        (b"mission,site,lat\nUNMIL,Gbarnga,6\n", "column 'lon': is missing"),
        (b"mission,site,lat,lon,start\nUNMIL,Gbarnga,6,-9,2010\n", "'2010' is not a date"),
        (GEOPKO_HEADER.encode() + b"\nUNMIL,20x0,Liberia,Gbarnga,6,-9,1,1,0,0,0,0,0,0,1\n", "'20x0' is not a year"),
        (b"\x00\x01binary", "not a text CSV file"),
    ],
)
def test_bad_site_files_name_row_column_and_fix(payload, expected):
    found = problems(payload)
    assert any(expected in p for p in found), found
    assert all("Fix:" in p for p in found)


@pytest.mark.skipif(not REFERENCE.exists(), reason="Geo-PKO reference data (../shared/reference) is not present")
def test_geopko_reference_file_loads_and_nearest_is_exact_on_it():
    missions = data.load_missions()
    sites = load_sites(REFERENCE, missions=missions)
    assert len(sites) == 8783 and sites["mission"].nunique() == 52
    places = sites.drop_duplicates(["lat", "lon"]).head(600)
    lat, lon = places["lat"].to_numpy(), places["lon"].to_numpy()
    idx, dist = nearest(lat, lon, 5)
    matrix = geodesic_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(matrix, np.inf)
    np.testing.assert_allclose(dist, np.sort(matrix, axis=1)[:, :5])
    np.testing.assert_allclose(np.take_along_axis(matrix, idx, axis=1), dist)


def test_shipped_sites_are_sourced_and_inside_their_hosts():
    countries = data.load_countries()
    missions = data.load_missions(countries=countries)
    sites = load_sites(missions=missions)
    assert len(sites) >= 100 and (sites["source"].str.len() > 10).all()
    shapes = dict(zip(countries["iso3"], countries.geometry))
    hosts = dict(zip(missions["acronym"], missions["host_iso3"]))
    for site in sites.itertuples():
        point = shapely.Point(site.lon, site.lat)
        km = min(data._distance_to_shape_km(point, shapes[h]) for h in data.host_codes(hosts[site.mission]))
        assert km <= 50, f"{site.mission} {site.site} is {km:.0f} km outside its mission's host countries"
