"""The questions answered in plain sentences, a short bottom line first, with numbers and 90% intervals.

Every number comes from ``summary.json`` (or, for what a comparison's summary does not hold,
from the outcome tables through the same analysis functions), so the report says exactly what
the terminal summary says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pawns.analysis.bottom_line import KeyFigure, bottom_lines, key_figures, q2_verdict
from pawns.analysis.effects import effect_entries
from pawns.analysis.statistics import interval
from pawns.analysis.summary import QUESTIONS, ledger
from pawns.analysis.wording import interval_text, money, number, percent, side_name, supporter_name
from pawns.report.paired import contingent_names, host
from pawns.report.rundir import COMPARISON, RunData

Z90 = 1.6448536269514722  # standard normal quantile for a two-sided 90% interval


@dataclass(frozen=True)
class Answer:
    """One question and the sentences that answer it."""

    key: str
    question: str
    sentences: list[str]
    bottom_line: str = ""


def wilson(share: float, n: int) -> tuple[float, float]:
    """90% Wilson interval of a share estimated from ``n`` members (ensemble sampling error only)."""
    if n <= 0:
        return (math.nan, math.nan)
    denominator = 1 + Z90**2 / n
    centre = (share + Z90**2 / (2 * n)) / denominator
    half = Z90 * math.sqrt(share * (1 - share) / n + Z90**2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def probability_text(share: float | None, n: int) -> str:
    """``"22% (sampling interval 17% to 27%)"``."""
    if share is None:
        return "not available"
    low, high = wilson(share, n)
    return f"{percent(share)} (90% sampling interval {percent(low)} to {percent(high)})"


def _signed(stat: dict, unit: str) -> str:
    """An interval of days or persons: one decimal for small numbers unless all three are whole."""
    values = [stat.get(k) for k in ("median", "q05", "q95")]
    whole = all(v is not None and float(v).is_integer() for v in values)
    small = values[0] is not None and abs(values[0]) < 10
    return interval_text(stat, unit, 1 if small and not whole else 0)


def _when(start: str, stat: dict, verb: str) -> str:
    """`` (when it does: day 602 after the start, around 2026-05; 90% interval day 441 to 712)``."""
    median = stat.get("median")
    if median is None:
        return ""
    month = (np.datetime64(start, "D") + np.timedelta64(int(round(median)), "D")).astype("datetime64[M]")
    return (f" (when {verb}: day {number(median)} after the start, around {month}; 90% interval day {number(stat['q05'])} "
            f"to {number(stat['q95'])})")


def _per_day(value: float) -> str:
    return number(value, 1 if abs(value) < 100 else 0)


def overview(run: RunData) -> list[str]:
    """Sentences on what was run and how each side fared, before the questions."""
    s = run.summary
    if run.kind == COMPARISON:
        others = ", ".join(e["scenario"] for e in s["against"])
        return [f"A paired comparison of {others} against the baseline {s['baseline']}: {s['members']:,} members each, seed {s['seed']}, "
                f"{s['horizon_days']} days. Member i of every scenario shares all its draws with member i of the baseline (common random "
                "numbers), so every difference below is taken member by member."]
    sentences = []
    parts = []
    for side, e in s["endurance"].items():
        text = f"{side_name(run.scenario, side)}'s endurance ends by the horizon in {percent(e['p_end_by_horizon'])} of members"
        text += _when(s["start_date"], e["end_day_if_ended"], "it does")
        parts.append(text)
    sentences.append("; ".join(parts) + ".")
    a = s.get("abandonment")
    if a:
        text = (f"{supporter_name(a['supporter'])} supporters abandon {side_name(run.scenario, a['recipient'])} by the horizon in "
                f"{percent(a['p_by_horizon'])} of members")
        text += _when(s["start_date"], a["day_if_abandoned"], "they do")
        sentences.append(text + ".")
    return sentences


def answers(run: RunData) -> list[Answer]:
    """Q1–Q4 for a run or a comparison."""
    return _comparison_answers(run) if run.kind == COMPARISON else _run_answers(run)


def _run_answers(run: RunData) -> list[Answer]:
    q = run.summary["questions"]
    n = int(run.summary["members"])
    lines = bottom_lines(run.summary, lambda side: side_name(run.scenario, side))
    return [Answer("Q1", QUESTIONS["Q1"], _q1(run, q["Q1"]), lines["Q1"]), Answer("Q2", QUESTIONS["Q2"], _q2(run, q["Q2"]), lines["Q2"]),
            Answer("Q3", QUESTIONS["Q3"], _q3(run, q["Q3"], n), lines["Q3"]), Answer("Q4", QUESTIONS["Q4"], _q4(run, q["Q4"]), lines["Q4"])]


def figures_table(run: RunData) -> list[KeyFigure]:
    """The key figures of a run (none for a comparison, whose effects are listed under each question)."""
    return [] if run.kind == COMPARISON else key_figures(run.summary, lambda side: side_name(run.scenario, side))


def _q1(run: RunData, q: dict) -> list[str]:
    if "not_applicable" in q:
        return [q["not_applicable"].capitalize() + "."]
    side = q["host"]
    name = side_name(run.scenario, side)
    who = ", ".join(contingent_names(run))
    e, t = q["endurance_days_bought"], q["tolerance_days_bought"]
    sentences = [f"The {who} contingent buys {name} {_signed(e, 'days')} of endurance by the {run.summary['horizon_days']}-day horizon; "
                 f"it buys more than none in {percent(e.get('p_positive'))} of members."]
    p_end = run.summary["endurance"][side]["p_end_by_horizon"]
    if p_end < 0.5:
        sentences.append(f"{name}'s endurance does not end within the horizon in {percent(1 - p_end)} of members, so this measure is "
                         "mostly zero: there is little collapse to delay.")
    sentences.append(f"Measured by the erosion of {name}'s own casualty tolerance, which is defined whether or not it collapses, the "
                     f"contingent absorbs {_signed(t, 'days')}, more than none in {percent(t.get('p_positive'))} of members.")
    return sentences


def _q2(run: RunData, q: dict) -> list[str]:
    if "not_applicable" in q:
        return [q["not_applicable"].capitalize() + "."]
    name = side_name(run.scenario, run.summary["questions"]["Q1"]["host"])
    who = ", ".join(contingent_names(run))
    sentences = []
    for role, wording in (("combat", "entirely in combat"), ("labor", "entirely as labor")):
        r = q[role]
        text = (f"Used {wording}, the contingent absorbs {_signed(r['tolerance_days_bought'], 'days')} of {name}'s erosion "
                f"at a cost of {interval_text(r['contingent_killed'])} {who} killed")
        per_day = r.get("contingent_killed_per_tolerance_day")
        text += (f", about {_per_day(per_day)} killed per day absorbed (ratio of the means)." if per_day is not None
                 else "; the days absorbed are not credibly positive, so no cost per day is given.")
        sentences.append(text)
    d = q["combat_minus_labor_tolerance_days"]
    p = d.get("p_positive")
    verdict = q2_verdict(d)
    sentences.append(f"{verdict}: combat minus labor is {_signed(d, 'days')}, positive in {percent(p)} of members.")
    return sentences


def _q3(run: RunData, q: dict, n: int) -> list[str]:
    a = run.summary.get("abandonment")
    who = f"{supporter_name(a['supporter'])} supporters" if a else "The supporters"
    recipient = side_name(run.scenario, a["recipient"]) if a else "their recipient"
    if "p_abandon_first_with" not in q:
        if q.get("p_abandon_first") is None:
            return ["This scenario has no dynamic supporter, so there is no race to report."]
        return [f"{who} abandon {recipient} before the opponent's endurance ends in {probability_text(q['p_abandon_first'], n)} of members."]
    q1 = run.summary["questions"]["Q1"]
    host_name = side_name(run.scenario, q1["host"]) if "host" in q1 else "the host"
    sentences = [f"{who} abandon {recipient} before {host_name}'s endurance ends in {probability_text(q['p_abandon_first_with'], n)} of members "
                 f"with the contingent, and in {probability_text(q['p_abandon_first_without'], n)} without it."]
    if q.get("difference") is not None:
        sentences.append(f"The contingent changes that probability by {number(100 * q['difference'], 1)} percentage points. The sampling "
                         "intervals reflect the ensemble's size only, not the uncertainty of the inputs, which the spread across members already carries.")
    return sentences


def _q4(run: RunData, q: dict) -> list[str]:
    if "not_applicable" in q:
        return [q["not_applicable"].capitalize() + "."]
    side = run.summary["questions"]["Q1"]["host"]
    sentences = [f"Foreign troops take {interval_text(q['foreign_share_of_host_casualties'], '%', 1, 100)} of "
                 f"{side_name(run.scenario, side)}'s casualties (killed and wounded) over the horizon."]
    sentences += [_ledger_sentence(name, entries) for name, entries in q["ledger"].items()]
    return sentences


def _ledger_sentence(name: str, entries: dict) -> str:
    pay, materiel = entries["payment_usd"], entries["materiel_technology_usd"]
    return (f"{name} loses {interval_text(entries['killed'])} killed and {interval_text(entries['wounded'])} wounded; "
            f"{interval_text(entries['veterans_returned'])} veterans come home alive with {interval_text(entries['veteran_combat_days'])} "
            f"person-days of combat experience; it is paid {money(pay.get('median'))} (90% interval {money(pay.get('q05'))} to "
            f"{money(pay.get('q95'))}) and receives materiel and technology worth {money(materiel.get('median'))} "
            f"({money(materiel.get('q05'))} to {money(materiel.get('q95'))}).")


def _effect_sentences(key: str, words: str, value: object, treated: str, baseline: str, n: int) -> list[str]:
    """One paired effect of a comparison (its key and words from :data:`pawns.analysis.effects.EFFECTS`), in sentences."""
    head = f"{treated} minus {baseline}"
    if key == "abandon_first":
        return [f"{words} in {baseline}: {probability_text(value['reference'], n)}.",
                f"{words} in {treated}: {probability_text(value['treated'], n)}.",
                f"{head}, {words}: {number(100 * float(value['difference']), 1)} percentage points."]
    if isinstance(value, dict):
        text = f"{head}, {words}: {_signed(value, '')}"
        if value.get("p_positive") is not None:
            text += f", positive in {percent(value['p_positive'])} of members"
        return [text + "."]
    return [f"{head}, {words}: {_per_day(float(value))} (ratio of the means)."]


# Which question each effect of a comparison answers (effects of the host side only for Q1 and the costs).
_QUESTION_OF_EFFECT = {"endurance_days_bought": "Q1", "tolerance_days_bought": "Q1", "contingent_killed": "Q2",
                       "contingent_killed_per_tolerance_day": "Q2", "contingent_killed_per_endurance_day": "Q2", "abandon_first": "Q3"}


def _comparison_answers(run: RunData) -> list[Answer]:
    """Sort a comparison's effects under the questions they answer; the rest go under 'other effects'."""
    n = int(run.summary["members"])
    side = host(run)
    buckets: dict[str, list[str]] = {"Q1": [], "Q2": [], "Q3": [], "Q4": [], "other": []}
    for entry in run.summary["against"]:
        for key, effect_side, words, value in effect_entries(entry["effects"]):
            question = _QUESTION_OF_EFFECT.get(key, "other")
            if effect_side is not None and effect_side != side:
                question = "other"
            buckets[question] += _effect_sentences(key, words, value, entry["scenario"], run.summary["baseline"], n)
    buckets["Q2"].append("Labor against combat is answered directly by comparing scenarios that differ only in the contingent's role "
                         "(e.g. pawns compare ru-ua-2024-dprk-labor ru-ua-2024-dprk-combat), or by the paired variants of `pawns run`.")
    buckets["Q4"] = _comparison_q4(run, side)
    result = [Answer(key, QUESTIONS[key], buckets[key]) for key in ("Q1", "Q2", "Q3", "Q4")]
    if buckets["other"]:
        result.append(Answer("Other", "Other paired effects", buckets["other"]))
    return result


def _comparison_q4(run: RunData, side: str | None) -> list[str]:
    contingents = contingent_names(run)
    if side is None or not contingents:
        return ["None of the compared scenarios has a foreign contingent."]
    sentences = []
    for scenario, (label, frame) in zip(run.scenarios, [("baseline", run.outcomes["baseline"])] + [(e["scenario"], run.outcomes[e["scenario"]]) for e in run.summary["against"]]):
        present = [c for c in scenario.contingents if f"{c}_killed" in frame]
        if not present:
            continue
        share = interval(frame[f"{side}_foreign_casualty_share"].to_numpy(dtype=np.float64))
        sentences.append(f"In {scenario.meta.name}, foreign troops take {interval_text(share, '%', 1, 100)} of "
                         f"{side_name(scenario, side)}'s casualties.")
        sentences += [f"In {scenario.meta.name}: " + _ledger_sentence(c, ledger(frame, c)) for c in present]
    return sentences
