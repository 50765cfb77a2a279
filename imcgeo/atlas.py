"""``Atlas``: the one object a page session, the command line, the exports or a notebook holds.

It owns the data (missions, transfers, outlines, sites, scenes, travel assumptions), builds every
view's ``Frame`` by one road, and answers proximity questions with a model it loads on demand.

>>> atlas = Atlas.shipped()
>>> frame = atlas.frame(atlas.view(year=2014, mode="active"))  # the transfers under way in 2014
>>> frame.caption.startswith("2014: ") and set(frame.shown["target_mission"]) >= {"UNMISS", "MINUSCA"}
True
>>> atlas.helpers("MINUSCA", "2020-12-01", k=3)["acronym"].tolist()  # fastest estimated travel first
['UNMISS', 'UNAMID', 'UNISFA']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from imcgeo import data, findings, labelling, layers, planner, proximity, strength, timeline
from imcgeo.deckjson import OfflineDeck, RawJSON, offline_deck
from imcgeo.encoding import PROXIMITY_RGBA, land_tone, legend, mission_style, width_px
from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import N_, Message, Nn_, Translator, translator
from imcgeo.outlines import display_outlines
from imcgeo.scenes import Scene, load_scenes
from imcgeo.sites import load_sites
from imcgeo.travel import Assumptions, load_assumptions
from imcgeo.view import View, apply_scene, filter_transfers, parse_query

__all__ = ["MAX_LABELS", "RING_ZOOM", "TITLE", "Atlas", "Frame"]

#: More labels than this would clutter the map: the overview shows none.
MAX_LABELS = 24
#: Zoom at which the explorer's 2,000 km ring fills about a third of the map's height.
RING_ZOOM = 3.0
#: The title of a view that is not a scene.
TITLE = N_("Inter-mission cooperation in UN peace operations")
#: How an analyst's file is used: added to the shipped data, or instead of it.
UPLOAD_MODES = ("merge", "replace")

Source = str | Path | bytes | tuple[str, bytes]


@dataclass(eq=False)
class Frame:
    """What one view shows at its moment: the page, the CLI and every export draw from this.

    ``selected`` passes the view's filters and period; ``shown`` is on the map at the moment;
    ``status`` is each mission's ``active``/``future``/``ended`` (indexed like the missions);
    ``hosts`` the countries shaded; ``arcs`` the drawable transfers' records by transfer index
    (``layers.arc_records``);
    ``labels`` the acronyms written on the map; ``helpers`` the explorer's ranking when its rings
    are on. ``layers`` and ``deck()`` give the pydeck map.
    """

    atlas: Atlas = field(repr=False)
    view: View
    title: str
    caption: str
    selected: pd.DataFrame = field(repr=False)
    shown: pd.DataFrame = field(repr=False)
    legend: list[tuple[str, tuple[int, int, int]]]
    status: pd.Series = field(repr=False)
    hosts: frozenset[str]
    arcs: dict[int, dict] = field(repr=False)
    labels: tuple[str, ...]
    camera: tuple[float, float, float] | None
    helpers: pd.DataFrame | None = field(default=None, repr=False)
    label_size: int = 12
    #: The planner's answer for the view's place (``view.at``), else None.
    plan: planner.Plan | None = field(default=None, repr=False)

    @property
    def year(self) -> int:
        return self.view.year

    @property
    def tr(self) -> Translator:
        """The words of the view's language, naming the atlas's own missions."""
        return self.atlas.translator(self.view.lang)

    @cached_property
    def layers(self) -> list[pdk.Layer]:
        """countries, missions, transfers, then labels, rings and helpers when the frame has them."""
        cache, tr = self.atlas._cache, self.tr
        built = [
            cache.countries(self.hosts),
            cache.missions(self.view.year, self.status, self.view.lang),
            *layers.arc_layers(list(self.arcs.values()), tr=tr),
        ]
        if self.labels:
            built.append(layers.labels_layer(set(self.labels), self.atlas.missions, size=self.label_size, tr=tr))
        return built + self.overlays

    @cached_property
    def overlays(self) -> list[pdk.Layer]:
        """The layers over the map's own (the explorer's rings and helpers, the planner's place), drawn as they are.

        The browser map draws countries, missions, transfers and labels itself from its data; these
        are what a rerun sends it besides the view.
        """
        tr, built = self.tr, []
        if self.helpers is not None:
            row = self.atlas.mission(self.view.explore)
            lat, lon, missions = row["hq_lat"], row["hq_lon"], self.atlas.missions
            built += [
                layers.rings_layer(lat, lon, tr=tr),
                layers.helpers_layer(self.helpers, missions, tr=tr),
                layers.proximity_labels_layer(lat, lon, self.helpers, missions, tr=tr),
            ]
        if self.plan is not None:
            built += _plan_layers(self.plan, self.atlas, tr)
        return built

    def deck(self, size: tuple[int, int] | None = None) -> OfflineDeck:
        """The map as a pydeck deck that loads nothing from the internet, with text tooltips.

        With *size* (map width, height in CSS px), labels are placed apart (``imcgeo.labelling``).
        """
        built = self.layers
        texts = [layer for layer in built if layer.type == "TextLayer" and layer.id != "labels"]
        if size and (self.labels or texts):
            offsets = labelling.pixel_offsets(self, size)
            placed = layers.labels_layer(
                set(self.labels), self.atlas.missions, size=self.label_size, offsets=offsets, tr=self.tr
            )
            built = [placed if layer.id == "labels" else layer for layer in built]
            for layer in texts:  # the explorer's and planner's texts, placed with the labels (before them)
                layer.data = [{**d, "o": offsets[d["text"]]} for d in layer.data if d["text"] in offsets]
                layer.get_pixel_offset = "@@=o"
        return offline_deck(built, self.camera, tooltip={"text": "{tooltip}"})


@dataclass(eq=False)
class Atlas:
    """Missions, transfers, outlines, sites, scenes and travel assumptions, and what views of them show.

    Build it with ``Atlas.shipped()`` (the files in data/) or ``Atlas.from_files(...)`` (an
    analyst's files, merged with or replacing the shipped ones).
    """

    missions: gpd.GeoDataFrame
    transfers: pd.DataFrame
    countries: gpd.GeoDataFrame
    sites: pd.DataFrame | None = None
    scenes: list[Scene] = field(default_factory=list)
    assumptions: Assumptions = field(default_factory=load_assumptions)
    outlines: dict | None = None
    #: What could not be loaded but was worked around (shown on the page, in the reader's language).
    warnings: tuple[Message, ...] = ()
    #: Where the data came from beyond the shipped files, one line per file (empty: all shipped).
    origin: tuple[Message, ...] = ()
    #: Uniformed strength by mission and date (imcgeo.strength), when known.
    strength: pd.DataFrame | None = None
    #: Unit types at deployment sites (imcgeo.planner.load_units), when a Geo-PKO file was loaded.
    units: pd.DataFrame | None = None

    def __post_init__(self):
        if self.outlines is None:
            self.outlines = display_outlines(self.countries)
        self._selected: dict = {}
        self._shown: dict = {}
        self._frames: dict = {}
        self._helpers: dict = {}
        self._plans: dict = {}
        self._findings: dict = {}
        self._translators: dict[str, Translator] = {}
        self._cache = _LayerCache(self)

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def shipped(cls) -> Atlas:
        """Load and validate the files in data/ (DataValidationError names any problem)."""
        return cls.from_dir(data.DATA_DIR)

    @classmethod
    def from_dir(cls, folder: str | Path) -> Atlas:
        """Load and validate a data folder laid out like data/ (DataValidationError names any problem).

        missions.csv and transfers.csv are required; sites.csv, scenes.toml and travel.toml are
        optional (no sites, no scenes, the shipped travel assumptions). Missing or broken country
        outlines are not fatal: the map then shows missions and transfers on a blank background,
        and ``warnings`` says what is missing.
        """
        folder = Path(folder)
        warnings = ()
        try:
            countries = data.load_countries(folder / "countries.geojson")
        except DataValidationError as exc:
            countries = gpd.GeoDataFrame({"iso3": [], "name": []}, geometry=[], crs="EPSG:4326")
            warnings = (
                Message(
                    N_(
                        "Country outlines are missing ({error}); the map shows no countries and area distances "
                        "are unavailable."
                    ),
                    (("error", exc),),
                ),
            )
        missions = data.load_missions(folder / "missions.csv", countries=countries)
        transfers = data.load_transfers(folder / "transfers.csv", missions=missions)
        sites = load_sites(folder / "sites.csv", missions=missions) if (folder / "sites.csv").exists() else None
        known = set(missions["acronym"])
        scenes = load_scenes(folder / "scenes.toml", missions=known) if (folder / "scenes.toml").exists() else []
        travel = folder / "travel.toml"
        assumptions = load_assumptions(travel if travel.exists() else None)
        table, problem = _strength(folder, missions)
        return cls(missions, transfers, countries, sites, scenes, assumptions, warnings=(*warnings, *problem),
                   strength=table)  # fmt: skip

    @classmethod
    def from_files(
        cls,
        missions: Source | None = None,
        transfers: Source | None = None,
        sites: Source | None = None,
        mode: str = "merge",
        *,
        base: Atlas | None = None,
    ) -> Atlas:
        """The shipped data (or *base*) with an analyst's files merged in (``merge``) or standing instead (``replace``).

        Each file is a path, bytes, or (file name, bytes); what is not given is kept from the
        base. In ``merge`` mode uploaded rows are added (an uploaded mission replaces a shipped one
        with the same acronym); in ``replace`` mode a file stands instead of its shipped
        counterpart, and shipped transfers and sites of missions it drops are left out. Raises
        DataValidationError naming the file, row, column and fix of every problem.
        """
        if mode not in UPLOAD_MODES:
            raise ValueError(f"mode must be one of {', '.join(UPLOAD_MODES)}, not {mode!r}")
        base = base or cls.shipped()
        origin = list(base.origin)
        missions_out = base.missions
        if missions is not None:
            name, payload = _named(missions, "missions.csv")
            mine = data.load_missions(payload, countries=base.countries, name=name, lenient_dates=True)
            if mode == "merge":
                replaced = sorted(set(mine["acronym"]) & set(missions_out["acronym"]))
                kept = missions_out[~missions_out["acronym"].isin(mine["acronym"])]
                missions_out = pd.concat([_mark(kept, "shipped"), mine.assign(origin="yours")], ignore_index=True)
                origin.append(_note(Nn_("{n} mission from {file} added", "{n} missions from {file} added"), mine, name))
                if replaced:
                    singular, plural = Nn_("{n} of them replaces a shipped row", "{n} of them replace shipped rows")
                    origin.append(Message(singular, plural=plural, n=len(replaced)))
            else:
                missions_out = mine.assign(origin="yours").reset_index(drop=True)
                origin.append(
                    _note(
                        Nn_(
                            "{n} mission from {file} replaces the shipped missions",
                            "{n} missions from {file} replace the shipped missions",
                        ),
                        mine,
                        name,
                    )
                )
        known = set(missions_out["acronym"])
        transfers_out = base.transfers
        if transfers is not None:
            name, payload = _named(transfers, "transfers.csv")
            mine = data.load_transfers(payload, missions=missions_out, name=name, lenient_dates=True)
            if mode == "merge":
                _no_repeats(mine, transfers_out, name)
                transfers_out = pd.concat([_mark(transfers_out, "shipped"), mine.assign(origin="yours")],
                                          ignore_index=True)  # fmt: skip
                origin.append(
                    _note(Nn_("{n} transfer from {file} added", "{n} transfers from {file} added"), mine, name)
                )
            else:
                transfers_out = mine.assign(origin="yours")
                origin.append(
                    _note(
                        Nn_(
                            "{n} transfer from {file} replaces the shipped transfers",
                            "{n} transfers from {file} replace the shipped transfers",
                        ),
                        mine,
                        name,
                    )
                )
        elif missions is not None:
            keep = transfers_out["source_mission"].isin(known) & transfers_out["target_mission"].isin(known)
            if not keep.all():
                singular, plural = Nn_(
                    "{n} shipped transfer left out: its missions are not in your file",
                    "{n} shipped transfers left out: their missions are not in your file",
                )
                origin.append(Message(singular, plural=plural, n=int((~keep).sum())))
            transfers_out = transfers_out[keep].reset_index(drop=True)
        sites_out, units = base.sites, base.units
        if sites is not None:
            name, payload = _named(sites, "sites.csv")
            mine = load_sites(payload, missions=missions_out, name=name, lenient_dates=True)
            if mode == "merge" and base.sites is not None:
                sites_out = pd.concat([base.sites[base.sites["mission"].isin(known)], mine], ignore_index=True)
            else:
                sites_out = mine
            if mode == "merge":
                origin.append(_note(Nn_("{n} site from {file} added", "{n} sites from {file} added"), mine, name))
            else:
                origin.append(
                    _note(
                        Nn_(
                            "{n} site from {file} replaces the shipped sites",
                            "{n} sites from {file} replace the shipped sites",
                        ),
                        mine,
                        name,
                    )
                )
        elif sites_out is not None:
            sites_out = sites_out[sites_out["mission"].isin(known)].reset_index(drop=True)
        scenes = [s for s in base.scenes if s.mission is None or s.mission in known]
        return cls(missions_out, transfers_out, base.countries, sites_out, scenes, base.assumptions, base.outlines,
                   base.warnings, tuple(origin), base.strength, units)  # fmt: skip

    def warm(self) -> Atlas:
        """Build every year's map layers now, so that no year step of an animation pays for its first visit."""
        self._cache.warm(range(self.bounds[0], self.bounds[1] + 1))
        return self

    # --- what the data spans --------------------------------------------------------------------

    @cached_property
    def bounds(self) -> tuple[int, int]:
        """First and last year of the whole history: the first mission to this year."""
        return timeline.year_span(self.missions, self.transfers)

    @cached_property
    def data_version(self) -> str:
        """A short hash of the data: it changes whenever missions, transfers or sites do."""
        digest = hashlib.sha256()
        for frame in (self.missions.drop(columns="geometry"), self.transfers, self.sites):
            if frame is not None:
                digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
        return digest.hexdigest()[:12]

    @property
    def largest(self) -> float:
        """The largest known quantity of one transfer: the widest arc."""
        quantity = self.transfers["quantity"]
        return float(quantity.max()) if quantity.notna().any() else 1.0

    def mission(self, acronym: str) -> pd.Series:
        """One mission's row (KeyError names the acronym when it is not in the data)."""
        position = self._mission_rows.get(acronym)
        if position is None:
            raise KeyError(f"no mission {acronym!r} in the data")
        return self.missions.iloc[position]

    @cached_property
    def case_count(self) -> int:
        """How many cases (``event_id``) the transfers make."""
        return int(self.transfers["event_id"].nunique())

    @cached_property
    def _mission_spans(self) -> dict[str, tuple[pd.Timestamp, pd.Timestamp | None]]:
        """Each acronym's (start, end or None), for date clamping on every rerun without building rows."""
        return {
            acronym: (self.missions["start"].iat[i], None if pd.isna(end := self.missions["end"].iat[i]) else end)
            for acronym, i in self._mission_rows.items()
        }

    @cached_property
    def _mission_rows(self) -> dict[str, int]:
        """Each acronym's first row position in ``missions`` (a lookup: a mask over the table took 2 ms a rerun)."""
        rows: dict[str, int] = {}
        for position, acronym in enumerate(self.missions["acronym"]):
            rows.setdefault(acronym, position)
        return rows

    @cached_property
    def acronyms(self) -> list[str]:
        """Acronyms of all the missions, sorted."""
        return sorted(self.missions["acronym"])

    @cached_property
    def placed(self) -> list[str]:
        """Acronyms of the missions with a place on the map, sorted."""
        return sorted(self.missions.loc[self.missions["hq_lat"].notna(), "acronym"])

    # --- views ------------------------------------------------------------------------------------

    @property
    def default_view(self) -> View:
        return View(first=self.bounds[0], last=self.bounds[1], year=self.bounds[1])

    def view(self, **changes) -> View:
        """The default view with *changes* (any ``View`` field), kept inside the data's years."""
        return replace(self.default_view, **changes).clamp()

    def view_from_query(self, query: Mapping[str, object], default: View | None = None) -> tuple[View, list[str]]:
        """The view a link's query string asks for, and a notice for every value that was ignored."""
        return parse_query(
            query,
            default or self.default_view,
            scenes=self.scenes,
            missions=set(self.missions["acronym"]),
            bounds=self.bounds,
        )

    def scene(self, scene_id: str | None) -> Scene | None:
        return next((s for s in self.scenes if s.id == scene_id), None)

    def scene_view(self, scene_id: str, base: View | None = None) -> View:
        """The view a scene stores, on top of *base* (its presenter mode and explorer kept)."""
        scene = self.scene(scene_id)
        if scene is None:
            raise KeyError(f"no scene {scene_id!r}")
        return apply_scene(base or self.default_view, scene, self.bounds)

    def translator(self, lang: str) -> Translator:
        """The words of a language (``imcgeo.i18n``), naming this atlas's missions (uploads included).

        >>> Atlas.shipped().translator("fr").mission_acronym("UNIFIL")
        'FINUL'
        """
        if lang not in self._translators:
            self._translators[lang] = translator(lang).with_names(self.names(lang))
        return self._translators[lang]

    def names(self, lang: str) -> dict[str, tuple[str, str]]:
        """acronym -> (acronym, full name) as shown in *lang*: the French columns where filled, else the English."""
        missions = self.missions
        acronyms, names = missions["acronym"].tolist(), missions["name"].tolist()
        if lang == "fr":
            shown_acronyms = [f or a for f, a in zip(missions["acronym_fr"].fillna(""), acronyms)]
            shown_names = [f or n for f, n in zip(missions["name_fr"].fillna(""), names)]
            return dict(zip(acronyms, zip(shown_acronyms, shown_names)))
        return dict(zip(acronyms, zip(acronyms, names)))

    def title(self, view: View) -> str:
        """The view's title in its language: its scene's, else the atlas's."""
        scene = self.scene(view.scene)
        return self.translator(view.lang).gettext(scene.title if scene else TITLE)

    def selected(self, view: View) -> pd.DataFrame:
        """Transfers that pass the view's filters and overlap its period (cached per filter set)."""
        key = (view.filters, view.mission, view.first, view.last)
        return _remember(self._selected, key, lambda: filter_transfers(self.transfers, self.missions, view))

    def shown(self, view: View) -> pd.DataFrame:
        """Transfers on the map at the view's moment (its date, else its year; cached like ``selected``)."""
        moment = view.date or view.year  # a date string never equals a year
        key = (view.filters, view.mission, view.first, view.last, moment, view.mode)

        def compute() -> pd.DataFrame:
            if view.date:
                return timeline.transfers_on(self.selected(view), view.date, view.mode)
            return timeline.transfers_at(self.selected(view), view.year, view.mode)

        return _remember(self._shown, key, compute)

    def caption(self, view: View) -> str:
        tr = self.translator(view.lang)
        return timeline.caption(self.shown(view), view.year, view.mode, view.first, date=view.date, tr=tr)

    def frame(self, view: View, *, label_size: int = 12) -> Frame:
        """Everything the view shows at its moment (see ``Frame``; cached: visitors of a public link
        open the same scenes, and a frame is read, never changed)."""
        # A pan makes a new view: on a busy public link this cache fills (and starts again).
        return _remember(self._frames, (view, label_size), lambda: self._frame(view, label_size))

    def _frame(self, view: View, label_size: int) -> Frame:
        shown = self.shown(view)
        involved = set(shown["source_mission"]) | set(shown["target_mission"])
        labels = tuple(a for a in self.placed if a in involved) if len(involved) <= MAX_LABELS else ()
        helpers = None
        camera = view.camera
        if view.at is not None and camera is None:
            camera = (view.at[0], view.at[1], RING_ZOOM)
        if view.rings and view.explore in self.placed:
            helpers = self.helpers(view.explore, self.explore_date(view), k=5, measure=view.measure)
            if camera is None:
                row = self.mission(view.explore)
                camera = (round(float(row["hq_lat"]), 2), round(float(row["hq_lon"]), 2), RING_ZOOM)
        tr = self.translator(view.lang)
        arcs = self._cache.arcs(shown, view.colour, view.lang)
        return Frame(
            atlas=self,
            view=view,
            title=self.title(view),
            caption=timeline.caption(shown, view.year, view.mode, view.first, date=view.date, tr=tr),
            selected=self.selected(view),
            shown=shown,
            legend=legend(view.colour, tr),
            status=self._cache.status(view.year),
            hosts=self._cache.hosts(view.year),
            arcs=_merged(self, shown, arcs, view.colour, tr) if view.flows else arcs,
            labels=labels,
            camera=camera,
            helpers=helpers,
            label_size=label_size,
            plan=self.plan(view),
        )

    def explore_date(self, view: View) -> pd.Timestamp:
        """The explorer's date: the view's own, else mid-year of the view's year within the mission's life."""
        if view.explore_date:
            return pd.Timestamp(view.explore_date)
        when = pd.Timestamp(view.date) if view.date else pd.Timestamp(view.year, 7, 1)
        if view.explore in self._mission_spans:
            start, end = self._mission_spans[view.explore]
            when = max(when, start)
            if end is not None:
                when = min(when, end)
        return when

    # --- proximity --------------------------------------------------------------------------------

    @cached_property
    def world(self) -> proximity.World:
        """The proximity model (distances between host countries, landmasses), built on first use."""
        return proximity.World(self.missions, self.countries, self.sites, self.assumptions)

    def helpers(self, target: str, date, k: int | None = 5, measure: str = "travel", lang: str = "en") -> pd.DataFrame:
        """Missions active on *date* ranked as helpers of *target*: see ``imcgeo.proximity.helpers``.

        Words in the table (how the fastest travel goes) are in *lang*. Answers are kept (the
        last 256), so a page that asks again on every rerun pays once.
        """
        when = pd.Timestamp(date)
        table = _remember(
            self._helpers,
            (target, when, k, measure, lang),
            lambda: proximity.helpers(target, when, k=k, measure=measure, world=self.world, tr=self.translator(lang)),
        )
        return table.copy()

    def strength_on(self, date) -> pd.DataFrame | None:
        """Each mission's latest uniformed strength on *date*, from a figure at most a year old (None: no table)."""
        if self.strength is None:
            return None
        return strength.strength_on(self.strength, date, max_age_days=366)

    def helpers_at(self, lat: float, lon: float, date, k: int | None = 5, measure: str = "travel", needs=None,
                   **settings) -> planner.Plan:  # fmt: skip
        """Missions that could send help to (lat, lon) on *date*: see ``imcgeo.planner.helpers_at``.

        Uniformed strength (when known) and the unit types of a loaded Geo-PKO file come along.
        """
        return planner.helpers_at(self.world, lat, lon, date, k=k, measure=measure, needs=needs,
                                  strength=self.strength_on(date), sites=self.units, **settings)  # fmt: skip

    def plan(self, view: View) -> planner.Plan | None:
        """The planner's answer for the view's place and date, with its link settings (None without a place)."""
        if view.at is None:
            return None
        when = view.date or f"{view.year}-07-01"
        settings = planner.read_link({"at": f"{view.at[0]},{view.at[1]}", "date": when, **dict(view.plan)})
        settings.setdefault("measure", view.measure if view.measure in planner.PLAN_MEASURES else "travel")
        lat, lon, date = settings.pop("lat"), settings.pop("lon"), settings.pop("date")
        note = None
        if settings.get("rank_by") == "strength" and self.strength is None:
            settings.pop("rank_by")
            note = self.translator(view.lang).gettext(
                "No strength figures are loaded, so the missions are ranked by estimated travel time instead."
            )
        key = (lat, lon, date, tuple(sorted(settings.items())), view.lang)

        def compute() -> planner.Plan:
            plan = self.helpers_at(lat, lon, date, tr=self.translator(view.lang), **settings)
            return replace(plan, caveats=[note, *plan.caveats] if note else plan.caveats)

        return _remember(self._plans, key, compute, limit=64)

    def finding(self, top: int = 3, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, str]:
        """Did help come from the nearest? (table, counterexamples, paragraph in *lang*): see ``imcgeo.findings``."""
        if top not in self._findings:
            self._findings[top] = findings.nearest_share(self.case_ranks, self.transfers, top=top)
        table = self._findings[top]
        if (top, lang) not in self._findings:
            tr = self.translator(lang)
            far = findings.counterexamples(self.case_ranks, self.transfers, missions=self.missions, top=top, tr=tr)
            self._findings[top, lang] = (far, findings.finding_text(table, far, tr=tr))
        far, text = self._findings[top, lang]
        return table, far, text

    def capacity_ranks(self, event_id: str, lang: str = "en") -> pd.DataFrame:
        """Where a case's real helpers ranked by travel, distance and uniformed strength (``planner.case_ranks``)."""
        case = self.transfers[self.transfers["event_id"] == event_id]
        return planner.case_ranks(self.world, case, strength_on=self.strength_on, sites=self.units,
                                  tr=self.translator(lang))  # fmt: skip

    @cached_property
    def case_ranks(self) -> pd.DataFrame:
        """Where each transfer's actual source ranked among the missions that could have helped."""
        return proximity.event_ranks(self.transfers, world=self.world)

    def findings(self, top: int = 3) -> pd.DataFrame:
        """How often help came from the *top* nearest, by measure (``imcgeo.proximity.rank_findings``)."""
        return proximity.rank_findings(self.case_ranks, top=top)


class _LayerCache:
    """Per-year mission status, host countries and serialised layers: an animation frame is then a lookup."""

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self._status: dict[int, pd.Series] = {}
        self._hosts: dict[int, frozenset[str]] = {}
        self._countries: dict[frozenset, pdk.Layer] = {}
        self._features: list[dict] | None = None
        self._mission_base: dict[str, list[dict]] = {}
        self._missions: dict[tuple[int, str], pdk.Layer] = {}
        self._arcs: dict[tuple, dict] = {}

    def status(self, year: int) -> pd.Series:
        if year not in self._status:
            self._status[year] = timeline.mission_status(self.atlas.missions, year)
        return self._status[year]

    def hosts(self, year: int) -> frozenset[str]:
        if year not in self._hosts:  # every rerun asks (Atlas.frame): once per year
            active = self.atlas.missions.loc[self.status(year) == "active", "host_iso3"]
            self._hosts[year] = frozenset(code for cell in active for code in data.host_codes(cell))
        return self._hosts[year]

    def countries(self, hosts: frozenset[str]) -> pdk.Layer:
        if hosts not in self._countries:
            features = self.atlas.outlines["features"]
            if self._features is None:  # each feature serialised once per fill: a new year only joins strings
                self._features = [{is_host: _feature_json(f, is_host) for is_host in (True, False)} for f in features]
            parts = [v[f["properties"]["iso3"] in hosts] for f, v in zip(features, self._features)]
            layer = layers.countries_layer({"features": []})
            layer.data = RawJSON('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}")
            self._countries[hosts] = layer
        return self._countries[hosts]

    def missions(self, year: int, status: pd.Series, lang: str = "en") -> pdk.Layer:
        if (year, lang) not in self._missions:
            missions = self.atlas.missions
            placed = missions["hq_lat"].notna()
            if lang not in self._mission_base:  # positions and tooltips once; a year only restyles
                active = pd.Series("active", index=missions.index)
                self._mission_base[lang] = layers.missions_layer(missions, active, tr=self.atlas.translator(lang)).data
            data_ = [
                {**base, **mission_style(kind, state)}
                for base, kind, state in zip(self._mission_base[lang], missions.loc[placed, "kind"], status[placed])
            ]
            self._missions[year, lang] = layers.points_layer(data_)
        return self._missions[year, lang]

    def arcs(self, shown: pd.DataFrame, colour_by: str, lang: str = "en") -> dict[int, dict]:
        """Arc records of *shown* (unnamed missions at the indicative point of each transfer's start year)."""
        atlas = self.atlas
        if (colour_by, lang) not in self._arcs:
            tr = atlas.translator(lang)
            self._arcs[colour_by, lang] = layers.arc_records(
                atlas.transfers, atlas.missions, colour_by, largest=atlas.largest, tr=tr
            )
        records = self._arcs[colour_by, lang]
        return {i: records[i] for i in shown.index if i in records}

    def warm(self, years) -> None:
        """Build every year's layers now (about 5 ms a year), so that no frame pays for its first visit."""
        for year in years:
            self.countries(self.hosts(year))
            self.missions(year, self.status(year))


def _remember(cache: dict, key, compute, limit: int = 256):
    """``cache[key]``, computed once; a full cache starts again. The page's sessions share one atlas, each in its
    own thread: the answer is read once, since another thread may empty a full cache between a store and a read."""
    answer = cache.get(key)
    if answer is None:
        if len(cache) > limit:
            cache.clear()
        answer = cache[key] = compute()
    return answer


def _strength(folder: Path, missions: pd.DataFrame) -> tuple[pd.DataFrame | None, tuple[Message, ...]]:
    """The UN's monthly strength table when built (data/strength.csv), else the partial table shipped.

    A built table that does not load (say, after missions.csv renamed an acronym) is not passed
    over in silence: the second value is a warning naming its first problem.
    """
    built = folder / "strength.csv"
    try:
        return strength.load_strength(built, missions=missions), ()
    except DataValidationError as exc:
        problem = ()
        if built.exists():
            problem = (
                Message(
                    N_("{file} could not be used ({error}); strength comes from the partial table. Build it again."),
                    (("file", built.name), ("error", exc.problems[0] if exc.problems else exc)),
                ),
            )
        reports = folder / "strength_reports.csv"
        table = strength.load_strength_reports(reports, missions=missions) if reports.exists() else None
        return table, problem


def _units(name: str, payload) -> pd.DataFrame | None:
    """The unit types of a Geo-PKO file (aviation, medical, ...); None for a plain list of sites."""
    try:
        return planner.load_units(payload, name=name)
    except (DataValidationError, ValueError, KeyError):
        return None


def _plan_layers(plan: planner.Plan, atlas: Atlas, tr: Translator) -> list[pdk.Layer]:
    """The planner's place, rings of 500, 1,000 and 2,000 km around it, and its best helpers circled."""
    where = tr.gettext("The place asked about ({lat}, {lon})").format(
        lat=tr.format_number(plan.lat, 2), lon=tr.format_number(plan.lon, 2)
    )
    point = layers.points_layer([{"position": [plan.lon, plan.lat], "fill": list(PROXIMITY_RGBA),
                                  "line": [255, 255, 255, 255], "radius": 60000, "tooltip": where}])  # fmt: skip
    rings = layers.rings_layer(plan.lat, plan.lon, tr=tr)
    helpers = layers.helpers_layer(plan.table, atlas.missions, tr=tr)
    labels = layers.proximity_labels_layer(plan.lat, plan.lon, plan.table, atlas.missions, tr=tr)
    for layer, name in (
        (point, "plan-place"),
        (rings, "plan-rings"),
        (helpers, "plan-helpers"),
        (labels, "plan-labels"),
    ):
        layer.id = name
    return [rings, helpers, point, labels]


def _merged(
    atlas: Atlas, shown: pd.DataFrame, arcs: dict[int, dict], colour_by: str, tr: Translator
) -> dict[int, dict]:
    """One arc per pair of missions (keyed by its first transfer): total people and items, the pair's main colour."""
    merged = {}
    drawn = shown.loc[[i for i in shown.index if i in arcs]]
    for (source, target), group in drawn.groupby(["source_mission", "target_mission"], sort=False):
        row = planner.flows(group).iloc[0]
        main = group[colour_by].mode().iloc[0]
        first = next(i for i in group.index if group.at[i, colour_by] == main)
        total = (0 if pd.isna(row["people"]) else row["people"]) + (0 if pd.isna(row["items"]) else row["items"])
        amounts = [
            tr.ngettext(singular, plural, int(row[k])).format(n=tr.format_number(row[k], 0))
            for k, (singular, plural) in (("people", Nn_("{n} person", "{n} people")),
                                          ("items", Nn_("{n} item", "{n} items")))
            if pd.notna(row[k])
        ]  # fmt: skip
        unknown = (
            " (" + tr.ngettext("{n} transfer with no number", "{n} transfers with no number",
                               int(row["unknown_quantity"])).format(n=tr.format_number(row["unknown_quantity"])) + ")"
            if row["unknown_quantity"] else ""
        )  # fmt: skip
        until = f"{row['first']:%Y}" + (f"–{row['last']:%Y}" if row["last"].year != row["first"].year else "")
        count = tr.ngettext("{n} transfer in {cases}", "{n} transfers in {cases}", int(row["transfers"]))
        cases = tr.ngettext("{n} case", "{n} cases", int(row["cases"])).format(n=tr.format_number(row["cases"]))
        by_asset = "; ".join(_asset_total(asset, rows, tr) for asset, rows in group.groupby("asset", sort=True))
        merged[first] = {
            **arcs[first],
            "w": round(width_px(total or None, atlas.largest), 2),
            "tooltip": f"{tr.mission_acronym(source)} → {tr.mission_acronym(target)}: "
            f"{count.format(n=tr.format_number(row['transfers']), cases=cases)}, {until}\n"
            f"{', '.join(amounts) or tr.gettext('no numbers given')}{unknown}\n{by_asset}",
        }
    return merged


def _mark(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """*frame* with an ``origin`` column: rows keep the one they have (an earlier upload), the others get *origin*."""
    return frame.assign(origin=frame["origin"].fillna(origin) if "origin" in frame else origin)


def _asset_total(asset: str, rows: pd.DataFrame, tr: Translator) -> str:
    """'troops 120', 'helicopters 3 + 1 unknown', 'police (2 unknown)': what one asset of a pair adds up to."""
    known = pd.to_numeric(rows["quantity"], errors="coerce")
    total, missing = known.sum(min_count=1), int(known.isna().sum())
    name = tr.label(asset).lower()
    if pd.isna(total):
        return f"{name} (" + tr.ngettext("{n} unknown", "{n} unknown", missing).format(n=missing) + ")"
    text = f"{name} {tr.format_number(total, 0)}"
    return text + (" + " + tr.ngettext("{n} unknown", "{n} unknown", missing).format(n=missing) if missing else "")


def _note(pair: tuple[str, str], rows: pd.DataFrame, file: str) -> Message:
    """A line of ``Atlas.origin``: how many rows a file brought and what became of them."""
    return Message(pair[0], (("file", file),), plural=pair[1], n=len(rows))


def _feature_json(feature: dict, host: bool) -> str:
    fill = land_tone(feature["properties"].get("tone", 0), host)
    return json.dumps({**feature, "properties": {"fill": fill}}, separators=(",", ":"))


def _named(source: Source, default: str) -> tuple[str, str | Path | bytes]:
    if isinstance(source, tuple):
        return source
    if isinstance(source, bytes):
        return default, source
    return Path(source).name, source


def _no_repeats(mine: pd.DataFrame, shipped: pd.DataFrame, name: str) -> None:
    key = ["event_id", "source_mission", "target_mission", "asset"]
    seen = set(map(tuple, shipped[key].to_numpy()))
    problems = [
        Problem.of(
            i + 2,
            "event_id",
            N_("repeats a shipped transfer ({key})"),
            N_("drop the row, or choose 'replace' to use only your transfers"),
            key=", ".join(map(str, row)),
        )
        for i, row in enumerate(mine[key].to_numpy())
        if tuple(row) in seen
    ]
    if problems:
        raise DataValidationError(name, problems)
