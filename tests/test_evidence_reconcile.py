"""The reconciliation rule on hand-made claim sets with known answers."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from pawns.evidence.claims import Claim, FuzzyDate, Quantity
from pawns.evidence.grading import grade_weight
from pawns.evidence.reconcile import EvidenceError, Z90, recency_weight, reconcile

START = dt.date(2024, 10, 1)
TIGHT = 1e-4  # a point claim's own spread small enough that components do not overlap


def quantity(**kwargs) -> Quantity:
    fields = dict(id="q", unit="persons_per_day", description="test quantity", subject="RU", spread=TIGHT, half_life_days=100.0)
    fields.update(kwargs)
    return Quantity(**fields)


def claim(cid: str, low: float, high: float | None = None, *, grade: str = "A1", bound: str = "estimate",
          as_of: str = "2024-10-01", published: str = "2024-10-01", unit: str = "persons_per_day", enemy: bool = False) -> Claim:
    return Claim(id=cid, quantity="q", low=low, high=low if high is None else high, unit=unit, bound=bound,
                 as_of=FuzzyDate.parse(as_of), published=FuzzyDate.parse(published), claimant="c", outlet="o",
                 url="https://example.org/x", paraphrase="p", about_enemy=enemy, reliability=grade[0], credibility=grade[1])


def test_single_point_claim_gives_its_value_and_its_spread():
    prior = reconcile(quantity(spread=0.15), [claim("A-001", 1000)], reference=START)
    q05, q50, q95 = prior.quantile(np.array([0.05, 0.5, 0.95]))
    assert q50 == pytest.approx(1000, rel=1e-3)
    assert q95 / q50 == pytest.approx(math.exp(Z90 * 0.15), rel=1e-3)
    assert q50 / q05 == pytest.approx(math.exp(Z90 * 0.15), rel=1e-3)


def test_equal_claims_split_the_mass_evenly():
    prior = reconcile(quantity(), [claim("A-001", 100), claim("A-002", 400)], reference=START)
    assert prior.probability_below(200) == pytest.approx(0.5, abs=1e-3)


def test_grades_weigh_claims():
    prior = reconcile(quantity(), [claim("A-001", 100, grade="A1"), claim("A-002", 10_000, grade="D4")], reference=START)
    assert grade_weight("D", "4") == pytest.approx(0.16)
    assert prior.probability_below(1000) == pytest.approx(1 / 1.16, abs=1e-3)


def test_recency_halves_the_weight_every_half_life():
    old = (START - dt.timedelta(days=100)).isoformat()
    prior = reconcile(quantity(), [claim("A-001", 100), claim("A-002", 10_000, as_of=old, published=old)], reference=START)
    assert recency_weight(START - dt.timedelta(days=100), START, 100) == pytest.approx(0.5)
    assert prior.probability_below(1000) == pytest.approx(1 / 1.5, abs=1e-3)


def test_a_range_is_read_as_a_90_percent_interval():
    prior = reconcile(quantity(), [claim("A-001", 100, 400)], reference=START)
    q05, q50, q95 = prior.quantile(np.array([0.05, 0.5, 0.95]))
    assert (q05, q50, q95) == pytest.approx((100, 200, 400), rel=2e-3)


def test_a_reliable_lower_bound_truncates_and_a_weaker_one_only_thins():
    estimate = claim("A-001", 100)
    hard = reconcile(quantity(spread=0.2), [estimate, claim("A-002", 100, bound="lower", grade="A1")], reference=START)
    assert hard.probability_below(100) == pytest.approx(0.0, abs=1e-3)
    soft = reconcile(quantity(spread=0.2), [estimate, claim("A-002", 100, bound="lower", grade="B2")], reference=START)
    kept = 0.5 * (1 - 0.64)
    assert soft.probability_below(100) == pytest.approx(kept / (kept + 0.5), abs=2e-3)


def test_an_upper_bound_removes_mass_above_it():
    prior = reconcile(quantity(spread=0.2), [claim("A-001", 100), claim("A-002", 100, bound="upper", grade="A1")], reference=START)
    assert prior.probability_below(100) == pytest.approx(1.0, abs=1e-3)


def test_enemy_claims_are_halved_and_bias_corrected():
    prior = reconcile(quantity(), [claim("A-001", 100), claim("A-002", 10_000, enemy=True)], reference=START)
    assert prior.probability_below(1000) == pytest.approx(1 / 1.5, abs=1e-3)
    corrected = reconcile(quantity(enemy_bias=2.0), [claim("A-001", 400, enemy=True)], reference=START)
    assert float(corrected.quantile(0.5)) == pytest.approx(200, rel=1e-3)


def test_claims_in_other_units_are_converted():
    per_month = 1000 * 365.25 / 12
    prior = reconcile(quantity(), [claim("A-001", per_month, unit="persons_per_month")], reference=START)
    assert float(prior.quantile(0.5)) == pytest.approx(1000, rel=1e-3)


def test_only_claims_published_by_the_vantage_date_count():
    claims = [claim("A-001", 100, published="2024-10-01"), claim("A-002", 10_000, published="2025-01")]
    prior = reconcile(quantity(), claims, reference=START, vantage=dt.date(2024, 12, 31))
    assert prior.claim_ids == ["A-001"]
    assert float(prior.quantile(0.5)) == pytest.approx(100, rel=1e-3)
    later = reconcile(quantity(), claims, reference=START, vantage=dt.date(2025, 1, 31))
    assert later.claim_ids == ["A-001", "A-002"]
    with pytest.raises(EvidenceError, match="no claims"):
        reconcile(quantity(), [claims[1]], reference=START, vantage=dt.date(2024, 12, 31))


def test_bounds_alone_and_qualitative_quantities_make_no_prior():
    with pytest.raises(EvidenceError, match="only bounds"):
        reconcile(quantity(), [claim("A-001", 100, bound="lower")], reference=START)
    with pytest.raises(EvidenceError, match="qualitative"):
        reconcile(quantity(kind="qualitative"), [claim("A-001", 1)], reference=START)


def test_bounds_that_exclude_every_estimate_are_a_contradiction():
    claims = [claim("A-001", 100), claim("A-002", 1000, bound="lower", grade="A1")]
    with pytest.raises(EvidenceError, match="contradict"):
        reconcile(quantity(), claims, reference=START)


def test_the_engine_distribution_matches_the_prior():
    prior = reconcile(quantity(spread=0.2), [claim("A-001", 900), claim("A-002", 1300, grade="B2")], reference=START)
    spec = prior.spec(source="test")
    assert spec.dist == "lognormal" and spec.evidence == "q"
    levels = np.array([0.05, 0.5, 0.95])
    assert spec.ppf(levels) == pytest.approx(prior.quantile(levels), rel=0.05)
    low, high = spec.bounds()
    assert low == pytest.approx(float(prior.quantile(0.005)), rel=1e-3)
    assert high == pytest.approx(float(prior.quantile(0.995)), rel=1e-3)


def test_histogram_mass_sums_to_the_central_98_percent():
    prior = reconcile(quantity(spread=0.2), [claim("A-001", 1000)], reference=START)
    edges, mass = prior.histogram(12)
    assert len(edges) == 13 and mass.sum() == pytest.approx(0.98, abs=1e-3)


@pytest.mark.parametrize("text, earliest, latest", [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2024-10-07", dt.date(2024, 10, 7), dt.date(2024, 10, 7)),
])
def test_fuzzy_dates(text, earliest, latest):
    date = FuzzyDate.parse(text)
    assert (date.earliest, date.latest) == (earliest, latest)


@pytest.mark.parametrize("text", ["2024-13", "24-01-01", "2024-02-30", "Oct 2024", ""])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        FuzzyDate.parse(text)
