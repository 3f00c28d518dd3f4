"""Ledger-bound parameters resolve at load time, honour the vantage date, and reach the results."""

from __future__ import annotations

import pytest

from pawns.errors import ScenarioError
from pawns.evidence import load_scenario
from pawns.evidence.ledger import load_ledger


def test_a_ledger_parameter_becomes_a_concrete_distribution_citing_its_claims():
    spec = load_scenario("ru-ua-2024").sides["RU"].casualties_per_day_at_start
    assert spec.dist == "lognormal" and spec.evidence == "ru_casualties_per_day"
    assert spec.source.startswith("ledger: ") and "Q3-037" in spec.source and "Q3-039" in spec.source
    assert 1000 < spec.central() < 1800


def test_resolution_uses_only_claims_published_by_the_vantage_date():
    early = load_scenario("ru-ua-2024", ["scenario.vantage_date=2024-10-15"]).sides["RU"].casualties_per_day_at_start
    assert "Q3-036" in early.source and "Q3-037" not in early.source and "Q3-039" not in early.source
    assert early.central() < load_scenario("ru-ua-2024").sides["RU"].casualties_per_day_at_start.central()


def test_resolution_is_deterministic():
    assert load_scenario("ru-ua-2024") == load_scenario("ru-ua-2024")


@pytest.mark.parametrize("table, key", [
    ('{dist="ledger", evidence="no_such_quantity"}', "sides.RU.casualties_per_day_at_start.evidence"),
    ('{dist="ledger", evidence="ru_casualties_per_day", low=1}', "sides.RU.casualties_per_day_at_start"),
    ('{dist="ledger", evidence="ru_named_dead_cumulative"}', "sides.RU.casualties_per_day_at_start"),
])
def test_bad_ledger_tables_are_clear_errors(table, key):
    with pytest.raises(ScenarioError) as info:
        load_scenario("ru-ua-2024", [f"sides.RU.casualties_per_day_at_start={table}"])
    assert info.value.key == key


def test_results_carry_the_ledger_version_and_the_claims_per_parameter():
    from pawns.analysis.ensemble import run_ensemble

    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=10"])
    dataset = run_ensemble(scenario, 3, seed=1, record_every=5).dataset
    assert dataset.attrs["evidence_ledger"] == load_ledger().version
    claims = dataset["parameter_claims"].to_series()
    assert "Q3-037" in claims["sides.RU.casualties_per_day_at_start"]
    assert "Q1-009" in claims["contingents.DPRK.tranches.0.size_persons"]
    assert claims["combat.fires_exponent"] == ""
    assert "R-011" in claims["sides.RU.tolerance.collapse_loss_share"]
