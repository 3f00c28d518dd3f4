"""Per-member paired differences behind the figures of days bought, labor against combat, and cost.

The summary files hold only intervals; the distributions are recomputed here from the outcome
tables with the same functions the summaries use (:mod:`pawns.analysis.summary`), so the
figures and the numbers in the text cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pawns.analysis.outcomes import RACE_ABANDONMENT_FIRST, RACE_ENDURANCE_FIRST, RACE_NEITHER, censored
from pawns.analysis.summary import endurance_days_bought, tolerance_days_bought
from pawns.report.rundir import COMPARISON, RunData

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

RACE_OUTCOMES = (RACE_ABANDONMENT_FIRST, RACE_ENDURANCE_FIRST, RACE_NEITHER)


@dataclass(frozen=True)
class Pairing:
    """Two outcome tables whose members pair one to one: ``effect = treated - reference``."""

    label: str
    treated: "pd.DataFrame"
    reference: "pd.DataFrame"


def groups(run: RunData) -> list[tuple[str, "pd.DataFrame"]]:
    """The outcome tables to draw side by side: the scenario (and its variant without contingents),
    or the baseline and every compared scenario."""
    if run.kind == COMPARISON:
        return [(run.summary["baseline"], run.outcomes["baseline"])] + [
            (entry["scenario"], run.outcomes[entry["scenario"]]) for entry in run.summary["against"]]
    result = [(run.scenario.scenario.name, run.outcomes["baseline"])]
    if "without" in run.outcomes:
        result.append(("without contingents", run.outcomes["without"]))
    return result


def host(run: RunData) -> str | None:
    """The side the foreign contingents fight for, in any of the run's scenarios."""
    for scenario in run.scenarios:
        for contingent in scenario.contingents.values():
            return contingent.side
    return None


def contingent_names(run: RunData) -> list[str]:
    """Every contingent that appears in the run's scenarios, in order of appearance."""
    names: list[str] = []
    for scenario in run.scenarios:
        names.extend(n for n in scenario.contingents if n not in names)
    return names


def contingent_killed(frame: "pd.DataFrame", contingents: list[str]) -> np.ndarray:
    """Killed among the contingents per member (zero where a contingent is absent)."""
    total = np.zeros(len(frame))
    for name in contingents:
        column = f"{name}_killed"
        if column in frame:
            total = total + frame[column].to_numpy(dtype=np.float64)
    return total


def pairings(run: RunData) -> list[Pairing]:
    """Contingent effects: scenario against its variant without contingents, or each compared
    scenario against the baseline."""
    if run.kind == COMPARISON:
        base = run.outcomes["baseline"]
        return [Pairing(f"{entry['scenario']} minus {run.summary['baseline']}", run.outcomes[entry["scenario"]], base)
                for entry in run.summary["against"]]
    if "without" not in run.outcomes:
        return []
    return [Pairing("with contingents minus without", run.outcomes["baseline"], run.outcomes["without"])]


def endurance_effect(pairing: Pairing, side: str, horizon: float) -> np.ndarray:
    """Days of endurance bought per member (censored at the horizon)."""
    return endurance_days_bought(pairing.treated, pairing.reference, side, horizon)


def erosion_effect(pairing: Pairing, side: str, horizon: float) -> np.ndarray:
    """Days of the side's own casualty erosion absorbed per member."""
    return tolerance_days_bought(pairing.treated, pairing.reference, side, horizon)


def role_days(run: RunData, role: str, side: str) -> np.ndarray | None:
    """Days of erosion absorbed per member with every tranche in one role (a run's variants)."""
    if run.kind == COMPARISON or role not in run.outcomes:
        return None
    return tolerance_days_bought(run.outcomes[role], run.outcomes["without"], side, run.horizon)


def role_endurance(run: RunData, role: str, side: str) -> np.ndarray | None:
    """End-of-endurance day per member with every tranche in one role, censored at the horizon."""
    if run.kind == COMPARISON or role not in run.outcomes:
        return None
    return censored(run.outcomes[role][f"{side}_end_day"].to_numpy(dtype=np.float64), run.horizon)


def race_shares(frame: "pd.DataFrame") -> dict[str, float] | None:
    """Share of members in each outcome of the race (M10); ``None`` without a race column."""
    if "race" not in frame:
        return None
    values = frame["race"].astype(str).to_numpy()
    return {outcome: float(np.mean(values == outcome)) for outcome in RACE_OUTCOMES}
