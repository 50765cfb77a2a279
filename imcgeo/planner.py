"""The planner: for any point and date, which missions could help, how fast, and with what; flows between missions."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from babel.lists import format_list

from imcgeo._validate import Problems, parse_float, read_rows
from imcgeo.geodesy import geodesic_km
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, MessageError, Translator, translator
from imcgeo.places import PointError, parse_point
from imcgeo.proximity import PLACEHOLDER_NOTE, World, fastest
from imcgeo.travel import Assumptions, estimate_hours

__all__ = [
    "NEEDS",
    "PEOPLE_ASSETS",
    "PLAN_MEASURES",
    "STRENGTH_COLUMNS",
    "UNIT_COLUMNS",
    "Plan",
    "PlanError",
    "case_ranks",
    "flows",
    "helpers_at",
    "load_units",
    "mission_totals",
    "parse_day",
    "reach_km",
    "read_link",
]

#: How the planner ranks by distance: the fastest estimated mode, headquarters, nearest point of presence.
PLAN_MEASURES = ("travel", "hq", "site")
#: Ways of ranking a plan: by the chosen measure, or by uniformed strength (largest first).
RANK_BY = ("distance", "strength")
#: Estimates *within_h* can apply to: the fastest mode, or one mode.
WITHIN_MODES = ("travel_h", "helicopter_h", "fixed_wing_h")
#: Columns of a strength table on a date (one row per mission); any of the three numbers may be absent.
STRENGTH_COLUMNS = ("troops", "police", "military_observers")
#: Unit types a mission may be asked for, with the words shown for each.
NEEDS = {
    "aviation": N_("aviation units (helicopters, aircraft)"),
    "medical": N_("medical units"),
    "engineering": N_("engineering units"),
    "police": N_("police (UNPOL)"),
    "observers": N_("military observers (UNMO)"),
}
#: Other words for the same needs.
NEED_ALIASES = {"helicopters": "aviation", "aircraft": "aviation", "air": "aviation", "engineers": "engineering",
                "unpol": "police", "unmo": "observers", "military-observers": "observers"}  # fmt: skip
#: Geo-PKO column(s) read for each need; FrontMap v2.3 has no engineering column, fuller releases may.
UNIT_COLUMNS = {
    "aviation": ("Av",),
    "medical": ("Med",),
    "engineering": ("Eng", "Engineer", "Engineering", "eng"),
    "police": ("UNPOL",),
    "observers": ("UNMO",),
}
#: Assets counted as people in flows; every other asset (helicopters, aircraft, logistics...) as items.
PEOPLE_ASSETS = ("troops", "police", "military-observers", "civilian-staff")

_EXAMPLE_DAY = "2014-01-15"


class PlanError(MessageError):
    """A planner question that cannot be answered as asked (a date, point, need or link); the message says the fix."""


def parse_day(value) -> pd.Timestamp:
    """A date given as text, date or Timestamp; ValueError naming the fix for anything else.

    >>> parse_day("2014-01-15")
    Timestamp('2014-01-15 00:00:00')
    >>> parse_day("2014-13-01")
    Traceback (most recent call last):
    ...
    imcgeo.planner.PlanError: date '2014-13-01' is not a calendar date. Fix: give it as YYYY-MM-DD, e.g. 2014-01-15
    """
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.normalize()
    try:
        day = pd.Timestamp(value) if value is not None and str(value).strip() else None
    except (ValueError, TypeError, OverflowError):
        day = None
    if day is None or pd.isna(day):
        raise PlanError(N_("date '{value}' is not a calendar date. Fix: give it as YYYY-MM-DD, e.g. {example}"),
                        value=str(value), example=_EXAMPLE_DAY)  # fmt: skip
    return day.normalize()


def _check_point(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise PlanError(
            N_("point ({lat}, {lon}) is not two numbers. Fix: give decimal degrees, latitude first, e.g. 16.77, -3.01"),
            lat=repr(lat),
            lon=repr(lon),
        ) from None
    # The numbers are echoed as typed (a decimal point), since that is how they are to be typed again.
    if not (np.isfinite(lat) and -90 <= lat <= 90):
        if np.isfinite(lat) and -90 <= lon <= 90:
            raise PlanError(
                N_("latitude {lat} is outside -90 to 90 (latitude and longitude look swapped). "
                   "Fix: give latitude first, then longitude"),
                lat=str(lat),
            )  # fmt: skip
        raise PlanError(N_("latitude {lat} is outside -90 to 90. Fix: give latitude first, then longitude"),
                        lat=str(lat))  # fmt: skip
    if not (np.isfinite(lon) and -180 <= lon <= 180):
        raise PlanError(N_("longitude {lon} is outside -180 to 180. Fix: give a longitude between -180 and 180"),
                        lon=str(lon))  # fmt: skip
    return lat, lon


def _need(name: str) -> str:
    key = NEED_ALIASES.get(str(name).lower(), str(name).lower())
    if key not in NEEDS:
        raise PlanError(N_("unknown need '{name}'. Fix: use one of {needs} (or 'helicopters' for aviation)"),
                        name=str(name), needs=", ".join(NEEDS))  # fmt: skip
    return key


def load_units(path: str | Path | bytes, *, name: str | None = None) -> pd.DataFrame:
    """Unit types at deployment sites from a Geo-PKO file (mission, year, location, latitude, longitude, Av, Med...).

    Returns one row per site and year: ``mission``, ``year``, ``site``, ``lat``, ``lon``,
    ``troops`` (``NoTroops``, a yearly average), ``hq`` (Geo-PKO's hq code: 3 marks the
    mission HQ) and one column per need in NEEDS with the number Geo-PKO reports at the site
    (``Av`` for aviation, ``Med`` for medical, ``UNPOL``, ``UNMO``; engineering from an ``Eng``
    column when the file has one). A need whose column the file lacks is NaN throughout:
    unknown, not none. Raises DataValidationError listing every problem with row, column and fix.
    """
    label = name or (Path(path).name if not isinstance(path, bytes) else "Geo-PKO file")
    required = ["mission", "year", "location", "latitude", "longitude"]
    frame = read_rows(path, label, required, extra_ok=True)
    problems = Problems(label)
    present = {need: next((c for c in cols if c in frame.columns), None) for need, cols in UNIT_COLUMNS.items()}
    if not any(present.values()):
        problems.add(1, None, N_("has none of the Geo-PKO unit columns Av, Med, UNPOL, UNMO"),
                     N_("load a Geo-PKO file (for example FrontMap_v.2.3.csv) with its unit columns"))  # fmt: skip
        problems.raise_if_any()
    out = {k: [] for k in ("mission", "year", "site", "lat", "lon", "troops", "hq", *NEEDS)}
    for rec in frame.to_dict("records"):
        row = rec["_row"]
        year = rec["year"]
        if not (year.isdigit() and 1948 <= int(year) <= 2100):
            problems.add(
                row, "year", N_("'{value}' is not a year"), N_("give a four-digit year such as 2010"), value=year
            )
        if not rec["mission"]:
            problems.add(row, "mission", N_("is empty"), N_("give the mission's acronym"))
        lat = parse_float(rec["latitude"], row, "latitude", problems, -90, 90)
        lon = parse_float(rec["longitude"], row, "longitude", problems, -180, 180)
        out["mission"].append(rec["mission"])
        out["year"].append(int(year) if year.isdigit() else -1)
        out["site"].append(rec["location"])
        out["lat"].append(np.nan if lat is None else lat)
        out["lon"].append(np.nan if lon is None else lon)
        out["troops"].append(_count(rec.get("NoTroops", ""), row, "NoTroops", problems, blank_ok=True))
        out["hq"].append(_count(rec.get("hq", ""), row, "hq", problems, blank_ok=True))
        for need, column in present.items():
            out[need].append(np.nan if column is None else _count(rec[column], row, column, problems, blank_ok=True))
    problems.raise_if_any()
    units = pd.DataFrame(out)
    units["year"] = units["year"].astype(np.int64)
    for column in ("lat", "lon", "troops", "hq", *NEEDS):
        units[column] = units[column].astype(float)
    return units


def _count(value: str, row: int, column: str, problems: Problems, *, blank_ok: bool) -> float:
    if value in ("", "NA") and blank_ok:
        return np.nan
    try:
        number = float(value)
    except ValueError:
        number = np.nan
    if not np.isfinite(number) or number < 0:
        problems.add(
            row,
            column,
            N_("'{value}' is not a count"),
            N_("give a whole number of 0 or more, or leave it empty"),
            value=value,
        )
        return np.nan
    return number


def _strength(strength: pd.DataFrame | None, acronyms: np.ndarray) -> dict[str, np.ndarray]:
    """Strength columns aligned with *acronyms*; NaN where the table has no figure.

    ``uniformed`` is the table's ``total`` where it gives one (the UN's total can include people
    in no column), else the sum of the three counts when all are known, else unknown: a total
    with a missing part would understate the force. ``strength_date`` is the figure's date.
    """
    nan = np.full(len(acronyms), np.nan)
    if strength is None:
        return {**{c: nan for c in STRENGTH_COLUMNS}, "uniformed": nan, "strength_date": np.full(len(acronyms), pd.NaT)}
    if "mission" not in strength.columns or not set(STRENGTH_COLUMNS) & set(strength.columns):
        raise ValueError(
            "strength table needs a 'mission' column and at least one of troops, police, military_observers. "
            "Fix: pass strength_on(load_strength(), date) from imcgeo.strength"
        )
    repeated = strength["mission"][strength["mission"].duplicated()].unique().tolist()
    if repeated:
        raise ValueError(
            f"strength table has several rows for {', '.join(map(str, repeated[:5]))}. "
            "Fix: pass the strength on one date (one row per mission), e.g. strength_on(table, date)"
        )
    table = strength.set_index("mission").reindex(acronyms)

    def numbers(column: str) -> np.ndarray:
        if column not in table.columns:
            return nan
        return pd.to_numeric(table[column], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    out = {column: numbers(column) for column in STRENGTH_COLUMNS}
    summed = out["troops"] + out["police"] + out["military_observers"]
    total = numbers("total")
    out["uniformed"] = np.where(np.isfinite(total), total, summed)
    dates = pd.to_datetime(table["date"]) if "date" in table.columns else pd.Series(pd.NaT, index=table.index)
    out["strength_date"] = dates.to_numpy()
    return out


@dataclass
class _Prepared:
    """Arrays the planner reads on every query, built once per world (and per unit table)."""

    missions: pd.DataFrame
    sites: pd.DataFrame | None
    start: np.ndarray
    end: np.ndarray
    hq_lat: np.ndarray
    hq_lon: np.ndarray
    hq_land: np.ndarray
    site_mission: np.ndarray
    site_lat: np.ndarray
    site_lon: np.ndarray
    site_start: np.ndarray
    site_end: np.ndarray
    site_name: np.ndarray
    units: dict = field(default_factory=dict)


_PREPARED: dict[int, tuple[weakref.ref, _Prepared]] = {}
# Open ends as dates within the nanosecond range (1677-2262).
_FAR_PAST, _FAR_FUTURE = np.datetime64("1700-01-01", "ns"), np.datetime64("2200-01-01", "ns")


def _prepare(world: World) -> _Prepared:
    # Rebuilt when the world, its missions frame or its sites frame is another object; frames
    # edited in place are not noticed (World's own caches make the same assumption).
    key = id(world)
    cached = _PREPARED.get(key)
    if cached and cached[0]() is world and cached[1].missions is world.missions and cached[1].sites is world.sites:
        return cached[1]
    missions = world.missions
    placed = missions["hq_lat"].notna().to_numpy()
    hq_lat, hq_lon = missions["hq_lat"].to_numpy(dtype=float), missions["hq_lon"].to_numpy(dtype=float)
    hq_land = np.array([world.landmass(la, lo) if ok else -2 for la, lo, ok in zip(hq_lat, hq_lon, placed)])
    index = {a: i for i, a in enumerate(missions["acronym"])}
    start = missions["start"].to_numpy(dtype="datetime64[ns]")
    end = missions["end"].to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(end), _FAR_FUTURE, end)
    sites = world.sites if world.sites is not None else pd.DataFrame(columns=["mission", "site", "lat", "lon"])
    sites = sites[sites["mission"].isin(index)]
    site_mission = sites["mission"].map(index).to_numpy(dtype=np.int64)
    # A site without dates is in use while its mission is (as imcgeo.sites.active_sites reads it).
    s_start = pd.to_datetime(sites.get("start", pd.Series(pd.NaT, index=sites.index))).to_numpy(dtype="datetime64[ns]")
    s_end = pd.to_datetime(sites.get("end", pd.Series(pd.NaT, index=sites.index))).to_numpy(dtype="datetime64[ns]")
    s_start = np.where(np.isnat(s_start), start[site_mission], s_start)
    s_end = np.where(np.isnat(s_end), end[site_mission], s_end)
    prepared = _Prepared(
        missions=missions,
        sites=world.sites,
        start=start,
        end=end,
        hq_lat=hq_lat,
        hq_lon=hq_lon,
        hq_land=hq_land,
        site_mission=site_mission,
        site_lat=sites["lat"].to_numpy(dtype=float),
        site_lon=sites["lon"].to_numpy(dtype=float),
        site_start=np.where(np.isnat(s_start), _FAR_PAST, s_start),
        site_end=np.where(np.isnat(s_end), _FAR_FUTURE, s_end),
        site_name=sites["site"].astype(str).to_numpy(dtype=object),
    )
    for stale in [k for k, (ref, _) in _PREPARED.items() if ref() is None]:
        del _PREPARED[stale]
    _PREPARED[key] = (weakref.ref(world), prepared)
    return prepared


def _units_by_year(prepared: _Prepared, units: pd.DataFrame) -> dict:
    """Unit rows grouped by year, with mission positions, cached on the prepared world."""
    key = id(units)
    cached = prepared.units.get(key)
    if cached is not None and cached[0]() is units:
        return cached[1]
    index = {a: i for i, a in enumerate(prepared.missions["acronym"])}
    known = units[units["mission"].isin(index) & units["lat"].notna() & units["lon"].notna()]
    by_year = {}
    for year, group in known.groupby("year"):
        by_year[int(year)] = {
            "mission": group["mission"].map(index).to_numpy(dtype=np.int64),
            "lat": group["lat"].to_numpy(dtype=float),
            "lon": group["lon"].to_numpy(dtype=float),
            "site": group["site"].astype(str).to_numpy(dtype=object),
            "troops": group["troops"].to_numpy(dtype=float),
            **{need: group[need].to_numpy(dtype=float) for need in NEEDS},
        }
    result = {
        "by_year": by_year,
        "years": (int(units["year"].min()), int(units["year"].max())) if len(units) else None,
        "lacks": [need for need in NEEDS if units[need].isna().all()],
    }
    prepared.units = {k: v for k, v in prepared.units.items() if v[0]() is not None}
    prepared.units[key] = (weakref.ref(units), result)
    return result


def _nearest_per_mission(
    mission: np.ndarray, km: np.ndarray, names: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """For positions 0..n-1, the smallest km among rows of that mission and the name at it (NaN, '' if none)."""
    best = np.full(n, np.inf)
    label = np.full(n, "", dtype=object)
    if len(km):
        order = np.lexsort((km, mission))
        first = order[np.r_[True, mission[order][1:] != mission[order][:-1]]]
        best[mission[first]] = km[first]
        label[mission[first]] = names[first]
    return best, label


def _presence_km(prepared: _Prepared, lat: float, lon: float, when, on: np.ndarray, tr: Translator):
    """Geodesic km from the point to each mission's HQ and nearest point of presence, with that point's name.

    The same points as World.presence: the HQ and the sites in use on the date (NaN for
    missions not in *on*). An HQ is named "HQ <city>" in *tr*'s language.
    """
    n = len(on)
    pool = np.flatnonzero(on)
    hq_km = np.full(n, np.nan)
    hq_km[pool] = geodesic_km(lat, lon, prepared.hq_lat[pool], prepared.hq_lon[pool])
    live = on[prepared.site_mission] & (prepared.site_start <= when) & (prepared.site_end >= when)
    km = geodesic_km(lat, lon, prepared.site_lat[live], prepared.site_lon[live]) if live.any() else []
    site_km, nearest = _nearest_per_mission(
        prepared.site_mission[live], np.atleast_1d(np.asarray(km, dtype=float)), prepared.site_name[live], n
    )
    at_hq = hq_km <= site_km
    missions = prepared.missions
    if "hq_city" in missions:
        template = tr.gettext("HQ {city}")
        hq_label = np.array([template.format(city=city) for city in missions["hq_city"].astype(str)], dtype=object)
    else:
        hq_label = tr.gettext("HQ")
    return hq_km, np.where(at_hq, hq_km, site_km), np.where(at_hq, hq_label, nearest)


def _unit_columns(
    prepared: _Prepared, units: pd.DataFrame, year: int, on: np.ndarray, lat: float, lon: float, tr: Translator
):
    """Per mission: ``<need>_sites`` and ``<need>_km`` for every need, ``geopko_troops``; and the caveats (in *tr*).

    Also returns, per need, the nearest site holding it as (km, name) arrays (inf, '' where none).
    """
    n = len(on)
    info = _units_by_year(prepared, units)
    rows = info["by_year"].get(year)
    span = info["years"]
    # Years are shown as written (never grouped: 2010, not 2,010).
    caveats = [
        tr.gettext(
            "Unit types come from the Geo-PKO records of {year}: units reported at deployment sites over the "
            "year, not what could be spared; a mission's helicopters may be committed, grounded or under "
            "national caveats. Geo-PKO troop numbers are yearly averages coded from unit sizes, not UN figures."
        ).format(year=year)
    ]
    recorded = np.zeros(n, dtype=bool)
    if rows is None:
        if span:
            caveats.append(
                tr.gettext(
                    "The unit file has no records for {year} (it covers {first}-{last}): unit types are unknown "
                    "on this date."
                ).format(year=year, first=span[0], last=span[1])
            )
        else:
            caveats.append(
                tr.gettext("The unit file has no records for {year}: unit types are unknown on this date.").format(
                    year=year
                )
            )
    else:
        recorded[rows["mission"]] = True
        unrecorded = int((on & ~recorded).sum())
        if unrecorded:
            # English uses one form for any count; the plural pair lets other languages agree.
            caveats.append(
                tr.ngettext(
                    "{unrecorded} of the {n} missions active on the date have no Geo-PKO record for {year}: their "
                    "unit types are unknown (blank, not zero).",
                    "{unrecorded} of the {n} missions active on the date have no Geo-PKO record for {year}: their "
                    "unit types are unknown (blank, not zero).",
                    unrecorded,
                ).format(unrecorded=tr.format_number(unrecorded), n=tr.format_number(int(on.sum())), year=year)
            )
    caveats += [
        tr.gettext("The unit file has no {need} column: {needs} are unknown for every mission.").format(
            need=need, needs=tr.gettext(NEEDS[need])
        )
        for need in info["lacks"]
    ]
    columns: dict[str, np.ndarray] = {}
    nearest: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for need in NEEDS:
        count = np.full(n, np.nan)
        near, label = np.full(n, np.inf), np.full(n, "", dtype=object)
        if rows is not None and need not in info["lacks"]:
            count[recorded] = 0.0
            has = rows[need] > 0
            np.add.at(count, rows["mission"][has], 1.0)
            if has.any():
                km = np.atleast_1d(geodesic_km(lat, lon, rows["lat"][has], rows["lon"][has]))
                near, label = _nearest_per_mission(rows["mission"][has], km, rows["site"][has], n)
        columns[f"{need}_sites"] = count
        columns[f"{need}_km"] = np.where(np.isinf(near), np.nan, near)
        nearest[need] = (near, label)
    troops = np.full(n, np.nan)
    if rows is not None:
        counted = np.isfinite(rows["troops"])
        troops[np.unique(rows["mission"][counted])] = 0.0
        np.add.at(troops, rows["mission"][counted], rows["troops"][counted])
    columns["geopko_troops"] = troops
    return columns, nearest, caveats


@dataclass
class Plan:
    """The answer to "who could help here, on this date": the ranked table and what to show beside it.

    ``table`` columns: ``rank``, ``acronym``, ``name``, ``kind``, ``region``, ``hq_km`` (to the
    HQ), ``site_km`` and ``nearest_site`` (the closest point of presence: an active deployment
    site or the HQ), ``same_landmass``, estimated ``road_days``, ``helicopter_h``,
    ``fixed_wing_h``, ``travel_h`` and ``travel_by`` (the fastest mode) measured from
    ``from_km``/``from_site`` (the nearest site holding every need asked for, else ``site_km``),
    ``troops``, ``police``, ``military_observers``, ``uniformed`` and ``strength_date`` (from the
    strength table; NaN/NaT when not known) and, with a unit table, ``<need>_sites`` for each
    need (sites where Geo-PKO reports such a unit in the date's year; NaN when Geo-PKO has no
    record of the mission that year), ``<need>_km`` (the nearest of them) and ``geopko_troops``
    (the sum of Geo-PKO's yearly-average troop numbers at the mission's sites that year: an
    approximation Geo-PKO codes from unit sizes, not a UN strength figure).

    ``candidates`` counts the rows before *k* cut the table; ``caveats`` are sentences the page
    shows beside the table; ``assumptions`` are the travel figures (one line per mode).
    """

    lat: float
    lon: float
    date: pd.Timestamp
    measure: str
    table: pd.DataFrame
    assumptions: list[str]
    caveats: list[str]
    candidates: int = 0
    #: The settings the plan was made with, as helpers_at's keyword arguments (for links).
    settings: dict = field(default_factory=dict)

    def link_params(self) -> dict[str, str]:
        """Query parameters that reopen this plan: ``at``, ``date`` and every setting not at its default.

        :func:`read_link` reads them back.
        """
        params = {"at": f"{self.lat:.4f},{self.lon:.4f}", "date": f"{self.date:%Y-%m-%d}"}
        for key, value in self.settings.items():
            if value is None or value == _DEFAULTS.get(key):
                continue
            params[key] = (
                ",".join(value) if key == "needs" else f"{value:g}" if isinstance(value, float) else str(value)
            )
        return params


def helpers_at(
    world: World,
    lat: float,
    lon: float,
    date,
    k: int | None = 5,
    measure: str = "travel",
    needs=None,
    strength: pd.DataFrame | None = None,
    sites: pd.DataFrame | None = None,
    *,
    within_km: float | None = None,
    within_h: float | None = None,
    within_mode: str = "travel_h",
    rank_by: str = "distance",
    kinds: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
    tr: Translator | None = None,
) -> Plan:
    """The missions active on *date* that could send help to the point (*lat*, *lon*), best first.

    Distances are exact WGS84 geodesic km from the point to each mission's HQ and to its
    nearest point of presence on the date (its HQ and the active sites of ``world.sites``);
    travel times are estimates from data/travel.toml (road only on the same landmass,
    helicopter within its ferry range, fixed-wing). *measure* ranks by ``travel`` (the fastest
    mode), ``hq`` or ``site`` km; ``rank_by="strength"`` ranks by uniformed strength instead
    (largest first, unknown last), e.g. "the largest force within 1,500 km".

    - *strength*: one row per mission on the date, columns ``mission`` and any of ``troops``,
      ``police``, ``military_observers`` (``imcgeo.strength.strength_on``). Not spare capacity.
    - *sites*: a unit table from :func:`load_units` (a Geo-PKO file); *needs* (e.g.
      ``{"helicopters"}``, ``{"medical"}``) keeps the missions where it reports such units in
      the date's year, and then measures travel from the nearest such site.
    - *within_km* keeps missions within that many km (by *measure*'s distance: ``hq_km`` for
      ``hq``, else ``from_km``); *within_h* keeps those whose estimate is within that many
      hours, by the fastest mode or by *within_mode* (``helicopter_h`` for "missions with
      helicopters within 6 hours", ``fixed_wing_h``); *kinds* keeps missions of those kinds;
      *exclude*/*include* drop or add missions whatever their dates (a case's target, its actual helper).
    - *k*: rows kept (``None``: all).
    - *tr*: the language of the caveats, the assumptions and the table's words (``travel_by``,
      ``nearest_site``, ``from_site``); English by default.

    Returns a :class:`Plan` with the table, the travel assumptions and the caveats to show.
    Raises PlanError (``text(tr)``: any language) for a bad point, date or need.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    lat, lon = _check_point(lat, lon)
    day = parse_day(date)
    if measure not in PLAN_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(PLAN_MEASURES)}, not {measure!r}")
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, not {rank_by!r}")
    wanted = sorted({_need(n) for n in ([needs] if isinstance(needs, str) else needs or ())})
    if wanted and sites is None:
        raise PlanError(
            N_("needs {needs} are read from deployment records. "
               "Fix: load a Geo-PKO file with imcgeo.planner.load_units(path) and pass it as sites="),
            needs=", ".join(wanted),
        )  # fmt: skip
    if within_mode not in WITHIN_MODES:
        raise ValueError(f"within_mode must be travel_h, helicopter_h or fixed_wing_h, not {within_mode!r}")
    if rank_by == "strength" and strength is None:
        raise ValueError("rank_by='strength' needs a strength table. Fix: pass strength=strength_on(table, date)")
    prepared = _prepare(world)
    missions = prepared.missions
    acronyms = missions["acronym"].to_numpy(dtype=object)
    when = np.datetime64(day, "ns")
    on = (prepared.start <= when) & (prepared.end >= when)
    on |= np.isin(acronyms, list(include))
    on &= ~np.isin(acronyms, list(exclude)) & np.isfinite(prepared.hq_lat)
    if kinds is not None:
        on &= missions["kind"].isin(kinds).to_numpy() | np.isin(acronyms, list(include))
    caveats = [
        tr.gettext(
            "Travel times are planning estimates from straight-line distances and the assumptions shown, "
            "not routes, schedules or the time a decision takes."
        ),
        tr.gettext("No deployment sites are loaded: distances are to mission headquarters only.")
        if world.sites is None
        else tr.gettext(
            "Distances to sites use only the deployment sites loaded; a mission's other posts are not known."
        ),
    ]
    hq_km, site_km, nearest_site = _presence_km(prepared, lat, lon, when, on, tr)
    from_km, from_site = site_km.copy(), nearest_site.copy()
    keep = on.copy()
    unit_columns: dict[str, np.ndarray] = {}
    if sites is not None:
        unit_columns, need_km, unit_caveats = _unit_columns(prepared, sites, day.year, on, lat, lon, tr)
        caveats += unit_caveats
        for need in wanted:
            keep &= unit_columns[f"{need}_sites"] > 0
        if wanted:
            # Help with a unit type comes from where that unit is: the farthest of the nearest sites.
            stacked = np.column_stack([need_km[w][0] for w in wanted])
            far = np.argmax(stacked, axis=1)
            from_km = stacked[np.arange(len(far)), far]
            from_site = np.array([need_km[wanted[j]][1][i] for i, j in enumerate(far)], dtype=object)
            needs_words = format_list([tr.gettext(NEEDS[w]) for w in wanted], locale=tr.locale)
            caveats.append(
                tr.gettext(
                    "Travel is measured from the nearest site where Geo-PKO reports {needs}; missions with no such "
                    "record are left out."
                ).format(needs=needs_words)
            )
    here = world.landmass(lat, lon)
    same_land = prepared.hq_land == here if here >= 0 else np.zeros(len(missions), dtype=bool)
    if here < 0:
        caveats.append(
            tr.gettext("The point is at sea (no landmass within about {km} km): no road estimates.").format(
                km=tr.format_number(50)
            )
        )
    from_km = np.where(np.isfinite(from_km), from_km, np.nan)
    hours = fastest(estimate_hours(from_km, world.assumptions, same_landmass=same_land), tr=tr)
    power = _strength(strength, acronyms)
    if within_km is not None:
        keep &= (hq_km if measure == "hq" else from_km) <= float(within_km)
    if within_h is not None:
        keep &= np.asarray(hours[within_mode], dtype=float) <= float(within_h)
    if strength is None:
        caveats.append(tr.gettext("No strength table is loaded: the size of each force is not shown."))
    else:
        caveats.append(
            tr.gettext(
                "Strength is the mission's uniformed personnel on the date, not spare capacity: most of it is "
                "committed to the mission's own mandate, and lending it needs Council and troop-contributor consent."
            )
        )
        unknown = int(np.isnan(power["uniformed"][keep]).sum())
        if unknown:
            # English uses one form for any count; the plural pair lets other languages agree.
            caveats.append(
                tr.ngettext(
                    "{n} of the missions listed have no strength figure for the date (blank).",
                    "{n} of the missions listed have no strength figure for the date (blank).",
                    unknown,
                ).format(n=tr.format_number(unknown))
            )
    chosen = np.flatnonzero(keep)
    table = pd.DataFrame(
        {
            "acronym": acronyms[chosen],
            "name": missions["name"].to_numpy(dtype=object)[chosen],
            "kind": missions["kind"].to_numpy(dtype=object)[chosen],
            "region": missions["region"].to_numpy(dtype=object)[chosen],
            "hq_km": hq_km[chosen],
            "site_km": site_km[chosen],
            "nearest_site": nearest_site[chosen],
            "from_km": from_km[chosen],
            "from_site": from_site[chosen],
            "same_landmass": same_land[chosen],
            **{column: np.asarray(values)[chosen] for column, values in hours.items()},
            **{column: values[chosen] for column, values in power.items()},
            **{column: values[chosen] for column, values in unit_columns.items()},
        }
    )
    by = {"travel": "travel_h", "hq": "hq_km", "site": "site_km"}[measure]
    if rank_by == "strength":
        table["_power"] = -table["uniformed"]
        order = ["_power", by, "hq_km", "acronym"]
    else:
        order = [by, "hq_km", "acronym"]
    table = table.sort_values(order, kind="stable", na_position="last").drop(columns="_power", errors="ignore")
    table = table.reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return Plan(
        lat=lat,
        lon=lon,
        date=day,
        measure=measure,
        table=table if k is None else table.head(k),
        assumptions=world.assumptions.describe(tr=tr),
        caveats=caveats,
        candidates=len(table),
        settings={
            "measure": measure,
            "k": k,
            "needs": tuple(wanted),
            "within_km": None if within_km is None else float(within_km),
            "within_h": None if within_h is None else float(within_h),
            "within_mode": within_mode,
            "rank_by": rank_by,
        },
    )


#: Settings a link leaves out because they are helpers_at's defaults.
_DEFAULTS = {"measure": "travel", "k": 5, "needs": (), "within_mode": "travel_h", "rank_by": "distance"}


def read_link(params) -> dict:
    """helpers_at's arguments (``lat``, ``lon``, ``date`` and settings) from a link's query parameters.

    The inverse of :meth:`Plan.link_params`: ``{"at": "9.53,31.66", "date": "2014-01-15",
    "needs": "aviation", "within_h": "6"}``. Raises PlanError naming the parameter and the fix.

    >>> read_link({"at": "9.53,31.66", "date": "2014-01-15", "within_km": "1500"})["within_km"]
    1500.0
    """
    if "at" not in params or "date" not in params:
        raise PlanError(N_("a planner link needs 'at' and 'date'. Fix: e.g. ?at=9.53,31.66&date=2014-01-15"))
    try:
        lat, lon = parse_point(str(params["at"]))
    except PointError as error:
        raise PlanError(N_("link parameter '{key}': {error}"), key="at", error=error.message) from None
    try:
        day = parse_day(params["date"])
    except PlanError as error:
        raise PlanError(N_("link parameter '{key}': {error}"), key="date", error=error.message) from None
    out = {"lat": lat, "lon": lon, "date": day}
    for key in ("within_km", "within_h"):
        if params.get(key):
            try:
                out[key] = float(params[key])
            except ValueError:
                raise PlanError(N_("link parameter '{key}'={value} is not a number. Fix: e.g. {key}=6"),
                                key=key, value=repr(params[key])) from None  # fmt: skip
    if params.get("k"):
        if not str(params["k"]).isdigit() or int(params["k"]) < 1:
            raise PlanError(N_("link parameter 'k'={value} is not a whole number of rows. Fix: e.g. k=5"),
                            value=repr(params["k"]))  # fmt: skip
        out["k"] = int(params["k"])
    if params.get("needs"):
        out["needs"] = tuple(_need(n.strip()) for n in str(params["needs"]).split(",") if n.strip())
    for key, allowed in (("measure", PLAN_MEASURES), ("rank_by", RANK_BY), ("within_mode", WITHIN_MODES)):
        if params.get(key):
            if params[key] not in allowed:
                raise PlanError(N_("link parameter '{key}'={value} is not one of {values}"),
                                key=key, value=repr(params[key]), values=", ".join(allowed))  # fmt: skip
            out[key] = params[key]
    return out


def reach_km(hours: float, assumptions: Assumptions) -> dict[str, float]:
    """How far each mode gets in *hours* of elapsed time under the assumptions: radii for rings on the map.

    The inverse of the estimates in helpers_at (``travel_h`` counts a road day as 24 hours):
    a place at that geodesic distance is estimated to be reached in *hours* or less. 0 when the
    preparation time alone exceeds *hours*; the helicopter never beyond its ferry range.

    >>> from imcgeo.travel import load_assumptions
    >>> {mode: round(km) for mode, km in reach_km(6, load_assumptions()).items()}
    {'road_days': 50, 'helicopter_h': 450, 'fixed_wing_h': 0}
    """
    road, heli, fixed = assumptions.road, assumptions.helicopter, assumptions.fixed_wing
    road_km = hours / 24 * road["hours_per_day"] * road["speed_kmh"] / road["detour_factor"]
    return {
        "road_days": float(road_km),
        "helicopter_h": min(_flight_reach(hours, heli), float(heli["max_ferry_km"])),
        "fixed_wing_h": _flight_reach(hours, fixed),
    }


def _flight_reach(hours: float, mode: dict) -> float:
    # With n refuelling stops a flight covers (n*range, (n+1)*range]; take the farthest leg count that fits.
    best = 0.0
    for stops in range(0, 100):
        flying = hours - mode["prep_h"] - stops * mode["refuel_stop_h"]
        if flying <= 0:
            break
        distance = min(flying * mode["cruise_kmh"], (stops + 1) * mode["range_km"])
        if distance > stops * mode["range_km"]:
            best = max(best, distance)
    return float(best)


def case_ranks(
    world: World,
    transfers: pd.DataFrame,
    strength_on=None,
    sites: pd.DataFrame | None = None,
    *,
    tr: Translator | None = None,
) -> pd.DataFrame:
    """For each transfer, where its real source ranked among the missions that could have helped its target.

    The point is the target's HQ and the date the transfer's start; candidates are the
    missions active then (the source always counts, the target never). *strength_on* is a
    function date -> strength table (e.g. ``lambda d: strength_on(table, d)``); without it the
    strength ranks are empty. Columns: ``event_id``, ``source_mission``, ``target_mission``,
    ``start``, ``asset``, ``confidence``, ``candidates``, ``rank_travel``, ``rank_site``,
    ``rank_hq`` (1 = nearest), ``rank_strength`` (1 = largest uniformed force among those with a
    figure; empty when the source has none), ``with_strength`` (candidates with a figure) and
    ``note`` for rows that cannot be ranked (in *tr*'s language: English by default).
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    prepared = _prepare(world)
    missions = prepared.missions.set_index("acronym")
    placed = set(missions.index[missions["hq_lat"].notna()])
    rows = []
    for rec in transfers.to_dict("records"):
        out = {
            c: rec.get(c, "") for c in ("event_id", "source_mission", "target_mission", "start", "asset", "confidence")
        }
        src, dst = rec["source_mission"], rec["target_mission"]
        if src not in placed or dst not in placed:
            rows.append({**out, "note": tr.gettext(PLACEHOLDER_NOTE)})
            continue
        table_strength = strength_on(rec["start"]) if strength_on is not None else None
        plan = helpers_at(world, missions.at[dst, "hq_lat"], missions.at[dst, "hq_lon"], rec["start"], k=None,
                          strength=table_strength, sites=sites, exclude=(dst,), include=(src,))  # fmt: skip
        table = plan.table
        ranks = {}
        for measure, column in (("travel", "travel_h"), ("site", "site_km"), ("hq", "hq_km")):
            order = table.sort_values([column, "hq_km", "acronym"], kind="stable", na_position="last")
            ranks[f"rank_{measure}"] = order["acronym"].tolist().index(src) + 1
        known = table.dropna(subset=["uniformed"])
        ranks["with_strength"] = len(known)
        if src in set(known["acronym"]):
            bigger = known.sort_values(["uniformed", "hq_km"], ascending=[False, True], kind="stable")
            ranks["rank_strength"] = bigger["acronym"].tolist().index(src) + 1
        rows.append({**out, "candidates": len(table), **ranks, "note": ""})
    columns = ["event_id", "source_mission", "target_mission", "start", "asset", "confidence", "candidates",
               "rank_travel", "rank_site", "rank_hq", "rank_strength", "with_strength", "note"]  # fmt: skip
    frame = pd.DataFrame(rows).reindex(columns=columns)
    for column in columns[6:-1]:
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


def _join(values) -> str:
    return "; ".join(sorted({str(v) for v in values if isinstance(v, str) and v}))


def flows(
    transfers: pd.DataFrame, missions: pd.DataFrame | None = None, *, tr: Translator | None = None
) -> pd.DataFrame:
    """One row per (source, target) mission pair: the transfers between them merged into one arc.

    Columns: ``source_mission``, ``target_mission``, ``transfers`` (rows), ``cases`` (distinct
    event_ids), ``people`` (sum of the stated quantities of PEOPLE_ASSETS), ``items`` (sum of the
    stated quantities of every other asset), ``unknown_quantity`` (rows whose source gives no
    number: the sums leave them out, so they are lower bounds), ``by_asset`` ("troops 120;
    helicopters 3 + 1 unknown"), ``first``/``last`` (earliest start, latest end or start),
    ``surges``, ``assets`` and, with *missions*, the HQ positions ``source_lat``/``source_lon``/
    ``target_lat``/``target_lon``. Sorted by people + items, then transfers, largest first.
    ``by_asset`` is in *tr*'s language (English by default), its numbers written the language's way.
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    columns = ["source_mission", "target_mission", "transfers", "cases", "people", "items", "unknown_quantity",
               "by_asset", "first", "last", "surges", "assets"]  # fmt: skip
    if transfers.empty:
        return pd.DataFrame(columns=columns)
    frame = transfers.copy()
    quantity = pd.to_numeric(frame["quantity"], errors="coerce").astype(float)
    people = frame["asset"].isin(PEOPLE_ASSETS)
    frame["_people"] = quantity.where(people)
    frame["_items"] = quantity.where(~people)
    frame["_unknown"] = quantity.isna()
    frame["_last"] = frame["end"].fillna(frame["start"]) if "end" in frame else frame["start"]
    groups = frame.groupby(["source_mission", "target_mission"], sort=True)
    out = groups.agg(
        transfers=("asset", "size"),
        cases=("event_id", "nunique"),
        people=("_people", lambda s: s.sum(min_count=1)),
        items=("_items", lambda s: s.sum(min_count=1)),
        unknown_quantity=("_unknown", "sum"),
        first=("start", "min"),
        last=("_last", "max"),
        surges=("surge", _join),
        assets=("asset", _join),
    ).reset_index()
    out["by_asset"] = [_by_asset(group, tr) for _, group in groups]
    if missions is not None:
        where = missions.set_index("acronym")[["hq_lat", "hq_lon"]]
        for end in ("source", "target"):
            out[f"{end}_lat"] = out[f"{end}_mission"].map(where["hq_lat"])
            out[f"{end}_lon"] = out[f"{end}_mission"].map(where["hq_lon"])
        columns = [*columns, "source_lat", "source_lon", "target_lat", "target_lon"]
    size = out["people"].fillna(0) + out["items"].fillna(0)
    out = out.assign(_size=size).sort_values(["_size", "transfers", "source_mission", "target_mission"],
                                             ascending=[False, False, True, True], kind="stable")  # fmt: skip
    return out[columns].reset_index(drop=True)


def _by_asset(group: pd.DataFrame, tr: Translator) -> str:
    """'troops 120; helicopters 3 + 1 unknown; police (2 unknown)': what each asset of a pair adds up to."""
    parts = []
    for asset, rows in group.groupby("asset", sort=True):
        known = pd.to_numeric(rows["quantity"], errors="coerce")
        total = known.sum(min_count=1)
        missing = int(known.isna().sum())
        name = tr.label(asset).lower()
        text = f"{name} {tr.format_number(total, 0)}" if pd.notna(total) else name
        if missing:
            unknown = tr.ngettext("{n} unknown", "{n} unknown", missing).format(n=tr.format_number(missing))
            text += f" + {unknown}" if pd.notna(total) else f" ({unknown})"
        parts.append(text)
    return "; ".join(parts)


def mission_totals(transfers: pd.DataFrame) -> pd.DataFrame:
    """What each mission gave and received: one row per mission named in *transfers*.

    Columns: ``mission``, ``gave_transfers``, ``gave_people``, ``gave_items``, ``gave_unknown``
    (transfers with no stated quantity), ``gave_to`` (targets, ';'-separated), and the same with
    ``received_`` and ``received_from``. Sums are of stated quantities only, so with unknown
    quantities they are lower bounds; NaN when no quantity at all is stated.
    """
    pairs = flows(transfers)
    rows = []
    for mission in sorted(set(pairs["source_mission"]) | set(pairs["target_mission"])):
        record = {"mission": mission}
        sides = (
            ("gave", "source_mission", "target_mission", "gave_to"),
            ("received", "target_mission", "source_mission", "received_from"),
        )
        for side, own, other, partner in sides:
            mine = pairs[pairs[own] == mission]
            record[f"{side}_transfers"] = int(mine["transfers"].sum())
            record[f"{side}_people"] = mine["people"].sum(min_count=1)
            record[f"{side}_items"] = mine["items"].sum(min_count=1)
            record[f"{side}_unknown"] = int(mine["unknown_quantity"].sum())
            record[partner] = "; ".join(sorted(mine[other]))
        rows.append(record)
    columns = ["mission", *(f"gave_{c}" for c in ("transfers", "people", "items", "unknown")), "gave_to",
               *(f"received_{c}" for c in ("transfers", "people", "items", "unknown")), "received_from"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
