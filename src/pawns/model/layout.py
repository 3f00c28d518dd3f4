"""The model's layout: which formations exist, on which side, and the numeric inputs.

:class:`Layout` is the structure of a scenario (formations, sides, tranches), fixed for all
members. :class:`Inputs` holds the parameter values of a batch of members as arrays shaped
``(N, F)`` for formations and ``(N, S)`` for sides, so the equations never loop over members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pawns.model.parameters import ParameterSpace
from pawns.scenario.schema import Scenario

CATEGORY_CODES = {"contract": 0, "mobilized": 1, "conscript": 1, "volunteer": 2, "foreign": 3}


@dataclass(frozen=True)
class FormationInfo:
    """A formation: a domestic formation of a side, or a foreign contingent attached to it."""

    name: str
    side: int
    nationality: str
    category: str
    contingent: bool
    foreign: bool


@dataclass(frozen=True)
class TrancheInfo:
    """A tranche's arrival step and the parameter columns of its size and combat share."""

    step: int
    formation: int
    size_column: int
    role: str
    share_column: int | None


@dataclass(frozen=True)
class Layout:
    """The structure of a scenario, the same for every member."""

    scenario: Scenario
    space: ParameterSpace
    sides: tuple[str, ...]
    formations: tuple[FormationInfo, ...]
    tranches: tuple[TrancheInfo, ...]
    attacker: int
    steps: int
    dt: float
    dynamic_supporter: str | None
    supported_side: int | None
    has_territory: bool
    freed_targets: tuple[tuple[int, int], ...] = field(default=())

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> "Layout":
        """Lay out ``scenario``: number its sides and formations, place its tranches in time."""
        space = ParameterSpace.from_scenario(scenario)
        sides = tuple(scenario.sides)
        formations: list[FormationInfo] = []
        for s, (side_name, side) in enumerate(scenario.sides.items()):
            for name, formation in side.formations.items():
                formations.append(FormationInfo(name, s, side.nationality, formation.category, False, False))
        for name, contingent in scenario.contingents.items():
            s = sides.index(contingent.side)
            foreign = contingent.nationality != scenario.sides[contingent.side].nationality
            category = "foreign" if foreign else "contract"
            formations.append(FormationInfo(name, s, contingent.nationality, category, True, foreign))
        dt = scenario.scenario.step_days
        steps = int(round(scenario.scenario.horizon_days / dt))
        names = [f.name for f in formations]
        tranches = []
        freed = []
        for name, contingent in scenario.contingents.items():
            f = names.index(name)
            if contingent.freed_to is not None:
                freed.append((f, names.index(contingent.freed_to)))
            for i, tranche in enumerate(contingent.tranches):
                offset_days = (tranche.date - scenario.scenario.start_date).days
                step = int(round(offset_days / dt))
                if step >= steps:
                    continue
                prefix = f"contingents.{name}.tranches.{i}"
                share = space.index(f"{prefix}.combat_share") if tranche.combat_share is not None else None
                role = contingent.role or tranche.role
                share = share if role == "split" else None
                tranches.append(TrancheInfo(step, f, space.index(f"{prefix}.size_persons"), role, share))
        dynamic = scenario.dynamic_supporter()
        supported = sides.index(scenario.supporters[dynamic].recipient) if dynamic else None
        return cls(
            scenario=scenario,
            space=space,
            sides=sides,
            formations=tuple(formations),
            tranches=tuple(tranches),
            attacker=sides.index(scenario.combat.attacker),
            steps=steps,
            dt=dt,
            dynamic_supporter=dynamic,
            supported_side=supported,
            has_territory=scenario.territory is not None,
            freed_targets=tuple(freed),
        )

    @property
    def formation_names(self) -> list[str]:
        return [f.name for f in self.formations]

    @property
    def formation_side(self) -> np.ndarray:
        """Side index of each formation, shape ``(F,)``."""
        return np.array([f.side for f in self.formations], dtype=np.int64)

    @property
    def foreign(self) -> np.ndarray:
        """Whether each formation is foreign to its side, shape ``(F,)``."""
        return np.array([f.foreign for f in self.formations], dtype=bool)


class Inputs:
    """Parameter values of a batch of members, as arrays the equations use directly.

    Formation arrays are ``(N, F)``, side arrays ``(N, S)``, scalars-per-member ``(N,)``.
    Mechanisms a scenario leaves out get neutral values (e.g. a learning multiplier of 1) and
    a flag that switches them off.
    """

    def __init__(self, layout: Layout, matrix: np.ndarray) -> None:
        self.layout = layout
        self.n = matrix.shape[0]
        self.dt = layout.dt
        sc = layout.scenario
        col = {name: j for j, name in enumerate(layout.space.names)}
        n, F, S = self.n, len(layout.formations), len(layout.sides)

        def get(name: str) -> np.ndarray:
            return matrix[:, col[name]]

        def side_array(attr: str, section: str | None = None, neutral: float = 0.0) -> np.ndarray:
            out = np.full((n, S), neutral)
            for s, side_name in enumerate(layout.sides):
                owner = getattr(sc.sides[side_name], section) if section else sc.sides[side_name]
                if owner is not None and getattr(owner, attr, None) is not None:
                    prefix = f"sides.{side_name}.{section}." if section else f"sides.{side_name}."
                    out[:, s] = get(prefix + attr)
            return out

        def side_flag(section: str) -> np.ndarray:
            return np.array([getattr(sc.sides[name], section) is not None for name in layout.sides])

        # -- formations ---------------------------------------------------------------------
        self.formation_side = layout.formation_side
        self.foreign = layout.foreign
        self.front0 = np.zeros((n, F))
        self.quality_initial = np.ones((n, F))
        self.quality_trained = np.ones((n, F))
        self.exposure = np.ones((n, F))
        self.exposure_multiplier_initial = np.ones((n, F))
        self.learning_days = np.ones((n, F))
        self.intake0 = np.zeros((n, F))
        self.training_days = np.zeros((n, F))
        self.desertion_per_day = np.zeros((n, F))
        self.rotation_per_day = np.zeros((n, F))
        self.killed0 = np.zeros((n, F))
        self.discharged0 = np.zeros((n, F))
        self.freed_per_laborer = np.zeros((n, F))
        self.payment_usd_per_soldier_month = np.zeros((n, F))
        self.materiel_usd_per_soldier_month = np.zeros((n, F))
        self.bonus_driven = np.zeros(F, dtype=bool)
        self.tolerance_weight = np.zeros((n, F))
        for f, info in enumerate(layout.formations):
            side_name = layout.sides[info.side]
            if not info.contingent:
                p = f"sides.{side_name}.formations.{info.name}."
                self.front0[:, f] = get(p + "front_persons")
                self.quality_initial[:, f] = self.quality_trained[:, f] = get(p + "quality")
                self.exposure[:, f] = get(p + "exposure")
                self.intake0[:, f] = get(p + "intake_per_day")
                self.training_days[:, f] = get(p + "training_days")
                self.desertion_per_day[:, f] = get(p + "desertion_per_day")
                self.rotation_per_day[:, f] = get(p + "rotation_per_day")
                self.killed0[:, f] = get(p + "initial_killed_persons")
                self.discharged0[:, f] = get(p + "initial_discharged_persons")
                self.bonus_driven[f] = sc.sides[side_name].formations[info.name].bonus_driven
            else:
                p = f"contingents.{info.name}."
                self.quality_initial[:, f] = get(p + "quality_initial")
                self.quality_trained[:, f] = get(p + "quality_trained")
                self.exposure[:, f] = get(p + "exposure")
                self.exposure_multiplier_initial[:, f] = get(p + "exposure_multiplier_initial")
                self.learning_days[:, f] = get(p + "learning_days")
                self.training_days[:, f] = get(p + "training_days")
                tour = get(p + "tour_days")
                self.rotation_per_day[:, f] = np.where(tour > 0, 1.0 / np.maximum(tour, 1e-12), 0.0)
                self.freed_per_laborer[:, f] = get(p + "freed_soldiers_per_laborer")
                self.payment_usd_per_soldier_month[:, f] = get(p + "payment_usd_per_soldier_month")
                self.materiel_usd_per_soldier_month[:, f] = get(p + "materiel_usd_per_soldier_month")
            tolerance = sc.sides[side_name].tolerance
            if tolerance is not None:
                key = {"contract": "weight_contract", "mobilized": "weight_mobilized", "conscript": "weight_mobilized",
                       "volunteer": "weight_volunteer", "foreign": "weight_foreign"}[info.category]
                self.tolerance_weight[:, f] = get(f"sides.{side_name}.tolerance.{key}")

        # -- sides: combat and casualties ---------------------------------------------------
        self.population = side_array("population_persons")
        self.casualties_at_start = side_array("casualties_per_day_at_start", neutral=np.nan)
        self.casualty_coefficient = side_array("casualty_coefficient", neutral=np.nan)
        self.killed_share = side_array("killed_share")
        self.wounded_return_fraction = side_array("wounded_return_fraction")
        self.wounded_recovery_days = side_array("wounded_recovery_days")
        self.fires_exponent = get("combat.fires_exponent")
        self.exposure_exponent = get("combat.exposure_exponent")
        self.attacker_posture_multiplier = get("combat.attacker_posture_multiplier")
        self.artillery_share = get("combat.artillery_share_of_casualties")
        self.attacker = layout.attacker

        # -- materiel and external supply ---------------------------------------------------
        self.has_materiel = side_flag("materiel")
        self.shells_stock0 = side_array("shells_stock", "materiel")
        self.shells_production = side_array("shells_production_per_day", "materiel")
        self.shells_desired = side_array("shells_desired_per_day", "materiel", neutral=1.0)
        self.static_supply = np.zeros((n, S))
        self.dynamic_supply_at_start = np.zeros((n, S))
        for name, supporter in sc.supporters.items():
            s = layout.sides.index(supporter.recipient)
            amount = get(f"supporters.{name}.shells_per_day_at_start")
            if supporter.dynamics is None:
                self.static_supply[:, s] += amount
            else:
                self.dynamic_supply_at_start[:, s] += amount

        # -- tolerance (M4, M5) -------------------------------------------------------------
        self.has_tolerance = side_flag("tolerance")
        self.collapse_loss_share = side_array("collapse_loss_share", "tolerance", neutral=1.0)
        self.knee_loss_share = side_array("knee_loss_share", "tolerance", neutral=1.0)
        self.tolerance_threshold = side_array("threshold", "tolerance")
        self.discharged_weight = side_array("discharged_weight", "tolerance")
        self.trend_sensitivity = side_array("trend_sensitivity", "tolerance")
        self.momentum_sensitivity = side_array("momentum_sensitivity", "tolerance")

        # -- force generation (M7) ----------------------------------------------------------
        self.has_recruitment = side_flag("recruitment")
        self.bonus0 = side_array("bonus_rub", "recruitment", neutral=1.0)
        self.bonus_elasticity = side_array("bonus_elasticity", "recruitment")
        self.bonus_ceiling = side_array("bonus_ceiling_rub", "recruitment", neutral=1.0)
        self.ratchet_fraction = side_array("ratchet_fraction", "recruitment")
        self.review_days = side_array("review_days", "recruitment", neutral=np.inf)
        self.pool0 = side_array("pool_of_willing_persons", "recruitment", neutral=1.0)
        self.pool_regeneration = side_array("pool_regeneration_per_day", "recruitment")

        # -- labor (M2) ---------------------------------------------------------------------
        self.has_labor = side_flag("labor")
        self.labor_gap0 = side_array("labor_gap_persons", "labor", neutral=1.0)
        self.recruits_from_workforce = side_array("recruits_from_workforce_fraction", "labor")
        self.foreign_laborer_productivity = side_array("foreign_laborer_productivity", "labor")
        self.production_elasticity = side_array("production_elasticity", "labor")
        self.recruitment_elasticity = side_array("recruitment_elasticity", "labor")

        # -- endurance (M8) -----------------------------------------------------------------
        self.has_endurance = side_flag("endurance")
        self.min_front_fraction = side_array("min_front_fraction", "endurance")
        self.min_fire_fraction = side_array("min_fire_fraction", "endurance")

        # -- external support dynamics (M9) --------------------------------------------------
        self.supported_side = layout.supported_side
        d = sc.supporters[layout.dynamic_supporter].dynamics if layout.dynamic_supporter else None
        prefix = f"supporters.{layout.dynamic_supporter}.dynamics."

        def dyn(attr: str, neutral: float) -> np.ndarray:
            return get(prefix + attr) if d is not None else np.full(n, neutral)

        self.fatigue_per_year = dyn("fatigue_per_year", 0.0)
        self.support_adjustment_days = dyn("adjustment_days", 1.0)
        self.progress_sensitivity = dyn("progress_sensitivity", 0.0)
        self.bad_news_sensitivity = dyn("bad_news_sensitivity", 0.0)
        self.nuclear_threats_per_year = dyn("nuclear_threats_per_year", 0.0)
        self.nuclear_threat_damping = dyn("nuclear_threat_damping", 0.0)
        self.delivery_lag_days = dyn("delivery_lag_days", 1.0)
        self.abandonment_threshold = dyn("abandonment_threshold", -np.inf)
        self.abandonment_hold_days = dyn("abandonment_hold_days", np.inf)
        self.residual_after_abandonment = dyn("residual_after_abandonment", 1.0)

        # -- territory ----------------------------------------------------------------------
        self.has_territory = layout.has_territory
        t = sc.territory
        self.area0 = get("territory.initial_area_km2") if t else np.zeros(n)
        self.gain_at_start = get("territory.gain_km2_per_day_at_start") if t else np.ones(n)
        self.stall_ratio = get("territory.stall_relative_force_ratio") if t else np.full(n, 0.5)

        # -- tranche schedule (M1): size and combat share of each tranche, (N, K) in layout order
        self.tranche_size = np.zeros((n, len(layout.tranches)))
        self.tranche_share = np.zeros((n, len(layout.tranches)))
        for k, tranche in enumerate(layout.tranches):
            self.tranche_size[:, k] = matrix[:, tranche.size_column]
            if tranche.role == "combat":
                self.tranche_share[:, k] = 1.0
            elif tranche.role == "split":
                self.tranche_share[:, k] = matrix[:, tranche.share_column]
        self.freed_targets = layout.freed_targets
