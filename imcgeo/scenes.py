"""Briefing scenes: stored views (camera, time span, filters) with a caption and sources, read from data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from imcgeo._validate import read_toml
from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import N_
from imcgeo.vocab import ASSETS, COLOUR_BY, CONFIDENCE, MODES, REGIONS, SURGES

__all__ = ["SCENES_TOML", "Scene", "load_scenes"]

SCENES_TOML = Path(__file__).resolve().parent.parent / "data" / "scenes.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_LISTS = {"surge": SURGES, "asset": ASSETS, "region": REGIONS, "confidence": CONFIDENCE}
_KNOWN = {"id", "title", "caption", "year", "from", "to", "mode", "mission", "colour", "camera", "sources", *_LISTS}


@dataclass(frozen=True)
class Scene:
    """One stored view. Empty filters mean 'everything'; ``None`` means 'keep the default'."""

    id: str
    title: str
    caption: str
    year: int | None = None
    first: int | None = None
    last: int | None = None
    mode: str | None = None
    mission: str | None = None
    colour: str | None = None
    camera: tuple[float, float, float] | None = None
    sources: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_scenes(path: str | Path | None = None, *, missions: set[str] | None = None) -> list[Scene]:
    """Read the scenes file; DataValidationError names the scene and field of every problem."""
    path = Path(path or SCENES_TOML)
    raw = read_toml(path)
    problems: list[Problem] = []
    scenes: list[Scene] = []
    for number, entry in enumerate(raw.get("scene", []), start=1):
        scene = _scene(entry, number, missions, problems)
        if scene is not None:
            if any(s.id == scene.id for s in scenes):
                problems.append(
                    Problem.of(number, "id", N_("'{id}' is used twice"), N_("give every scene its own id"), id=scene.id)
                )
            scenes.append(scene)
    if not scenes and not problems:
        problems.append(Problem.of(None, None, N_("has no [[scene]] entries"), N_("add at least one scene")))
    if problems:
        raise DataValidationError(path.name, problems)
    return scenes


_GIVE = {"title": N_("give the scene a title"), "caption": N_("give the scene a caption")}


def _scene(entry: dict, number: int, missions: set[str] | None, problems: list[Problem]) -> Scene | None:
    def bad(column: str, message: str, fix: str, **params: object) -> None:
        problems.append(Problem.of(number, column, message, fix, **params))

    before = len(problems)
    for key in entry.keys() - _KNOWN:
        bad(key, N_("is not a known field"), N_("remove it; the fields are listed at the top of the file"))
    scene_id = entry.get("id", "")
    if not isinstance(scene_id, str) or not _ID.match(scene_id):
        bad(
            "id",
            N_("{value} is not a valid id"),
            N_("use lowercase letters, digits and hyphens, e.g. haiti-2010"),
            value=repr(scene_id),
        )
    for key in ("title", "caption"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            bad(key, N_("is missing"), _GIVE[key])
    years = {}
    for key in ("year", "from", "to"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1945 <= value <= 2100):
            bad(key, N_("{value} is not a year"), N_("give a four-digit year"), value=repr(value))
        elif value is not None:
            years[key] = value
    if "from" in years and "to" in years and years["from"] > years["to"]:
        bad("to", N_("{to} is before from = {first}"), N_("swap them"), to=str(years["to"]), first=str(years["from"]))
    for key, allowed in (("mode", MODES), ("colour", COLOUR_BY)):
        if entry.get(key) is not None and entry[key] not in allowed:
            bad(key, N_("{value} is not one of {allowed}"), N_("use one of the listed values"),
                value=repr(entry[key]), allowed=", ".join(allowed))  # fmt: skip
    mission = entry.get("mission")
    if mission is not None and (not isinstance(mission, str) or (missions is not None and mission not in missions)):
        bad(
            "mission",
            N_("{value} is not in the missions file"),
            N_("use an acronym from missions.csv"),
            value=repr(mission),
        )
    filters = {}
    for key, allowed in _LISTS.items():
        values = entry.get(key, [])
        if not isinstance(values, list) or any(v not in allowed for v in values):
            bad(
                key,
                N_("{value} has values outside the vocabulary"),
                N_("use a list of: {allowed}"),
                value=repr(values),
                allowed=", ".join(allowed),
            )
        elif values:
            filters[key] = tuple(values)
    camera = entry.get("camera")
    view = None
    if camera is not None:
        try:
            view = (float(camera["lat"]), float(camera["lon"]), float(camera["zoom"]))
            if not (-90 <= view[0] <= 90 and -180 <= view[1] <= 180 and 0 <= view[2] <= 20):
                raise ValueError
        except (KeyError, TypeError, ValueError):
            bad(
                "camera",
                N_("{value} is not a camera"),
                N_("give {example} within range"),
                value=repr(camera),
                example="{ lat = .., lon = .., zoom = .. }",
            )
    sources = entry.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        bad("sources", N_("is not a list of citations"), N_('give a list such as ["S/RES/2132 (2013)"]'))
    if len(problems) > before:
        return None
    return Scene(
        id=scene_id,
        title=entry["title"].strip(),
        caption=entry["caption"].strip(),
        year=years.get("year"),
        first=years.get("from"),
        last=years.get("to"),
        mode=entry.get("mode"),
        mission=mission,
        colour=entry.get("colour"),
        camera=view,
        sources=tuple(sources),
        filters=filters,
    )
