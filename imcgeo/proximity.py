"""Which missions are close enough to help each other: distances, rankings and travel estimates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from imcgeo import data, vocab
from imcgeo.geodesy import geodesic_km, min_distance_km, nearest, shape_boundary
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Translator, translator
from imcgeo.sites import active_sites, load_sites
from imcgeo.timeline import active_on
from imcgeo.travel import Assumptions, estimate_hours, load_assumptions

__all__ = [
    "MEASURES",
    "PLACEHOLDER_NOTE",
    "TRAVEL_BY",
    "World",
    "active_missions",
    "event_ranks",
    "geodesic_km",
    "helpers",
    "hq_matrix_km",
    "min_distance_km",
    "nearest",
    "rank_findings",
]

#: Ways of measuring how close two missions are, and what each means.
MEASURES = {key: vocab.label(key) for key in vocab.MEASURES}
#: The word a ``travel_by`` cell shows for each mode (translated where shown, as tables.display does).
TRAVEL_BY = {"road_days": N_("Road"), "helicopter_h": N_("Helicopter"), "fixed_wing_h": N_("Fixed-wing")}
#: The ``note`` of a transfer that cannot be ranked because one of its missions has no place.
PLACEHOLDER_NOTE = N_("placeholder: no place on the map")


def sort_column(measure: str) -> str:
    """The column of a helpers table that *measure* ranks by.

    >>> sort_column("travel"), sort_column("area")
    ('travel_h', 'area_km')
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    return "travel_h" if measure == "travel" else f"{measure}_km"


def fastest(hours: dict[str, np.ndarray], *, tr: Translator | None = None) -> dict[str, np.ndarray]:
    """The estimates by mode plus ``travel_h`` (the fastest, elapsed hours) and ``travel_by`` (its mode).

    A road estimate counts days of driving, so its elapsed time is 24 hours a day. ``travel_by``
    holds the mode's word (TRAVEL_BY) in *tr*'s language, English by default.

    >>> fastest({"road_days": [0.5], "helicopter_h": [14.0], "fixed_wing_h": [9.0]})["travel_by"].tolist()
    ['Fixed-wing']
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    elapsed = np.column_stack([np.asarray(hours[m], dtype=float) * (24.0 if m == "road_days" else 1.0)
                               for m in vocab.TRAVEL_MODES])  # fmt: skip
    known = ~np.isnan(elapsed).all(axis=1)
    best = np.where(known, np.nanargmin(np.where(np.isnan(elapsed), np.inf, elapsed), axis=1), -1)
    modes = np.array([tr.gettext(TRAVEL_BY[m]) for m in vocab.TRAVEL_MODES] + [""], dtype=object)
    travel_h = np.where(known, np.nanmin(np.where(np.isnan(elapsed), np.inf, elapsed), axis=1), np.nan)
    return {**hours, "travel_h": travel_h, "travel_by": modes[best]}


def active_missions(missions: pd.DataFrame, date) -> pd.DataFrame:
    """Missions active on *date* that have a place on the map (placeholders have none)."""
    return missions[active_on(missions, date) & missions["hq_lat"].notna()]


def hq_matrix_km(missions: pd.DataFrame) -> pd.DataFrame:
    """HQ-to-HQ geodesic distances (km) between *missions*, labelled by acronym."""
    lat, lon = missions["hq_lat"].to_numpy(), missions["hq_lon"].to_numpy()
    km = geodesic_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    labels = missions["acronym"].to_numpy()
    return pd.DataFrame(np.atleast_2d(km), index=labels, columns=labels)


@dataclass
class World:
    """Everything the proximity measures need, loaded once: missions, outlines, optional sites.

    Country pairs and landmasses are computed lazily and cached, so repeated rankings are cheap.
    """

    missions: pd.DataFrame
    countries: gpd.GeoDataFrame
    sites: pd.DataFrame | None = None
    assumptions: Assumptions = field(default_factory=load_assumptions)
    _area_cache: dict = field(default_factory=dict, repr=False)
    _boundary_cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def shipped(cls, *, with_sites: bool = True) -> World:
        """The shipped missions and outlines, with the curated sites in data/sites.csv unless told not."""
        countries = data.load_countries()
        missions = data.load_missions(countries=countries)
        return cls(missions, countries, load_sites(missions=missions) if with_sites else None)

    @cached_property
    def _shapes(self) -> dict:
        return dict(zip(self.countries["iso3"], self.countries.geometry))

    @cached_property
    def _landmasses(self) -> shapely.STRtree:
        # Outlines are simplified, so neighbours across a narrow strait or river may not touch:
        # a 0.05 degree (about 5 km) buffer joins what a road could join, and no more.
        land = shapely.union_all(shapely.buffer(self.countries.geometry.values, 0.05))
        return shapely.STRtree(list(getattr(land, "geoms", [land])))

    def landmass(self, lat: float, lon: float) -> int:
        """Index of the landmass a point is on, or nearest to within 0.5 degrees; -1 at sea."""
        point = shapely.Point(lon, lat)
        index, distance = self._landmasses.query_nearest(point, return_distance=True, all_matches=False)
        return int(index[0]) if len(index) and distance[0] <= 0.5 else -1

    def _boundary(self, iso3: str) -> tuple[np.ndarray, np.ndarray]:
        if iso3 not in self._boundary_cache:
            self._boundary_cache[iso3] = shape_boundary(self._shapes[iso3])
        return self._boundary_cache[iso3]

    def area_km(self, hosts_a: str, hosts_b: str) -> float:
        """Shortest geodesic km between two missions' host countries; 0 when they touch or overlap."""
        a, b = tuple(sorted(data.host_codes(hosts_a))), tuple(sorted(data.host_codes(hosts_b)))
        key = (a, b) if a <= b else (b, a)
        if key not in self._area_cache:
            self._area_cache[key] = self._area_km(*key)
        return self._area_cache[key]

    def _area_km(self, a: tuple[str, ...], b: tuple[str, ...]) -> float:
        if not a or not b or not all(c in self._shapes for c in a + b):
            return float("nan")
        if set(a) & set(b) or any(self._shapes[x].intersects(self._shapes[y]) for x in a for y in b):
            return 0.0
        lat_a, lon_a = (np.concatenate(v) for v in zip(*(self._boundary(c) for c in a)))
        lat_b, lon_b = (np.concatenate(v) for v in zip(*(self._boundary(c) for c in b)))
        return min_distance_km(lat_a, lon_a, lat_b, lon_b)

    def presence(self, date) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Points of presence by mission on *date*: its HQ plus its active deployment sites."""
        points = {
            m: ([lat], [lon])
            for m, lat, lon in zip(self.missions["acronym"], self.missions["hq_lat"], self.missions["hq_lon"])
            if pd.notna(lat)
        }
        if self.sites is not None and len(self.sites):
            on = active_sites(self.sites, date, self.missions)
            for mission, group in on.groupby("mission"):
                if mission in points:
                    lat, lon = points[mission]
                    points[mission] = ([*lat, *group["lat"]], [*lon, *group["lon"]])
        return {m: (np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)) for m, (lat, lon) in points.items()}


def helpers(
    target: str,
    date,
    k: int | None = 10,
    measure: str = "travel",
    *,
    world: World | None = None,
    kinds: tuple[str, ...] | None = None,
    include: tuple[str, ...] = (),
    tr: Translator | None = None,
) -> pd.DataFrame:
    """Missions active on *date* ranked as potential helpers of *target*, nearest first.

    Columns: ``rank``, ``acronym``, ``name``, ``kind``, ``region``, ``hq_km``, ``area_km``,
    ``site_km`` (closest points of presence: sites when loaded, always the HQ), ``shares_border``,
    ``same_region``, ``same_landmass``, estimated ``road_days``, ``helicopter_h`` and
    ``fixed_wing_h`` over ``site_km`` (see data/travel.toml; NaN where a mode does not apply), and
    ``travel_h``/``travel_by``, the fastest of them (the ``travel`` measure ranks by it).
    Ties on the chosen *measure* are broken by HQ distance. *kinds* restricts the candidates by
    ``kind``; *include* adds missions even if not active on *date* (an actual helper, say).
    ``k=None`` returns every candidate. *tr*: the language of ``travel_by`` (English by default).
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    world = world or _shipped_world()
    missions = world.missions.set_index("acronym", drop=False)
    if target not in missions.index:
        raise ValueError(f"unknown mission {target!r}: use an acronym from missions.csv")
    goal = missions.loc[target]
    if pd.isna(goal["hq_lat"]):
        raise ValueError(f"{target} has no place on the map (a placeholder), so it has no neighbours")
    date = pd.Timestamp(date)
    pool = active_missions(world.missions, date)
    extra = world.missions[world.missions["acronym"].isin(include) & world.missions["hq_lat"].notna()]
    pool = pd.concat([pool, extra]).drop_duplicates("acronym")
    pool = pool[pool["acronym"] != target]
    if kinds is not None:
        pool = pool[pool["kind"].isin(kinds) | pool["acronym"].isin(include)]
    hq_km = geodesic_km(goal["hq_lat"], goal["hq_lon"], pool["hq_lat"].to_numpy(), pool["hq_lon"].to_numpy())
    area_km = np.array([world.area_km(goal["host_iso3"], hosts) for hosts in pool["host_iso3"]], dtype=float)
    presence = world.presence(date)
    here = presence[target]
    site_km = np.array([min_distance_km(*here, *presence[m]) for m in pool["acronym"]], dtype=float)
    home = world.landmass(goal["hq_lat"], goal["hq_lon"])
    same_land = np.array(
        [home >= 0 and world.landmass(la, lo) == home for la, lo in zip(pool["hq_lat"], pool["hq_lon"])]
    )
    table = pd.DataFrame(
        {
            "acronym": pool["acronym"].to_numpy(),
            "name": pool["name"].to_numpy(),
            "kind": pool["kind"].to_numpy(),
            "region": pool["region"].to_numpy(),
            "hq_km": np.atleast_1d(hq_km),
            "area_km": area_km,
            "site_km": site_km,
            "shares_border": area_km == 0,
            "same_region": (pool["region"] == goal["region"]).to_numpy(),
            "same_landmass": same_land,
            **fastest(estimate_hours(site_km, world.assumptions, same_landmass=same_land), tr=tr),
        }
    )
    table = table.sort_values([sort_column(measure), "hq_km", "acronym"], kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table if k is None else table.head(k)


def event_ranks(transfers: pd.DataFrame, *, world: World | None = None, tr: Translator | None = None) -> pd.DataFrame:
    """For each transfer, the rank its source held among all possible helpers of its target.

    Candidates are the missions active at the transfer's start (the actual source always
    counts, even when its own dates do not cover the transfer). Returns the transfer's
    ``event_id``, ``source_mission``, ``target_mission``, ``start``, the number of
    ``candidates`` and ``rank_hq``, ``rank_area`` and ``rank_site`` (1 = nearest). Rows whose
    source or target is a placeholder have no place and get no rank (``note`` says why, in *tr*'s
    language: English by default).
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    world = world or _shipped_world()
    placed = set(world.missions.loc[world.missions["hq_lat"].notna(), "acronym"])
    rows = []
    cache: dict = {}
    for rec in transfers.to_dict("records"):
        out = {k: rec[k] for k in ("event_id", "source_mission", "target_mission", "start", "asset", "surge")}
        src, dst = rec["source_mission"], rec["target_mission"]
        if src not in placed or dst not in placed:
            rows.append({**out, "candidates": np.nan, "note": tr.gettext(PLACEHOLDER_NOTE)})
            continue
        key = (dst, rec["start"], src)
        if key not in cache:
            cache[key] = helpers(dst, rec["start"], k=None, measure="hq", world=world, include=(src,))
        table = cache[key]
        ranks = {}
        for measure in MEASURES:
            order = table.sort_values([sort_column(measure), "hq_km", "acronym"], kind="stable")["acronym"].tolist()
            ranks[f"rank_{measure}"] = order.index(src) + 1
        rows.append({**out, "candidates": len(table), **ranks, "note": ""})
    frame = pd.DataFrame(rows)
    for column in ("candidates", *(f"rank_{m}" for m in MEASURES)):
        frame[column] = pd.array(frame.get(column, pd.Series(dtype=float)), dtype="Int64")
    return frame


def rank_findings(ranks: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """How often help came from the nearest missions, by measure, with what chance alone would give.

    One row per measure: ``ranked`` transfers (placeholders excluded), ``in_top`` (source among
    the *top* nearest), ``share``, ``chance`` (the share expected if sources were picked at random
    from the candidates), ``median_rank``, and the same for cases (``events_in_top`` of
    ``events``: a case counts when any of its sources was among the *top*).
    """
    ranked = ranks.dropna(subset=["rank_hq"])
    rows = []
    for measure in MEASURES:
        column = ranked[f"rank_{measure}"].astype(float)
        within = column <= top
        by_event = within.groupby(ranked["event_id"]).any()
        rows.append(
            {
                "measure": measure,
                "ranked": len(ranked),
                "in_top": int(within.sum()),
                "share": float(within.mean()) if len(ranked) else np.nan,
                "chance": float(
                    np.mean(np.minimum(top, ranked["candidates"].astype(float)) / ranked["candidates"].astype(float))
                )
                if len(ranked)
                else np.nan,
                "median_rank": float(column.median()) if len(ranked) else np.nan,
                "events": len(by_event),
                "events_in_top": int(by_event.sum()),
            }
        )
    return pd.DataFrame(rows)


_WORLD: World | None = None


def _shipped_world() -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = World.shipped()
    return _WORLD
