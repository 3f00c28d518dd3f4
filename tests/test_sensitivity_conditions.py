"""Conditions over outcomes (``--where``): what they compute, and what they refuse."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.conditions import ConditionError, parse_condition
from pawns.analysis.outcome_registry import UnknownOutcomeError, outcome_registry
from pawns.evidence import load_scenario
from pawns.model.layout import Layout


@pytest.fixture(scope="module")
def registry():
    return outcome_registry(Layout.from_scenario(load_scenario("ru-ua-2024", ["scenario.horizon_days=60"])))


VALUES = {
    "abandon_day": np.array([10.0, 50.0, 60.0, 30.0]),
    "RU_end_day": np.array([20.0, 40.0, 60.0, 60.0]),
    "UA_end_day": np.array([60.0, 60.0, 15.0, 60.0]),
    "UA_end_cause": np.array(["none", "none", "materiel", "none"], dtype=object),
    "abandon_before_RU_end": np.array([1.0, 0.0, 0.0, 1.0]),
    "DPRK_killed": np.array([100.0, 300.0, 200.0, 400.0]),
    "RU_killed": np.array([1000.0, 1000.0, 1000.0, 1000.0]),
}


@pytest.mark.parametrize("text, expected", [
    ("abandon_day < RU_end_day", [True, False, False, True]),
    ("UA_end_cause == 'materiel'", [False, False, True, False]),
    ("abandon_before_RU_end", [True, False, False, True]),
    ("not abandon_before_RU_end and DPRK_killed > 250", [False, True, False, False]),
    ("abandon_day < RU_end_day or UA_end_day < 30", [True, False, True, True]),
    ("(DPRK_killed / RU_killed > 0.25) & ~(UA_end_cause != 'none')", [False, True, False, True]),
    ("100 < DPRK_killed <= 300", [False, True, True, False]),
    ("-DPRK_killed < -250", [False, True, False, True]),
])
def test_conditions_compute_what_they_say(registry, text: str, expected: list[bool]) -> None:
    condition = parse_condition(text, registry)
    assert condition.evaluate({name: VALUES[name] for name in condition.names}).tolist() == expected


def test_an_unknown_name_lists_the_valid_outcomes(registry) -> None:
    with pytest.raises(UnknownOutcomeError) as caught:
        parse_condition("abandon_day < russia_end_day", registry)
    assert "russia_end_day" in str(caught.value)
    for name in ("RU_end_day", "UA_end_cause", "abandon_before_RU_end", "endurance_days_bought"):
        assert name in str(caught.value)


@pytest.mark.parametrize("text, fragment", [
    ("abandon_day <", "not a valid expression"),
    ("", "empty"),
    ("__import__('os').system('true')", "not allowed"),
    ("RU_end_day.real > 1", "not allowed"),
    ("[RU_end_day][0] > 1", "not allowed"),
    ("RU_end_day if UA_end_day else 1", "not allowed"),
    ("RU_end_day ** 2 > 1", "not allowed"),
    ("UA_end_cause == 'materil'", "'materiel'"),
    ("RU_end_day == 'materiel'", "is a number"),
])
def test_bad_conditions_are_clear_errors(registry, text: str, fragment: str) -> None:
    with pytest.raises(ConditionError, match="bad condition") as caught:
        parse_condition(text, registry)
    assert fragment in str(caught.value)


def test_a_condition_must_be_yes_or_no(registry) -> None:
    condition = parse_condition("DPRK_killed + 1", registry)
    with pytest.raises(ConditionError, match="yes/no"):
        condition.evaluate({"DPRK_killed": VALUES["DPRK_killed"]})
