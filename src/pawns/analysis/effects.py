"""Paired effects: what changes, member by member, between two runs of the same members.

Runs that share their members share every draw (common random numbers), so the difference of
an outcome between them, member by member, is the effect of what differs between the runs
(the contingent, its role, a whole scenario). Each effect is defined once here and computed
once per pair (:func:`paired_effects`); the summary, the comparison, the outcome registry and
the report read it under its key in :data:`EFFECTS`, never by its wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from pawns.analysis.outcomes import censored
from pawns.analysis.statistics import cost_per_day, effect_interval, share
from pawns.analysis.survival import horizontal_shift_days
from pawns.model.recorded import RACE_ABANDONMENT_FIRST

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Key -> what the effect of `treated` against `reference` measures, in words ({side}: one per side).
EFFECTS: dict[str, str] = {
    "rmst_days_bought": "{side} restricted mean days to the end of endurance gained (from each member's hazard)",
    "tolerance_shift_days": "days by which {side}'s will to fight is held back (horizontal shift of its trajectory)",
    "endurance_days_bought": "{side} endurance days bought (end dates censored at the horizon)",
    "tolerance_days_bought": "days of {side}'s own casualty erosion avoided",
    "contingent_killed": "contingent troops killed",
    "contingent_killed_per_tolerance_day": "contingent troops killed per day of {side}'s erosion avoided",
    "contingent_killed_per_endurance_day": "contingent troops killed per {side} endurance day bought",
    "area_change_km2": "attacker's territorial gain (km2)",
    "abandon_first": "P(abandonment before the opponent's endurance ends)",
}


def endurance_days_bought(treated: "pd.DataFrame", reference: "pd.DataFrame", side: str, horizon: float) -> np.ndarray:
    """Per member: the side's end-of-endurance day in ``treated`` minus in ``reference``, censored at the horizon."""
    return censored(treated[f"{side}_end_day"].to_numpy(), horizon) - censored(reference[f"{side}_end_day"].to_numpy(), horizon)


def rmst_days_bought(treated: "pd.DataFrame", reference: "pd.DataFrame", side: str) -> np.ndarray:
    """Per member: the side's restricted mean time to its end in ``treated`` minus in ``reference`` (days).

    Read from each member's own hazard path (:func:`pawns.model.equations.survival_step`), so
    it is defined, and generally not zero, whether or not the member's end came by the horizon.
    """
    column = f"{side}_restricted_end_days"
    return treated[column].to_numpy(dtype=np.float64) - reference[column].to_numpy(dtype=np.float64)


def tolerance_shift_days(treated: "pd.DataFrame", reference: "pd.DataFrame", side: str, horizon: float) -> np.ndarray:
    """Per member: how many days later ``treated`` reaches the will to fight ``reference`` has at the horizon.

    The horizontal shift of the side's will-to-fight trajectory
    (:func:`pawns.analysis.survival.horizontal_shift_days`): positive when ``treated`` holds it up.
    """
    return horizontal_shift_days(treated[f"{side}_tolerance_end"].to_numpy(dtype=np.float64),
                                 reference[f"{side}_tolerance_end"].to_numpy(dtype=np.float64),
                                 reference[f"{side}_tolerance_start"].to_numpy(dtype=np.float64), horizon)


def end_probability_change(treated: "pd.DataFrame", reference: "pd.DataFrame", side: str, years: int) -> np.ndarray:
    """Per member: P(the side has ended by ``years`` years) in ``treated`` minus in ``reference`` (NaN past the horizon)."""
    column = f"{side}_p_end_{years}y"
    return treated[column].to_numpy(dtype=np.float64) - reference[column].to_numpy(dtype=np.float64)


def tolerance_days_bought(treated: "pd.DataFrame", reference: "pd.DataFrame", side: str, horizon: float) -> np.ndarray:
    """Per member: days of the side's own weighted losses that ``treated`` avoids against ``reference``.

    The side's weighted permanent losses avoided by the horizon, divided by its daily rate of
    such losses in ``reference``: how much later it reaches the same erosion of casualty
    tolerance. Unlike the endurance date it is defined when no collapse occurs.
    """
    end_reference = reference[f"{side}_weighted_losses_end"].to_numpy()
    start = reference[f"{side}_weighted_losses_start"].to_numpy()
    avoided = end_reference - treated[f"{side}_weighted_losses_end"].to_numpy()
    rate = (end_reference - start) / horizon
    return np.where(rate > 0, avoided / np.maximum(rate, 1e-12), 0.0)


def abandons_first(outcomes: "pd.DataFrame") -> np.ndarray:
    """Per member: 1 where supporters abandon before the opponent's endurance ends (M10), else 0."""
    return (outcomes["race"].to_numpy() == RACE_ABANDONMENT_FIRST).astype(np.float64)


def race_probability(outcomes: "pd.DataFrame") -> float | None:
    """Share of members in which supporters abandon before the opponent's endurance ends (None without a race)."""
    return share(outcomes["race"].to_numpy() == RACE_ABANDONMENT_FIRST) if "race" in outcomes else None


def contingent_killed(outcomes: "pd.DataFrame", contingents: Iterable[str]) -> np.ndarray:
    """Per member: killed among the contingents (zero for a contingent the run does not have)."""
    total = np.zeros(len(outcomes))
    for name in contingents:
        if f"{name}_killed" in outcomes:
            total = total + outcomes[f"{name}_killed"].to_numpy(dtype=np.float64)
    return total


@dataclass(frozen=True)
class PairedEffects:
    """Per-member effects of the run ``treated`` against the run ``reference`` (the same members).

    Attributes
    ----------
    endurance_days_bought, tolerance_days_bought, rmst_days_bought, tolerance_shift_days
        Per side (by name): see the functions of the same names.
    contingent_killed
        Contingent troops killed in ``treated`` minus in ``reference``.
    area_change_km2
        The attacker's territorial gain in ``treated`` minus in ``reference`` (None without territory).
    abandon_first
        Share of members in which supporters abandon first, in ``reference`` and in ``treated``
        (None without a race).
    """

    endurance_days_bought: dict[str, np.ndarray]
    tolerance_days_bought: dict[str, np.ndarray]
    rmst_days_bought: dict[str, np.ndarray]
    tolerance_shift_days: dict[str, np.ndarray]
    contingent_killed: np.ndarray
    area_change_km2: np.ndarray | None
    abandon_first: tuple[float, float] | None

    def as_dict(self) -> dict:
        """The effects as JSON-ready intervals under the keys of :data:`EFFECTS` (a comparison's ``effects``)."""
        effects: dict[str, object] = {
            "rmst_days_bought": {side: effect_interval(v) for side, v in self.rmst_days_bought.items()},
            "tolerance_shift_days": {side: effect_interval(v) for side, v in self.tolerance_shift_days.items()},
            "endurance_days_bought": {side: effect_interval(v) for side, v in self.endurance_days_bought.items()},
            "tolerance_days_bought": {side: effect_interval(v) for side, v in self.tolerance_days_bought.items()},
            "contingent_killed": effect_interval(self.contingent_killed),
            # given only where the days bought are credibly positive (see cost_per_day)
            "contingent_killed_per_tolerance_day": _defined({side: cost_per_day(self.contingent_killed, days)
                                                             for side, days in self.tolerance_days_bought.items()}),
            "contingent_killed_per_endurance_day": _defined({side: cost_per_day(self.contingent_killed, days)
                                                             for side, days in self.endurance_days_bought.items()}),
        }
        if self.area_change_km2 is not None:
            effects["area_change_km2"] = effect_interval(self.area_change_km2)
        if self.abandon_first is not None:
            reference, treated = self.abandon_first
            effects["abandon_first"] = {"reference": reference, "treated": treated, "difference": treated - reference}
        return effects


def paired_effects(treated: "pd.DataFrame", reference: "pd.DataFrame", *, sides: Iterable[str], horizon: float,
                   contingents: Iterable[str]) -> PairedEffects:
    """Every effect of ``treated`` against ``reference``: two outcome tables of the same members."""
    sides, contingents = list(sides), list(contingents)
    area = None
    if "area_change_km2" in treated and "area_change_km2" in reference:
        area = treated["area_change_km2"].to_numpy() - reference["area_change_km2"].to_numpy()
    p_reference, p_treated = race_probability(reference), race_probability(treated)
    return PairedEffects(
        endurance_days_bought={side: endurance_days_bought(treated, reference, side, horizon) for side in sides},
        tolerance_days_bought={side: tolerance_days_bought(treated, reference, side, horizon) for side in sides},
        rmst_days_bought={side: rmst_days_bought(treated, reference, side) for side in sides},
        tolerance_shift_days={side: tolerance_shift_days(treated, reference, side, horizon) for side in sides},
        contingent_killed=contingent_killed(treated, contingents) - contingent_killed(reference, contingents),
        area_change_km2=area,
        abandon_first=None if p_reference is None or p_treated is None else (p_reference, p_treated),
    )


def effect_entries(effects: dict) -> Iterator[tuple[str, str | None, str, object]]:
    """``(key, side, words, value)`` of each effect of a comparison (``side`` None for effects not per side), in :data:`EFFECTS` order."""
    for key, words in EFFECTS.items():
        if key not in effects:
            continue
        if "{side}" in words:
            for side, value in effects[key].items():
                yield key, side, words.format(side=side), value
        else:
            yield key, None, words, effects[key]


def _defined(values: dict[str, float | None]) -> dict[str, float]:
    return {key: value for key, value in values.items() if value is not None}
