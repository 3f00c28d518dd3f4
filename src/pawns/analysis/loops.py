"""Loop dominance: which feedback loop produces each answer, found by cutting loops one at a time.

For every loop the scenario can cut, the scenario and its variant without contingents are run
again with that loop cut (same members, same draws). A loop's *contribution* to an answer is
the answer with every loop working minus the answer with that loop cut, on average over the
members; the loop with the largest contribution, in size, *dominates* the answer. The answers'
reasons (:mod:`pawns.analysis.questions`) name it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from pawns.analysis.effects import abandons_first, end_probability_change, rmst_days_bought, tolerance_shift_days
from pawns.analysis.statistics import finite_mean

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Each loop of pawns.scenario.schema.LOOPS in the words a reason uses (tests/test_questions.py checks they match).
LOOP_WORDS = {
    "posture": "the posture loop (the attacker pays more while its offensive goes well)",
    "support": "the support loop (aid follows the war's course)",
    "recruitment": "the recruitment loop (the bonus ratchets when intake falls short)",
    "tolerance": "the tolerance loop (the will to fight feeds back on the fighting)",
    "materiel": "the materiel loop (fire follows the shells to hand)",
    "allocation": "the allocation loop (soldiers follow the sectors' needs)",
}
# The answers a loop's contribution is measured for (keys of `answer_means`).
ATTRIBUTED = ("rmst_days_bought", "tolerance_shift_days", "p_end_change_1y", "p_end_change_2y", "substitution_ratio",
              "p_abandon_first_change")


def cut_label(loop: str, *, without: bool = False) -> str:
    """The plan label of the run with ``loop`` cut (and, with ``without``, no contingents)."""
    return f"loop-{loop}-without" if without else f"loop-{loop}"


def answer_means(treated: "pd.DataFrame", reference: "pd.DataFrame", host: str, horizon: float,
                 contingents: Iterable[str]) -> dict[str, float]:
    """The attributed answers of ``treated`` (with contingents) against ``reference`` (without), averaged over members.

    The substitution ratio is a ratio of means (host casualties avoided over contingent
    casualties), so a member with few contingent casualties does not dominate it.
    """
    contingents = list(contingents)
    found = {
        "rmst_days_bought": _mean(rmst_days_bought(treated, reference, host)),
        "tolerance_shift_days": _mean(tolerance_shift_days(treated, reference, host, horizon)),
    }
    for years in (1, 2):
        found[f"p_end_change_{years}y"] = _mean(end_probability_change(treated, reference, host, years)) if years * 365 <= horizon else None
    avoided = reference[f"{host}_national_casualties"].to_numpy(dtype=np.float64) - treated[f"{host}_national_casualties"].to_numpy(dtype=np.float64)
    casualties = sum((treated[f"{c}_{kind}"].to_numpy(dtype=np.float64) for c in contingents for kind in ("killed", "wounded")
                      if f"{c}_{kind}" in treated), np.zeros(len(treated)))
    found["substitution_ratio"] = float(avoided.mean() / casualties.mean()) if casualties.mean() > 0 else None
    found["p_abandon_first_change"] = (float(abandons_first(treated).mean() - abandons_first(reference).mean())
                                       if "race" in treated and "race" in reference else None)
    return found


def contributions(outcomes: "pd.DataFrame", variants: Mapping[str, "pd.DataFrame"], loops: Iterable[str], host: str,
                  horizon: float, contingents: Iterable[str]) -> dict[str, dict[str, float]]:
    """Answer key -> {loop, in words: its contribution}, for every loop whose paired cut runs are in ``variants``."""
    contingents = list(contingents)
    full = answer_means(outcomes, variants["without"], host, horizon, contingents)
    found: dict[str, dict[str, float]] = {key: {} for key in ATTRIBUTED}
    for loop in loops:
        treated, reference = variants.get(cut_label(loop)), variants.get(cut_label(loop, without=True))
        if treated is None or reference is None:
            continue
        cut = answer_means(treated, reference, host, horizon, contingents)
        for key in ATTRIBUTED:
            if full[key] is not None and cut[key] is not None:
                found[key][LOOP_WORDS[loop]] = full[key] - cut[key]
    return found


def dominance(found: Mapping[str, Mapping[str, float]]) -> dict[str, dict]:
    """Per answer: the dominant loop and every loop's contribution (the summary's ``loop_dominance``)."""
    table = {}
    for key, by_loop in found.items():
        if not by_loop:
            continue
        dominant = max(by_loop, key=lambda loop: abs(by_loop[loop]))
        table[key] = {"dominant": dominant, "contributions": dict(by_loop)}
    return table


def _mean(values: np.ndarray) -> float | None:
    """The mean of the finite values; ``None`` (JSON null) where there are none."""
    mean = finite_mean(values)
    return None if np.isnan(mean) else mean
