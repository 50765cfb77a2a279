"""Tables people read and download: column names and orders, display values, and CSV bytes that open in Excel.

Every table the page shows or a user downloads has one column order (``ORDERS``: transfers,
helpers, plan, case ranks, missions), recognised from its columns, so the screen, the page's
download and the command line agree. CSVs are UTF-8 with a byte-order mark (Excel then reads
"Côte d'Ivoire" right), counts are whole, coordinates have 3 decimals, missing values are empty.
"""

from __future__ import annotations

import pandas as pd

from imcgeo import vocab
from imcgeo.i18n import DEFAULT_LANGUAGE, N_, Translator, translator

__all__ = [
    "COLUMNS",
    "HELP",
    "NUMBER_FORMATS",
    "ORDERS",
    "ORIGIN_WORDS",
    "TRANSFER_TABLE",
    "UNREACHABLE",
    "column_help",
    "column_names",
    "csv_bytes",
    "display",
    "heading_aliases",
    "neutralise",
    "ordered",
    "table_kind",
]

#: The words a column is shown under, in every table and download of the page.
COLUMNS = {
    "event_id": N_("Case"),
    "acronym": N_("Mission"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "region": N_("Region"),
    "source_mission": N_("From"),
    "target_mission": N_("To"),
    "asset": N_("Asset"),
    "quantity": N_("How many"),
    "surge": N_("Surge"),
    "confidence": N_("Confidence"),
    "description": N_("What happened"),
    "sources": N_("Sources"),
    "source": N_("Source"),
    "note": N_("Note"),
    "rank": N_("Rank"),
    "host_iso3": N_("Hosts (ISO3)"),
    "hq_city": N_("HQ"),
    "hosts": N_("Host countries"),
    "start": N_("Start"),
    "end": N_("End"),
    "hq_lat": N_("HQ lat"),
    "hq_lon": N_("HQ lon"),
    "shares_border": N_("Shares a border"),
    "same_region": N_("Same region"),
    "same_landmass": N_("Same landmass (road possible)"),
    "hq_km": N_("HQ km"),
    "area_km": N_("Area km"),
    "site_km": N_("Sites km"),
    "road_days": vocab.label("road_days"),
    "helicopter_h": vocab.label("helicopter_h"),
    "fixed_wing_h": vocab.label("fixed_wing_h"),
    "travel_h": N_("Fastest (h, est.)"),
    "travel_by": N_("By"),
    "candidates": N_("Missions active then"),
    "rank_hq": N_("Rank by HQ"),
    "rank_area": N_("Rank by host country"),
    "rank_site": N_("Rank by sites"),
    "rank_travel": N_("Rank by travel time"),
    "rank_strength": N_("Rank by strength"),
    "with_strength": N_("Missions with a strength figure"),
    "total": N_("Uniformed"),
    "case_type": N_("Case type"),
    "date_precision": N_("Date known to the"),
    "source_url": N_("First source"),
    "quantity_approx": N_("Approximate"),
    "origin": N_("Data"),
    "status_in_year": N_("Status"),
    "nearest_site": N_("Nearest site"),
    "from_km": N_("Km from the place"),
    "from_site": N_("From"),
    "troops": N_("Troops"),
    "police": N_("Police"),
    "military_observers": N_("Military observers"),
    "uniformed": N_("Uniformed"),
    "strength_date": N_("Strength on"),
    "acronym_fr": N_("French acronym"),
    "name_fr": N_("French name"),
    "source_fr": N_("Source of the French name"),
}

#: printf-style formats of numeric columns: whole numbers where they are counts or kilometres.
NUMBER_FORMATS = {
    "quantity": "%d", "rank": "%d", "hq_lat": "%.3f", "hq_lon": "%.3f", "hq_km": "%.0f", "area_km": "%.0f",
    "site_km": "%.0f", "road_days": "%.1f", "helicopter_h": "%.1f", "fixed_wing_h": "%.1f", "travel_h": "%.1f",
    "candidates": "%d", "rank_hq": "%d", "rank_area": "%d", "rank_site": "%d", "rank_travel": "%d",
    "from_km": "%.0f", "troops": "%d", "police": "%d", "military_observers": "%d", "uniformed": "%d",
}  # fmt: skip

#: What a column means, where its name alone does not say.
HELP = {
    "candidates": N_("Missions that could have helped"),
    "rank_hq": N_("1 = the nearest headquarters"),
    "rank_area": N_("1 = the nearest host country"),
    "rank_site": N_("1 = the nearest points of presence"),
    "rank_travel": N_("1 = the fastest estimated travel"),
    "travel_h": N_("The fastest of road, helicopter and fixed-wing, in elapsed hours (estimates)"),
}

#: What an empty travel estimate means, shown in its place on the page (the CSV keeps it empty).
UNREACHABLE = {"road_days": N_("not reachable by road"), "helicopter_h": N_("beyond helicopter range")}

#: The columns of a transfers table, in order.
TRANSFER_TABLE = ["event_id", "source_mission", "target_mission", "start", "end", "asset", "quantity", "surge",
                  "confidence", "description", "sources"]  # fmt: skip

#: One column order per table; columns a table lacks are skipped, columns not listed follow in their own order.
ORDERS: dict[str, list[str]] = {
    "transfers": [*TRANSFER_TABLE[:7], "quantity_approx", "surge", "case_type", "confidence", "date_precision",
                  "description", "sources", "source_url", "origin"],
    "case_ranks": ["event_id", "source_mission", "target_mission", "start", "asset", "surge", "candidates",
                   "rank_travel", "rank_hq", "rank_area", "rank_site", "note"],
    "plan": ["rank", "acronym", "name", "kind", "region", "travel_h", "travel_by", "road_days", "helicopter_h",
             "fixed_wing_h", "from_km", "from_site", "hq_km", "site_km", "nearest_site", "same_landmass", "uniformed",
             "troops", "police", "military_observers", "strength_date"],
    "helpers": ["rank", "acronym", "name", "kind", "region", "travel_h", "travel_by", "road_days", "helicopter_h",
                "fixed_wing_h", "hq_km", "area_km", "site_km", "shares_border", "same_region", "same_landmass"],
    "missions": ["acronym", "name", "kind", "status_in_year", "start", "end", "region", "hosts", "host_iso3",
                 "hq_city", "hq_lat", "hq_lon", "source", "acronym_fr", "name_fr", "source_fr", "uniformed", "troops",
                 "police", "military_observers", "strength_date", "origin"],
}  # fmt: skip
#: The columns that tell each table apart, tried in this order.
_SIGNATURES = (
    ("case_ranks", {"event_id", "rank_hq"}),
    ("transfers", {"source_mission", "target_mission"}),
    ("plan", {"rank", "acronym", "from_km"}),
    ("helpers", {"rank", "acronym"}),
    ("missions", {"acronym", "hq_city"}),
)
#: What the ``origin`` column's values read as: rows from an analyst's upload are theirs, never "documented".
ORIGIN_WORDS = {"yours": N_("Your data (uploaded)"), "shipped": N_("Shipped (documented)")}

#: Columns that hold mission acronyms: shown in the reader's language (the French acronym where the UN has one).
_MISSION_COLUMNS = ("acronym", "source_mission", "target_mission", "mission")
_VOCABULARY_COLUMNS = ("kind", "asset", "surge", "case_type", "date_precision", "confidence", "travel_by", "region",
                       "status_in_year")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_kind(frame: pd.DataFrame) -> str | None:
    """Which table of ``ORDERS`` *frame* is, told by its columns; None for any other table.

    >>> table_kind(pd.DataFrame(columns=["rank", "acronym", "hq_km"])), table_kind(pd.DataFrame(columns=["x"]))
    ('helpers', None)
    """
    columns = set(frame.columns)
    return next((kind for kind, needed in _SIGNATURES if needed <= columns), None)


def ordered(frame: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """*frame* with its table's column order (``ORDERS``; *kind* or told by ``table_kind``), other columns after."""
    order = ORDERS.get(kind or table_kind(frame) or "", [])
    first = [c for c in order if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _whole(column: str) -> bool:
    return NUMBER_FORMATS.get(column) == "%d" or NUMBER_FORMATS.get(column) == "%.0f"


def _decimals(column: str) -> int | None:
    fmt = NUMBER_FORMATS.get(column, "")
    return int(fmt[2]) if fmt.startswith("%.") and fmt.endswith("f") else 0 if fmt == "%d" else None


def _numbers(out: pd.DataFrame) -> pd.DataFrame:
    """Counts and kilometres whole (empty when unknown), coordinates to 3 decimals, hours to 1."""
    for column in out.columns:
        places = _decimals(column)
        if places is None or not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        values = pd.to_numeric(out[column], errors="coerce").astype("Float64").round(places)
        out[column] = values.astype("Int64") if places == 0 else values
    return out


def display(frame: pd.DataFrame, tr: Translator | None = None) -> pd.DataFrame:
    """The frame as a person reads it: its table's column order, words for codes, dates without times, no 'None'.

    Vocabulary codes become words (``security-crisis``: Security crisis), uploaded rows read
    "Your data (uploaded)", counts are whole, and a missing text cell is empty, never "None".
    With *tr*, the words are in its language and missions go by their acronyms and names there
    (FINUL for UNIFIL in French); the column keys stay (``column_names`` gives their headings).

    >>> display(pd.DataFrame({"surge": ["security-crisis", None]}))["surge"].tolist()
    ['Security crisis', '']
    >>> display(pd.DataFrame({"note": [None, float("nan"), "x"], "quantity": [500.0, None, 3.0]})).to_dict("list")
    {'note': ['', '', 'x'], 'quantity': [500, None, 3]}
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    out = _numbers(ordered(frame).copy())
    acronyms = out["acronym"].copy() if "acronym" in out else None
    for column in out.columns:
        if column in _VOCABULARY_COLUMNS:
            out[column] = out[column].map(tr.label).astype(object)
        elif column == "origin":
            out[column] = out[column].map(lambda v: tr.gettext(ORIGIN_WORDS[v]) if v in ORIGIN_WORDS else tr.label(v))
            out[column] = out[column].astype(object)
        elif column in _MISSION_COLUMNS:
            out[column] = out[column].map(lambda a: tr.mission_acronym(a) if isinstance(a, str) else a).astype(object)
            out[column] = out[column].where(out[column].notna(), "")
        elif column == "name" and acronyms is not None and tr.lang != DEFAULT_LANGUAGE:
            out[column] = [tr.mission_name(a, n) if isinstance(a, str) else n for a, n in zip(acronyms, out[column])]
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
        elif column in UNREACHABLE:  # an estimate that does not apply says why, in words
            words = tr.gettext(UNREACHABLE[column])
            out[column] = [words if pd.isna(v) else tr.format_number(v, 1) for v in out[column]]
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


def column_names(tr: Translator | None = None) -> dict[str, str]:
    """Every column's heading in *tr*'s language (English by default).

    >>> column_names(translator("fr"))["target_mission"]
    'Vers'
    """
    tr = tr or translator(DEFAULT_LANGUAGE)
    return {column: tr.gettext(words) for column, words in COLUMNS.items()}


def column_help(tr: Translator | None = None) -> dict[str, str]:
    """What a column means, in *tr*'s language, where its name alone does not say (``HELP``)."""
    tr = tr or translator(DEFAULT_LANGUAGE)
    return {column: tr.gettext(words) for column, words in HELP.items()}


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else is unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5 troops"), neutralise(-5), neutralise("UNMIL")
    ('\\'=HYPERLINK("http://x")', "'-5 troops", -5, 'UNMIL')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, kind: str | None = None, *, tr: Translator | None = None) -> bytes:
    """CSV that opens right in Excel: UTF-8 with a byte-order mark, the table's column order, no 'None' or 'nan'.

    Dates are YYYY-MM-DD, counts and kilometres whole, coordinates to 3 decimals, hours to 1;
    formula-like text cells are neutralised. *kind* names the table in ``ORDERS`` (default: told
    by its columns). The codes stay codes (``security-crisis``), so the file loads back. With a
    translator of another language than English, the header row has the columns' headings in that
    language (``Vers`` for ``target_mission``); the loaders read those headings back
    (``imcgeo._validate.read_rows``).

    >>> data = csv_bytes(pd.DataFrame({"hq_lon": [-72.33861], "acronym": ["MINUSTAH"], "hq_city": ["Port-au-Prince"],
    ...                                "end": [pd.NaT], "troops": [None]}))
    >>> data[:3].hex(), data.decode("utf-8-sig").splitlines()
    ('efbbbf', ['acronym,end,hq_city,hq_lon,troops', 'MINUSTAH,,Port-au-Prince,-72.339,'])
    """
    out = _numbers(ordered(frame.drop(columns="geometry", errors="ignore"), kind).copy())
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    if tr is not None and tr.lang != DEFAULT_LANGUAGE:
        names = column_names(tr)
        out.columns = [_heading(column, names, out.columns) for column in out.columns]
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def _heading(column: str, names: dict[str, str], columns) -> str:
    """A column's heading in a translated CSV: its words, or its key where two columns would read the same."""
    heading = names.get(column, column)
    clash = any(names.get(other, other) == heading for other in columns if other != column)
    return column if clash else heading


def heading_aliases(columns: list[str]) -> dict[str, str]:
    """Headings of translated CSVs (``csv_bytes``) that stand for one of *columns*: heading -> column key.

    A heading two of the columns share is left out. Matching ignores case.

    >>> heading_aliases(["source_mission", "target_mission"])["vers"]
    'target_mission'
    """
    from imcgeo.i18n import LANGUAGES

    found: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        names = column_names(translator(lang))
        for column in columns:
            if column in names:
                found.setdefault(names[column].casefold(), set()).add(column)
    return {heading: keys.pop() for heading, keys in found.items() if len(keys) == 1}
