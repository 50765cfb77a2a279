"""The planner, place lookup, finding, proximity and travel words in French: real calls, read as a person would.

Until the lead merges /work/helpers/fr_planner.json into the French catalogue, the French of
these messages comes from that file (a translator that looks there first); afterwards the
catalogue alone answers and the same tests pass unchanged.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po
from shapely.geometry import box

from imcgeo import findings, planner, proximity
from imcgeo.i18n import Translator, po_path, translator
from imcgeo.places import Gazetteer, PlaceNotFound, PointError, parse_point
from imcgeo.planner import PlanError, flows, helpers_at, load_units, parse_day, read_link
from imcgeo.proximity import World, event_ranks
from imcgeo.sites import load_sites
from imcgeo.travel import load_assumptions

ROOT = Path(__file__).resolve().parents[1]
PENDING = ROOT.parent / "helpers" / "fr_planner.json"
FILES = ("imcgeo/planner.py", "imcgeo/places.py", "imcgeo/findings.py", "imcgeo/proximity.py", "imcgeo/travel.py")
NNBSP, NBSP = "\u202f", "\u00a0"
# English words that no French sentence of these modules contains (acronyms, codes and names aside;
# words both languages share, such as "missions" and "sites", are not listed).
ENGLISH = re.compile(
    r"\b(the|of|and|is|are|not|no|from|with|for|only|have|has|than|unknown|transfers?|travel|estimates?|"
    r"strength|units?|records?|Fix|Did you mean|people|rank|far away|nearest|chance|by case|headquarters)\b"
)


def _pending() -> dict:
    return json.loads(PENDING.read_text(encoding="utf-8")) if PENDING.exists() else {}


class PendingFrench(Translator):
    """The French translator, answering first from the messages waiting to be merged into the catalogue."""

    def __init__(self, pending: dict):
        super().__init__("fr")
        self._pending = pending

    def gettext(self, message: str) -> str:
        found = self._pending.get(message)
        return found if isinstance(found, str) else super().gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._pending.get(singular)
        if isinstance(found, list):
            return found[self._catalogue.plural(n)]
        return super().ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        found = self._pending.get(f"{context}\x04{message}")
        return found if isinstance(found, str) else super().pgettext(context, message)


@pytest.fixture(scope="module")
def fr() -> Translator:
    return PendingFrench(_pending())


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(text)


def test_every_message_of_these_modules_has_its_french():
    """Each message these modules mark is translated (in the catalogue or waiting in fr_planner.json)."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    template = script.extract(ROOT)
    with po_path("fr").open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    pending = _pending()
    mine = [m for m in template if m.id and any(Path(f).as_posix() in FILES for f, _ in m.locations)]
    assert len(mine) > 80  # the extraction found these modules' messages
    missing = []
    for message in mine:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if (f"{message.context}\x04{key}" if message.context else key) in pending:
            continue
        known = catalogue.get(message.id, context=message.context)
        strings = known.string if known and isinstance(known.string, tuple) else ((known.string,) if known else ())
        if not (known and all(strings) and not known.fuzzy):
            missing.append((message.context, key))
    assert missing == []


# --- the planner -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> World:
    countries = gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "name": ["A", "B", "C"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(40, -30, 50, -20)],
        crs="EPSG:4326",
    )
    rows = [
        ("MINA", "peacekeeping", "2000-01-01", None, "AAA", 5.0, 5.0, "Africa", "Aville"),
        ("MINB", "peacekeeping", "2000-01-01", None, "BBB", 5.0, 15.0, "Africa", "Bville"),
        ("MINC", "peacekeeping", "2000-01-01", None, "CCC", -25.0, 45.0, "Africa", "Cville"),
        ("Unnamed (placeholder)", "other", "2000-01-01", None, "", None, None, "", ""),
    ]
    missions = pd.DataFrame(
        rows, columns=["acronym", "kind", "start", "end", "host_iso3", "hq_lat", "hq_lon", "region", "hq_city"]
    )
    missions["name"] = missions["acronym"]
    missions["start"] = pd.to_datetime(missions["start"])
    missions["end"] = pd.to_datetime(missions["end"])
    sites = load_sites(b"mission,site,lat,lon,start,end\nMINB,Kalo,5.0,11.0,,\n", missions=missions)
    return World(missions, countries, sites)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    """Geo-PKO-style rows for 2010: MINA and MINB have medical units, MINC no record; no engineering column."""
    text = (
        "mission,year,location,latitude,longitude,NoTroops,hq,UNPOL,Med,Av,UNMO\n"
        "MINA,2010,Aville,5.0,5.0,150,3,1,1,0,0\n"
        "MINB,2010,Bville,5.0,15.0,2500,3,0,1,1,1\n"
    )
    return load_units(text.encode(), name="toy.csv")


def test_a_plan_in_french_has_french_caveats_assumptions_and_words(world, units, fr):
    strength = pd.DataFrame({"mission": ["MINA", "MINB"], "troops": [2500, np.nan], "police": [10, 5],
                             "military_observers": [0, 1]})  # fmt: skip
    plan = helpers_at(world, 5.0, 6.0, "2010-06-01", k=None, needs="medical", sites=units, strength=strength, tr=fr)
    english = helpers_at(world, 5.0, 6.0, "2010-06-01", k=None, needs="medical", sites=units, strength=strength)
    caveats = " ".join(plan.caveats)
    assert len(plan.caveats) == len(english.caveats)
    for words in (
        "Les temps de trajet sont des estimations",
        "relevés Geo-PKO de 2010",
        "unités médicales",
        "pas de colonne engineering",
        "1 des 3 missions actives à cette date n’a aucun relevé",
        "et non une capacité disponible",
        "1 des missions de la liste n’a pas de chiffre d’effectif",
    ):
        assert words in caveats, words  # fmt: skip
    assert english_in(caveats) == []
    assumptions = " ".join(plan.assumptions)
    assert "Convoi routier" in assumptions and f"pas de vol au-delà de 2{NNBSP}000 km" in assumptions
    assert f"une escale de 1,5 h tous les 3{NNBSP}800 km" in assumptions
    assert english_in(assumptions) == []
    assert set(plan.table["travel_by"]) <= {"Route", "Hélicoptère", "Avion"}
    assert "Aville (QG)" in set(plan.table["nearest_site"]) and "HQ Aville" in set(english.table["nearest_site"])


def test_a_point_at_sea_and_a_plan_without_tables_say_so_in_french(world, fr):
    plan = helpers_at(world, -10.0, 30.0, "2010-06-01", tr=fr)
    caveats = " ".join(plan.caveats)
    assert "Le point est en mer (aucune terre à moins de 50 km environ)" in caveats
    assert "Aucun tableau des effectifs n’est chargé" in caveats
    assert english_in(caveats) == []


def test_planner_errors_read_in_french_and_stay_english_by_default(fr):
    with pytest.raises(PlanError) as error:
        parse_day("2014-13-01")
    assert str(error.value).startswith("date '2014-13-01' is not a calendar date. Fix:")
    assert error.value.text(fr) == (
        f"la date «{NBSP}2014-13-01{NBSP}» n’existe pas dans le calendrier. Correction{NBSP}: écrivez-la sous la "
        "forme AAAA-MM-JJ, par exemple 2014-01-15"
    )
    with pytest.raises(PlanError) as error:
        read_link({"at": "95, 10", "date": "2014-01-15"})
    assert str(error.value).startswith("link parameter 'at': latitude 95.0 is outside -90 to 90")
    said = error.value.text(fr)
    assert said.startswith(f"paramètre du lien «{NBSP}at{NBSP}»{NBSP}: la latitude 95.0 n’est pas comprise")
    assert "elles semblent inversées" in said and english_in(said) == []
    with pytest.raises(PlanError) as error:
        read_link({"at": "9.5,31.6", "date": "2014-01-15", "needs": "tanks"})
    assert error.value.text(fr).startswith(f"besoin inconnu «{NBSP}tanks{NBSP}». Correction")


def test_flows_count_assets_in_french(fr):
    transfers = pd.DataFrame(
        {
            "event_id": ["e1", "e1", "e2"], "source_mission": ["MINA"] * 3, "target_mission": ["MINB"] * 3,
            "start": pd.to_datetime(["2010-01-01"] * 3), "end": pd.NaT, "asset": ["troops", "troops", "helicopters"],
            "quantity": [2500, None, 3], "surge": ["election"] * 3,
        }
    )  # fmt: skip
    assert flows(transfers)["by_asset"].iloc[0] == "helicopters 3; troops 2,500 + 1 unknown"
    assert flows(transfers, tr=fr)["by_asset"].iloc[0] == f"hélicoptères 3; troupes 2{NNBSP}500 + 1 inconnu"


# --- places ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    frame = pd.DataFrame(
        {
            "geonameid": [1, 2, 3],
            "name": ["Kinshasa", "Gao", "Gao"],
            "asciiname": ["Kinshasa", "Gao", "Gao"],
            "alternates": ["", "", ""],
            "iso3": ["COD", "MLI", "BFA"],
            "lat": [-4.3276, 16.2717, 12.75],
            "lon": [15.3136, -0.0447, -1.2],
            "population": [7785965, 87000, 2500],
        }
    )
    return Gazetteer(frame)


def test_a_place_not_found_is_said_in_french(gazetteer, fr):
    with pytest.raises(PlaceNotFound) as error:
        gazetteer.resolve("Kinshassa")
    said = error.value.text(fr)
    assert said.startswith(f"«{NBSP}Kinshassa{NBSP}» ne figure pas dans le répertoire géographique")
    assert f"Vouliez-vous dire «{NBSP}Kinshasa, COD{NBSP}»{NBSP}?" in said
    assert english_in(said) == []
    assert str(error.value).startswith("'Kinshassa' is not a place in the gazetteer")


def test_namesakes_are_told_apart_in_french(gazetteer, fr):
    choices = gazetteer.resolve("Gao")
    assert [p.choice_text(tr=fr) for p in choices] == [
        f"Gao, MLI · 16,27{NBSP}; -0,04 · 87{NNBSP}000 habitants",
        f"Gao, BFA · 12,75{NBSP}; -1,20 · 2{NNBSP}500 habitants",
    ]
    assert choices[1].choice_label == "Gao, BFA · 12.75, -1.20 · 2,500 people"


def test_unreadable_coordinates_are_said_in_french(fr):
    with pytest.raises(PointError) as error:
        parse_point("12,5 3,2")
    said = error.value.text(fr)
    assert said.startswith(f"impossible de lire «{NBSP}12,5 3,2{NBSP}» comme des coordonnées. Correction{NBSP}:")
    assert "mettez un point pour les décimales" in said and "latitude d’abord, en degrés décimaux" in said
    assert english_in(said) == []
    assert "Fix: use a point for decimals" in str(error.value)


# --- the finding -----------------------------------------------------------------------------


def hand_built() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """As tests/test_findings.py builds it: five placed transfers in four cases, one from a placeholder."""
    rows = [
        ("e1", "A", "T", "2005-03-01", "troops", 1, 2, "loan"),
        ("e1", "A", "T", "2005-03-01", "helicopters", 1, 2, "loan"),
        ("e2", "B", "T", "2006-01-01", "troops", 1, 4, "hand-over"),
        ("e3", "C", "U", "1995-05-01", "police", 3, 4, "loan"),
        ("e4", "D", "U", "1996-06-01", "troops", 4, 4, "loan"),
        ("e5", "X", "U", "1997-01-01", "logistics", None, None, "loan"),
    ]
    ranks = pd.DataFrame(
        [
            {"event_id": e, "source_mission": s, "target_mission": t, "start": pd.Timestamp(d), "asset": a,
             "surge": "start-up", "candidates": c, "rank_hq": r, "note": "" if r else "placeholder"}
            for e, s, t, d, a, r, c, _ in rows
        ]
    )  # fmt: skip
    for column in ("candidates", "rank_hq"):
        ranks[column] = pd.array(ranks[column], dtype="Int64")
    transfers = pd.DataFrame({"event_id": [r[0] for r in rows], "case_type": [r[7] for r in rows]})
    # D sits about 2,500 km from U, so the counterexample names a distance in thousands.
    missions = pd.DataFrame({"acronym": ["A", "B", "C", "D", "T", "U", "X"],
                             "hq_lat": [0.0, 1.0, 2.0, 0.0, 0.5, 22.5, np.nan],
                             "hq_lon": [0.0, 1.0, 2.0, 0.0, 0.5, 0.0, np.nan],
                             "region": ["Africa"] * 6 + ["Americas"]})  # fmt: skip
    return ranks, transfers, missions


@pytest.mark.parametrize("top", [1, 3])
def test_the_finding_paragraph_in_french(top, fr):
    ranks, transfers, missions = hand_built()
    table = findings.nearest_share(ranks, transfers, top=top, draws=2_000, seed=7)
    far = findings.counterexamples(ranks, transfers, missions=missions, top=1, tr=fr)
    text = findings.finding_text(table, far, tr=fr)
    english = findings.finding_text(table, findings.counterexamples(ranks, transfers, missions=missions, top=1))
    assert english.startswith("Of the 5 transfers that can be placed on the map")
    assert text.startswith("Sur les 5 transferts qui peuvent être placés sur la carte")
    assert f"({60 if top == 1 else 80}{NBSP}%)" in text
    assert "proximité mesurée d’un quartier général à l’autre" in text
    nearest = "de la mission la plus proche" if top == 1 else f"de l’une des {top} missions les plus proches"
    assert f"provenaient {nearest} de la mission aidée" in text
    assert "sans eux, " in text and "Par cas, " in text and "hors passations et changements de casque" in text
    assert f"D vers U en 1996 (rang 4 sur 4, 2{NNBSP}4" in text and "Des renforts sont aussi venus de loin" in text
    assert re.search(r"p = 0,\d{3}", text)
    assert english_in(text) == []
    assert set(far["assets"]) >= {"troupes"}


def test_the_share_table_reads_in_french_and_keeps_its_codes(fr):
    ranks, transfers, _ = hand_built()
    table = findings.nearest_share(ranks, transfers, top=1, draws=200, seed=7)
    shown = findings.share_words(table, tr=fr)
    assert set(shown["scope"]) == {"tous les transferts", "hors passations et changements de casque",
                                   "passations et changements de casque seulement"}  # fmt: skip
    assert {"toutes les années", "années 1990", "années 2000"} <= set(shown["period"])
    assert set(shown["unit"]) == {"transferts", "cas"}
    assert set(table["scope"]) == set(findings.SCOPES)  # the table itself keeps its codes


def test_a_finding_with_nothing_placed_says_so_in_french(fr):
    # nearest_share leaves out empty groups: with no placed transfer there is no "all" row to report.
    table = pd.DataFrame({"measure": ["hq"], "top": [1], "scope": ["hand-overs and re-hatting"], "period": ["all"],
                          "unit": ["cases"]})  # fmt: skip
    assert findings.finding_text(table).startswith("No transfer in this selection can be placed on the map")
    said = findings.finding_text(table, tr=fr)
    assert said.startswith("Aucun transfert de cette sélection ne peut être placé sur la carte")
    assert english_in(said) == []


# --- proximity and travel ----------------------------------------------------------------------


def test_helpers_and_ranks_in_french(world, fr):
    table = proximity.helpers("MINA", "2010-06-01", k=None, world=world, tr=fr)
    assert set(table["travel_by"]) <= {"Route", "Hélicoptère", "Avion"} and len(table) == 2
    assert set(proximity.helpers("MINA", "2010-06-01", k=None, world=world)["travel_by"]) <= {
        "Road", "Helicopter", "Fixed-wing"}  # fmt: skip
    transfers = pd.DataFrame(
        {"event_id": ["e1", "e2"], "source_mission": ["MINB", "Unnamed (placeholder)"],
         "target_mission": ["MINA", "MINA"], "start": pd.to_datetime(["2010-01-01"] * 2), "asset": ["troops"] * 2,
         "surge": ["election"] * 2, "case_type": ["loan"] * 2, "confidence": ["documented"] * 2}
    )  # fmt: skip
    ranks = event_ranks(transfers, world=world, tr=fr)
    assert ranks["note"].tolist() == ["", "mission indéterminée\u00a0: pas de position sur la carte"]
    assert planner.case_ranks(world, transfers, tr=fr)["note"].iloc[1] == ranks["note"].iloc[1]


def test_travel_assumptions_in_french(fr):
    lines = load_assumptions().describe(tr=fr)
    assert lines[0].startswith(f"Convoi routier{NBSP}: 30 km/h pendant 10 h par jour")
    assert lines[1].startswith(f"Hélicoptère (utilitaire moyen, type Mi-8/Mi-17){NBSP}: 220 km/h")
    assert lines[2] == (
        f"Avion de transport (type C-130){NBSP}: 540 km/h, une escale de 1,5 h tous les 3{NNBSP}800 km, "
        "6 h de préparation"
    )
    assert english_in(" ".join(lines)) == []
    assert translator("en") is not fr and load_assumptions().describe()[2].startswith("Fixed-wing transport")
