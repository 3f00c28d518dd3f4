"""The answers to the brief's questions Q1–Q4 for one scenario, with 90% intervals.

A run of a scenario with foreign contingents is paired with derived variants (no contingents;
all troops in combat; all as labor; at full depth also the contingents at other sizes and each
feedback loop cut, with and without them) that share its members' draws, so every "days
bought" figure is a paired difference, member by member (:mod:`pawns.analysis.effects`,
computed once per pair by :func:`variant_effects`; loops in :mod:`pawns.analysis.loops`). A
scenario with contributors is also paired with each of their channels switched off, and all
of them, for the channel decomposition (:mod:`pawns.analysis.channels`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from pawns.analysis import loops as loop_dominance
from pawns.analysis import questions as answers
from pawns.analysis.channels import channel_variants, decompose
from pawns.analysis.effects import PairedEffects, paired_effects, race_probability
from pawns.analysis.ensemble import EnsembleResult
from pawns.analysis.statistics import cost_per_day, effect_interval, interval, share
from pawns.analysis.takes_home import SECTION as TAKES_HOME, takes_home
from pawns.analysis.variants import host_side, loop_cut, with_contingents_scaled, with_role, without_contingents
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Plan
from pawns.model.layout import Layout
from pawns.scenario.schema import LOOPS, Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

QUESTIONS = {
    "Q1": "How many days of endurance does the contingent buy its host?",
    "Q2": "Labor or combat: which use of the same contingent buys more time, at what cost in its lives?",
    "Q3": "How likely are the supporters to abandon their recipient before the host's endurance ends, with and without the contingent?",
    "Q4": "How much of the host's casualty burden shifts to foreigners, and what does the contingent's country get back?",
}


def ledger(outcomes: "pd.DataFrame", contingent: str) -> dict[str, dict]:
    """M11: the contingent's casualties and what its country gets back."""
    keys = {
        "killed": "killed", "wounded": "wounded", "arrived": "arrived", "veterans_returned": "veterans",
        "veteran_combat_days": "veteran_combat_days", "payment_usd": "payment_usd", "materiel_technology_usd": "materiel_usd",
    }
    return {label: interval(outcomes[f"{contingent}_{column}"].to_numpy()) for label, column in keys.items()}


QUESTION_VARIANTS = ("without", "combat", "labor")  # the contingents' variants, whose outcome tables a run writes


# How deep a run answers: "full" pairs every variant below; "core" leaves out Q1's dose response and
# the loop cuts (which loop produces each answer): 10 paired runs instead of 25 for the default scenario.
ANSWER_DEPTHS = ("full", "core")


def variant_scenarios(scenario: Scenario, depth: str = "full") -> dict[str, Scenario]:
    """The paired variants a summary needs: the contingents' (if any: without, each role, and at ``depth="full"``
    each dose and each loop cut with and without them), then each channel off and all off (if any)."""
    if depth not in ANSWER_DEPTHS:
        raise ValueError(f"depth must be one of {ANSWER_DEPTHS}, not {depth!r}")
    found: dict[str, Scenario] = {}
    if scenario.contingents:
        without = without_contingents(scenario)
        found = {"without": without, "combat": with_role(scenario, "combat"), "labor": with_role(scenario, "labor")}
        if depth == "full":
            found.update({label: with_contingents_scaled(scenario, factor) for label, factor in answers.DOSES.items()})
            for loop in LOOPS:
                if loop not in scenario.switches.loops_off:
                    found[loop_dominance.cut_label(loop)] = loop_cut(scenario, [loop])
                    found[loop_dominance.cut_label(loop, without=True)] = loop_cut(without, [loop])
    return {**found, **channel_variants(scenario)}


def question_plan(scenario: Scenario, members: int, *, seed: int, chunk_size: int = DEFAULT_CHUNK, record_every: int = 7,
                  outcomes_only: bool = False, depth: str = "full") -> Plan:
    """The ensembles that answer Q1–Q4: the scenario (``"main"``) and its paired variants, same members.

    The scenario records its trajectories, or with ``outcomes_only`` only its daily variables
    (for quantile sketches); the variants record nothing but their outcomes. ``depth`` is
    ``"full"`` or ``"core"`` (:data:`ANSWER_DEPTHS`, :func:`variant_scenarios`).
    """
    main = Ensemble("main", Layout.from_scenario(scenario), record="daily" if outcomes_only else "trajectories")
    variants = [Ensemble(label, Layout.from_scenario(variant)) for label, variant in variant_scenarios(scenario, depth).items()]
    return Plan.of([main, *variants], members, seed=seed, chunk_size=chunk_size, record_every=record_every)


def endurance(outcomes: "pd.DataFrame", sides: Iterable[str]) -> dict[str, dict]:
    """How each side's endurance ends by the horizon: share of members, day, cause, and the tolerance index left."""
    found = {}
    for side in sides:
        ended = outcomes[f"{side}_end_day"].to_numpy()
        causes = outcomes[f"{side}_end_cause"].to_numpy()
        found[side] = {
            "p_end_by_horizon": share(~np.isnan(ended)),
            "end_day_if_ended": interval(ended),
            "cause_shares": {c: share(causes == c) for c in ("manpower", "materiel", "tolerance")},
            "tolerance_at_horizon": interval(outcomes[f"{side}_tolerance_end"].to_numpy()),
        }
    return found


def first_answers(scenario: Scenario, layout: Layout, finished: "Mapping[str, pd.DataFrame]") -> dict:
    """What the runs finished so far can answer while the others go on (the summary answers everything at the end).

    ``finished`` holds outcome tables by ensemble label: with ``"main"``, each side's endurance;
    with ``"main"`` and ``"without"`` of a scenario with contingents, Q1's paired answer (without
    the dose response and the loops, which need runs still to come). Same numbers as the summary's.
    """
    found: dict = {}
    if "main" not in finished:
        return found
    main = finished["main"]
    found["members"] = len(main)
    found["endurance"] = endurance(main, layout.sides)
    host = host_side(scenario)
    if host is not None and "without" in finished:
        found["Q1"] = {"host": host, **answers.q1_paired(main, finished["without"], host, float(layout.horizon_days), {})}
    return found


def summarize(result: EnsembleResult, variants: dict[str, "pd.DataFrame"], *, depth: str) -> dict:
    """Answer Q1–Q4 for a run (and its paired variants) as a JSON-ready dictionary.

    ``depth`` is the answer depth the variants were planned for (one of :data:`ANSWER_DEPTHS`):
    ``"core"`` runs no dose response and no loop cuts, so those sections are absent.
    """
    if depth not in ANSWER_DEPTHS:
        raise ValueError(f"answer depth {depth!r}: expected one of {ANSWER_DEPTHS}")
    sc = result.scenario
    horizon = float(result.layout.horizon_days)
    out = result.outcomes
    summary: dict = {
        "scenario": sc.meta.name,
        "title": sc.meta.title,
        "start_date": str(sc.meta.start_date),
        "horizon_days": int(horizon),
        "members": int(result.members.size),
        "seed": int(result.seed),
        "answers_depth": depth,
        "endurance": endurance(out, result.layout.sides),
        "questions": {},
    }
    summary["recruitment"] = {
        side: {"bonus_at_horizon_rub": interval(out[f"{side}_bonus_end_rub"].to_numpy()),
               "bonus_spending_rub": interval(out[f"{side}_bonus_spending_rub"].to_numpy())}
        for side, s in zip(result.layout.sides, sc.sides.values()) if s.recruitment is not None
    }
    if sc.sectors:
        summary["territory"] = {"attacker": sc.combat.attacker, "area_change_km2": interval(out["area_change_km2"].to_numpy())}
    if "abandon_day" in out and result.layout.supported_side is not None:
        summary["abandonment"] = {
            "supporter": result.layout.dynamic_supporter,
            "recipient": result.layout.sides[result.layout.supported_side],
            "p_by_horizon": share(~np.isnan(out["abandon_day"].to_numpy())),
            "day_if_abandoned": interval(out["abandon_day"].to_numpy()),
        }
    decomposition = decompose(sc, result.layout, out, variants, horizon)
    if decomposition is not None:
        summary["channels"] = decomposition.as_dict()
    summary[TAKES_HOME] = takes_home(result.layout, out)
    host = host_side(sc)
    questions = summary["questions"]
    if host is None or "without" not in variants:
        reason = "this scenario has no foreign contingents; compare it with one that has (pawns compare)"
        questions["Q1"] = {"question": QUESTIONS["Q1"], "not_applicable": reason}
        questions["Q2"] = {"question": QUESTIONS["Q2"], "not_applicable": reason}
        questions["Q3"] = {"question": QUESTIONS["Q3"], "p_abandon_first": race_probability(out)}
        questions["Q4"] = {"question": QUESTIONS["Q4"], "not_applicable": reason}
        return summary
    contingents = list(sc.contingents)
    pairs = variant_effects(out, variants, result.layout.sides, horizon, contingents)
    loops = sorted({label[len("loop-"):].removesuffix("-without") for label in variants if label.startswith("loop-")})
    by_loop = loop_dominance.contributions(out, variants, loops, host, horizon, contingents)
    if loops:
        summary["loop_dominance"] = loop_dominance.dominance(by_loop)
    questions["Q1"] = {
        "question": QUESTIONS["Q1"],
        "host": host,
        **answers.q1(out, variants, host, horizon, contingents, by_loop),
        "endurance_days_bought": effect_interval(pairs["with"].endurance_days_bought[host]),
        "tolerance_days_bought": effect_interval(pairs["with"].tolerance_days_bought[host]),
    }
    role_rows = {}
    for role in ("combat", "labor"):
        days, killed = pairs[role].tolerance_days_bought[host], pairs[role].contingent_killed  # none are killed without contingents
        role_rows[role] = {
            "endurance_days_bought": interval(pairs[role].endurance_days_bought[host]),
            "tolerance_days_bought": interval(days),
            "contingent_killed": interval(killed),
            "contingent_killed_per_tolerance_day": cost_per_day(killed, days),
        }
    questions["Q2"] = {
        "question": QUESTIONS["Q2"],
        **answers.q2(variants, host, horizon, contingents),
        **role_rows,
        "combat_minus_labor_tolerance_days": effect_interval(pairs["combat"].tolerance_days_bought[host] - pairs["labor"].tolerance_days_bought[host]),
        "combat_minus_labor_endurance_days": effect_interval(pairs["combat_vs_labor"].endurance_days_bought[host]),
    }
    p_without, p_with = pairs["with"].abandon_first or (None, None)
    questions["Q3"] = {
        "question": QUESTIONS["Q3"],
        **answers.q3(out, variants, by_loop["p_abandon_first_change"], _by_channel(summary.get("channels"), "p_abandon_first_change")),
        "p_abandon_first_with": p_with,
        "p_abandon_first_without": p_without,
        "difference": None if p_with is None or p_without is None else p_with - p_without,
    }
    questions["Q4"] = {
        "question": QUESTIONS["Q4"],
        **answers.q4(out, variants["without"], host, contingents, by_loop["substitution_ratio"]),
        "foreign_share_of_host_casualties": interval(out[f"{host}_foreign_casualty_share"].to_numpy()),
        "ledger": {c: ledger(out, c) for c in contingents},
    }
    return summary


def _by_channel(section: dict | None, outcome: str) -> dict[str, dict] | None:
    """One outcome's row of the channel decomposition, by channel (with all channels and their interaction)."""
    if not section:
        return None
    return {channel: found[outcome] for channel, found in section["rows"].items() if outcome in found}


def variant_effects(outcomes: "pd.DataFrame", variants: dict[str, "pd.DataFrame"], sides: Iterable[str], horizon: float,
                    contingents: Iterable[str]) -> dict[str, PairedEffects]:
    """The paired effects a summary reads, each pair computed once.

    ``"with"``: the scenario against its variant without contingents; ``"combat"`` and
    ``"labor"``: each role against the variant without; ``"combat_vs_labor"``: combat against labor.
    """
    sides, contingents = list(sides), list(contingents)

    def effects(treated: "pd.DataFrame", reference: "pd.DataFrame") -> PairedEffects:
        return paired_effects(treated, reference, sides=sides, horizon=horizon, contingents=contingents)

    without = variants["without"]
    return {"with": effects(outcomes, without), "combat": effects(variants["combat"], without),
            "labor": effects(variants["labor"], without), "combat_vs_labor": effects(variants["combat"], variants["labor"])}
