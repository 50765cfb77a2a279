"""Exports that leave the page: CSV tables safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

__all__ = ["csv_bytes", "neutralise"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")
