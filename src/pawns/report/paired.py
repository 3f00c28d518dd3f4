"""Per-member paired effects behind the figures of days bought, labor against combat, and cost.

The summary files hold only intervals; the per-member effects are computed from the outcome
tables when a run directory is loaded (:class:`~pawns.report.rundir.RunData`'s ``effects``),
once per pair, by the functions the summaries use (:mod:`pawns.analysis.effects`), so the
figures and the numbers in the text cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pawns.analysis.effects import PairedEffects
from pawns.model.recorded import RACES
from pawns.report.rundir import COMPARISON, RunData

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class Pairing:
    """The effects of one run against another whose members pair one to one, and their label."""

    label: str
    effects: PairedEffects


def groups(run: RunData) -> list[tuple[str, "pd.DataFrame"]]:
    """The outcome tables to draw side by side: the scenario (and its variant without contingents),
    or the baseline and every compared scenario."""
    if run.kind == COMPARISON:
        return [(run.summary["baseline"], run.outcomes["baseline"])] + [
            (entry["scenario"], run.outcomes[entry["scenario"]]) for entry in run.summary["against"]]
    result = [(run.scenario.meta.name, run.outcomes["baseline"])]
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


def pairings(run: RunData) -> list[Pairing]:
    """Contingent effects: scenario against its variant without contingents, or each compared
    scenario against the baseline."""
    if run.kind == COMPARISON:
        return [Pairing(f"{entry['scenario']} minus {run.summary['baseline']}", run.effects[entry["scenario"]])
                for entry in run.summary["against"]]
    return [Pairing("with contingents minus without", run.effects["with"])] if "with" in run.effects else []


def race_shares(frame: "pd.DataFrame") -> dict[str, float] | None:
    """Share of members in each outcome of the race (M10); ``None`` without a race column."""
    if "race" not in frame:
        return None
    values = frame["race"].astype(str).to_numpy()
    return {outcome: float(np.mean(values == outcome)) for outcome in RACES}
