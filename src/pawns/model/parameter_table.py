"""The parameter table: how a scenario's parameters become the arrays the equations read.

Each entry of :data:`TABLE` names a field of :class:`Parameters`, its shape (a value per
formation ``(N, F)``, per side ``(N, S)``, per sector ``(N, Z)``, per side and sector
``(N, S, Z)``, per formation and sector ``(N, F, Z)`` or per member ``(N,)``), the neutral value it keeps
where the scenario says nothing (the value that switches its mechanism off), and the dotted
scenario names it is read from, each with an optional transform. Names are templates over
the layout: ``{side}``, ``{formation}`` (a side's own formations), ``{contingent}`` (foreign
contingents), ``{sector}``, ``{weight}`` (a formation's tolerance weight), ``{static_supporter}`` and
``{dynamic_supporter}`` (supporters, landing in their recipient's column). A name the
scenario does not hold leaves the neutral value: a side without a ``tolerance`` table has no
``sides.RU.tolerance.threshold``.

Adding a parameter to the model is one entry here, beside its key in the scenario schema
(:mod:`pawns.scenario.schema`) and the equation that reads it (:mod:`pawns.model.equations`).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Callable, Iterator, Literal

import numpy as np

from pawns.model.layout import Layout
from pawns.scenario.schema import LOOPS

Shape = Literal["formation", "side", "member", "sector", "side_sector", "formation_sector", "contributor", "bloc", "block"]
FORMATION: Shape = "formation"
SIDE: Shape = "side"
MEMBER: Shape = "member"
SECTOR: Shape = "sector"
SIDE_SECTOR: Shape = "side_sector"
FORMATION_SECTOR: Shape = "formation_sector"
CONTRIBUTOR: Shape = "contributor"
BLOC: Shape = "bloc"
BLOCK: Shape = "block"  # a block of the drifts' random walks (M6)

# Tolerance weight of a formation's losses, by its category (M5): `sides.{side}.tolerance.weight_{weight}`.
TOLERANCE_WEIGHTS = {"contract": "contract", "mobilized": "mobilized", "conscript": "mobilized", "volunteer": "volunteer",
                     "foreign": "foreign"}


def rate_per_day(days: np.ndarray) -> np.ndarray:
    """A mean time in days as a daily rate (``tour_days`` -> rotation per day); 0 days: never."""
    return np.where(days > 0, 1.0 / np.maximum(days, 1e-12), 0.0)


@dataclass(frozen=True)
class Source:
    """A dotted scenario name (a template over the layout) and how its values become the field's."""

    template: str
    transform: Callable[[np.ndarray], np.ndarray] | None = None


@dataclass(frozen=True)
class Entry:
    """A field of :class:`Parameters` read from scenario parameters.

    ``accumulate`` adds every source landing in one column (several supporters of one side)
    to the neutral value, instead of the last one found replacing it.
    """

    field: str
    shape: Shape
    neutral: float
    sources: tuple[Source, ...]
    description: str
    accumulate: bool = False


@dataclass(frozen=True)
class Switch:
    """A field of :class:`Parameters` that says whether the scenario holds a table or a switch."""

    field: str
    shape: Shape
    template: str
    description: str


@dataclass(frozen=True)
class Constant:
    """A constant of each member that the laws derive from other fields (or its own draws) once, rather than every step.

    Its value is computed by :func:`pawns.model.equations.parameters`.
    """

    field: str
    shape: Shape
    description: str


def _formation(key: str) -> Source:
    return Source(f"sides.{{side}}.formations.{{formation}}.{key}")


def _contingent(key: str, transform: Callable[[np.ndarray], np.ndarray] | None = None) -> Source:
    return Source(f"contingents.{{contingent}}.{key}", transform)


def _side(key: str) -> Source:
    return Source(f"sides.{{side}}.{key}")


def _dynamics(key: str) -> Source:
    return Source(f"supporters.{{dynamic_supporter}}.dynamics.{key}")


def _sector(key: str) -> Source:
    return Source(f"sectors.{{sector}}.{key}")


def _bloc(key: str) -> Source:
    return Source(f"supporters.{{dynamic_supporter}}.blocs.{{bloc}}.{key}")


def _channel(channel: str, key: str, transform: Callable[[np.ndarray], np.ndarray] | None = None) -> Source:
    return Source(f"contributors.{{contributor}}.{channel}.{key}", transform)


TABLE: tuple[Entry | Switch | Constant, ...] = (
    # which mechanisms each formation and side has
    Switch("bonus_driven", FORMATION, "sides.{side}.formations.{formation}.bonus_driven", "intake follows the side's bonus and pool (M7)"),
    Switch("has_materiel", SIDE, "sides.{side}.materiel", "the side fires shells it must produce or receive (M6)"),
    Switch("has_tolerance", SIDE, "sides.{side}.tolerance", "the side's casualty tolerance can collapse (M4)"),
    Switch("has_recruitment", SIDE, "sides.{side}.recruitment", "the side recruits with a bonus and a pool of the willing (M7)"),
    Switch("has_labor", SIDE, "sides.{side}.labor", "the side has a labor market (M2)"),
    Switch("has_endurance", SIDE, "sides.{side}.endurance", "the side's endurance can end for want of manpower or materiel (M8)"),
    # per formation (N, F)
    Entry("front0", FORMATION, 0.0, (_formation("front_persons"),), "persons at the front at the start"),
    Entry("killed0", FORMATION, 0.0, (_formation("initial_killed_persons"),), "killed before the start"),
    Entry("discharged0", FORMATION, 0.0, (_formation("initial_discharged_persons"),), "permanently disabled before the start"),
    Entry("quality_initial", FORMATION, 1.0, (_formation("quality"), _contingent("quality_initial")), "combat effectiveness of green troops (M3)"),
    Entry("quality_trained", FORMATION, 1.0, (_formation("quality"), _contingent("quality_trained")), "combat effectiveness once experienced (M3)"),
    Entry("exposure", FORMATION, 1.0, (_formation("exposure"), _contingent("exposure")), "relative exposure to casualties (M6)"),
    Entry("exposure_multiplier_initial", FORMATION, 1.0, (_contingent("exposure_multiplier_initial"),), "hazard multiplier of green troops (M3)"),
    Entry("learning_days", FORMATION, 1.0, (_contingent("learning_days"),), "combat days for the learning gap to shrink by e (M3)"),
    Entry("intake0", FORMATION, 0.0, (_formation("intake_per_day"),), "recruits per day at the start (M7)"),
    Entry("training_days", FORMATION, 0.0, (_formation("training_days"), _contingent("training_days")), "mean time in training (0: straight to the front)"),
    Entry("desertion_per_day", FORMATION, 0.0, (_formation("desertion_per_day"),), "daily fraction of the front that deserts"),
    Entry("rotation_per_day", FORMATION, 0.0, (_formation("rotation_per_day"), _contingent("tour_days", rate_per_day)),
          "daily fraction of the front rotated home (a contingent's: one over its tour)"),
    Entry("killed_share", FORMATION, 0.0, (_side("killed_share"), _contingent("killed_share")),
          "share of casualties killed (a contingent's own, else its side's)"),
    Entry("wounded_return_fraction", FORMATION, 0.0, (_side("wounded_return_fraction"), _contingent("wounded_return_fraction")),
          "share of wounded who return to the front (a contingent's others are evacuated home)"),
    Entry("substitution_share", FORMATION, 0.0, (_contingent("substitution_share"),),
          "share of a contingent's exposure that displaces its host's in its sectors (M5)"),
    Entry("replenish_target", FORMATION, 0.0, (_contingent("replenishment.target_persons"),),
          "a contingent's strength for combat that replacements restore (M1)"),
    Entry("replenish_lag_days", FORMATION, 1.0, (_contingent("replenishment.lag_days"),), "mean time to replace a shortfall (M1)"),
    Entry("freed_per_laborer", FORMATION, 0.0, (_contingent("freed_soldiers_per_laborer"),), "own soldiers freed per foreign laborer (M2)"),
    Entry("payment_usd_per_soldier_month", FORMATION, 0.0, (_contingent("payment_usd_per_soldier_month"),), "payment per soldier-month (M11)"),
    Entry("materiel_usd_per_soldier_month", FORMATION, 0.0, (_contingent("materiel_usd_per_soldier_month"),),
          "materiel and technology per soldier-month (M11)"),
    Entry("tolerance_weight", FORMATION, 0.0, (_side("tolerance.weight_{weight}"),), "weight of the formation's losses in its side's tolerance (M5)"),
    # per side (N, S): combat and casualties
    Entry("population", SIDE, 0.0, (_side("population_persons"),), "population (M4)"),
    Entry("casualties_at_start", SIDE, np.nan, (_side("casualties_per_day_at_start"),), "killed + wounded per day at the start (M6)"),
    Entry("casualty_coefficient", SIDE, np.nan, (_side("casualty_coefficient"),), "the attrition law's coefficient, when given (M6)"),
    Entry("wounded_recovery_days", SIDE, 0.0, (_side("wounded_recovery_days"),), "mean time in care"),
    # materiel and external supply (M6, M9)
    Entry("shells_stock0", SIDE, 0.0, (_side("materiel.shells_stock"),), "shells in stock at the start"),
    Entry("shells_production", SIDE, 0.0, (_side("materiel.shells_production_per_day"),), "shells produced per day"),
    Entry("shells_desired", SIDE, 1.0, (_side("materiel.shells_desired_per_day"),), "shells the side wants to fire per day"),
    Entry("static_supply", SIDE, 0.0, (Source("supporters.{static_supporter}.shells_per_day_at_start"),),
          "shells per day from supporters without dynamics", accumulate=True),
    Entry("stock_target_days", SIDE, 30.0, (_side("materiel.stock_target_days"),), "days of desired fire the side wants in stock"),
    Entry("max_fire_multiple", SIDE, 1.0, (_side("materiel.max_fire_multiple"),), "the most the side fires, as a multiple of the desired rate"),
    Entry("intercept_share", SIDE, 0.0, (_side("air_defence.ballistic_intercept_share"),), "share of enemy ballistic missiles intercepted at the start"),
    # casualty tolerance (M4, M5)
    Entry("collapse_loss_share", SIDE, 1.0, (_side("tolerance.collapse_loss_share"),), "losses, as a share of population, that reach the threshold"),
    Entry("knee_loss_share", SIDE, 1.0, (_side("tolerance.knee_loss_share"),), "scale of the logarithm of losses"),
    Constant("collapse_log", SIDE, "ln(1 + c / kappa), the tolerance law's constant denominator"),
    Entry("tolerance_threshold", SIDE, 0.0, (_side("tolerance.threshold"),), "tolerance below which endurance ends"),
    Entry("discharged_weight", SIDE, 0.0, (_side("tolerance.discharged_weight"),), "weight of a discharged soldier relative to a death"),
    Entry("trend_sensitivity", SIDE, 0.0, (_side("tolerance.trend_sensitivity"),), "drop of tolerance per rise of the recent loss rate"),
    Entry("momentum_sensitivity", SIDE, 0.0, (_side("tolerance.momentum_sensitivity"),), "gain of tolerance per unit of territorial momentum"),
    Entry("momentum_bound", SIDE, 1.0, (_side("tolerance.momentum_bound"),), "largest size of perceived momentum (tanh bound)"),
    Entry("strain_sensitivity", SIDE, 0.0, (_side("tolerance.strain_sensitivity"),), "fall of the will to fight at full economic strain"),
    Entry("support_sensitivity", SIDE, 0.0, (_side("tolerance.support_sensitivity"),), "rise of the will to fight per unit of external support"),
    Entry("hazard_at_threshold", SIDE, 0.0, (_side("tolerance.hazard_at_threshold_per_year"),), "hazard of the end per year at the threshold (M8)"),
    Entry("hazard_scale", SIDE, 1.0, (_side("tolerance.hazard_scale"),), "fall of the will to fight that multiplies the hazard by e"),
    Entry("feedback_scale", SIDE, 1.0, (_side("tolerance.feedback_scale"),), "width of the morale deficit's rise around the threshold"),
    Entry("feedback_desertion", SIDE, 0.0, (_side("tolerance.feedback_desertion"),), "extra desertion, relative, at a full morale deficit"),
    Entry("feedback_effectiveness", SIDE, 0.0, (_side("tolerance.feedback_effectiveness"),), "loss of combat effectiveness at a full morale deficit"),
    # force generation (M7)
    Entry("bonus0", SIDE, 1.0, (_side("recruitment.bonus_rub"),), "sign-on bonus at the start"),
    Entry("bonus_elasticity", SIDE, 0.0, (_side("recruitment.bonus_elasticity"),), "elasticity of intake to the bonus"),
    Entry("bonus_ceiling", SIDE, 1.0, (_side("recruitment.bonus_ceiling_rub"),), "fiscal ceiling of the bonus"),
    Entry("ratchet_fraction", SIDE, 0.0, (_side("recruitment.ratchet_fraction"),), "bonus rise at a review where intake fell short"),
    Entry("review_days", SIDE, np.inf, (_side("recruitment.review_days"),), "days between bonus reviews"),
    Entry("pool0", SIDE, 1.0, (_side("recruitment.pool_of_willing_persons"),), "pool of the willing at the start"),
    Entry("pool_regeneration", SIDE, 0.0, (_side("recruitment.pool_regeneration_per_day"),), "refill of the pool per day"),
    # labor (M2)
    Entry("labor_gap0", SIDE, 1.0, (_side("labor.labor_gap_persons"),), "unfilled jobs at the start"),
    Entry("recruits_from_workforce", SIDE, 0.0, (_side("labor.recruits_from_workforce_fraction"),), "share of recruits drawn from the workforce"),
    Entry("foreign_laborer_productivity", SIDE, 0.0, (_side("labor.foreign_laborer_productivity"),), "output of a foreign laborer"),
    Entry("production_elasticity", SIDE, 0.0, (_side("labor.production_elasticity"),), "elasticity of production to the labor gap"),
    Entry("recruitment_elasticity", SIDE, 0.0, (_side("labor.recruitment_elasticity"),), "elasticity of intake to the labor gap"),
    Entry("defence_workforce", SIDE, np.inf, (_side("labor.defence_workforce_persons"),), "workers of the defence industry at the start"),
    # endurance (M8)
    Entry("min_front_fraction", SIDE, 0.0, (_side("endurance.min_front_fraction"),), "front, as a share of the start, below which manpower ends"),
    Entry("min_fire_fraction", SIDE, 0.0, (_side("endurance.min_fire_fraction"),), "mean shells fired over desired below which materiel ends"),
    Entry("hazard_at_limit", SIDE, 0.0, (_side("endurance.hazard_at_limit_per_year"),), "hazard of the end per year at a manpower or materiel limit"),
    Entry("manpower_scale", SIDE, 1.0, (_side("endurance.manpower_scale"),), "fall of the front's share that multiplies the manpower hazard by e"),
    Entry("materiel_scale", SIDE, 1.0, (_side("endurance.materiel_scale"),), "fall of the fire ratio that multiplies the materiel hazard by e"),
    Constant("end_exposure", SIDE, "the member's unit exponential draw: its end comes when the cumulative hazard reaches it"),
    Constant("cause_uniform", SIDE, "the member's uniform that draws the cause of its end among the competing hazards"),
    # per member (N,): combat (M6)
    Entry("fires_exponent", MEMBER, 0.0, (Source("combat.fires_exponent"),), "p: casualties grow as (enemy fires)^p"),
    Entry("exposure_exponent", MEMBER, 0.0, (Source("combat.exposure_exponent"),), "q: casualties grow as (own exposed force)^q"),
    Entry("attacker_posture_multiplier", MEMBER, 0.0, (Source("combat.attacker_posture_multiplier"),), "casualty multiplier of the attacker"),
    Entry("artillery_share", MEMBER, 0.0, (Source("combat.artillery_share_of_casualties"),), "share of fires that scales with shells fired"),
    Entry("surplus_fire_value", MEMBER, 0.0, (Source("combat.surplus_fire_value"),), "the most fire above the desired rate adds, as a share of its value"),
    # external support dynamics (M9, M10)
    Entry("support_adjustment_days", MEMBER, 1.0, (_dynamics("adjustment_days"),), "time for support to reach its equilibrium"),
    Entry("progress_sensitivity", MEMBER, 0.0, (_dynamics("progress_sensitivity"),), "rise of equilibrium support per unit of progress"),
    Entry("nuclear_threats_per_year", MEMBER, 0.0, (_dynamics("nuclear_threats_per_year"),), "rate of nuclear-threat events"),
    Entry("salience_days", MEMBER, 30.0, (_dynamics("salience_days"),), "time for the contingent's salience to follow the news"),
    Entry("salience_front", MEMBER, 1e4, (_dynamics("salience_front_persons"),), "contingent troops at the front for half the most salience"),
    Entry("salience_casualties", MEMBER, 1e2, (_dynamics("salience_casualties_per_day"),), "contingent casualties per day for half the most salience"),
    Entry("pay_intake_elasticity", MEMBER, 0.0, (_dynamics("pay_intake_elasticity"),), "elasticity of the recipient's intake to budget support"),
    Entry("delivery_lag_days", MEMBER, 1.0, (_dynamics("delivery_lag_days"),), "lag of deliveries behind support"),
    Entry("abandonment_threshold", MEMBER, -np.inf, (_dynamics("abandonment_threshold"),), "support below which the supporter is on its way out"),
    Entry("abandonment_hold_days", MEMBER, np.inf, (_dynamics("abandonment_hold_days"),), "days below the threshold that count as abandonment"),
    Entry("residual_after_abandonment", MEMBER, 1.0, (_dynamics("residual_after_abandonment"),), "support left after abandonment"),
    # the main front's territory, as the momentum of tolerance and the progress of support read it (M4, M9)
    Entry("gain_at_start", MEMBER, 1.0, (Source("sectors.main.gain_km2_per_day_at_start"),), "main front: attacker's gain per day at the start"),
    # sectors (M6): territory, posture, and the share of forces and casualties at the start
    Entry("sector_area0", SECTOR, 0.0, (_sector("initial_area_km2"),), "area held by the sector's attacker at the start"),
    Entry("stake", SECTOR, 1.0, (_sector("area_at_stake_km2"),), "the most the attacker can still gain in the sector"),
    Entry("retake_limit", SECTOR, 0.0, (_sector("retake_limit_km2"),), "the most the defender can take back behind the start line"),
    Entry("sector_gain_at_start", SECTOR, 0.0, (_sector("gain_km2_per_day_at_start"),), "attacker's gain per day at the start"),
    Entry("stall_ratio", SECTOR, 0.5, (_sector("stall_relative_force_ratio"),), "relative force ratio at which the advance stops"),
    Entry("max_gain_multiple", SECTOR, 1e6, (_sector("max_gain_multiple"),), "G: the largest multiple of the start's gain rate"),
    Entry("defended_depth", SECTOR, np.inf, (_sector("defended_depth_km2"),), "ground gained at which the advance has halved"),
    Entry("redeploy_days", SECTOR, 0.0, (_sector("redeploy_days"),), "time for freed host units to reach the main sector"),
    Entry("front_share", SIDE_SECTOR, 0.0, (_sector("front_share.{side}"),),
          "share of a side's domestic front in the sector at the start (main: the remainder, see `parameters`)"),
    Entry("casualty_share", SIDE_SECTOR, 0.0, (_sector("casualty_share_at_start.{side}"),),
          "share of a side's casualties per day at the start in the sector (main: the remainder, see `parameters`)"),
    Entry("sector_weight", FORMATION_SECTOR, 0.0, (Source("contingents.{contingent}.sector_shares.{sector}"),),
          "share of a formation's front in each sector (contingents: normalized; domestic: the side's front share)"),
    Constant("stall_log", SECTOR, "ln(1 / stall ratio), the territory law's constant denominator"),
    Constant("gain_norm", SECTOR, "G tanh(1 / G), which makes the saturated law give the start's rate at the start's ratio"),
    Constant("host_exposure", SIDE, "mean exposure of a side's domestic soldier at the start: what a displaced host soldier carries (M5)"),
    # donor blocs of the supporter with dynamics (M9), per bloc (N, B)
    Entry("aid0", BLOC, 0.0, (_bloc("aid_eur_bn_per_year_at_start"),), "aid allocated per year at the start (EUR bn/year)"),
    Entry("aid_allocated0", BLOC, 0.0, (_bloc("aid_allocated_eur_bn_at_start"),), "aid allocated since the war began, by the start (EUR bn)"),
    Entry("bloc_shells0", BLOC, 0.0, (_bloc("shells_per_day_at_start"),), "shells per day the bloc delivers at the start"),
    Entry("air_defence_share", BLOC, 0.0, (_bloc("air_defence_share"),), "share of the recipient's air defence from the bloc"),
    Entry("budget_share", BLOC, 0.0, (_bloc("budget_share"),), "share of the recipient's recruitment and pay the bloc finances"),
    Entry("fatigue_per_year", BLOC, 0.0, (_bloc("fatigue_per_year"),), "drift of the bloc's equilibrium support per year"),
    Entry("bad_news_sensitivity", BLOC, 0.0, (_bloc("bad_news_sensitivity"),), "fall of equilibrium support at full salience"),
    Entry("nuclear_threat_damping", BLOC, 0.0, (_bloc("nuclear_threat_damping"),), "share of the bloc's support lost at each event"),
    Entry("policy_change_per_year", BLOC, 0.0, (_bloc("policy_change_per_year"),), "hazard of a policy change that cuts the bloc's aid"),
    Entry("policy_change_cut", BLOC, 0.0, (_bloc("policy_change_cut_fraction"),), "share of equilibrium support a policy change removes"),
    # contributors' channels (M2, M6, M11), per contributor (N, C)
    Entry("launch_per_day", CONTRIBUTOR, 0.0, (_channel("missiles", "launch_days", rate_per_day),), "daily share of the missile stock launched"),
    Entry("accurate_share", CONTRIBUTOR, 0.0, (_channel("missiles", "accurate_share"),), "share of launched missiles hitting a military target"),
    Entry("shells_per_hit", CONTRIBUTOR, 0.0, (_channel("missiles", "shells_destroyed_per_hit"),), "enemy shells destroyed per hit"),
    Entry("fire_per_system", CONTRIBUTOR, 0.0, (_channel("artillery", "shell_equivalents_per_system_per_day"),), "fire a system adds, shells per day"),
    Entry("worker_leave_per_day", CONTRIBUTOR, 0.0, (_channel("labor", "stay_days", rate_per_day),), "daily share of the workers going home"),
    Entry("worker_productivity", CONTRIBUTOR, 0.0, (_channel("labor", "productivity"),), "a worker's output relative to a domestic worker"),
    Entry("worker_defence_share", CONTRIBUTOR, 0.0, (_channel("labor", "defence_share"),), "share of the workers in the defence industry"),
    Entry("usd_per_shell", CONTRIBUTOR, 0.0, (_channel("payments", "usd_per_shell"),), "paid per shell delivered (M11)"),
    Entry("usd_per_worker_month", CONTRIBUTOR, 0.0, (_channel("payments", "usd_per_worker_month"),), "paid per worker-month (M11)"),
    # what a contributor gets in return (M11) and the measures of what it takes home (M12), per contributor (N, C)
    Entry("air_defence_per_year", CONTRIBUTOR, 0.0, (_channel("technology", "air_defence_per_year"),), "hazard per year of an air-defence transfer (M11)"),
    Entry("space_per_year", CONTRIBUTOR, 0.0, (_channel("technology", "space_per_year"),), "hazard per year of a space-technology transfer (M11)"),
    Entry("submarine_per_year", CONTRIBUTOR, 0.0, (_channel("technology", "submarine_per_year"),), "hazard per year of a submarine-technology transfer (M11)"),
    Entry("drone_production_per_year", CONTRIBUTOR, 0.0, (_channel("technology", "drone_production_per_year"),),
          "hazard per year of a drone-production transfer (M11)"),
    # latent rates that drift (M6): sd and persistence per member (N,), innovations and the walks per block (N, B)
    Entry("drift_casualty_sd", MEMBER, 0.0, (Source("drift.casualty_log_sd"),), "sd of the log-change per block of the intensity of the fighting"),
    Entry("drift_gain_sd", MEMBER, 0.0, (Source("drift.gain_log_sd"),), "sd of the log-change per block of the pace of the advance"),
    Entry("drift_persistence", MEMBER, 0.0, (Source("drift.persistence"),), "share of a drift's log level kept from one block to the next"),
    Entry("drift_casualty_innovation", BLOCK, 0.0, (Source("drift.casualty_innovations.{innovation}"),),
          "standard normal innovation of the intensity's walk entering each block (none in the first)"),
    Entry("drift_gain_innovation", BLOCK, 0.0, (Source("drift.gain_innovations.{innovation}"),),
          "standard normal innovation of the pace's walk entering each block (none in the first)"),
    Constant("casualty_drift", BLOCK, "multiplier of every side's casualties in each block (1 in the first)"),
    Constant("gain_drift", BLOCK, "multiplier of every sector's pace of the advance in each block (1 in the first)"),
    Entry("home_gdp_usd_bn", CONTRIBUTOR, np.nan, (_channel("home", "gdp_usd_bn"),), "the contributor's GDP per year, USD bn (M12)"),
    Entry("home_military_usd_bn", CONTRIBUTOR, np.nan, (_channel("home", "military_spending_usd_bn"),),
          "the contributor's military spending per year, USD bn (M12)"),
    Entry("home_active_personnel", CONTRIBUTOR, np.nan, (_channel("home", "active_personnel_persons"),),
          "the contributor's active military personnel (M12)"),
)

# The scenario's structure as the step reads it: formations and sides (F,), (S,), sectors (Z,),
# tranches (K,) and (N, K), freed-soldier links (P,), the feedback loops cut (LOOPS,), and
# scalars. Filled from the layout by `fill`.
STRUCTURE = ("formation_side", "foreign", "learns", "dt", "attacker", "supported_side", "has_territory", "tranche_step",
             "tranche_formation", "tranche_size", "tranche_share", "freed_contingent", "freed_target",
             "sector_attacker", "training_stages", "tour_stages", "replenish_first", "replenish_last", "loop_cut",
             # cohorts of the contingents (Q,): formation, first and last step of replacements; each tranche's cohort (K,)
             "cohort_formation", "cohort_first", "cohort_last", "tranche_cohort",
             # contributors' channels: their side (C,), payments on (C,) and per formation (F,), dated arrivals (K,) and (N, K)
             "contributor_side", "contributor_paid", "formation_paid", "delivery_side", "delivery_contributor", "delivery_first",
             "delivery_last", "delivery_rate", "missile_step", "missile_contributor", "missile_count", "artillery_step",
             "artillery_contributor", "artillery_count", "worker_step", "worker_contributor", "worker_count",
             # donor blocs (B,)
             "bloc_policy_step",
             # steps per block of the drifts (M6; 0: no drift)
             "drift_block_steps")

Parameters = namedtuple("Parameters", STRUCTURE + tuple(entry.field for entry in TABLE))
Parameters.__doc__ = """The members' parameters and the scenario's structure, as the step reads them.

Member is the first axis of every array: ``(N, F)`` per formation, ``(N, S)`` per side, ``(N,)``
per member. Fields: the scenario's structure (:data:`STRUCTURE`), then one per entry of
:data:`TABLE`. Built by :func:`pawns.model.equations.parameters`."""


def fill(layout: Layout, matrix: np.ndarray) -> Parameters:
    """Lay the parameter matrix of a batch of members out as :class:`Parameters`.

    Every :class:`Constant` is left ``None``; :func:`pawns.model.equations.parameters` computes them.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    columns = {name: j for j, name in enumerate(layout.space.names)}
    values: dict[str, object] = _structure(layout, matrix)
    for entry in TABLE:
        if isinstance(entry, Switch):
            values[entry.field] = _switch(entry, layout)
        elif isinstance(entry, Constant):
            values[entry.field] = None
        else:
            values[entry.field] = _read(entry, layout, matrix, columns)
    return Parameters(**values)


def _read(entry: Entry, layout: Layout, matrix: np.ndarray, columns: dict[str, int]) -> np.ndarray:
    """One field's values: the neutral value, with every source the scenario holds laid over it."""
    out = np.full((matrix.shape[0],) + _width(layout, entry.shape), entry.neutral, dtype=np.float64)
    for source in entry.sources:
        for target, context in _targets(layout, entry.shape, source.template):
            name = source.template.format(**context)
            if name not in columns:
                continue
            value = matrix[:, columns[name]]
            value = source.transform(value) if source.transform is not None else value
            where = (slice(None),) + (() if target is None else target if isinstance(target, tuple) else (target,))
            out[where] = out[where] + value if entry.accumulate else value
    return out


def _switch(entry: Switch, layout: Layout) -> np.ndarray:
    """Whether the scenario holds the switch's table (or a true switch) for each formation or side."""
    out = np.zeros(_width(layout, entry.shape), dtype=np.bool_)
    for target, context in _targets(layout, entry.shape, entry.template):
        out[target] = bool(_lookup(layout.scenario, entry.template.format(**context)))
    return out


def _width(layout: Layout, shape: Shape) -> tuple[int, ...]:
    f, s, z = len(layout.formations), len(layout.sides), len(layout.sectors)
    return {FORMATION: (f,), SIDE: (s,), MEMBER: (), SECTOR: (z,), SIDE_SECTOR: (s, z), FORMATION_SECTOR: (f, z),
            CONTRIBUTOR: (len(layout.contributors),), BLOC: (len(layout.blocs),), BLOCK: (layout.drift_blocks,)}[shape]


def _targets(layout: Layout, shape: Shape, template: str) -> Iterator[tuple[int | tuple[int, int] | None, dict[str, str]]]:
    """``(column, placeholders)`` of every place in the layout that ``template`` can name."""
    for target, context in places(layout, shape):
        try:
            template.format(**context)
        except KeyError:  # the template names a placeholder this place lacks (a contingent has no {formation})
            continue
        yield target, context


def places(layout: Layout, shape: Shape) -> Iterator[tuple[int | tuple[int, int] | None, dict[str, str]]]:
    """Every column of a shape (None: the one of a value per member) with the placeholders that name it."""
    if shape in (SECTOR, SIDE_SECTOR, FORMATION_SECTOR):
        for z, sector in enumerate(layout.sectors):
            if shape == SECTOR:
                yield z, {"sector": sector.name}
            else:
                for column, context in places(layout, SIDE if shape == SIDE_SECTOR else FORMATION):
                    if "side" in context:  # supporters land in a side's column too; they have no sectors
                        yield (column, z), {**context, "sector": sector.name}
    elif shape == FORMATION:
        for f, info in enumerate(layout.formations):
            own = {"contingent": info.name} if info.contingent else {"formation": info.name}
            yield f, {"side": layout.sides[info.side], "weight": TOLERANCE_WEIGHTS[info.category], **own}
    elif shape == SIDE:
        for s, side in enumerate(layout.sides):
            yield s, {"side": side}
        for supporter in layout.supporters:
            key = "dynamic_supporter" if supporter.dynamic else "static_supporter"
            yield supporter.recipient, {key: supporter.name}
    elif shape == CONTRIBUTOR:
        for c, info in enumerate(layout.contributors):
            yield c, {"contributor": info.name, "side": layout.sides[info.side]}
    elif shape == BLOC:
        for b, info in enumerate(layout.blocs):
            yield b, {"bloc": info.name, "dynamic_supporter": layout.dynamic_supporter}
    elif shape == BLOCK:  # block b > 0 is entered with innovation b - 1; the first block has none
        for b in range(1, layout.drift_blocks):
            yield b, {"innovation": str(b - 1)}
    else:  # one place: the member, and the one supporter whose support has dynamics, if any (the schema allows one)
        dynamic = {"dynamic_supporter": s.name for s in layout.supporters if s.dynamic}
        yield None, dynamic


def _lookup(node: object, dotted: str) -> object:
    """What a scenario holds at a dotted path (a table, a value), or None."""
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            return None
    return node


def _structure(layout: Layout, matrix: np.ndarray) -> dict[str, object]:
    """The structure fields: sides of formations, tranches and their sizes, freed-soldier links, sectors, stages, cut loops."""
    n, tranches = matrix.shape[0], layout.tranches
    size = np.zeros((n, len(tranches)))
    share = np.zeros((n, len(tranches)))
    for k, tranche in enumerate(tranches):
        size[:, k] = matrix[:, tranche.size_column]
        if tranche.role == "combat":
            share[:, k] = 1.0
        elif tranche.role == "split":
            share[:, k] = matrix[:, tranche.share_column]
    return dict(
        formation_side=np.ascontiguousarray(layout.formation_side, dtype=np.int64),
        foreign=np.ascontiguousarray(layout.foreign, dtype=np.bool_),
        learns=np.array([f.contingent for f in layout.formations], dtype=np.bool_),
        dt=float(layout.dt), attacker=int(layout.attacker),
        supported_side=-1 if layout.supported_side is None else int(layout.supported_side),
        has_territory=bool(layout.has_territory),
        tranche_step=np.array([t.step for t in tranches], dtype=np.int64),
        tranche_formation=np.array([t.formation for t in tranches], dtype=np.int64),
        tranche_size=np.ascontiguousarray(size), tranche_share=np.ascontiguousarray(share),
        freed_contingent=np.array([c for c, _ in layout.freed_targets], dtype=np.int64),
        freed_target=np.array([t for _, t in layout.freed_targets], dtype=np.int64),
        sector_attacker=np.array([z.attacker for z in layout.sectors], dtype=np.int64),
        training_stages=np.array([f.training_stages for f in layout.formations], dtype=np.int64),
        tour_stages=np.array([f.tour_stages for f in layout.formations], dtype=np.int64),
        replenish_first=np.array([f.replenish_steps[0] if f.replenish_steps else -1 for f in layout.formations], dtype=np.int64),
        replenish_last=np.array([f.replenish_steps[1] if f.replenish_steps else -2 for f in layout.formations], dtype=np.int64),
        loop_cut=np.array([loop in layout.cut_loops for loop in LOOPS], dtype=np.bool_),
        cohort_formation=np.array([q.formation for q in layout.cohorts], dtype=np.int64),
        cohort_first=np.array([q.first for q in layout.cohorts], dtype=np.int64),
        cohort_last=np.array([q.last for q in layout.cohorts], dtype=np.int64),
        tranche_cohort=np.array([next(c for c, q in enumerate(layout.cohorts) if q.tranche == k) for k in range(len(tranches))],
                                dtype=np.int64),
        drift_block_steps=int(layout.drift_block_steps),
        **_channel_structure(layout, matrix),
    )


def _channel_structure(layout: Layout, matrix: np.ndarray) -> dict[str, object]:
    """The contributors' channels and the donor blocs as the step reads them (see :data:`STRUCTURE`)."""
    contributors = layout.contributors
    unpaid = {c.name for c in contributors if not c.paid and "payments" in layout.scenario.channels_of(c.name)}

    def ints(values) -> np.ndarray:
        return np.array(list(values), dtype=np.int64)

    def counts(tranches) -> dict[str, np.ndarray]:
        return {"step": ints(t.step for t in tranches), "contributor": ints(t.contributor for t in tranches),
                "count": np.ascontiguousarray(matrix[:, [t.column for t in tranches]], dtype=np.float64)}

    missiles, artillery, workers = counts(layout.missile_tranches), counts(layout.artillery_tranches), counts(layout.worker_tranches)
    deliveries = layout.shell_deliveries
    return dict(
        contributor_side=ints(c.side for c in contributors),
        contributor_paid=np.array([c.paid for c in contributors], dtype=np.bool_),
        formation_paid=np.array([f.name not in unpaid for f in layout.formations], dtype=np.bool_),
        delivery_side=ints(d.side for d in deliveries), delivery_contributor=ints(d.contributor for d in deliveries),
        delivery_first=ints(d.first for d in deliveries), delivery_last=ints(d.last for d in deliveries),
        delivery_rate=np.ascontiguousarray(matrix[:, [d.rate_column for d in deliveries]], dtype=np.float64),
        missile_step=missiles["step"], missile_contributor=missiles["contributor"], missile_count=missiles["count"],
        artillery_step=artillery["step"], artillery_contributor=artillery["contributor"], artillery_count=artillery["count"],
        worker_step=workers["step"], worker_contributor=workers["contributor"], worker_count=workers["count"],
        bloc_policy_step=ints(b.policy_step for b in layout.blocs),
    )
