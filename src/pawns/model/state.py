"""What the daily step reads and writes: the state, the parameters, and scratch space.

:class:`State` holds everything that changes over a run, :class:`Parameters` the members'
parameter values and the scenario's structure as plain arrays (member is always the first
axis), and :class:`Scratch` the values one step passes between its loops. They are named
tuples of arrays, so numpy and the compiled engine (``pawns.engine.kernel``) read the same
fields the same way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from pawns.model.layout import Inputs


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


class Parameters(NamedTuple):
    """The members' parameters and the scenario's structure, as the step reads them.

    Built from :class:`~pawns.model.layout.Inputs` by :func:`parameters`: the same names, plus
    the layout (side of each formation, tranches, freed-soldier links) as plain arrays.
    """

    # structure (F,), (S,) and scalars
    formation_side: np.ndarray
    foreign: np.ndarray
    bonus_driven: np.ndarray
    learns: np.ndarray  # contingents learn (M3); domestic formations have m0 = 1 and q0 = q1
    has_materiel: np.ndarray
    has_tolerance: np.ndarray
    has_recruitment: np.ndarray
    has_labor: np.ndarray
    has_endurance: np.ndarray
    dt: float
    attacker: int
    supported_side: int  # -1: no dynamic supporter
    has_territory: bool
    # tranches (K,) and (N, K); freed-soldier links (P,)
    tranche_step: np.ndarray
    tranche_formation: np.ndarray
    tranche_size: np.ndarray
    tranche_share: np.ndarray
    freed_contingent: np.ndarray
    freed_target: np.ndarray
    # per formation (N, F)
    quality_initial: np.ndarray
    quality_trained: np.ndarray
    exposure: np.ndarray
    exposure_multiplier_initial: np.ndarray
    learning_days: np.ndarray
    intake0: np.ndarray
    training_days: np.ndarray
    desertion_per_day: np.ndarray
    rotation_per_day: np.ndarray
    freed_per_laborer: np.ndarray
    payment_usd_per_soldier_month: np.ndarray
    materiel_usd_per_soldier_month: np.ndarray
    tolerance_weight: np.ndarray
    # per side (N, S)
    population: np.ndarray
    killed_share: np.ndarray
    wounded_return_fraction: np.ndarray
    wounded_recovery_days: np.ndarray
    shells_production: np.ndarray
    shells_desired: np.ndarray
    static_supply: np.ndarray
    dynamic_supply_at_start: np.ndarray
    collapse_loss_share: np.ndarray
    knee_loss_share: np.ndarray
    collapse_log: np.ndarray  # ln(1 + collapse / knee), the tolerance law's constant denominator
    tolerance_threshold: np.ndarray
    discharged_weight: np.ndarray
    trend_sensitivity: np.ndarray
    momentum_sensitivity: np.ndarray
    bonus0: np.ndarray
    bonus_elasticity: np.ndarray
    bonus_ceiling: np.ndarray
    ratchet_fraction: np.ndarray
    review_days: np.ndarray
    pool0: np.ndarray
    pool_regeneration: np.ndarray
    labor_gap0: np.ndarray
    recruits_from_workforce: np.ndarray
    foreign_laborer_productivity: np.ndarray
    production_elasticity: np.ndarray
    recruitment_elasticity: np.ndarray
    min_front_fraction: np.ndarray
    min_fire_fraction: np.ndarray
    # per member (N,)
    fires_exponent: np.ndarray
    exposure_exponent: np.ndarray
    attacker_posture_multiplier: np.ndarray
    artillery_share: np.ndarray
    fatigue_per_year: np.ndarray
    support_adjustment_days: np.ndarray
    progress_sensitivity: np.ndarray
    bad_news_sensitivity: np.ndarray
    nuclear_threats_per_year: np.ndarray
    nuclear_threat_damping: np.ndarray
    delivery_lag_days: np.ndarray
    abandonment_threshold: np.ndarray
    abandonment_hold_days: np.ndarray
    residual_after_abandonment: np.ndarray
    gain_at_start: np.ndarray
    stall_ratio: np.ndarray
    stall_log: np.ndarray  # ln(1 / stall ratio), the territory law's constant denominator


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


def parameters(inp: Inputs) -> Parameters:
    """The step's view of ``inp`` (built once per batch and kept on it)."""
    cached = getattr(inp, "_parameters", None)
    if cached is not None:
        return cached
    layout = inp.layout
    tranches = layout.tranches
    structure = dict(
        formation_side=np.ascontiguousarray(inp.formation_side, dtype=np.int64),
        foreign=np.ascontiguousarray(inp.foreign, dtype=np.bool_),
        bonus_driven=np.ascontiguousarray(inp.bonus_driven, dtype=np.bool_),
        learns=np.array([f.contingent for f in layout.formations], dtype=np.bool_),
        dt=float(inp.dt), attacker=int(inp.attacker),
        supported_side=-1 if inp.supported_side is None else int(inp.supported_side),
        has_territory=bool(inp.has_territory),
        tranche_step=np.array([t.step for t in tranches], dtype=np.int64),
        tranche_formation=np.array([t.formation for t in tranches], dtype=np.int64),
        tranche_size=np.ascontiguousarray(inp.tranche_size), tranche_share=np.ascontiguousarray(inp.tranche_share),
        freed_contingent=np.array([c for c, _ in inp.freed_targets], dtype=np.int64),
        freed_target=np.array([t for _, t in inp.freed_targets], dtype=np.int64),
    )
    # constants of each member that the laws would otherwise recompute every step
    from pawns.model import equations  # the equations module imports this one

    population = np.ascontiguousarray(inp.population, dtype=np.float64)
    structure["collapse_log"] = np.ascontiguousarray(equations.collapse_log(
        population, np.asarray(inp.collapse_loss_share, dtype=np.float64), np.asarray(inp.knee_loss_share, dtype=np.float64)))
    structure["stall_log"] = np.ascontiguousarray(equations.stall_log(np.asarray(inp.stall_ratio, dtype=np.float64)))
    values = {}
    for name in Parameters._fields:
        if name in structure:
            values[name] = structure[name]
        else:
            value = getattr(inp, name)
            dtype = np.bool_ if name.startswith("has_") else np.float64
            values[name] = np.ascontiguousarray(value, dtype=dtype)
    packed = Parameters(**values)
    inp._parameters = packed
    return packed


def scratch(n: int, formations: int, sides: int) -> Scratch:
    """Room for one step's intermediate values of ``n`` members."""
    per_formation = 13
    return Scratch(*[np.zeros((n, formations)) for _ in range(per_formation)],
                   *[np.zeros((n, sides)) for _ in range(len(Scratch._fields) - per_formation)])
