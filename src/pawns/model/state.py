"""What the daily step writes: the state, and scratch space.

:class:`State` holds everything that changes over a run (member is always the first axis),
and :class:`Scratch` the values one step passes between its loops. The parameters the step
reads are :class:`pawns.model.parameter_table.Parameters`. All are named tuples of arrays, so
numpy and the compiled engine (``pawns.engine.kernel``) read the same fields the same way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class State(NamedTuple):
    """Everything that changes over a run, for a batch of members (member is the first axis)."""

    # stocks per formation (N, F), persons
    training: np.ndarray
    front: np.ndarray
    wounded: np.ndarray
    killed: np.ndarray
    discharged: np.ndarray
    deserted: np.ndarray
    rotated: np.ndarray
    labor: np.ndarray
    # bookkeeping per formation (N, F)
    experience: np.ndarray  # person-days of combat held by the current front
    inflow_total: np.ndarray  # intake + arrivals + freed soldiers, cumulative
    initial_total: np.ndarray
    intake_total: np.ndarray  # recruits (domestic intake), cumulative
    wounded_total: np.ndarray
    casualties: np.ndarray  # killed + wounded this step, per day
    person_days_deployed: np.ndarray
    veteran_combat_days: np.ndarray
    payment_usd: np.ndarray
    materiel_usd: np.ndarray
    # per side (N, S)
    coefficient: np.ndarray
    front_at_start: np.ndarray
    shells: np.ndarray
    shells_fired: np.ndarray
    fire_ratio_mean: np.ndarray
    bonus: np.ndarray
    pool: np.ndarray
    bonus_spending_rub: np.ndarray
    days_since_review: np.ndarray
    intake_since_review: np.ndarray
    losses_since_review: np.ndarray
    weighted_losses: np.ndarray
    loss_rate_mean: np.ndarray
    loss_rate_reference: np.ndarray
    tolerance: np.ndarray
    labor_gap: np.ndarray
    end_day: np.ndarray
    end_cause: np.ndarray
    end_hazard: np.ndarray  # daily hazard of the end, all causes (M8)
    cumulative_hazard: np.ndarray
    restricted_days: np.ndarray  # restricted mean time to the end so far, days (M8)
    end_probability_1y: np.ndarray  # P(ended by day 365); NaN before
    end_probability_2y: np.ndarray
    end_probability_5y: np.ndarray
    national_front_days: np.ndarray  # person-days at the front of the side's own nationals, cumulative
    shells_produced: np.ndarray  # the side's own defence output, shells, cumulative
    deficit_at_start: np.ndarray  # morale deficit at the start, which the observed rates already carry (M4)
    # per member (N,)
    force_ratio_at_start: np.ndarray
    area: np.ndarray
    gain: np.ndarray
    gain_mean: np.ndarray
    support: np.ndarray
    delivered: np.ndarray
    days_below_threshold: np.ndarray
    abandon_day: np.ndarray
    nuclear_events: np.ndarray


class Scratch(NamedTuple):
    """Per-step intermediate values the step passes between its loops over formations and sides."""

    # per formation (N, F)
    arrivals_training: np.ndarray
    arrivals_labor: np.ndarray
    experience: np.ndarray  # mean combat days of the front at the start of the step
    exposed: np.ndarray
    casualties_dt: np.ndarray
    deserting_dt: np.ndarray
    rotating_dt: np.ndarray
    killed_dt: np.ndarray
    discharged_dt: np.ndarray
    intake_dt: np.ndarray
    labor_rotating_dt: np.ndarray
    freed_in: np.ndarray
    freed_out: np.ndarray
    # per side (N, S)
    fires: np.ndarray
    exposed_side: np.ndarray
    side_casualties: np.ndarray
    recruitment_factor: np.ndarray
    shell_inflow: np.ndarray
    driven_intake: np.ndarray
    pool_scale: np.ndarray
    desertion_factor: np.ndarray
    effectiveness: np.ndarray


def scratch(n: int, formations: int, sides: int) -> Scratch:
    """Room for one step's intermediate values of ``n`` members."""
    per_formation = 13
    return Scratch(*[np.zeros((n, formations)) for _ in range(per_formation)],
                   *[np.zeros((n, sides)) for _ in range(len(Scratch._fields) - per_formation)])
