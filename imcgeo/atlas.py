"""The shipped data, loaded and checked once, and what a view of it shows: shared by page and CLI."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from imcgeo import data, layers, timeline
from imcgeo.errors import DataValidationError
from imcgeo.scenes import Scene, load_scenes
from imcgeo.view import View, filter_transfers

__all__ = ["MAX_LABELS", "Atlas"]

#: More labels than this would clutter the map: the overview shows none.
MAX_LABELS = 24


@dataclass
class Atlas:
    """Missions, transfers, outlines and scenes, with the caches that make a frame cheap."""

    missions: pd.DataFrame
    transfers: pd.DataFrame
    countries: gpd.GeoDataFrame
    scenes: list[Scene]
    bounds: tuple[int, int]
    outlines: dict
    maps: layers.MapCache
    #: What could not be loaded but was worked around (shown on the page).
    warnings: tuple[str, ...] = ()

    @classmethod
    def shipped(cls) -> Atlas:
        """Load and validate the files in data/ (DataValidationError names any problem).

        Missing or broken country outlines are not fatal: the map then shows missions and
        transfers on a blank background, and ``warnings`` says what is missing.
        """
        warnings = ()
        try:
            countries = data.load_countries()
        except DataValidationError as exc:
            countries = gpd.GeoDataFrame({"iso3": [], "name": []}, geometry=[], crs="EPSG:4326")
            warnings = (f"Country outlines are missing ({exc}); the map shows no countries and "
                        "area distances are unavailable.",)  # fmt: skip
        missions = data.load_missions(countries=countries)
        transfers = data.load_transfers(missions=missions)
        atlas = cls.from_frames(missions, transfers, countries)
        atlas.warnings = warnings
        return atlas

    @classmethod
    def from_frames(cls, missions, transfers, countries, scenes: list[Scene] | None = None, outlines=None) -> Atlas:
        scenes = load_scenes(missions=set(missions["acronym"])) if scenes is None else scenes
        outlines = layers.display_outlines(countries) if outlines is None else outlines
        largest = float(transfers["quantity"].max()) if transfers["quantity"].notna().any() else 1.0
        maps = layers.MapCache(missions, transfers, outlines, largest)
        bounds = timeline.year_span(missions, transfers)
        maps.warm(range(bounds[0], bounds[1] + 1))
        return cls(missions, transfers, countries, scenes, bounds, outlines, maps)

    @property
    def default_view(self) -> View:
        return View(first=self.bounds[0], last=self.bounds[1], year=self.bounds[1])

    def scene(self, scene_id: str | None) -> Scene | None:
        return next((s for s in self.scenes if s.id == scene_id), None)

    def selected(self, view: View) -> pd.DataFrame:
        """Transfers that pass the view's filters and period."""
        return filter_transfers(self.transfers, self.missions, view)

    def shown(self, view: View, year: int | None = None) -> pd.DataFrame:
        """Transfers on the map at *year* (default: the view's year)."""
        return timeline.transfers_at(self.selected(view), view.year if year is None else year, view.mode)

    def title(self, view: View) -> str:
        scene = self.scene(view.scene)
        return scene.title if scene else "Inter-mission cooperation in UN peace operations"

    def caption(self, view: View, year: int | None = None) -> str:
        year = view.year if year is None else year
        return timeline.caption(self.shown(view, year), year, view.mode, view.first)

    def deck_layers(
        self, view: View, year: int | None = None, label_size: int = 12, selected: pd.DataFrame | None = None
    ) -> list:
        """The map's layers for a view at a year: countries, missions, transfers, and labels when few.

        *selected* is the view's filtered transfers when the caller has them already.
        """
        year = view.year if year is None else year
        selected = self.selected(view) if selected is None else selected
        shown = timeline.transfers_at(selected, year, view.mode)
        built = [self.maps.countries(year), self.maps.mission_points(year), self.maps.arcs(shown, view.colour, year)]
        involved = set(shown["source_mission"]) | set(shown["target_mission"])
        if len(involved) <= MAX_LABELS:
            built.append(layers.labels_layer(involved, self.missions, size=label_size))
        return built
