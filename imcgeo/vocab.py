"""Every fixed vocabulary of the data and the views, with the words a person reads for each value."""

from __future__ import annotations

__all__ = [
    "ASSETS",
    "CASE_TYPES",
    "COLOUR_BY",
    "CONFIDENCE",
    "DATE_PRECISIONS",
    "KINDS",
    "LABELS",
    "MEASURES",
    "MODES",
    "REGIONS",
    "SURGES",
    "TRAVEL_MODES",
    "label",
]

#: What a mission is.
KINDS = ("peacekeeping", "political", "service-centre", "other")
REGIONS = ("Africa", "Americas", "Asia-Pacific", "Europe", "Middle East")
#: What was lent.
ASSETS = (
    "troops", "police", "military-observers", "civilian-staff", "helicopters", "aircraft",
    "logistics", "medical", "engineering",
)  # fmt: skip
#: Why it was needed.
SURGES = ("election", "security-crisis", "natural-disaster", "start-up", "health-emergency", "drawdown")
CONFIDENCE = ("documented", "partial")
#: What kind of cooperation a transfer was (data/README.md gives the test for each).
CASE_TYPES = ("loan", "hand-over", "re-hatting", "support")
#: How exactly a transfer's start date is known.
DATE_PRECISIONS = ("day", "month", "year")

#: How transfers are shown at a time: those under way then, or all up to then.
MODES = ("active", "cumulative")
#: What the arc colour means.
COLOUR_BY = ("surge", "asset")
#: Ways of measuring how close two missions are (``travel``: the fastest estimated mode).
MEASURES = ("travel", "hq", "area", "site")
#: Travel-time estimates, by mode (columns of a helpers table).
TRAVEL_MODES = ("road_days", "helicopter_h", "fixed_wing_h")

#: The words shown for a value wherever it is not obvious from the value itself.
LABELS: dict[str, str] = {
    "service-centre": "Service centre",
    "military-observers": "Military observers",
    "civilian-staff": "Civilian staff",
    "security-crisis": "Security crisis",
    "natural-disaster": "Natural disaster",
    "start-up": "Start-up",
    "health-emergency": "Health emergency",
    "hand-over": "Hand-over",
    "re-hatting": "Re-hatting",
    "active": "Under way in the year",
    "cumulative": "All up to the year",
    "surge": "Surge type",
    "asset": "Asset",
    "travel": "Fastest estimated travel time",
    "hq": "Headquarters to headquarters",
    "area": "Host country to host country (0 when they share a border)",
    "site": "Closest points of presence (sites and headquarters)",
    "road_days": "Road (days, est.)",
    "helicopter_h": "Helicopter (h, est.)",
    "fixed_wing_h": "Fixed-wing (h, est.)",
}


def label(value: str | None) -> str:
    """The words a person reads for a vocabulary value; empty for a missing value.

    >>> label("security-crisis"), label("troops"), label("Africa"), label(None)
    ('Security crisis', 'Troops', 'Africa', '')
    """
    if value is None or value != value:  # None or NaN
        return ""
    value = str(value)
    return LABELS.get(value) or (value[:1].upper() + value[1:]).replace("-", " ")
