"""The shipped observed streams: what the catalog says about them holds for the data, through 2025."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pawns.observations import CATALOG, load_observed
from pawns.observations.foreign_dead import FOREIGN_STATE, KINDS, load_named_foreign_dead, named_dead_by_country


@pytest.mark.parametrize("name", list(CATALOG))
def test_each_stream_is_dated_once_per_day_or_month_without_gaps_in_values(name):
    series = load_observed(name)
    assert series.index.is_monotonic_increasing and series.index.is_unique
    assert series.notna().all() and (series >= 0).all()
    if CATALOG[name].frequency == "monthly":
        assert (series.index.day == 1).all()


@pytest.mark.parametrize("name", list(CATALOG))
def test_the_catalog_states_each_streams_dates(name):
    series = load_observed(name)
    first, last = series.index[0], series.index[-1]
    spans = re.findall(r"(\d{4}-\d{2}(?:-\d{2})?) to (\d{4}-\d{2}(?:-\d{2})?)", CATALOG[name].source)
    assert spans, "the source names the dates it covers"
    stated_first, stated_last = spans[-1]
    assert str(first.date()).startswith(stated_first) and str(last.date()).startswith(stated_last)


def test_the_streams_run_to_the_end_of_2025():
    assert load_observed("ua_gs_russian_personnel_cumulative").index[-1].date() == dt.date(2025, 12, 31)
    assert load_observed("russian_occupied_area_km2_deepstate").index[-1].date() == dt.date(2025, 12, 31)
    assert load_observed("russian_named_dead_monthly").index[-1].date() == dt.date(2025, 10, 1)
    assert load_observed("russian_controlled_area_km2").index[-1].date() == dt.date(2025, 1, 16)  # where Liveuamap stops


def test_cumulative_claims_never_decrease():
    for name, stream in CATALOG.items():
        if stream.cumulative:
            assert (load_observed(name).diff().dropna() >= 0).all(), name


def test_deepstate_reads_a_little_below_liveuamap_on_the_same_days():
    deepstate = load_observed("russian_occupied_area_km2_deepstate")
    liveuamap = load_observed("russian_controlled_area_km2")
    assert deepstate["2024-10-01"] == pytest.approx(110_256, abs=0.5) and liveuamap["2024-10-01"] == pytest.approx(110_404, abs=0.5)
    shared = deepstate.index.intersection(liveuamap.index)
    assert len(shared) > 150
    gap = (liveuamap[shared] - deepstate[shared])
    assert 0 < gap.median() < 1_000


def test_named_foreign_dead_are_a_small_table_with_provenance():
    table = load_named_foreign_dead()
    assert table["named_dead"].sum() == 562
    assert set(table["kind"]) <= set(KINDS) and table["country"].notna().all()
    assert not table["country"].str.contains("Korea").any()  # the list names no North Korean
    top = named_dead_by_country()
    assert top.index[0] == "Nepal" and top.sum() == table.loc[table["kind"] == FOREIGN_STATE, "named_dead"].sum()
