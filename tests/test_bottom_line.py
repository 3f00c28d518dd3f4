"""The bottom lines and key figures that lead the terminal summary and the report."""

from __future__ import annotations

import copy
import re

import pytest

from pawns.analysis.bottom_line import always_zero, bottom_lines, key_figures, q2_verdict, sign_words
from pawns.cli.render import render_comparison, render_summary


def stat(median: float, q05: float, q95: float, p_positive: float | None = None) -> dict:
    entry = {"median": median, "q05": q05, "q95": q95, "mean": median, "n": 100}
    if p_positive is not None:
        entry["p_positive"] = p_positive
    return entry


ZERO = stat(0.0, 0.0, 0.0, 0.02)
SUMMARY = {
    "scenario": "test", "title": "A test", "start_date": "2024-10-01", "horizon_days": 730, "members": 100, "seed": 1,
    "endurance": {side: {"p_end_by_horizon": p, "end_day_if_ended": stat(500, 400, 600), "tolerance_at_horizon": stat(0.5, 0.4, 0.6),
                         "cause_shares": {"manpower": 0.0, "materiel": 0.0, "tolerance": p}} for side, p in (("RU", 0.03), ("UA", 0.38))},
    "abandonment": {"supporter": "west", "recipient": "UA", "p_by_horizon": 0.3, "day_if_abandoned": stat(480, 311, 712)},
    "questions": {
        "Q1": {"host": "RU", "endurance_days_bought": ZERO, "tolerance_days_bought": stat(-0.6, -15.9, 23.8, 0.47)},
        "Q2": {"combat": {"contingent_killed": stat(2160, 1256, 2987)}, "labor": {"contingent_killed": stat(0, 0, 0)},
               "combat_minus_labor_tolerance_days": stat(2.9, -14.5, 25.2, 0.83)},
        "Q3": {"p_abandon_first_with": 0.3, "p_abandon_first_without": 1 / 6, "difference": 0.3 - 1 / 6},
        "Q4": {"foreign_share_of_host_casualties": stat(0.0076, 0.0049, 0.0106),
               "ledger": {"DPRK": {"killed": stat(1783, 1035, 2490), "payment_usd": stat(167e6, 87e6, 260e6)}}},
    },
}
NAMES = {"RU": "Russia", "UA": "Ukraine"}.get


def test_a_measure_that_is_zero_in_nearly_every_member_says_why() -> None:
    q1 = bottom_lines(SUMMARY, NAMES)["Q1"]
    assert "ends within the 730-day horizon in only 3% of members" in q1 and "zero in nearly every member" in q1
    moved = copy.deepcopy(SUMMARY)
    moved["questions"]["Q1"]["endurance_days_bought"] = stat(40, 5, 90, 0.97)
    q1 = bottom_lines(moved, NAMES)["Q1"]
    assert "zero in nearly every member" not in q1 and "+40 days (90% of members: 5 to 90) of endurance; positive in at least 95%" in q1
    assert [r.measure.endswith("(zero in nearly every member)") for r in key_figures(SUMMARY, NAMES)[:2]] == [True, False]


def test_an_interval_across_zero_is_said_to_leave_the_sign_open() -> None:
    assert sign_words(stat(-0.6, -15.9, 23.8)) == "its 90% range straddles zero, so the sign is not settled"
    assert sign_words(stat(-3, -9, -1)).startswith("negative") and sign_words(stat(3, 1, 9)).startswith("positive")
    q1 = bottom_lines(SUMMARY, NAMES)["Q1"]
    assert "the sign is not settled" in q1 and "A negative number means the tolerance wears down sooner" in q1
    assert "A negative number" not in bottom_lines(copy.deepcopy(SUMMARY) | {"questions": {**SUMMARY["questions"], "Q1": {
        **SUMMARY["questions"]["Q1"], "tolerance_days_bought": stat(2.0, -5.0, 9.0, 0.6)}}}, NAMES)["Q1"]
    assert always_zero(ZERO) and not always_zero(stat(0, 0, 1)) and not always_zero(None)


def test_combat_against_labor_is_called_only_as_far_as_the_members_agree() -> None:
    assert q2_verdict(stat(3, 1, 9, 0.99)) == "Combat buys more time"
    assert q2_verdict(stat(-3, -9, -1, 0.01)) == "Labor buys more time"
    assert q2_verdict(stat(2.9, -14.5, 25.2, 0.83)).startswith("Combat tends to buy more time (not settled")
    assert q2_verdict(stat(2.9, -14.5, 25.2, 0.4)) == "Neither use clearly buys more time"
    assert "labor none (laborers are not at the front)" in bottom_lines(SUMMARY, NAMES)["Q2"]


def test_probabilities_read_as_percentages_with_names_not_keys() -> None:
    lines = bottom_lines(SUMMARY, NAMES)
    assert "Western supporters abandon Ukraine before Russia's endurance ends in 30% of members" in lines["Q3"]
    assert "17% without it (+13 points)" in lines["Q3"]
    figures = {r.measure: r for r in key_figures(SUMMARY, NAMES)}
    assert figures["foreign share of the host's casualties"].median == "0.8%"
    assert figures["days of Russia's casualty tolerance saved"].above_zero == "47%"


def _printed(render, *args) -> str:
    from rich.console import Console

    console = Console(width=200, record=True)
    render(*args, console)
    return console.export_text()


def test_the_terminal_leads_with_the_bottom_line_and_keeps_model_ids_and_fractions_out() -> None:
    text = _printed(lambda s, c: render_summary(s, c, NAMES), SUMMARY)
    assert text.index("Bottom line") < text.index("Key figures") < text.index("How each side's endurance ends")
    assert not re.search(r"\(M\d+\)", text) and "brief" not in text
    assert not re.search(r"(?<![\d.])0\.\d\d(?!\d)", text.replace("0.50", "").replace("0.40", "").replace("0.60", "")), \
        "probabilities are percentages, never fractions"


def test_a_comparison_prints_probabilities_as_percentages_and_points() -> None:
    comparison = {"baseline": "a", "members": 100, "seed": 1,
                  "against": [{"scenario": "b", "effects": {"abandon_first": {"reference": 1 / 6, "treated": 0.3, "difference": 0.3 - 1 / 6},
                                                            "contingent_killed": stat(2160, 1256, 2987, 1.0),
                                                            "endurance_days_bought": {"RU": ZERO}}}]}
    text = _printed(render_comparison, comparison)
    assert "RU endurance days bought (end dates censored at the horizon) (zero in nearly every member)" in text
    assert "17%" in text and "30%" in text and "+13 points" in text and "100%" in text
    assert "0.3" not in text and "0.17" not in text


@pytest.mark.parametrize("question", ["Q1", "Q2", "Q4"])
def test_a_question_without_a_contingent_says_so_in_its_bottom_line(question: str) -> None:
    summary = copy.deepcopy(SUMMARY)
    for key in ("Q1", "Q2", "Q4"):
        summary["questions"][key] = {"not_applicable": "this scenario has no contingent; compare it with one that has"}
    summary["questions"]["Q3"] = {"p_abandon_first": 0.2}
    lines = bottom_lines(summary, NAMES)
    assert lines[question] == "This scenario has no contingent; compare it with one that has."
    assert lines["Q3"].endswith("before the opponent's endurance ends in 20% of members.")
    assert all(r.question == "Q3" for r in key_figures(summary, NAMES))
