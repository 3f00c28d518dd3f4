"""Materiel v2 (M6): shells as a stock, the firing policy, the value of surplus fire, missiles and artillery."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.model.equations import fire_support, fire_value, firing_policy, interception, missile_strikes

DESIRED, TARGET_DAYS = 10_000.0, 30.0


def test_the_policy_fires_the_desired_rate_at_the_target_cover_more_when_ample_and_less_when_short() -> None:
    at_target = firing_policy(DESIRED * TARGET_DAYS, 0.0, DESIRED, TARGET_DAYS, 1.5, 1.0)
    assert at_target == pytest.approx(DESIRED)
    stocks = DESIRED * TARGET_DAYS * np.array([0.05, 0.2, 0.5, 1.0, 2.0, 10.0, 1000.0])
    fired = firing_policy(stocks, 0.0, DESIRED, TARGET_DAYS, 1.5, 1.0)
    assert np.all(np.diff(fired) > 0)  # more shells in stock: more fire
    assert np.all(fired[:3] < DESIRED) and np.all(fired[4:] > DESIRED)  # stockpiles when short, fires more when ample
    assert fired[-1] < 1.5 * DESIRED  # never above the most the guns fire, however large the stock (100x and more)


def test_with_a_multiple_of_one_the_side_fires_its_desired_rate_while_the_stock_lasts() -> None:
    stock = np.array([0.0, 1_000.0, 5_000.0, 50_000.0, 1e8])
    inflow = 3_000.0
    np.testing.assert_allclose(firing_policy(stock, inflow, DESIRED, TARGET_DAYS, 1.0, 1.0), np.minimum(DESIRED, stock + inflow))


def test_the_policy_never_fires_more_than_the_stock_and_the_day_s_deliveries() -> None:
    stock = np.array([0.0, 10.0, 2_000.0])
    fired = firing_policy(stock, 100.0, DESIRED, 1.0, 5.0, 1.0)
    assert np.all(fired <= stock + 100.0 + 1e-9)
    assert firing_policy(0.0, 0.0, DESIRED, TARGET_DAYS, 2.0, 1.0) == 0.0


def test_surplus_fire_is_worth_less_and_less_and_never_more_than_its_ceiling() -> None:
    surplus = 0.3
    x = np.linspace(0.0, 5.0, 5001)
    v = fire_value(x, surplus)
    np.testing.assert_allclose(v[x <= 1], x[x <= 1])  # in proportion up to the desired rate
    assert np.all(np.diff(v) > 0)  # more fire is always worth something (not zero above the desired rate)
    assert v.max() < 1 + surplus and fire_value(100.0, surplus) <= 1 + surplus  # saturates at 1 + c, even at 100 times the rate
    slopes = np.diff(v) / np.diff(x)
    assert slopes[x[:-1] >= 1].max() <= 1 + 1e-6 and np.all(np.diff(slopes[x[:-1] >= 1]) <= 1e-12)  # diminishing returns
    below, above = fire_value(1 - 1e-7, surplus), fire_value(1 + 1e-7, surplus)
    assert (above - below) / 2e-7 == pytest.approx(1.0, rel=1e-4)  # continuous slope at the desired rate (C1)
    assert fire_value(3.0, 0.0) == 1.0  # no surplus value: fire above the desired rate adds nothing


def test_fire_support_scales_only_the_artillery_share() -> None:
    assert fire_support(np.array([0.0]), np.array([0.6]), np.array([0.3]))[0] == pytest.approx(0.4)
    assert fire_support(np.array([1.0]), np.array([0.6]), np.array([0.3]))[0] == pytest.approx(1.0)
    assert fire_support(np.array([100.0]), np.array([0.6]), np.array([0.3]))[0] == pytest.approx(1 + 0.6 * 0.3)


def test_missile_strikes_grow_with_launches_and_accuracy_and_fall_with_interception() -> None:
    base = missile_strikes(10.0, 0.2, 500.0, 0.0)
    assert base == pytest.approx(1_000.0)
    assert missile_strikes(20.0, 0.2, 500.0, 0.0) == pytest.approx(2 * base)
    assert missile_strikes(10.0, 0.2, 500.0, 0.5) == pytest.approx(base / 2)
    assert missile_strikes(10.0, 0.2, 500.0, 1.0) == 0.0
    assert interception(0.4, 5.0) == 1.0  # a share, however much air defence arrives
