"""Summary statistics against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.outcomes import censored
from pawns.analysis.statistics import cost_per_day, effect_interval, interval
from pawns.model.recorded import RACE_ABANDONMENT_FIRST, RACE_ENDURANCE_FIRST, RACE_NEITHER, race


def test_interval_of_known_values() -> None:
    stats = interval(np.arange(101.0))
    assert stats["median"] == 50 and stats["q05"] == 5 and stats["q95"] == 95 and stats["n"] == 101


def test_interval_ignores_missing_values() -> None:
    assert interval(np.array([np.nan, 1.0, 3.0]))["median"] == 2.0
    assert interval(np.array([np.nan]))["median"] is None


def test_effect_interval_and_share_positive() -> None:
    result = effect_interval(np.array([2.0, 2.0, 5.0, 3.0]) - np.array([1.0, 2.0, 3.0, 4.0]))
    assert result["median"] == pytest.approx(0.5)
    assert result["p_positive"] == 0.5


def test_cost_per_day_needs_credibly_positive_days() -> None:
    killed = np.full(100, 50.0)
    assert cost_per_day(killed, np.full(100, 10.0)) == pytest.approx(5.0)
    days = np.linspace(-5, 40, 100)  # mean 17.5 but 5th percentile below zero
    assert cost_per_day(killed, days) is None


def test_censoring_and_the_race() -> None:
    np.testing.assert_array_equal(censored(np.array([np.nan, 10.0, 900.0]), 730), [730, 10, 730])
    outcome = race(np.array([100.0, np.nan, 300.0, np.nan]), np.array([200.0, 50.0, 300.0, np.nan]))
    assert list(outcome) == [RACE_ABANDONMENT_FIRST, RACE_ENDURANCE_FIRST, RACE_ENDURANCE_FIRST, RACE_NEITHER]
