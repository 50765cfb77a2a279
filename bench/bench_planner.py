"""Benchmark the planner and the place search, warm, side by side with their targets, in one run.

    python bench/bench_planner.py          # about 15 s on a 2-core machine

- A planner query (``imcgeo.planner.helpers_at``) for random points over Africa, the Middle East
  and Haiti on random dates 1995-2024, after one warm-up query: with the shipped sites (target
  50 ms), and with the Geo-PKO reference loaded as sites and as unit table, with and without a
  capacity filter (target 100 ms; skipped when ../shared/reference is absent).
- Place search (``imcgeo.places.search``) for every prefix of several names, as typed one
  keystroke at a time (target 20 ms per lookup), and ``resolve`` for whole names.

Each query runs 3 times and counts its best time; prints the median, 95th percentile and worst
of those, the worst as a share of the target, and the load average (other work on a shared
machine inflates wall times: compare within one run).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imcgeo import places, planner
from imcgeo.proximity import World
from imcgeo.sites import load_sites

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "geopko" / "FrontMap_v.2.3.csv"
NAMES = ["Tombouctou", "Timbuktu", "Port-au-Prince", "Malakal", "Naqoura", "Bangui", "Goma", "Abéché",
         "Kidal", "San Jose", "Bunia", "Juba"]  # fmt: skip
QUERIES = 200


def timings_ms(fn, calls, repeat: int = 3) -> np.ndarray:
    """Best of *repeat* wall times per call (ms): the machine is shared, the best is the code's own time."""
    out = []
    for args, kwargs in calls:
        best = np.inf
        for _ in range(repeat):
            start = time.perf_counter()
            fn(*args, **kwargs)
            best = min(best, time.perf_counter() - start)
        out.append(best * 1000)
    return np.asarray(out)


def random_calls(world: World, n: int, seed: int = 0, **kwargs) -> list:
    rng = np.random.default_rng(seed)
    lat = rng.uniform(-30, 38, n)
    lon = rng.uniform(-18, 50, n)
    # A tenth of the points in Haiti, far from the African cluster.
    haiti = rng.random(n) < 0.1
    lat[haiti], lon[haiti] = rng.uniform(18, 20, haiti.sum()), rng.uniform(-74, -72, haiti.sum())
    days = np.datetime64("1995-01-01") + rng.integers(0, 30 * 365, n).astype("timedelta64[D]")
    return [((world, float(a), float(b), str(d)), kwargs) for a, b, d in zip(lat, lon, days)]


def row(label: str, ms: np.ndarray, target: float) -> str:
    worst = ms.max()
    verdict = "ok" if np.percentile(ms, 95) <= target else "OVER"
    return (
        f"{label:<52} {len(ms):>5} {np.median(ms):>8.2f} {np.percentile(ms, 95):>8.2f} {worst:>8.2f}"
        f" {target:>7.0f} {worst / target:>7.2f}  {verdict}"
    )


def main() -> None:
    header = f"{'what (warm)':<52} {'n':>5} {'median':>8} {'p95':>8} {'worst':>8} {'target':>7} {'worst/t':>7}"
    lines = [header, "-" * len(header)]

    start = time.perf_counter()
    world = World.shipped()
    planner.helpers_at(world, 9.53, 31.66, "2014-01-15")
    cold = time.perf_counter() - start
    calls = random_calls(world, QUERIES)
    lines.append(row("helpers_at, shipped sites (travel, k=5)", timings_ms(planner.helpers_at, calls), 50))
    calls = random_calls(world, QUERIES, seed=1, k=None, measure="site")
    lines.append(row("helpers_at, shipped sites (site, all rows)", timings_ms(planner.helpers_at, calls), 50))

    if REFERENCE.exists():
        geopko = World(world.missions, world.countries, load_sites(REFERENCE), world.assumptions)
        units = planner.load_units(REFERENCE)
        planner.helpers_at(geopko, 9.53, 31.66, "2014-01-15", sites=units)
        calls = random_calls(geopko, QUERIES, seed=2, sites=units)
        lines.append(row("helpers_at, Geo-PKO sites + units", timings_ms(planner.helpers_at, calls), 100))
        calls = random_calls(geopko, QUERIES, seed=3, sites=units, needs={"helicopters"}, within_h=12)
        lines.append(row("helpers_at, Geo-PKO, helicopters within 12 h", timings_ms(planner.helpers_at, calls), 100))
    else:
        lines.append(f"{'helpers_at, Geo-PKO reference':<52} skipped: {REFERENCE} not found")

    start = time.perf_counter()
    gazetteer = places.load_places()
    load = time.perf_counter() - start
    prefixes = [name[:end] for name in NAMES for end in range(1, len(name) + 1)]
    typed = timings_ms(gazetteer.search, [((p,), {}) for p in prefixes])
    lines.append(row("places.search, every prefix (one keystroke)", typed, 20))
    lines.append(row("places.resolve, whole names", timings_ms(gazetteer.resolve, [((n,), {}) for n in NAMES]), 20))
    print("\n".join(lines))
    print(f"\ncold: World.shipped() + first query {cold * 1000:.0f} ms; load_places() {load * 1000:.0f} ms "
          f"({len(gazetteer):,} places); times in ms; load average {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
