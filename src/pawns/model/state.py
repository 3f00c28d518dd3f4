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
    shells_lost: np.ndarray  # shells destroyed in stock by enemy missiles, cumulative
    fire_ratio: np.ndarray  # shells fired plus a contributor's artillery over the desired rate (M6)
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
    salience: np.ndarray  # of the enemy's foreign contingents in the supporters' news (M9)
    # per contributor (N, C): its channels' stocks and ledger
    missiles: np.ndarray  # delivered, not yet launched
    missiles_launched: np.ndarray
    artillery_systems: np.ndarray
    workers: np.ndarray
    shells_delivered: np.ndarray
    shells_destroyed: np.ndarray  # enemy shells its missiles destroyed, cumulative
    channel_payment_usd: np.ndarray  # paid for shells and workers, cumulative (M11)
    worker_payment_usd: np.ndarray  # the part of it paid for workers, cumulative (M11)
    # per contributor and technology (N, C, E): the day each transfer happened, NaN until it does (M11)
    technology_day: np.ndarray
    # per donor bloc (N, B)
    bloc_support: np.ndarray
    bloc_delivered: np.ndarray
    aid_allocated_eur_bn: np.ndarray  # since the war began
    policy_changed: np.ndarray  # 1 after the bloc's policy change, else 0


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
    shells_destroyed_dt: np.ndarray  # shells in stock destroyed by enemy missiles this step
    artillery_fire: np.ndarray  # a contributor's artillery fire, shells per day
    pay_factor: np.ndarray  # the intake factor of budget support for recruitment and pay (M9)
    intercept: np.ndarray  # share of enemy missiles the side intercepts this step (M9)
    # per contributor (N, C)
    launched_dt: np.ndarray
    delivered_dt: np.ndarray
    workers_leaving_dt: np.ndarray


PER_FORMATION = 13
PER_SIDE = 11


def scratch(n: int, formations: int, sides: int, contributors: int = 0) -> Scratch:
    """Room for one step's intermediate values of ``n`` members."""
    widths = [formations] * PER_FORMATION + [sides] * PER_SIDE
    widths += [contributors] * (len(Scratch._fields) - len(widths))
    return Scratch(*[np.zeros((n, width)) for width in widths])
