"""Geodesic distances against GeographicLib, their properties, and nearest() against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from imcgeo.geodesy import geodesic_km, nearest

HALF_MERIDIAN_KM = 20003.931458625447  # WGS84 pole to pole along a meridian


def oracle_km(lat1, lon1, lat2, lon2) -> float:
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def test_one_degree_of_longitude_at_the_equator():
    assert geodesic_km(0, 0, 0, 1) == pytest.approx(111.319491, abs=1e-6)


def test_one_degree_of_latitude_at_the_equator_is_shorter_than_at_the_pole():
    assert geodesic_km(0, 0, 1, 0) == pytest.approx(110.574389, abs=1e-3)
    assert geodesic_km(89, 0, 90, 0) == pytest.approx(111.693918, abs=1e-3)


HARD_PAIRS = [
    (0, 0, 0.5, 179.5),  # nearly antipodal
    (0, 0, 0, 180),  # exactly antipodal on the equator
    (30, 0, -30, 179.999),  # nearly antipodal off the equator
    (90, 0, -90, 0),  # pole to pole
    (90, 0, 89.999, 123),  # at the pole, longitude meaningless
    (0, 179.9, 0, -179.9),  # across the antimeridian
    (-16.5, 179.99, -17.5, -179.2),  # Fiji, across the antimeridian
    (52.0, 13.0, 52.0, 13.0),  # same point
    (0, 0, 1e-9, 1e-9),  # a few millimetres
]


@pytest.mark.parametrize("pair", HARD_PAIRS)
def test_hard_pairs_within_a_metre_of_geographiclib(pair):
    assert abs(geodesic_km(*pair) - oracle_km(*pair)) < 0.001


def test_random_pairs_within_a_metre_of_geographiclib():
    rng = np.random.default_rng(7)
    lat1, lat2 = rng.uniform(-90, 90, (2, 2000))
    lon1, lon2 = rng.uniform(-180, 180, (2, 2000))
    ours = geodesic_km(lat1, lon1, lat2, lon2)
    theirs = np.array([oracle_km(*p) for p in zip(lat1, lon1, lat2, lon2)])
    assert np.abs(ours - theirs).max() < 0.001


def test_broadcasting_and_nan():
    out = geodesic_km(np.zeros((3, 1)), 0, 0, np.array([0, 1, 2, np.nan]))
    assert out.shape == (3, 4)
    assert np.isnan(out[:, 3]).all()
    assert out[0, :3] == pytest.approx([0, 111.3195, 222.6390], abs=1e-3)
    assert isinstance(geodesic_km(1, 2, 3, 4), float)


lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(lats, lons, lats, lons)
def test_symmetric_nonnegative_and_at_most_half_the_meridian(lat1, lon1, lat2, lon2):
    there, back = geodesic_km(lat1, lon1, lat2, lon2), geodesic_km(lat2, lon2, lat1, lon1)
    assert there == pytest.approx(back, abs=1e-6)
    assert 0 <= there <= HALF_MERIDIAN_KM + 1e-6
    assert geodesic_km(lat1, lon1, lat1, lon1) == 0


@settings(max_examples=200, deadline=None)
@given(lats, lons, lats, lons, lats, lons)
def test_triangle_inequality(lat1, lon1, lat2, lon2, lat3, lon3):
    ab, bc, ac = (
        geodesic_km(lat1, lon1, lat2, lon2),
        geodesic_km(lat2, lon2, lat3, lon3),
        geodesic_km(lat1, lon1, lat3, lon3),
    )
    assert ac <= ab + bc + 1e-6


# --- nearest() ---


def brute_force(lat, lon, k, within_km=None):
    n = len(lat)
    matrix = geodesic_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(matrix, np.inf)
    if within_km is not None:
        matrix[matrix > within_km] = np.inf
    order = np.array([np.lexsort((np.arange(n), matrix[i]))[:k] for i in range(n)])
    dist = np.take_along_axis(matrix, order, axis=1)
    return np.where(np.isinf(dist), -1, order), dist


def clustered(n, seed):
    """Points like deployment sites: tight clusters, exact duplicates, poles and the antimeridian."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(-60, 60, 12), rng.uniform(-180, 180, 12)])
    pick = rng.integers(0, 12, n)
    lat = centres[pick, 0] + rng.normal(0, 0.3, n)
    lon = centres[pick, 1] + rng.normal(0, 0.3, n)
    lat[: n // 10] = rng.choice([89.99, -89.99], n // 10)
    lon[n // 10 : n // 5] = rng.choice([179.95, -179.95], n // 5 - n // 10)
    lat[-10:], lon[-10:] = lat[0], lon[0]  # duplicates
    return np.clip(lat, -90, 90), (lon + 180) % 360 - 180


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [1, 5, 12])
def test_nearest_equals_brute_force(seed, k):
    lat, lon = clustered(400, seed)
    idx, dist = nearest(lat, lon, k)
    want_idx, want_dist = brute_force(lat, lon, k)
    np.testing.assert_allclose(dist, want_dist, atol=1e-9)
    np.testing.assert_array_equal(idx, want_idx)


def test_nearest_within_radius_equals_brute_force():
    lat, lon = clustered(300, 5)
    idx, dist = nearest(lat, lon, 8, within_km=60)
    want_idx, want_dist = brute_force(lat, lon, 8, within_km=60)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(dist, want_dist)
    assert (dist[idx >= 0] <= 60).all()


def test_nearest_on_uniform_points_equals_brute_force():
    rng = np.random.default_rng(11)
    lat, lon = np.degrees(np.arcsin(rng.uniform(-1, 1, 500))), rng.uniform(-180, 180, 500)
    idx, dist = nearest(lat, lon, 6)
    want_idx, want_dist = brute_force(lat, lon, 6)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(dist, want_dist)


def test_nearest_pads_when_there_are_too_few_points():
    idx, dist = nearest([0, 0], [0, 1], k=3)
    assert idx.tolist() == [[1, -1, -1], [0, -1, -1]]
    assert np.isinf(dist[:, 1:]).all()
    assert nearest([5], [5], k=2)[0].tolist() == [[-1, -1]]


def test_nearest_refuses_missing_coordinates():
    with pytest.raises(ValueError, match="finite"):
        nearest([0, np.nan], [0, 1], k=1)
