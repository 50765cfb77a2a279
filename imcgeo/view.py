"""The dashboard's view as plain data: filters, time and camera, to and from a link's query string."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from imcgeo.i18n import LANGUAGES, N_, Message, MessageError
from imcgeo.planner import read_link
from imcgeo.scenes import Scene
from imcgeo.timeline import transfer_years
from imcgeo.vocab import ASSETS, COLOUR_BY, CONFIDENCE, MEASURES, MODES, REGIONS, SURGES

__all__ = ["FILTERS", "Filters", "View", "apply_scene", "filter_transfers", "parse_query", "to_query"]

#: Multi-value filters: the query key, and the vocabulary a value must come from.
FILTERS = {"surge": SURGES, "asset": ASSETS, "region": REGIONS, "confidence": CONFIDENCE}
_MAX_VALUE = 500  # longer query values are refused unread
#: The planner's settings a link may carry besides its place (``at``) and ``date``.
PLAN_KEYS = ("needs", "within_h", "within_km", "within_mode", "rank_by", "k")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Filters(Mapping):
    """The view's multi-value filters, {key: values}: read like a dict, hashable, empty values dropped.

    >>> Filters({"surge": ["election"], "asset": []}) == {"surge": ("election",)}
    True
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping | None = None):
        pairs = dict(items or {})
        self._items = tuple(sorted((str(k), tuple(v)) for k, v in pairs.items() if v))

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return dict(self._items)[key]

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other) -> bool:
        if isinstance(other, Filters):
            return self._items == other._items
        return isinstance(other, Mapping) and dict(self._items) == {k: tuple(v) for k, v in other.items() if v}

    def __repr__(self) -> str:
        return f"Filters({dict(self._items)!r})"


@dataclass(frozen=True)
class View:
    """Everything that decides what the map and the explorer show. Hashable; empty filters mean 'all'.

    ``date`` ("YYYY-MM-DD") is a moment within ``year`` (where playback paused), else the year as a
    whole. ``explore`` is the mission the proximity explorer ranks helpers for, on ``explore_date``,
    by ``measure``; ``rings`` draws its rings and nearest helpers on the map. ``at`` is the
    planner's place (lat, lon): who could help there on ``date`` (else mid-year), with the
    planner's other settings in ``plan`` as link parameters (needs, within_h, within_km, ...).
    ``flows`` merges the arcs of each pair of missions into one; ``lang`` is the language of its words.
    """

    first: int
    last: int
    year: int
    mode: str = "cumulative"
    colour: str = "surge"
    mission: str | None = None
    scene: str | None = None
    camera: tuple[float, float, float] | None = None
    presenter: bool = False
    filters: Filters = field(default_factory=Filters)
    date: str | None = None
    explore: str | None = None
    explore_date: str | None = None
    measure: str = "travel"
    rings: bool = False
    at: tuple[float, float] | None = None
    plan: tuple[tuple[str, str], ...] = ()
    flows: bool = False
    lang: str = "en"

    def __post_init__(self):
        if not isinstance(self.filters, Filters):
            object.__setattr__(self, "filters", Filters(self.filters))
        if self.camera is not None:
            object.__setattr__(self, "camera", tuple(float(c) for c in self.camera))
        if self.at is not None:
            object.__setattr__(self, "at", (round(float(self.at[0]), 4), round(float(self.at[1]), 4)))
        object.__setattr__(self, "plan", tuple(sorted((str(k), str(v)) for k, v in dict(self.plan).items() if v)))

    def clamp(self) -> View:
        """The same view with its period in order and its year (and date) inside the period."""
        first, last = sorted((self.first, self.last))
        year = min(max(self.year, first), last)
        date = self.date if self.date and int(self.date[:4]) == year else None
        return replace(self, first=first, last=last, year=year, date=date)


def apply_scene(view: View, scene: Scene, bounds: tuple[int, int]) -> View:
    """The view a scene stores, on top of the defaults in *view*."""
    lo, hi = bounds
    first = max(lo, scene.first) if scene.first is not None else lo
    last = min(hi, scene.last) if scene.last is not None else hi
    return View(
        first=first,
        last=last,
        year=scene.year if scene.year is not None else last,
        mode=scene.mode or view.mode,
        colour=scene.colour or view.colour,
        mission=scene.mission,
        scene=scene.id,
        camera=scene.camera,
        presenter=view.presenter,
        filters=dict(scene.filters),
        explore=view.explore,
        explore_date=view.explore_date,
        measure=view.measure,
    ).clamp()


def parse_query(
    params: Mapping[str, object], default: View, *, scenes: list[Scene], missions: set[str], bounds: tuple[int, int]
) -> tuple[View, list[Message]]:
    """The view a link asks for, and a notice for every value that was ignored (``Message``: any language).

    Never raises: unknown keys are ignored silently, bad values with a notice that quotes a
    short, safe excerpt of the value (so no markup from the link reaches the page).
    """
    notices: list[Message] = []
    get = {str(k): _one(v) for k, v in params.items()}

    def ignore(key: str, value: str, why: str, **values) -> None:
        reason = Message(why, tuple(values.items()))
        notices.append(
            Message(N_("Ignored {key}={value}: {why}."), (("key", key), ("value", _safe(value)), ("why", reason)))
        )

    for key, value in get.items():
        if len(value) > _MAX_VALUE:
            ignore(key, value, N_("longer than {n} characters"), n=_MAX_VALUE)
    get = {k: v for k, v in get.items() if len(v) <= _MAX_VALUE}
    view = default
    lo, hi = bounds
    if "scene" in get:
        match = next((s for s in scenes if s.id == get["scene"]), None)
        if match is None:
            ignore("scene", get["scene"], N_("no such scene"))
        else:
            view = apply_scene(view, match, bounds)
    changes: dict = {}
    for key in ("year", "from", "to"):
        if key in get:
            year = _int(get[key])
            if year is None or not lo <= year <= hi:
                ignore(key, get[key], N_("not a year from {first} to {last}"), first=str(lo), last=str(hi))
            else:
                changes[{"from": "first", "to": "last"}.get(key, key)] = year
    for key, allowed in (("mode", tuple(MODES)), ("colour", COLOUR_BY)):
        if key in get:
            if get[key] in allowed:
                changes[key] = get[key]
            else:
                ignore(key, get[key], N_("not one of {values}"), values=", ".join(allowed))
    if "mission" in get:
        if get["mission"] in missions:
            changes["mission"] = get["mission"]
        elif get["mission"] in ("", "all"):
            changes["mission"] = None
        else:
            ignore("mission", get["mission"], N_("not a mission in the data"))
    for key in ("presenter", "rings", "flows"):
        if key in get:
            changes[key] = get[key] in ("1", "true", "yes", "on")
    for key, attr in (("date", "date"), ("on", "explore_date")):
        if key in get:
            when = _date(get[key])
            if when is None:
                ignore(key, get[key], N_("not a date written YYYY-MM-DD"))
            else:
                changes[attr] = when
    if "date" in changes and "year" not in changes:
        changes["year"] = int(changes["date"][:4])
    if "explore" in get:
        if get["explore"] in missions:
            changes["explore"] = get["explore"]
        else:
            ignore("explore", get["explore"], N_("not a mission in the data"))
    if "at" in get:
        plan = {k: get[k] for k in PLAN_KEYS if get.get(k)}
        try:
            settings = read_link({"at": get["at"], "date": get.get("date") or f"{changes.get('year', view.year)}-07-01",
                                  **plan})  # fmt: skip
        except ValueError as error:
            notices.append(_link_problem("at", get["at"], error))
        else:
            changes["at"] = (settings["lat"], settings["lon"])
            changes["plan"] = tuple(plan.items())
    if "lang" in get:
        if get["lang"] in LANGUAGES:
            changes["lang"] = get["lang"]
        else:
            ignore("lang", get["lang"], N_("not one of {values}"), values=", ".join(LANGUAGES))
    if "measure" in get:
        if get["measure"] in MEASURES:
            changes["measure"] = get["measure"]
        else:
            ignore("measure", get["measure"], N_("not one of {values}"), values=", ".join(MEASURES))
    filters = dict(view.filters)
    for key, allowed in FILTERS.items():
        if key not in get:
            continue
        values = [v.strip() for v in get[key].split(",") if v.strip()]
        good = tuple(dict.fromkeys(v for v in values if v in allowed))
        for v in values:
            if v not in allowed:
                ignore(key, v, N_("not one of {values}"), values=", ".join(allowed))
        if good or not values:
            filters[key] = good
    changes["filters"] = {k: v for k, v in filters.items() if v}
    if {"lat", "lon", "zoom"} <= get.keys():
        lat, lon, zoom = (_float(get[k]) for k in ("lat", "lon", "zoom"))
        if None in (lat, lon, zoom) or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 20):
            ignore("lat/lon/zoom", f"{get['lat']},{get['lon']},{get['zoom']}", N_("not a camera position"))
        else:
            changes["camera"] = (lat, lon, zoom)
    return replace(view, **changes).clamp(), notices


def to_query(view: View) -> dict[str, str]:
    """The query string that reopens *view* (only what a link needs)."""
    query = {"year": str(view.year), "from": str(view.first), "to": str(view.last), "mode": view.mode}
    if view.scene:
        query["scene"] = view.scene
    query["colour"] = view.colour
    # With a scene, an empty value must be written out, or reopening the scene would restore its own.
    if view.mission or view.scene:
        query["mission"] = view.mission or "all"
    for key in FILTERS:
        if view.filters.get(key) or view.scene:
            query[key] = ",".join(view.filters.get(key, ()))
    if view.camera:
        query.update(lat=f"{view.camera[0]:.2f}", lon=f"{view.camera[1]:.2f}", zoom=f"{view.camera[2]:.1f}")
    if view.presenter:
        query["presenter"] = "1"
    if view.date:
        query["date"] = view.date
    if view.explore:
        query["explore"] = view.explore
        if view.explore_date:
            query["on"] = view.explore_date
        query["measure"] = view.measure
    if view.rings:
        query["rings"] = "1"
    if view.flows:
        query["flows"] = "1"
    if view.lang != "en":
        query["lang"] = view.lang
    if view.at:
        query["at"] = f"{view.at[0]:.4f},{view.at[1]:.4f}"
        query.update(view.plan)
    return query


def filter_transfers(transfers: pd.DataFrame, missions: pd.DataFrame, view: View) -> pd.DataFrame:
    """Transfers that pass the view's filters and overlap its period (time of the frame aside)."""
    keep = pd.Series(True, index=transfers.index)
    for key in ("surge", "asset", "confidence"):
        if view.filters.get(key):
            keep &= transfers[key].isin(view.filters[key])
    if view.filters.get("region"):
        regions = dict(zip(missions["acronym"], missions["region"]))
        wanted = set(view.filters["region"])
        keep &= transfers["source_mission"].map(regions).isin(wanted) | transfers["target_mission"].map(regions).isin(
            wanted
        )
    if view.mission:
        keep &= (transfers["source_mission"] == view.mission) | (transfers["target_mission"] == view.mission)
    first, last = transfer_years(transfers)
    keep &= (last >= view.first) & (first <= view.last)
    return transfers[keep]


def _one(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?\d{1,6}", text.strip()) else None


def _date(text: str) -> str | None:
    if not _DATE.match(text.strip()):
        return None
    try:
        return pd.Timestamp(text.strip()).strftime("%Y-%m-%d")
    except ValueError:
        return None


def _float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _link_problem(key: str, value: str, error: ValueError) -> Message:
    """A notice for a link value the planner refused, in any language, with no markup from the link in it."""
    if isinstance(error, MessageError):
        reason = error.message
        reason = Message(reason.template, tuple((k, _excerpt(v)) for k, v in reason.params))
    else:
        reason = Message("{error}", (("error", _excerpt(str(error).split(". Fix")[0])),))
    return Message(N_("Ignored {key}={value}: {why}."), (("key", key), ("value", _safe(value)), ("why", reason)))


def _excerpt(value: object) -> object:
    """A value of a message about the link, made safe as ``_safe`` makes the link's values (messages pass)."""
    if isinstance(value, Message):
        return Message(value.template, tuple((k, _excerpt(v)) for k, v in value.params), value.plural, value.n)
    return _safe(value).strip("'") if isinstance(value, str) else value


def _safe(value: str) -> str:
    """A short excerpt of *value* with only letters, digits, spaces, commas, hyphens: never markup or links."""
    cleaned = re.sub(r"[^0-9A-Za-z ,_-]", "?", value)[:40]
    return f"'{cleaned}{'…' if len(value) > 40 else ''}'"
