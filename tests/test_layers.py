"""Layer builders and the visual encoding, tested on the JSON the browser receives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from imcgeo import data, encoding, layers
from imcgeo.atlas import Atlas
from imcgeo.deckjson import offline_deck
from imcgeo.outlines import display_outlines
from imcgeo.timeline import mission_status


def deck_json(*built) -> dict:
    return json.loads(offline_deck(list(built), (10.0, 20.0, 3.0)).to_json())


@pytest.fixture(scope="module")
def shipped():
    countries = data.load_countries()
    missions = data.load_missions(countries=countries)
    transfers = data.load_transfers(missions=missions)
    return countries, missions, transfers


def test_deck_is_offline_compact_and_keeps_the_camera(shipped):
    deck = offline_deck([], (43.5, 19.5, 5.2))
    text = deck.to_json()
    spec = json.loads(text)
    assert spec.get("mapProvider") is None and "\n" not in text
    assert spec["initialViewState"] == {"latitude": 43.5, "longitude": 19.5, "zoom": 5.2, "minZoom": 0.5, "maxZoom": 12}


def test_raw_outlines_are_spliced_in_unchanged(shipped):
    countries, _, _ = shipped
    outlines = display_outlines(countries)
    raw = deck_json(layers.countries_layer(outlines, {"HTI"}, raw=True))
    parsed = deck_json(layers.countries_layer(outlines, {"HTI"}))
    assert raw == parsed
    fills = {tuple(f["properties"]["fill"]) for f in raw["layers"][0]["data"]["features"]}
    assert fills <= {*encoding.HOST_TONES, *encoding.LAND_TONES}
    hti = next(f for f in outlines["features"] if f["properties"]["iso3"] == "HTI")
    drawn = raw["layers"][0]["data"]["features"][outlines["features"].index(hti)]
    assert tuple(drawn["properties"]["fill"]) in encoding.HOST_TONES  # the highlighted host is shaded blue
    others = [f["properties"]["fill"] for f in raw["layers"][0]["data"]["features"] if f is not drawn]
    assert all(tuple(fill) in encoding.LAND_TONES for fill in others)
    assert len(json.dumps(outlines, separators=(",", ":"))) < 200_000


def test_neighbouring_countries_never_share_a_tone(shipped):
    countries, _, _ = shipped
    features = {f["properties"]["iso3"]: f["properties"]["tone"] for f in display_outlines(countries)["features"]}
    for a, b in [("LBR", "CIV"), ("FRA", "DEU"), ("SDN", "SSD"), ("COD", "CAF"), ("HTI", "DOM"), ("ISR", "LBN")]:
        assert features[a] != features[b], (a, b)


def test_mission_points_are_styled_by_status(shipped):
    _, missions, _ = shipped
    spec = deck_json(layers.missions_layer(missions, mission_status(missions, 2010)))["layers"][0]
    assert spec["id"] == "missions" and spec["@@type"] == "ScatterplotLayer"
    by_name = {d["tooltip"].split(":")[0]: d for d in spec["data"]}
    assert by_name["MINUSTAH"]["fill"] == list(encoding.STATUS_STYLE["active"][0])
    assert by_name["UNMISS"]["fill"] == list(encoding.STATUS_STYLE["future"][0])
    assert by_name["UNEF I"]["fill"] == list(encoding.STATUS_STYLE["ended"][0])
    assert by_name["RSCE"]["radius"] > by_name["MINUSTAH"]["radius"]  # service centres stand out


def test_arcs_encode_direction_colour_and_width(shipped):
    _, missions, transfers = shipped
    unmil = transfers[(transfers["event_id"] == "2010-unoci-election-support") & (transfers["asset"] == "troops")]
    arc = deck_json(layers.transfers_layer(unmil, missions, "asset", year=2010, largest=3500))["layers"][0]
    assert arc["id"] == "transfers" and arc["greatCircle"] is True
    (record,) = arc["data"]
    monrovia = missions.set_index("acronym").loc["UNMIL"]
    assert record["from"] == pytest.approx([monrovia["hq_lon"], monrovia["hq_lat"]], abs=1e-3)
    assert record["c0"] == [*encoding.ASSET_RGB["troops"], encoding.SOURCE_ALPHA]
    assert record["c1"] == [*encoding.ASSET_RGB["troops"], encoding.TARGET_ALPHA]
    assert record["w"] == round(encoding.width_px(500, 3500), 2)
    assert record["tooltip"].startswith("UNMIL → UNOCI: 500 troops\n")


def test_placeholder_sources_start_at_an_indicative_point(shipped):
    _, missions, transfers = shipped
    haiti = transfers[transfers["event_id"] == "2010-minustah-earthquake"]
    records = layers.arc_records(haiti, missions, "surge", year=2010, largest=3500)
    assert len(records) == 2
    africa = next(r for r in records.values() if r["tooltip"].startswith("Missions in Africa"))
    lon, lat = africa["from"]
    assert -20 < lon < 40 and -15 < lat < 20  # among the African missions of 2010
    assert "indicative point" in africa["tooltip"]


def test_tooltips_keep_text_from_files_verbatim(shipped):
    _, missions, transfers = shipped
    hostile = transfers.head(1).assign(description="<img src=x onerror=alert(1)>", sources="<script>x</script>")
    arc = deck_json(layers.transfers_layer(hostile, missions, year=2000, largest=1))["layers"][0]
    # Kept as the characters they are; the page shows tooltips as text (tooltip={"text": ...}), not HTML.
    assert "<img src=x onerror=alert(1)>" in arc["data"][0]["tooltip"]


def test_only_accessors_are_expressions(shipped):
    """pydeck turns any string into an accessor expression: a setting such as widthUnits must stay a word."""
    countries, missions, transfers = shipped
    table = pd.DataFrame({"acronym": ["UNMIL", "UNOWAS"], "rank": [1, 2], "hq_km": [760.0, 1798.0]})
    built = [
        layers.countries_layer(display_outlines(countries), {"HTI"}),
        layers.missions_layer(missions, mission_status(missions, 2010)),
        layers.transfers_layer(transfers, missions, year=2010, largest=1000.0),
        layers.labels_layer({"UNOCI"}, missions),
        layers.rings_layer(5.3, -4.0),
        layers.helpers_layer(table, missions),
    ]
    for spec in deck_json(*built)["layers"]:
        settings = {k: v for k, v in spec.items() if isinstance(v, str) and v.startswith("@@=")}
        assert all(k.startswith("get") for k in settings), (spec["id"], settings)
    rings = deck_json(layers.rings_layer(5.3, -4.0))["layers"][0]
    assert rings["widthUnits"] == "pixels" and rings["extensions"] == [{"@@type": "PathStyleExtension", "dash": True}]


def test_rings_are_geodesic_circles():
    from imcgeo.geodesy import geodesic_km

    ring = deck_json(layers.rings_layer(5.3, -4.0, (500, 1000)))["layers"][0]
    assert ring["id"] == "rings" and [d["tooltip"] for d in ring["data"]] == ["500 km", "1,000 km"]
    for radius, record in zip((500, 1000), ring["data"]):
        for lon, lat in record["path"][::20]:
            assert geodesic_km(5.3, -4.0, lat, lon) == pytest.approx(radius, abs=0.5)


def test_atlas_frames_give_the_same_layers_as_the_builders(shipped):
    countries, missions, transfers = shipped
    atlas = Atlas(missions, transfers, countries).warm()
    outlines = display_outlines(countries)
    for year in (1960, 2010, 2026):
        frame = atlas.frame(atlas.view(year=year, mode="active"))
        shown = transfers[(transfers["start"].dt.year <= year) & (transfers["end"].dt.year.fillna(
            transfers["start"].dt.year) >= year)]  # fmt: skip
        countries_, missions_, arcs_ = (deck_json(lay) for lay in frame.layers[:3])
        records = layers.arc_records(shown, missions, "surge", largest=atlas.largest)
        assert arcs_ == deck_json(layers.arc_layers(list(records.values()))[0])
        status = mission_status(missions, year)
        assert missions_ == deck_json(layers.missions_layer(missions, status))
        hosts = {c for cell in missions.loc[status == "active", "host_iso3"] for c in data.host_codes(cell)}
        assert countries_ == deck_json(layers.countries_layer(outlines, hosts))
    assert atlas.frame(atlas.view(year=2010)).layers[1] is atlas.frame(atlas.view(year=2010, mode="active")).layers[1]


def test_legend_lists_every_vocabulary_value_in_fixed_order():
    assert [label for label, _ in encoding.legend("surge")][:2] == ["Start-up", "Security crisis"]
    assert len(encoding.legend("asset")) == len(data.ASSETS)
    assert len({rgb for _, rgb in encoding.legend("asset")}) == len(data.ASSETS)
    assert pd.Series([encoding.width_px(q, 100) for q in (1, 4, 9, 100)]).is_monotonic_increasing


def test_neighbours_still_share_their_border_when_simplified(shipped):
    """No gap or sliver along a shared border: at zoom 5 a pixel is 0.044 degrees of longitude."""
    import shapely
    from shapely.geometry import shape

    countries, _, _ = shipped
    drawn = {f["properties"]["iso3"]: shape(f["geometry"]) for f in display_outlines(countries)["features"]}
    source = dict(zip(countries["iso3"], countries.geometry))
    pixel = 360 / (256 * 2**5)
    for a, b in [("BIH", "HRV"), ("BIH", "SRB"), ("SRB", "XKX"), ("LBR", "CIV"), ("SDN", "SSD"), ("COD", "CAF"),
                 ("ISR", "LBN"), ("SYR", "LBN"), ("HTI", "DOM")]:  # fmt: skip
        border = shapely.get_coordinates(drawn[a].boundary)
        on_border = [shapely.Point(xy) for xy in border if source[b].distance(shapely.Point(xy)) < 0.02]
        assert on_border, (a, b)
        gap = max(drawn[b].distance(p) for p in on_border)
        assert gap <= pixel, f"{a}-{b}: a gap of {gap:.3f} degrees"


def test_outlines_in_another_crs_are_reprojected_not_relabelled(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoDataFrame({"iso3": ["AAA"], "name": ["A"]}, geometry=[box(0, 0, 10, 10)], crs="EPSG:4326")
    path = tmp_path / "mercator.geojson"
    frame.to_crs("EPSG:3857").to_file(path, driver="GeoJSON")
    loaded = data.load_countries(path)
    assert loaded.crs == "EPSG:4326"
    assert loaded.total_bounds == pytest.approx([0, 0, 10, 10], abs=1e-6)


def test_a_mission_tooltip_cites_its_mandate(shipped):
    _, missions, _ = shipped
    spec = deck_json(layers.missions_layer(missions, mission_status(missions, 2012)))["layers"][0]
    tips = {d["tooltip"].split(":")[0]: d["tooltip"] for d in spec["data"]}
    unsmis = missions.set_index("acronym").loc["UNSMIS", "source"]
    assert f"\nMandate: {unsmis}" in tips["UNSMIS"] and "S/RES/2043 (2012)" in tips["UNSMIS"]
    assert "Peacekeeping" in tips["UNSMIS"]  # words, not codes
    assert all("\nMandate: " in tip for tip in tips.values())  # every placed mission cites what set it up


def test_transfers_from_or_to_unnamed_missions_are_dashed_and_ringed(shipped):
    _, missions, transfers = shipped
    records = layers.arc_records(transfers, missions, "surge", largest=3500)
    unnamed = {i: r for i, r in records.items() if "unnamed" in r}
    sources = transfers.loc[list(unnamed), "source_mission"]
    assert {"Missions in Africa (unnamed)", "Other peacekeeping missions (unnamed)"} <= set(sources)
    receiving = transfers.index[transfers["target_mission"] == "Receiving missions (unnamed)"]
    assert len(receiving) and all(records[i]["unnamed"] == "target" for i in receiving)  # drawn now, not dropped
    assert all("receiving missions" in records[i]["tooltip"] for i in receiving)
    built = deck_json(*layers.arc_layers(list(records.values())))["layers"]
    assert [layer["id"] for layer in built] == ["transfers", *layers.UNNAMED_IDS]
    arcs, dashed, rings = built
    assert len(arcs["data"]) == len(records) - len(unnamed)  # no plain arc leaves an indicative point
    assert {d["tooltip"] for d in dashed["data"]} == {r["tooltip"] for r in unnamed.values()}
    assert dashed["@@type"] == "PathLayer" and len(dashed["data"]) == 12 * len(unnamed)  # twelve dashes each
    assert "extensions" not in dashed  # cut into dashes: every deck.gl build draws it
    ends = {tuple(r["from"] if r["unnamed"] == "source" else r["to"]) for r in unnamed.values()}
    assert {tuple(d["position"]) for d in rings["data"]} == ends
    assert all("no source names" in d["tooltip"] for d in rings["data"])


def test_an_unnamed_point_does_not_move_with_the_year_shown(shipped):
    _, missions, transfers = shipped
    surge = transfers[transfers["source_mission"] == "Other peacekeeping missions (unnamed)"]
    assert layers.arc_records(surge, missions, "surge", largest=1) == layers.arc_records(
        surge, missions, "surge", largest=1
    )
    at_start = layers.arc_records(surge, missions, "surge", year=2014, largest=1)
    assert layers.arc_records(surge, missions, "surge", largest=1) == at_start  # its own start year by default


def test_uploaded_rows_say_your_data(shipped):
    _, missions, transfers = shipped
    mine = transfers.head(2).assign(origin=["yours", "shipped"])
    records = list(layers.arc_records(mine, missions, "surge", largest=1).values())
    assert "Your data (uploaded)" in records[0]["tooltip"] and "Your data" not in records[1]["tooltip"]
    row = missions.iloc[0].to_dict() | {"origin": "yours"}
    assert "Your data (uploaded)" in layers.mission_tooltip(row)


def test_a_frame_with_no_unnamed_missions_draws_no_unnamed_layer(shipped):
    _, missions, transfers = shipped
    named = transfers[transfers["event_id"] == "2010-unoci-election-support"]
    built = layers.arc_layers(list(layers.arc_records(named, missions, "surge", largest=1).values()))
    assert [layer.id for layer in built] == ["transfers"]


def test_arcs_are_flat_great_circles_so_long_ones_stay_on_the_map():
    """A raised arc is drawn in perspective: at a scene's zoom a long one swings off the map (Haiti 2010 at
    1366x768 showed Africa's help leaving eastwards). The transfers' arcs follow the great circle, on the ground."""
    atlas = Atlas.shipped()
    frame = atlas.frame(atlas.scene_view("haiti-2010"))
    arcs = next(layer for layer in json.loads(frame.deck().to_json())["layers"] if layer["id"] == "transfers")
    assert arcs["greatCircle"] is True and arcs["getHeight"] == 0
