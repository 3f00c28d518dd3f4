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

    # stocks per formation (N, F), persons (training, front and wounded: totals of the stages and sectors below)
    training: np.ndarray
    front: np.ndarray
    wounded: np.ndarray
    killed: np.ndarray
    discharged: np.ndarray
    deserted: np.ndarray
    rotated: np.ndarray
    labor: np.ndarray
    # stocks per formation and sector (N, F, Z), and their stages, persons
    sector_front: np.ndarray  # at the front in each sector
    front_stage: np.ndarray  # (N, F, Z, tour stages): the front by stage of its tour (M1)
    training_stage: np.ndarray  # (N, F, training stages): the training pipeline by stage (M1)
    sector_wounded: np.ndarray  # wounded in care, by the sector they were wounded in
    redeploying: np.ndarray  # host soldiers freed in a sector, on their way to the main sector
    sector_killed: np.ndarray  # killed in each sector since the start
    # bookkeeping per formation and sector (N, F, Z), and per formation (N, F)
    experience: np.ndarray  # (N, F, Z) person-days of combat held by the current front in each sector
    inflow_total: np.ndarray  # intake + arrivals + freed soldiers, cumulative
    initial_total: np.ndarray
    intake_total: np.ndarray  # recruits (domestic intake), cumulative
    wounded_total: np.ndarray
    casualties: np.ndarray  # killed + wounded this step, per day
    person_days_deployed: np.ndarray
    veteran_combat_days: np.ndarray
    payment_usd: np.ndarray
    materiel_usd: np.ndarray
    # per side and sector (N, S, Z)
    coefficient: np.ndarray
    # per side (N, S)
    foreign_deployed: np.ndarray  # persons of foreign contingents in training or at the front
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
    shells_lost: np.ndarray  # shells destroyed in stock by enemy missiles, cumulative
    fire_ratio: np.ndarray  # shells fired plus a contributor's artillery over the desired rate (M6)
    # per sector (N, Z)
    force_ratio_at_start: np.ndarray
    sector_area: np.ndarray  # area held by the sector's attacker, km2
    sector_gain: np.ndarray  # the sector's attacker's gain per day, km2/day
    # per member (N,): the main front's territory (sector 0), as tolerance and support read it
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
    # per cohort of a contingent's arrivals (N, Q, ...): who they are now, and what became of them (M1, M11)
    cohort_training: np.ndarray  # (N, Q, training stages): in the training pipeline
    cohort_front: np.ndarray  # (N, Q, Z, tour stages): at the front, by sector and stage of the tour
    cohort_wounded: np.ndarray  # (N, Q, Z): wounded in care, by the sector they were wounded in
    cohort_labor: np.ndarray  # (N, Q): used as laborers
    cohort_killed: np.ndarray  # (N, Q): cumulative, persons
    cohort_repatriated: np.ndarray  # wounded sent home, cumulative
    cohort_deserted: np.ndarray
    cohort_rotated: np.ndarray  # home alive after a whole tour at the front, cumulative
    cohort_labor_home: np.ndarray  # laborers rotated home, cumulative
    cohort_combat_days: np.ndarray  # combat days of those rotated home after a tour, person-days
    cohort_front_days: np.ndarray  # person-days at the front, cumulative
    # per donor bloc (N, B)
    bloc_support: np.ndarray
    bloc_delivered: np.ndarray
    aid_allocated_eur_bn: np.ndarray  # since the war began
    policy_changed: np.ndarray  # 1 after the bloc's policy change, else 0


class Scratch(NamedTuple):
    """Per-step intermediate values the step passes between its loops over formations, sectors and sides."""

    # per formation (N, F)
    arrivals_training: np.ndarray
    arrivals_labor: np.ndarray
    killed_dt: np.ndarray  # summed over sectors
    discharged_dt: np.ndarray
    deserting_dt: np.ndarray
    intake_dt: np.ndarray
    labor_rotating_dt: np.ndarray
    freed_in: np.ndarray
    freed_out: np.ndarray
    graduates: np.ndarray
    replacements: np.ndarray  # a contingent's replacements arriving this step
    # per formation and sector (N, F, Z)
    experience: np.ndarray  # mean combat days of the front at the start of the step
    exposed: np.ndarray
    sector_casualties_dt: np.ndarray
    sector_deserting_dt: np.ndarray
    sector_killed_dt: np.ndarray
    held: np.ndarray  # the front after the step's losses and rotation, with the wounded who return
    rotating: np.ndarray  # survivors of a whole tour, going home
    moved_out: np.ndarray  # host soldiers leaving the sector for the main sector
    posted: np.ndarray  # graduates posted to the sector
    kept: np.ndarray  # share of the front left after the step's casualties and desertion
    # per formation, sector and stage of the tour (N, F, Z, stages)
    rejoin_part: np.ndarray  # share of the returning wounded who rejoin each stage
    # per side and sector (N, S, Z)
    fires: np.ndarray
    exposed_side: np.ndarray
    side_casualties: np.ndarray
    lacking: np.ndarray  # soldiers a side lacks in a sector, below its requirement
    surplus_share: np.ndarray  # share of a side's soldiers in a sector above its requirement
    # per sector (N, Z)
    ratio: np.ndarray
    relative_ratio: np.ndarray
    contest: np.ndarray
    # per side (N, S)
    recruitment_factor: np.ndarray
    shell_inflow: np.ndarray
    driven_intake: np.ndarray
    pool_scale: np.ndarray
    shells_destroyed_dt: np.ndarray  # shells in stock destroyed by enemy missiles this step
    artillery_fire: np.ndarray  # a contributor's artillery fire, shells per day
    pay_factor: np.ndarray  # the intake factor of budget support for recruitment and pay (M9)
    intercept: np.ndarray  # share of enemy missiles the side intercepts this step (M9)
    desertion_factor: np.ndarray
    effectiveness: np.ndarray
    # per contributor (N, C)
    launched_dt: np.ndarray
    delivered_dt: np.ndarray
    workers_leaving_dt: np.ndarray


def scratch(n: int, formations: int, sides: int, sectors: int, contributors: int, stages: int) -> Scratch:
    """Room for one step's intermediate values of ``n`` members (``stages``: the most stages of a tour)."""
    shapes = {"formation": (n, formations), "formation_sector": (n, formations, sectors),
              "formation_sector_stage": (n, formations, sectors, stages), "side_sector": (n, sides, sectors),
              "sector": (n, sectors), "side": (n, sides), "contributor": (n, contributors)}
    # How many fields of each shape, in the order Scratch lists them.
    groups = (("formation", 11), ("formation_sector", 10), ("formation_sector_stage", 1), ("side_sector", 5), ("sector", 3),
              ("side", 10), ("contributor", 3))
    arrays = [np.zeros(shapes[group]) for group, count in groups for _ in range(count)]
    return Scratch(*arrays)
