"""Exact WGS84 geodesic distances and exact k-nearest neighbours on the globe."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod
from scipy.spatial import cKDTree

__all__ = [
    "BOUNDARY_STEP_DEG",
    "EARTH_RADIUS_KM",
    "SPHERE_ERROR",
    "distance_to_shape_km",
    "geodesic_km",
    "min_distance_km",
    "nearest",
    "shape_boundary",
    "unit_vectors",
]

_GEOD = Geod(ellps="WGS84")

#: IUGG mean Earth radius, used only to turn unit-sphere chords into rough kilometres.
EARTH_RADIUS_KM = 6371.0088

#: Bound on |spherical / WGS84 geodesic - 1|: the sphere of mean radius is off by at most
#: +0.57 % (along meridians at the equator) and -0.45 % (near the poles); 0.75 % leaves margin.
SPHERE_ERROR = 0.0075

#: Boundary sampling for distances to a shape: points at most this far apart (degrees, about 11 km),
#: so a distance to a shape is at most about 6 km over the exact outline-to-point distance.
BOUNDARY_STEP_DEG = 0.1


def geodesic_km(lat1, lon1, lat2, lon2):
    """WGS84 ellipsoidal geodesic distance in km (Karney's algorithm, via pyproj/GeographicLib).

    Vectorised: the four arguments broadcast like numpy arrays; scalars in give a float out.
    NaN coordinates give NaN.

    >>> round(geodesic_km(0, 0, 0, 1), 3)  # one degree of longitude on the equator
    111.319
    >>> geodesic_km([0, 10], 0, [0, 10], [1, 0]).round(1).tolist()
    [111.3, 0.0]
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lat1, lon1, lat2, lon2)))
    shape = arrays[0].shape
    flat = [a.ravel() for a in arrays]
    bad = ~np.all([np.isfinite(a) for a in flat], axis=0)
    clean = [np.where(bad, 0.0, a) for a in flat]
    _, _, metres = _GEOD.inv(clean[1], clean[0], clean[3], clean[2])
    km = np.where(bad, np.nan, np.asarray(metres, dtype=float) / 1000.0).reshape(shape)
    return float(km) if km.ndim == 0 else km


def unit_vectors(lat, lon) -> np.ndarray:
    """Points as 3-D unit vectors (geodetic latitude on the unit sphere), shape (N, 3)."""
    lat_r, lon_r = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    cos_lat = np.cos(lat_r)
    return np.column_stack([cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)])


def _chord_to_km(chord):
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))


def _km_to_chord(km):
    return 2.0 * np.sin(np.minimum(np.asarray(km, dtype=float) / EARTH_RADIUS_KM, np.pi) / 2.0)


def nearest(lat, lon, k: int, *, within_km: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For every point, its *k* nearest other points by exact WGS84 geodesic distance.

    Returns ``(indices, distances_km)``, both of shape (N, k), each row ordered by distance (ties
    by index); the point itself is excluded. Where fewer than *k* neighbours exist, or they lie
    beyond *within_km*, the slots hold index -1 and distance ``inf``.

    How: a KD-tree on unit vectors gathers candidates by spherical distance; every candidate
    that could beat the k-th on the ellipsoid (within SPHERE_ERROR either way) is then measured
    exactly, so the result equals brute force.

    >>> idx, km = nearest([0, 0, 0, 50], [0, 1, 3, 0], k=2)
    >>> idx.tolist()
    [[1, 2], [0, 2], [1, 0], [0, 1]]
    """
    lat, lon = np.asarray(lat, dtype=float).ravel(), np.asarray(lon, dtype=float).ravel()
    if lat.shape != lon.shape:
        raise ValueError("lat and lon must have the same length")
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError("lat and lon must be finite: drop or fix rows with missing coordinates first")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    n = len(lat)
    indices = np.full((n, k), -1, dtype=np.int64)
    distances = np.full((n, k), np.inf)
    if n < 2:
        return indices, distances
    points = unit_vectors(lat, lon)
    tree = cKDTree(points)
    grow = (1 + SPHERE_ERROR) / (1 - SPHERE_ERROR)
    k_query = min(n, k + 1 + max(4, k // 2))
    chords, found = tree.query(points, k=k_query)
    chords, found = chords.reshape(n, -1), found.reshape(n, -1)
    spherical = _chord_to_km(chords)
    own = found == np.arange(n)[:, None]
    spherical_others = np.where(own, np.inf, spherical)
    kth = np.sort(spherical_others, axis=1)[:, min(k, k_query - 1) - 1]
    limit = kth * grow + 1e-9
    if within_km is not None:
        limit = np.minimum(limit, within_km * (1 + SPHERE_ERROR) + 1e-9)
    complete = (k_query == n) | (spherical[:, -1] > limit)
    rows, cols = np.nonzero(~own & (spherical <= limit[:, None]) & complete[:, None])
    pair_rows, pair_cols = [rows], [found[rows, cols]]
    for i in np.flatnonzero(~complete):
        ball = np.asarray(tree.query_ball_point(points[i], _km_to_chord(limit[i])), dtype=np.int64)
        ball = ball[ball != i]
        pair_rows.append(np.full(len(ball), i))
        pair_cols.append(ball)
    rows, cols = np.concatenate(pair_rows), np.concatenate(pair_cols)
    exact = geodesic_km(lat[rows], lon[rows], lat[cols], lon[cols]) if len(rows) else np.empty(0)
    if within_km is not None:
        keep = exact <= within_km
        rows, cols, exact = rows[keep], cols[keep], exact[keep]
    order = np.lexsort((cols, exact, rows))
    rows, cols, exact = rows[order], cols[order], exact[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    take = rank < k
    indices[rows[take], rank[take]] = cols[take]
    distances[rows[take], rank[take]] = exact[take]
    return indices, distances


def min_distance_km(lat_a, lon_a, lat_b, lon_b) -> float:
    """Exact smallest WGS84 geodesic distance between two sets of points (km).

    A KD-tree on unit vectors finds the spherically closest pair; every pair that could be
    closer on the ellipsoid is then measured exactly.

    >>> round(min_distance_km([0, 10], [0, 10], [0, 50], [2, 50]), 3)
    222.639
    """
    a = unit_vectors(lat_a, lon_a)
    b = unit_vectors(lat_b, lon_b)
    if not len(a) or not len(b):
        return float("nan")
    tree = cKDTree(b)
    chords, _ = tree.query(a, k=1)
    best = _chord_to_km(chords.min())
    limit = best * (1 + SPHERE_ERROR) / (1 - SPHERE_ERROR) + 1e-9
    near = np.flatnonzero(_chord_to_km(chords) <= limit)
    lat_a, lon_a = np.asarray(lat_a, dtype=float), np.asarray(lon_a, dtype=float)
    lat_b, lon_b = np.asarray(lat_b, dtype=float), np.asarray(lon_b, dtype=float)
    rows, cols = [], []
    for i, found in zip(near, tree.query_ball_point(a[near], _km_to_chord(limit))):
        rows.extend([i] * len(found))
        cols.extend(found)
    rows, cols = np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)
    return float(geodesic_km(lat_a[rows], lon_a[rows], lat_b[cols], lon_b[cols]).min())


def shape_boundary(shape) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) arrays of points along a lon/lat shape's boundary, at most ``BOUNDARY_STEP_DEG`` apart."""
    xy = shapely.get_coordinates(shapely.segmentize(shape.boundary, BOUNDARY_STEP_DEG))
    return xy[:, 1], xy[:, 0]


def distance_to_shape_km(lat: float, lon: float, shape, boundary: tuple[np.ndarray, np.ndarray] | None = None) -> float:
    """Geodesic km (WGS84) from a point to a lon/lat shape: 0 inside, else to the nearest boundary point.

    The boundary is sampled every ``BOUNDARY_STEP_DEG`` (pass *boundary* to reuse a sampling), so
    the distance is measured on the ellipsoid, never in degrees.

    >>> from shapely.geometry import box
    >>> round(distance_to_shape_km(0.0, 12.0, box(0, -1, 10, 1)))
    223
    """
    if shape.covers(shapely.Point(lon, lat)):
        return 0.0
    b_lat, b_lon = boundary if boundary is not None else shape_boundary(shape)
    return min_distance_km([lat], [lon], b_lat, b_lon)
