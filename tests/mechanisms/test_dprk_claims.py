"""M1, M3, M6 — the contingent as the default scenario draws it agrees with what was known by its vantage date.

Every dated claim the calibration may use (observations/data/claims.csv) that was published by
the scenario's vantage date (2024-12-31) is graded through its observation model: a claim of a
count is `log(claim) ~ Normal(log(model), claims_log_sd)`, an area `claim ~ Normal(model,
area_sd_km2)`, mixed over the members. The ledger says how to read the claim: an estimate must
fall inside the 90% predictive band, a lower bound ("at least 100 killed") must not lie above
it, an upper bound ("up to 8,000") not below it.
"""

from __future__ import annotations

import numpy as np
import pytest
from mechanism_runs import Run, run, scenario
from scipy.stats import norm

from pawns.evidence.ledger import load_ledger
from pawns.observations.claims import load_claims
from pawns.observations.models import KURSK_HELD, ObservationParams, StartOffsets, model_streams

MEMBERS = 200
STREAMS = {"dprk_killed_cumulative", "dprk_wounded_cumulative", "dprk_casualties_cumulative", "dprk_casualties_weekly",
           "dprk_front_strength", "dprk_deployed_persons", KURSK_HELD}


@pytest.fixture(scope="module")
def default() -> Run:
    return run(scenario("scenario.horizon_days=100"), MEMBERS, seed=5, record_every=50)


def _below(r: Run, stream: str, day: int, value: float) -> float:
    """Predictive probability that an observer reports at most ``value`` of ``stream`` on ``day``."""
    sc = r.layout.scenario
    streams = model_streams(r.layout, r.batch.daily_series, r.batch.matrix, StartOffsets.at(sc.meta.start_date))
    model = streams[stream][:, day]
    obs = ObservationParams.from_matrix(r.layout, r.batch.matrix)
    if stream == KURSK_HELD:
        return float(np.mean(norm.cdf((value - model) / obs.area_sd)))
    return float(np.mean(norm.cdf((np.log(value) - np.log(np.maximum(model, 1e-9))) / obs.claims_log_sd)))


def test_the_claims_known_at_the_vantage_date_fall_inside_the_predictive_bands(default: Run) -> None:
    sc = default.layout.scenario
    ledger = load_ledger()
    graded = {}
    for claim in load_claims():
        if claim.published_by > sc.meta.vantage_date or claim.stream not in STREAMS:
            continue
        below = _below(default, claim.stream, (claim.as_of - sc.meta.start_date).days, claim.value)
        bound = ledger.claim(claim.id).bound
        graded[claim.id] = (bound, round(below, 3))
        if bound == "lower":
            assert below <= 0.95, (claim.id, below)
        elif bound == "upper":
            assert below >= 0.05, (claim.id, below)
        else:
            assert 0.05 <= below <= 0.95, (claim.id, below)
    # the claims the issue names are all graded
    assert {"Q1-007", "Q2-023", "Q2-005", "Q2-025", "Q2-013", "R-040"} <= set(graded), graded
