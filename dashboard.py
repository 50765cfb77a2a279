"""imcgeo dashboard: where UN peace operations are and how they have helped each other."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from imcgeo import data, layers
from imcgeo.errors import DataValidationError

st.set_page_config(page_title="imcgeo · inter-mission cooperation", page_icon="🌍", layout="wide")


@st.cache_resource(show_spinner="Loading missions and transfers…")
def shipped():
    countries = data.load_countries()
    missions = data.load_missions(countries=countries)
    transfers = data.load_transfers(missions=missions)
    return countries, missions, transfers, layers.display_outlines(countries)


try:
    countries, missions, transfers, outlines = shipped()
except DataValidationError as exc:
    st.error(f"The shipped data could not be loaded: {exc.file} has {len(exc.problems)} problem(s).")
    st.code("\n".join(str(p) for p in exc.problems), language=None)
    st.stop()

st.title("Inter-mission cooperation in UN peace operations")
st.caption(
    f"{len(missions)} missions and support centres · {len(transfers)} documented transfers in "
    f"{transfers['event_id'].nunique()} cases, {transfers['start'].min():%Y}–{transfers['start'].max():%Y}. "
    "Arcs run orange (source) to blue (target)."
)

today = pd.Timestamp.today().normalize()
active = missions[(missions["start"] <= today) & (missions["end"].isna() | (missions["end"] >= today))]
hosts = {code for cell in active["host_iso3"] for code in data.host_codes(cell)}
deck = layers.offline_deck(
    [
        layers.countries_layer(outlines, hosts),
        layers.transfers_layer(transfers, missions),
        layers.missions_layer(missions),
    ],
    tooltip={"text": "{tooltip}"},
)
st.pydeck_chart(
    deck,
    height=560,
    alt=f"World map of {len(missions)} UN missions and {len(transfers)} transfers between them; "
    "the table below lists every transfer.",
)

st.subheader("Transfers")
st.dataframe(
    transfers.assign(start=transfers["start"].dt.date, end=transfers["end"].dt.date),
    hide_index=True,
    width="stretch",
)
