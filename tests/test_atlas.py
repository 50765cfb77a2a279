"""The one service: an Atlas built from a data folder or files gives every view one Frame, and proximity answers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from worlds import SITES, TRANSFERS, rows_csv, transfer_columns, write_world

from imcgeo import Atlas, View
from imcgeo.view import Filters


@pytest.fixture(scope="module")
def atlas(tmp_path_factory) -> Atlas:
    return Atlas.from_dir(write_world(tmp_path_factory.mktemp("world")))


def test_views_are_hashable_values():
    a = View(2000, 2010, 2005, filters={"surge": ["election"], "asset": []})
    b = View(2000, 2010, 2005, filters=Filters({"surge": ("election",)}))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.filters == {"surge": ("election",)} and a.filters.get("asset") is None
    assert replace(a, year=2006) != a


def test_a_frame_is_one_view_at_one_moment(atlas):
    frame = atlas.frame(atlas.view(year=2009, mode="active"))
    assert frame.caption == "2009: 1 transfer under way — 1 to UNDDD (natural disaster)"
    assert list(frame.shown["event_id"]) == ["2009-ddd-quake"] and list(frame.arcs) == list(frame.shown.index)
    assert frame.status.to_dict() == {0: "active", 1: "active", 2: "active", 3: "active"}
    assert frame.hosts == {"AAA", "BBB", "CCC", "DDD"}
    assert frame.labels == ("UNBBB", "UNDDD") and frame.legend[0] == ("Start-up", (230, 159, 0))
    assert [layer.id for layer in frame.layers] == ["countries", "missions", "transfers", "labels"]
    assert frame.deck().to_json().count('"@@type"') >= 4


def test_a_date_inside_the_year_narrows_what_is_under_way(atlas):
    early = atlas.frame(atlas.view(year=2010, date="2010-03-01", mode="active"))
    late = atlas.frame(atlas.view(year=2010, date="2010-06-01", mode="active"))
    assert early.shown.empty and list(late.shown["event_id"]) == ["2010-aaa-crisis"]
    assert late.caption.startswith("1 Jun 2010: 1 transfer")


def test_rings_and_helpers_come_with_the_explorer(atlas):
    view = atlas.view(year=2009, explore="UNBBB", explore_date="2009-06-01", rings=True, measure="area")
    frame = atlas.frame(view)
    assert [layer.id for layer in frame.layers][-3:] == ["rings", "helpers", "proximity-labels"]
    assert frame.helpers["acronym"].tolist()[0] == "UNAAA" and frame.camera == (5.0, 15.0, 3.0)
    assert atlas.frame(replace(view, rings=False)).camera is None


def test_helpers_rank_by_travel_time_with_the_mode_named(atlas):
    table = atlas.helpers("UNBBB", "2009-06-01", k=None)
    assert table["travel_h"].is_monotonic_increasing and set(table["travel_by"]) <= {"Road", "Helicopter", "Fixed-wing"}
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    by_hq = atlas.helpers("UNBBB", "2009-06-01", k=2, measure="hq")
    assert len(by_hq) == 2 and by_hq["hq_km"].is_monotonic_increasing


def test_case_ranks_and_findings_are_computed_on_demand(atlas):
    assert "case_ranks" not in vars(atlas)  # nothing costly at load
    ranks = atlas.case_ranks
    assert len(ranks) == len(TRANSFERS) and ranks["rank_area"].notna().all()
    findings = atlas.findings(top=1).set_index("measure")
    assert findings.loc["area", "ranked"] == len(TRANSFERS)


def test_from_files_keeps_what_is_not_given(atlas):
    mine = rows_csv([{**TRANSFERS[0], "event_id": "mine-2008", "start": "2008-01-01", "end": ""}], transfer_columns())
    merged = Atlas.from_files(transfers=("mine.csv", mine), base=atlas)
    assert len(merged.transfers) == len(TRANSFERS) + 1 and len(merged.sites) == len(SITES)
    assert merged.scenes == atlas.scenes and tuple(map(str, merged.origin)) == ("1 transfer from mine.csv added",)
    replaced = Atlas.from_files(transfers=("mine.csv", mine), mode="replace", base=atlas)
    assert replaced.transfers["event_id"].tolist() == ["mine-2008"] and len(replaced.sites) == len(SITES)
    with pytest.raises(ValueError, match="merge, replace"):
        Atlas.from_files(transfers=mine, mode="append", base=atlas)


def test_the_data_version_follows_the_data(atlas, tmp_path):
    again = Atlas.from_dir(write_world(tmp_path / "again"))
    assert again.data_version == atlas.data_version
    other = Atlas.from_files(sites=rows_csv(SITES[:1], ["mission", "site", "lat", "lon"]), mode="replace", base=atlas)
    assert other.data_version != atlas.data_version


def test_a_link_opens_the_same_view_the_cli_builds(atlas):
    view, notices = atlas.view_from_query({"scene": "ddd-2009", "surge": "natural-disaster", "explore": "UNAAA"})
    assert not notices and view.scene == "ddd-2009" and view.filters == {"surge": ("natural-disaster",)}
    assert view.explore == "UNAAA" and atlas.title(view) == "Dland 2009: police from Bland"


class _ClearedByAnotherSession(dict):
    """A cache that another session's thread empties right after each answer is stored in it."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.clear()


def test_answers_survive_another_session_emptying_the_caches(tmp_path):
    # The page's sessions share one atlas, each in its own thread; a full cache is emptied by whichever adds to it.
    atlas = Atlas.from_dir(write_world(tmp_path))
    for cache in ("_selected", "_shown", "_frames", "_helpers", "_plans"):
        setattr(atlas, cache, _ClearedByAnotherSession())
    view = atlas.view(year=2009, mode="active", explore="UNDDD", rings=True, at=(0.5, 0.5))
    frame = atlas.frame(view)
    assert frame.caption.startswith("2009: 1 transfer under way") and len(frame.helpers) and frame.plan is not None
    assert len(atlas.helpers("UNDDD", "2009-06-01", k=None)) > 0
