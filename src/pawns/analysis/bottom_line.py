"""A short bottom line per question and a table of key figures, worded once for the terminal and the report.

Both read a run's ``summary.json`` (:func:`pawns.analysis.summary.summarize`) and write with
:mod:`pawns.analysis.wording`, so a figure reads the same wherever it appears. A bottom line
says what the numbers mean (their sign, or that the sign is not settled when the 90% range of
members straddles zero) and why a figure that is zero in nearly every member is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pawns.analysis.wording import interval_text, number, percent, points, range_text, signed, supporter_name

SHORT_QUESTIONS = {
    "Q1": "How much time does the contingent buy its host?",
    "Q2": "Combat or labor: which use buys more, at what cost?",
    "Q3": "Do the supporters give up before the host?",
    "Q4": "Who bears the casualties, and what does the sending country get?",
}


@dataclass(frozen=True)
class KeyFigure:
    """One row of the key-figures table: what is measured, its median, the 90% range of members, and how often it is above zero."""

    question: str
    measure: str
    median: str
    range: str
    above_zero: str


def always_zero(stat: dict | None) -> bool:
    """True when the median and both ends of the 90% range are zero: the measure has no spread to report."""
    return bool(stat) and all(stat.get(k) == 0 for k in ("median", "q05", "q95"))


def zero_note(stat: dict | None) -> str:
    """`` (zero in nearly every member)`` after the name of a measure that is, else nothing."""
    return " (zero in nearly every member)" if always_zero(stat) else ""


def sign_words(stat: dict) -> str:
    """What the 90% range says about the sign: settled either way, or not settled because it straddles zero."""
    if stat.get("q05") is None:
        return ""
    if stat["q05"] > 0:
        return "positive in at least 95% of members"
    if stat["q95"] < 0:
        return "negative in at least 95% of members"
    return "its 90% range straddles zero, so the sign is not settled"


def _digits(stat: dict) -> int:
    median = stat.get("median")
    if median is None or abs(median) >= 10:
        return 0
    # a figure per 1,000 troop-months can be a few hundredths of a day: enough digits to show it is not zero
    return 2 if 0 < abs(median) < 0.1 else 1


def _days(stat: dict) -> str:
    """``+3 days (90% of members: −15 to 25)``."""
    return f"{signed(stat['median'], _digits(stat))} days (90% of members: {range_text(stat, _digits(stat))})"


def bottom_lines(summary: dict, name: Callable[[str], str] = str) -> dict[str, str]:
    """One short paragraph per question of a run's summary, by question key; ``name`` turns a side key into its name."""
    q = summary["questions"]
    return {"Q1": _q1(summary, q["Q1"], name), "Q2": _q2(q["Q2"]), "Q3": _q3(summary, q["Q3"], name), "Q4": _q4(summary, q["Q4"], name)}


def _not_applicable(q: dict) -> str:
    text = q["not_applicable"]
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _q1(summary: dict, q: dict, name: Callable[[str], str]) -> str:
    if "not_applicable" in q:
        return _not_applicable(q)
    if "rmst_days_bought" in q:
        return _q1_hazard(q, name(q["host"]))
    host = name(q["host"])
    ended, absorbed = q["endurance_days_bought"], q["tolerance_days_bought"]
    p_end = summary["endurance"][q["host"]]["p_end_by_horizon"]
    if always_zero(ended):
        first = (f"{host}'s endurance ends within the {summary['horizon_days']}-day horizon in only {percent(p_end)} of members, so there is "
                 f"almost never an end for the contingent to delay: the days of endurance it buys are zero in nearly every member.")
    else:
        first = f"The contingent buys {host} {_days(ended)} of endurance; {sign_words(ended)}."
    lost = ""
    if absorbed.get("median", 0) < 0:
        lost = " A negative number means the tolerance wears down sooner with the contingent than without it."
    return (f"{first} Counted instead as days of {host}'s own casualty tolerance it saves, it buys {_days(absorbed)}; "
            f"{sign_words(absorbed)}.{lost}")


def _q1_hazard(q: dict, host: str) -> str:
    """Q1 read from the hazard of the host's end: time gained, the will held back, the chance of an end within two years."""
    return q1_findings(q, host) + f" Why: {q['rmst_days_bought']['reason']}."


def q1_findings(q: dict, host: str) -> str:
    """Q1's figures in words, without why (which needs the loop cuts): time gained, will held back, chance of an end in two years."""
    rmst, shift = q["rmst_days_bought"], q["tolerance_shift_days"]
    text = (f"On average over the horizon, the contingent keeps {host} fighting {_days(rmst)} longer before its endurance ends; "
            f"{sign_words(rmst)}. It holds {host}'s will to fight back by {_days(shift)}; {sign_words(shift)}.")
    two_years = q.get("p_end_change", {}).get("2y", {})
    if two_years.get("median") is not None:
        text += (f" It changes the chance that {host}'s endurance ends within two years by {points(two_years['median'])} "
                 f"(90% of members: {points(two_years['q05'])} to {points(two_years['q95'])}).")
    return text


def _q2(q: dict) -> str:
    if "not_applicable" in q:
        return _not_applicable(q)
    if "combat_per_1000_troop_months" in q:
        return _q2_per_troop_month(q)
    difference = q["combat_minus_labor_tolerance_days"]
    verdict = q2_verdict(difference)
    killed = {role: q[role]["contingent_killed"] for role in ("combat", "labor")}
    return (f"{verdict}: combat minus labor is {_days(difference)} of the host's tolerance, combat ahead in "
            f"{percent(difference.get('p_positive'))} of members. Combat costs {interval_text(killed['combat'])} of the contingent's "
            f"lives, labor {_labor_killed(killed['labor'])}.")


def _q2_per_troop_month(q: dict) -> str:
    """Q2 per 1,000 troop-months of the same contingent: what each use buys, and what it costs."""
    combat, labor = q["combat_per_1000_troop_months"], q["labor_per_1000_troop_months"]
    difference = q["combat_minus_labor_rmst_days_bought_per_1000_troop_months"]
    return (f"{q2_verdict(difference)}. Per 1,000 troop-months, combat gives the host {_days(combat['rmst_days_bought'])} more before "
            f"its end and labor {_days(labor['rmst_days_bought'])}; combat frees {number(combat['freed_host_soldier_days_at_front']['median'])} "
            f"host soldier-days at the front and costs {number(combat['contingent_killed']['median'], 1)} of the contingent's lives, "
            f"labor adds {number(labor['extra_defence_output_shells']['median'])} shells of defence output and costs "
            f"{_labor_killed(labor['contingent_killed'])}. Why: {difference['reason']}.")


def _labor_killed(stat: dict) -> str:
    # laborers are a stock of their own, away from the front, so none of them dies in combat
    return "none (laborers are not at the front)" if always_zero(stat) else interval_text(stat)


def q2_verdict(difference: dict) -> str:
    """Which use of the contingent buys more time: settled when the 90% range of members is on one side of zero, a tendency
    when only the median and most members agree, else neither."""
    median, low, high, p = (difference.get(k) for k in ("median", "q05", "q95", "p_positive"))
    if median is None or p is None:
        return "Neither use clearly buys more time"
    if low > 0:
        return "Combat buys more time"
    if high < 0:
        return "Labor buys more time"
    unsettled = " (not settled: the 90% range of members straddles zero)"
    if median > 0 and p > 0.5:
        return "Combat tends to buy more time" + unsettled
    if median < 0 and p < 0.5:
        return "Labor tends to buy more time" + unsettled
    return "Neither use clearly buys more time"


def _q3(summary: dict, q: dict, name: Callable[[str], str]) -> str:
    a = summary.get("abandonment")
    who = f"The {supporter_name(a['supporter'])} supporters abandon {name(a['recipient'])}" if a else "The supporters abandon their recipient"
    if "p_abandon_first_with" not in q:
        if q.get("p_abandon_first") is None:
            return "This scenario has no supporter whose aid can end, so there is nothing to race."
        return f"{who} before the opponent's endurance ends in {percent(q['p_abandon_first'])} of members."
    host = name(summary["questions"]["Q1"]["host"]) if "host" in summary["questions"]["Q1"] else "the host"
    return (f"{who} before {host}'s endurance ends in {percent(q['p_abandon_first_with'])} of members with the contingent and in "
            f"{percent(q['p_abandon_first_without'])} without it ({points(q.get('difference'))}).")


def _q4(summary: dict, q: dict, name: Callable[[str], str]) -> str:
    if "not_applicable" in q:
        return _not_applicable(q)
    host = name(summary["questions"]["Q1"]["host"])
    text = f"Foreign troops take {interval_text(q['foreign_share_of_host_casualties'], '%', 1, 100)} of {host}'s casualties."
    if "substitution_ratio" in q:
        ratio = q["substitution_ratio"]
        text += (f" Each casualty of the contingent spares {host} {number(ratio['median'], 2)} casualties of its own "
                 f"(90% of members: {range_text(ratio, 2)}); {sign_words(ratio)}.")
    for contingent, ledger in q["ledger"].items():
        text += (f" {contingent} loses {number(ledger['killed']['median'])} killed and is paid about "
                 f"${number(ledger['payment_usd']['median'] / 1e6)} M.")
    return text


def key_figures(summary: dict, name: Callable[[str], str] = str) -> list[KeyFigure]:
    """The figures behind the bottom lines, one row each, in the questions' order."""
    q = summary["questions"]
    rows: list[KeyFigure] = []
    if "not_applicable" not in q["Q1"] and "rmst_days_bought" in q["Q1"]:
        host = name(q["Q1"]["host"])
        rows += [_row("Q1", f"days longer {host} fights before its end (restricted mean)", q["Q1"]["rmst_days_bought"]),
                 _row("Q1", f"days {host}'s will to fight is held back", q["Q1"]["tolerance_shift_days"])]
    elif "not_applicable" not in q["Q1"]:
        host = name(q["Q1"]["host"])
        rows += [_row("Q1", f"days of {host}'s endurance bought", q["Q1"]["endurance_days_bought"]),
                 _row("Q1", f"days of {host}'s casualty tolerance saved", q["Q1"]["tolerance_days_bought"])]
    if "not_applicable" not in q["Q2"] and "combat_per_1000_troop_months" in q["Q2"]:
        per = q["Q2"]
        rows += [_row("Q2", "combat minus labor, days before the end, per 1,000 troop-months",
                      per["combat_minus_labor_rmst_days_bought_per_1000_troop_months"]),
                 _row("Q2", "contingent killed per 1,000 troop-months in combat", per["combat_per_1000_troop_months"]["contingent_killed"]),
                 _row("Q2", "host casualties avoided per 1,000 troop-months in combat",
                      per["combat_per_1000_troop_months"]["host_national_casualties_avoided"])]
    elif "not_applicable" not in q["Q2"]:
        rows += [_row("Q2", "combat minus labor, days of tolerance saved", q["Q2"]["combat_minus_labor_tolerance_days"]),
                 _row("Q2", "contingent killed, used in combat", q["Q2"]["combat"]["contingent_killed"]),
                 _row("Q2", "contingent killed, used as labor", q["Q2"]["labor"]["contingent_killed"])]
    q3 = q["Q3"]
    if "p_abandon_first_with" in q3:
        rows += [KeyFigure("Q3", "P(supporters abandon first), with the contingent", percent(q3["p_abandon_first_with"]), "", ""),
                 KeyFigure("Q3", "P(supporters abandon first), without it", percent(q3["p_abandon_first_without"]), "", "")]
    elif q3.get("p_abandon_first") is not None:
        rows.append(KeyFigure("Q3", "P(supporters abandon first)", percent(q3["p_abandon_first"]), "", ""))
    if "not_applicable" not in q["Q4"]:
        if "substitution_ratio" in q["Q4"]:
            rows.append(_row("Q4", "host casualties avoided per contingent casualty", q["Q4"]["substitution_ratio"]))
        share = q["Q4"]["foreign_share_of_host_casualties"]
        rows.append(KeyFigure("Q4", "foreign share of the host's casualties", percent(share["median"]),
                              f"{percent(share['q05'])} to {percent(share['q95'])}", ""))
        for contingent, ledger in q["Q4"]["ledger"].items():
            rows.append(_row("Q4", f"{contingent} killed", ledger["killed"]))
            pay = ledger["payment_usd"]
            rows.append(KeyFigure("Q4", f"{contingent} paid, million USD", number(pay["median"] / 1e6),
                                  range_text(pay, 0, 1e-6), ""))
    return rows


def _row(question: str, measure: str, stat: dict) -> KeyFigure:
    digits = _digits(stat)
    above = percent(stat["p_positive"]) if stat.get("p_positive") is not None else ""
    return KeyFigure(question, measure + zero_note(stat), number(stat["median"], digits),
                     range_text(stat, digits), above)
