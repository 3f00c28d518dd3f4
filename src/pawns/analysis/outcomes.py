"""Per-member outcomes of a run: endurance, the race, casualty burden, the contingent ledger.

These are the quantities the brief's questions are about (Q1–Q4). They are computed from a
batch's final state, so they need no stored trajectories and stream at any ensemble size.
"""

from __future__ import annotations

import numpy as np

from pawns.model.equations import CAUSES, State
from pawns.model.layout import Layout

RACE_ABANDONMENT_FIRST = "abandonment first"
RACE_ENDURANCE_FIRST = "endurance first"
RACE_NEITHER = "neither by horizon"


def member_outcomes(layout: Layout, start: State, final: State) -> dict[str, np.ndarray]:
    """Outcome columns for every member of a batch (one value per member each).

    Day columns hold days since the start, NaN where the event did not occur by the horizon.
    """
    horizon = float(layout.scenario.scenario.horizon_days)
    out: dict[str, np.ndarray] = {}
    for s, side in enumerate(layout.sides):
        out[f"{side}_end_day"] = final.end_day[:, s].astype(np.float64)
        out[f"{side}_end_cause"] = np.array([CAUSES[int(c)] for c in final.end_cause[:, s]], dtype=object)
        out[f"{side}_tolerance_end"] = final.tolerance[:, s]
        out[f"{side}_weighted_losses_start"] = start.weighted_losses[:, s]
        out[f"{side}_weighted_losses_end"] = final.weighted_losses[:, s]
        out[f"{side}_bonus_end_rub"] = final.bonus[:, s]
        out[f"{side}_bonus_spending_rub"] = final.bonus_spending_rub[:, s]
        members = [f for f, info in enumerate(layout.formations) if info.side == s]
        killed = sum(final.killed[:, f] - start.killed[:, f] for f in members)
        wounded = sum(final.wounded_total[:, f] for f in members)
        foreign = [f for f in members if layout.formations[f].foreign]
        foreign_cas = sum((final.killed[:, f] - start.killed[:, f] + final.wounded_total[:, f] for f in foreign), np.zeros(final.end_day.shape[0]))
        total_cas = killed + wounded
        out[f"{side}_killed"] = killed
        out[f"{side}_wounded"] = wounded
        out[f"{side}_foreign_casualty_share"] = np.where(total_cas > 0, foreign_cas / np.maximum(total_cas, 1e-12), 0.0)
    out["abandon_day"] = final.abandon_day.astype(np.float64)
    out["area_change_km2"] = final.area - start.area
    for f, info in enumerate(layout.formations):
        name = info.name
        out[f"{name}_killed"] = final.killed[:, f] - start.killed[:, f]
        out[f"{name}_wounded"] = final.wounded_total[:, f]
        if info.contingent:
            out[f"{name}_arrived"] = final.inflow_total[:, f]
            out[f"{name}_veterans"] = final.rotated[:, f]
            out[f"{name}_veteran_combat_days"] = final.veteran_combat_days[:, f]
            out[f"{name}_deployed_person_days"] = final.person_days_deployed[:, f]
            out[f"{name}_payment_usd"] = final.payment_usd[:, f]
            out[f"{name}_materiel_usd"] = final.materiel_usd[:, f]
    if layout.supported_side is not None:
        opponent = layout.sides[1 - layout.supported_side]
        out["race"] = race(out["abandon_day"], out[f"{opponent}_end_day"], horizon)
    return out


def race(abandon_day: np.ndarray, opponent_end_day: np.ndarray, horizon: float) -> np.ndarray:
    """M10: which came first — supporters abandoning, or the opponent's end of endurance."""
    abandon = np.where(np.isnan(abandon_day), np.inf, abandon_day)
    end = np.where(np.isnan(opponent_end_day), np.inf, opponent_end_day)
    result = np.full(abandon.shape, RACE_NEITHER, dtype=object)
    result[abandon < end] = RACE_ABANDONMENT_FIRST
    result[end <= abandon] = RACE_ENDURANCE_FIRST
    result[np.isinf(abandon) & np.isinf(end)] = RACE_NEITHER
    return result


def censored(days: np.ndarray, horizon: float) -> np.ndarray:
    """Event days with 'not by the horizon' counted as the horizon (restricted mean convention)."""
    return np.where(np.isnan(days), horizon, np.minimum(days, horizon))
