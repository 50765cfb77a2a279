"""Analysts' own files: templates to fill in, and the limits an upload is read under.

``imcgeo.Atlas.from_files`` validates and combines the files; nothing here writes a file, so one
analyst's upload lives only in the page session (or notebook) that asked for it.
"""

from __future__ import annotations

import re

from imcgeo._validate import MAX_BYTES
from imcgeo.atlas import UPLOAD_MODES, Atlas
from imcgeo.sites import PLAIN_COLUMNS
from imcgeo.tables import csv_bytes

__all__ = ["KINDS", "MAX_BYTES", "UPLOAD_MODES", "safe_name", "template"]

KINDS = ("missions", "transfers", "sites")


def template(kind: str, atlas: Atlas) -> bytes:
    """A CSV with the right header and two real rows of the *atlas*, to fill in."""
    if kind == "missions":
        rows = atlas.missions.drop(columns="geometry").head(2)
    elif kind == "transfers":
        rows = atlas.transfers.head(2)
    elif kind == "sites":
        if atlas.sites is None or atlas.sites.empty:
            raise ValueError("this atlas has no sites to take a template from")
        rows = atlas.sites.head(2)[PLAIN_COLUMNS]
    else:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    return csv_bytes(rows.drop(columns="origin", errors="ignore"))


def safe_name(file_name: str) -> str:
    """A file name as plain text to show on a page: letters, digits, spaces, dots, hyphens; 80 at most.

    >>> safe_name("bad ![x](http://e.com).csv")
    'bad __x__http___e.com_.csv'
    """
    return re.sub(r"[^\w .-]", "_", file_name)[:80]
