"""Benchmark the proximity engine, side by side with the naive ways, in one run.

    python bench/bench_proximity.py            # about a minute on a 2-core machine
    python bench/bench_proximity.py --full     # pyproj all-pairs at N=10,000 in full (minutes)

Prints best-of-R wall times and ratios. Timings on shared machines are noisy: compare the
ratios within one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imcgeo import data, proximity
from imcgeo.geodesy import geodesic_km, nearest
from imcgeo.sites import load_sites

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "geopko" / "FrontMap_v.2.3.csv"
K = 10


def best_of(repeat: int, fn, *args, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def clustered(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points like deployment sites: a few hundred tight clusters over Africa and the Middle East."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(-30, 38, 300), rng.uniform(-18, 50, 300)])
    pick = rng.integers(0, len(centres), n)
    return centres[pick, 0] + rng.normal(0, 0.4, n), centres[pick, 1] + rng.normal(0, 0.4, n)


def pyproj_all_pairs(lat, lon, k, rows=None):
    """The accurate naive way: every pair with pyproj (GeographicLib), then sort each row."""
    rows = range(len(lat)) if rows is None else rows
    out = []
    for i in rows:
        d = geodesic_km(lat[i], lon[i], lat, lon)
        d[i] = np.inf
        out.append(np.argsort(d, kind="stable")[:k])
    return out


def haversine_all_pairs(lat, lon, k, chunk=500):
    """The fast approximate way: numpy haversine on a sphere for every pair, then partition."""
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    out = []
    for s in range(0, len(lat), chunk):
        a, b = lat_r[s : s + chunk, None], lon_r[s : s + chunk, None]
        h = np.sin((lat_r - a) / 2) ** 2 + np.cos(a) * np.cos(lat_r) * np.sin((lon_r - b) / 2) ** 2
        d = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
        d[np.arange(len(a)), np.arange(s, s + len(a))] = np.inf
        out.append(np.argpartition(d, k, axis=1)[:, :k])
    return out


def row(label, *cells):
    print(f"{label:<44}" + "".join(f"{c:>16}" for c in cells))


def bench_nearest(full: bool) -> None:
    print(f"\nnearest(k={K}) on clustered points: exact WGS84, against the naive ways (best of 3, seconds)")
    row("N", "nearest()", "pyproj+sort", "ratio", "haversine+part", "ratio")
    for n in (1_000, 2_000, 10_000):
        lat, lon = clustered(n)
        ours = best_of(3, nearest, lat, lon, K)
        if n <= 2_000 or full:
            naive = best_of(1, pyproj_all_pairs, lat, lon, K)
            naive_label = f"{naive:.2f}"
        else:
            sample = 400
            naive = best_of(1, pyproj_all_pairs, lat, lon, K, rows=range(sample)) * n / sample
            naive_label = f"~{naive:.1f}*"
        hav = best_of(1, haversine_all_pairs, lat, lon, K)
        row(f"{n:,}", f"{ours:.3f}", naive_label, f"{naive / ours:.0f}x", f"{hav:.2f}", f"{hav / ours:.1f}x")
    if not full:
        print("  * extrapolated from 400 rows of the all-pairs computation (run with --full for all of it)")
    if REFERENCE.exists():
        sites = load_sites(REFERENCE).drop_duplicates(["lat", "lon"])
        lat, lon = sites["lat"].to_numpy(), sites["lon"].to_numpy()
        ours = best_of(3, nearest, lat, lon, K)
        naive = best_of(1, pyproj_all_pairs, lat, lon, K)
        row(f"Geo-PKO sites ({len(lat):,} distinct)", f"{ours:.3f}", f"{naive:.2f}", f"{naive / ours:.0f}x", "", "")
    else:
        print("  (Geo-PKO reference data not found: real-site row skipped)")


def bench_missions() -> None:
    print("\nMission-level measures on the shipped data (best of 5, milliseconds)")
    world = proximity.World.shipped()
    date = "2012-05-01"
    active = proximity.active_missions(world.missions, date)
    matrix = best_of(5, proximity.hq_matrix_km, active)
    row(f"HQ distance matrix, {len(active)} missions active {date}", f"{matrix * 1000:.1f}")
    fresh = proximity.World(world.missions, world.countries)
    cold = best_of(1, proximity.helpers, "UNSMIS", date, world=fresh)
    warm = best_of(5, proximity.helpers, "UNSMIS", date, world=fresh)
    row("helpers('UNSMIS', 2012-05-01), first call", f"{cold * 1000:.0f}")
    row("helpers('UNSMIS', 2012-05-01), cached", f"{warm * 1000:.1f}")
    transfers = data.load_transfers(missions=world.missions)
    ranks = best_of(1, proximity.event_ranks, transfers, world=fresh)
    row(f"event_ranks for all {len(transfers)} transfers", f"{ranks * 1000:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="run pyproj all-pairs at N=10,000 in full")
    args = parser.parse_args()
    bench_nearest(args.full)
    bench_missions()


if __name__ == "__main__":
    main()
