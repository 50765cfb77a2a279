"""Tables people read and download: column names, display values, and safe CSV bytes."""

from __future__ import annotations

import pandas as pd

from imcgeo import vocab

__all__ = ["COLUMNS", "HELP", "NUMBER_FORMATS", "TRANSFER_TABLE", "csv_bytes", "display", "neutralise"]

#: The words a column is shown under, in every table and download of the page.
COLUMNS = {
    "event_id": "Case", "acronym": "Mission", "name": "Name", "kind": "Kind", "region": "Region",
    "source_mission": "From", "target_mission": "To", "asset": "Asset", "quantity": "How many",
    "surge": "Surge", "confidence": "Confidence", "description": "What happened", "sources": "Sources",
    "source": "Source", "note": "Note", "rank": "Rank", "host_iso3": "Hosts (ISO3)", "hq_city": "HQ",
    "start": "Start", "end": "End", "hq_lat": "HQ lat", "hq_lon": "HQ lon",
    "shares_border": "Shares a border", "same_region": "Same region",
    "same_landmass": "Same landmass (road possible)",
    "hq_km": "HQ km", "area_km": "Area km", "site_km": "Sites km",
    "road_days": vocab.label("road_days"), "helicopter_h": vocab.label("helicopter_h"),
    "fixed_wing_h": vocab.label("fixed_wing_h"), "travel_h": "Fastest (h, est.)", "travel_by": "By",
    "candidates": "Missions active then", "rank_hq": "Rank by HQ", "rank_area": "Rank by host country",
    "rank_site": "Rank by sites", "rank_travel": "Rank by travel time",
    "case_type": "Case type", "date_precision": "Date known to the", "source_url": "First source",
}  # fmt: skip

#: printf-style formats of numeric columns: whole numbers where they are counts or kilometres.
NUMBER_FORMATS = {
    "quantity": "%d", "rank": "%d", "hq_lat": "%.3f", "hq_lon": "%.3f", "hq_km": "%.0f", "area_km": "%.0f",
    "site_km": "%.0f", "road_days": "%.1f", "helicopter_h": "%.1f", "fixed_wing_h": "%.1f", "travel_h": "%.1f",
    "candidates": "%d", "rank_hq": "%d", "rank_area": "%d", "rank_site": "%d", "rank_travel": "%d",
}  # fmt: skip

#: What a column means, where its name alone does not say.
HELP = {
    "candidates": "Missions that could have helped",
    "rank_hq": "1 = the nearest headquarters",
    "rank_area": "1 = the nearest host country",
    "rank_site": "1 = the nearest points of presence",
    "rank_travel": "1 = the fastest estimated travel",
    "travel_h": "The fastest of road, helicopter and fixed-wing, in elapsed hours (estimates)",
}

#: The columns of a transfers table, in order.
TRANSFER_TABLE = ["event_id", "source_mission", "target_mission", "start", "end", "asset", "quantity", "surge",
                  "confidence", "description", "sources"]  # fmt: skip

_VOCABULARY_COLUMNS = ("kind", "asset", "surge", "case_type", "date_precision")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a person reads it: words for vocabulary codes, dates without times, no 'None'.

    >>> display(pd.DataFrame({"surge": ["security-crisis", None]}))["surge"].tolist()
    ['Security crisis', '']
    """
    out = frame.copy()
    for column in out.columns:
        if column in _VOCABULARY_COLUMNS:
            out[column] = out[column].map(vocab.label)
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else is unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5 troops"), neutralise(-5), neutralise("UNMIL")
    ('\\'=HYPERLINK("http://x")', "'-5 troops", -5, 'UNMIL')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row; dates as YYYY-MM-DD; formula-like text cells neutralised."""
    out = frame.drop(columns="geometry", errors="ignore").copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")
