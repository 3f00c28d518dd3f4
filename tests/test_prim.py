"""PRIM: recovery of a planted box, the definitions of coverage and density, choice and pasting."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.discovery import case_shares, find_boxes
from pawns.analysis.prim import Box, box_stats, choose_box, paste, peel, prim

NAMES = [f"x{i}" for i in range(6)]


def planted(seed: int, n: int = 3000, noise: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Six inputs (one on another scale); the condition holds in 0.2 < x0 < 0.6 and x2 > 50, flipped at random in ``noise``."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, 6))
    X[:, 2] *= 100.0
    y = (X[:, 0] > 0.2) & (X[:, 0] < 0.6) & (X[:, 2] > 50.0)
    return X, y ^ (rng.uniform(size=n) < noise)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_recovers_a_planted_box(seed: int) -> None:
    X, y = planted(seed)
    result = prim(X, y, NAMES, min_coverage=0.8)
    found = {r.name: r for r in result.restrictions}
    assert set(found) == {"x0", "x2"}
    assert found["x0"].low == pytest.approx(0.2, abs=0.03) and found["x0"].high == pytest.approx(0.6, abs=0.03)
    assert found["x2"].low == pytest.approx(50.0, abs=3.0) and found["x2"].sides == "low"
    assert result.chosen_stats.coverage >= 0.8
    assert result.chosen_stats.density > 0.85  # 95% of the box's members hold the planted condition
    assert all(r.qp_value < 1e-6 for r in found.values())


def test_coverage_density_and_mass_follow_their_definitions() -> None:
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    y = np.array([False, True, True, False, True])
    full = Box(np.array([0.0]), np.array([4.0]))
    stats = box_stats(X, y, Box(np.array([1.0]), np.array([3.0])), full)
    assert (stats.coverage, stats.density, stats.mass, stats.n) == (pytest.approx(2 / 3), pytest.approx(2 / 3), pytest.approx(3 / 5), 3)
    assert stats.restricted == (0,)


def test_peeling_raises_density_and_respects_the_minimum_mass() -> None:
    X, y = planted(3)
    trajectory = peel(X, y, alpha=0.05, min_mass=0.1)
    densities = [s.density for s in trajectory]
    assert all(b > a for a, b in zip(densities, densities[1:]))
    assert all(s.mass >= 0.1 for s in trajectory)
    assert trajectory[0].coverage == 1.0 and trajectory[0].restricted == ()
    coverages = [s.coverage for s in trajectory]
    assert all(b <= a for a, b in zip(coverages, coverages[1:]))


def test_the_chosen_box_is_the_densest_with_enough_coverage() -> None:
    X, y = planted(4)
    trajectory = peel(X, y)
    for threshold in (0.3, 0.6, 0.9):
        chosen = choose_box(trajectory, threshold)
        assert trajectory[chosen].coverage >= threshold
        assert all(s.density <= trajectory[chosen].density for s in trajectory if s.coverage >= threshold)
    assert choose_box(trajectory, 1.01) == 0


def test_pasting_widens_a_bound_that_was_peeled_too_far() -> None:
    X, y = planted(5, noise=0.0)
    too_narrow = Box(np.array([0.2, 0, 50, 0, 0, 0]), np.array([0.45, 1, 100, 1, 1, 1]))
    pasted = paste(X, y, too_narrow)
    full = Box(X.min(axis=0), X.max(axis=0))
    before, after = box_stats(X, y, too_narrow, full), box_stats(X, y, pasted, full)
    assert after.density >= before.density and after.coverage > before.coverage
    assert pasted.high[0] == pytest.approx(0.6, abs=0.02)


def test_second_boxes_are_searched_outside_the_first() -> None:
    X, y = planted(6)
    first, second = find_boxes(X, y, NAMES, boxes=2, min_coverage=0.8)
    outside = ~first.chosen_stats.box.contains(X)
    assert second.runs == int(outside.sum()) and second.cases == int(y[outside].sum())
    assert {r.name for r in first.restrictions} == {"x0", "x2"}
    # Outside the planted box the cases left are the planted ones peeling cut off, plus noise: far sparser.
    assert second.chosen_stats.density < first.chosen_stats.density


def test_case_shares_of_successive_boxes_count_each_case_once() -> None:
    X, y = planted(6)
    boxes = find_boxes(X, y, NAMES, boxes=2, min_coverage=0.8)
    shares = case_shares(X, y, boxes)
    union = boxes[0].chosen_stats.box.contains(X) | boxes[1].chosen_stats.box.contains(X)
    assert sum(shares) == pytest.approx(y[union].sum() / y.sum())
    assert sum(shares) <= 1.0
    assert shares[0] == pytest.approx(boxes[0].chosen_stats.coverage)


def test_prim_refuses_what_it_cannot_work_on() -> None:
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="holds in no run"):
        prim(X + np.arange(10)[:, None], np.zeros(10, dtype=bool), ["a", "b"])
    with pytest.raises(ValueError, match="yes/no"):
        prim(X, np.full(10, 0.5), ["a", "b"])
    with pytest.raises(ValueError, match="names"):
        prim(X, np.ones(10, dtype=bool), ["a"])
