"""The scenario schema: what a scenario file may say, validated by pydantic.

Units are explicit in field names (``_persons``, ``_per_day``, ``_days``, ``_rub``, ``_usd``,
``_km2``, ``_fraction``). Every numeric field is a :class:`ParamSpec` -- a fixed value or a
distribution with its provenance -- so any of them can be made uncertain. Sections that are
left out switch their mechanism off (e.g. no ``tolerance`` table: that side never collapses
from casualties); inside a section every key is required unless its description gives a
neutral default.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pawns.scenario.distributions import ParamSpec

Category = Literal["contract", "mobilized", "conscript", "volunteer"]
MAIN_SECTOR = "main"  # the sector that takes the remainder of each side's front and the units freed elsewhere
Role = Literal["combat", "labor", "split"]


def _zero() -> ParamSpec:
    return ParamSpec(dist="fixed", value=0.0, source="neutral default: mechanism off")


def _one() -> ParamSpec:
    return ParamSpec(dist="fixed", value=1.0, source="neutral default: a scale that matters only where its mechanism is on")


class _Strict(BaseModel):
    # Numbers are finite (no nan, no inf); loading validates in strict mode (no text read as a number).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# A scenario's name names its results folder: a short slug, never a path.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_WORDS = "a name of 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the results folder)"
# Dates a scenario may hold: the calendar the model's dates and the evidence ledger are checked in.
FIRST_DATE, LAST_DATE = dt.date(1800, 1, 1), dt.date(2200, 12, 31)


def _check_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"a date from {FIRST_DATE} to {LAST_DATE}")
    return value


class Meta(_Strict):
    """``[scenario]``: identity, calendar and integration step."""

    name: str = Field(min_length=1, description="short identifier, e.g. ru-ua-2024 (" + NAME_WORDS + ")")
    title: str = Field(default="", max_length=1000)
    description: str = Field(default="", max_length=10_000)
    extends: str | None = Field(default=None, description="built-in name or path of the scenario this one overrides")
    remove: list[str] = Field(default_factory=list, description="dotted keys of the extended scenario to delete (e.g. contingents.DPRK)")
    start_date: dt.date
    vantage_date: dt.date | None = Field(default=None, description="only evidence published by this date may inform the scenario")
    horizon_days: int = Field(gt=0, le=36500)
    step_days: float = Field(default=1.0, ge=0.001, le=1, description="integration step; 1/step_days must be a whole number")
    posterior: str | None = Field(default=None, description="CSV of calibrated parameter draws (columns: parameter names, optional 'weight'), relative to this file; members draw their rows from it")

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not NAME_PATTERN.fullmatch(value):
            raise ValueError(NAME_WORDS)
        return value

    @field_validator("start_date", "vantage_date")
    @classmethod
    def _in_calendar(cls, value: dt.date | None) -> dt.date | None:
        return _check_date(value)

    @field_validator("step_days")
    @classmethod
    def _divides_day(cls, value: float) -> float:
        steps = 1.0 / value
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError("1/step_days must be a whole number (e.g. 1, 0.5, 0.1)")
        return value


class Combat(_Strict):
    """``[combat]``: the generalized Lanchester/Helmbold law (M6) and posture."""

    fires_exponent: ParamSpec = Field(description="p: casualties grow as (enemy fires)^p")
    exposure_exponent: ParamSpec = Field(description="q: casualties grow as (own exposed force)^q")
    attacker: str = Field(description="the side on the offensive")
    attacker_posture_multiplier: ParamSpec = Field(description="casualty multiplier of the attacker while attacking")
    artillery_share_of_casualties: ParamSpec = Field(default_factory=_zero, description="share of fires that scales with shells fired (0: materiel plays no part)")
    surplus_fire_value: ParamSpec = Field(default_factory=_zero, description="the most that fire above the desired rate adds to artillery's value, as a share of the desired rate's (0: nothing; the value saturates smoothly towards it)")


class Formation(_Strict):
    """A domestic formation of a side (e.g. contract soldiers)."""

    category: Category
    front_persons: ParamSpec = Field(description="strength at the front at the start")
    quality: ParamSpec = Field(description="combat effectiveness per soldier, relative to 1")
    exposure: ParamSpec = Field(description="relative exposure to casualties")
    intake_per_day: ParamSpec = Field(default_factory=_zero, description="recruits per day at the start")
    training_days: ParamSpec = Field(default_factory=_zero, description="mean time in the training pipeline (0: straight to the front)")
    desertion_per_day: ParamSpec = Field(default_factory=_zero, description="daily fraction of the front that deserts")
    rotation_per_day: ParamSpec = Field(default_factory=_zero, description="daily fraction of the front rotated home")
    initial_killed_persons: ParamSpec = Field(default_factory=_zero, description="killed before the start")
    initial_discharged_persons: ParamSpec = Field(default_factory=_zero, description="permanently disabled before the start")
    bonus_driven: bool = Field(default=False, description="whether intake responds to the side's bonus and pool of the willing")


class Materiel(_Strict):
    """Artillery ammunition: the materiel that feeds fire support (M6).

    Shells are a stock: production and deliveries flow in, firing and enemy strikes flow out.
    The firing policy fires the desired rate when the stock holds ``stock_target_days`` of it,
    more (up to ``max_fire_multiple`` times it) when the stock is ample, and less when it is
    short, so the stock rebuilds.
    """

    shells_stock: ParamSpec
    shells_production_per_day: ParamSpec
    shells_desired_per_day: ParamSpec
    stock_target_days: ParamSpec = Field(default_factory=lambda: ParamSpec(dist="fixed", value=30.0, source="neutral default: read only when max_fire_multiple > 1"),
                                         description="days of desired fire the side wants in stock; it fires the desired rate when it holds them")
    max_fire_multiple: ParamSpec = Field(default_factory=lambda: ParamSpec(dist="fixed", value=1.0, source="neutral default: fire the desired rate while the stock lasts"),
                                         description="the most the side fires, as a multiple of the desired rate, when its stock is ample (1: never more)")

    @model_validator(mode="after")
    def _multiple_at_least_one(self) -> "Materiel":
        if self.max_fire_multiple.bounds()[0] < 1.0:
            raise ValueError("max_fire_multiple must be at least 1 (1: fire the desired rate while the stock lasts)")
        return self


class Tolerance(_Strict):
    """Casualty tolerance (M4, M5): worn down by the side's own nationals' permanent losses."""

    collapse_loss_share: ParamSpec = Field(description="weighted permanent losses, as a share of population, at which tolerance reaches the collapse threshold")
    knee_loss_share: ParamSpec = Field(description="scale of the logarithm (Mueller's law): losses far below it weigh linearly")
    threshold: ParamSpec = Field(description="tolerance index below which the side's endurance ends")
    weight_contract: ParamSpec
    weight_mobilized: ParamSpec = Field(description="weight of mobilized and conscript losses")
    weight_volunteer: ParamSpec
    weight_foreign: ParamSpec = Field(description="weight of losses of foreign contingents fighting for the side")
    discharged_weight: ParamSpec = Field(description="weight of a permanently disabled soldier relative to a death")
    trend_sensitivity: ParamSpec = Field(description="drop in tolerance per unit rise of the recent loss rate over its start level")
    momentum_sensitivity: ParamSpec = Field(description="gain in tolerance per unit of own territorial gain rate (relative to the start rate)")
    momentum_bound: ParamSpec = Field(description="largest size of perceived momentum: mom = bound * tanh(relative gain / bound)")
    hazard_at_threshold_per_year: ParamSpec = Field(description="hazard of the side's end, per year, when its will to fight is at the threshold (M8)")
    hazard_scale: ParamSpec = Field(description="fall of the will to fight that multiplies the hazard of the end by e")
    strain_sensitivity: ParamSpec = Field(default_factory=_zero, description="fall of the will to fight at full economic strain (bonus and labor gap)")
    support_sensitivity: ParamSpec = Field(default_factory=_zero, description="rise of the will to fight per unit of external support above the start (supported side)")
    feedback_scale: ParamSpec = Field(default_factory=_one, description="width of the morale deficit's rise around the threshold (index units)")
    feedback_desertion: ParamSpec = Field(default_factory=_zero, description="relative rise of desertion at a full morale deficit")
    feedback_effectiveness: ParamSpec = Field(default_factory=_zero, description="loss of combat effectiveness (share of fires) at a full morale deficit")


class Recruitment(_Strict):
    """Force generation (M7): bonus, pool of the willing and a ratcheting bonus policy."""

    bonus_rub: ParamSpec = Field(description="sign-on bonus at the start")
    bonus_elasticity: ParamSpec
    bonus_ceiling_rub: ParamSpec = Field(description="fiscal ceiling of the bonus")
    ratchet_fraction: ParamSpec = Field(description="bonus rise at a review where intake fell short of losses")
    review_days: ParamSpec
    pool_of_willing_persons: ParamSpec
    pool_regeneration_per_day: ParamSpec


class Labor(_Strict):
    """Labor market (M2) of a side: a shortage worsened by recruitment, relieved by foreign labor."""

    labor_gap_persons: ParamSpec
    recruits_from_workforce_fraction: ParamSpec
    foreign_laborer_productivity: ParamSpec = Field(description="output of a foreign laborer relative to a domestic worker")
    production_elasticity: ParamSpec = Field(description="elasticity of defense production to the labor gap")
    recruitment_elasticity: ParamSpec = Field(description="elasticity of intake to the labor gap (wage competition)")
    defence_workforce_persons: ParamSpec | None = Field(default=None, description="workers of the defence industry at the start; a contributor's workers employed there raise its output in proportion (none: they only ease the gap)")


class Endurance(_Strict):
    """When a side's endurance ends for want of manpower or materiel (M8)."""

    min_front_fraction: ParamSpec = Field(description="front strength, as a fraction of the start, below which manpower is exhausted")
    min_fire_fraction: ParamSpec = Field(default_factory=_zero, description="30-day mean of shells fired over desired below which materiel is exhausted")
    hazard_at_limit_per_year: ParamSpec = Field(description="hazard of the side's end, per year, at the manpower or materiel limit")
    manpower_scale: ParamSpec = Field(description="fall of the front's share of its start strength that multiplies the manpower hazard by e")
    materiel_scale: ParamSpec = Field(default_factory=_one, description="fall of the fire ratio that multiplies the materiel hazard by e")


class AirDefence(_Strict):
    """A side's air defence against the enemy's ballistic missiles (M6, M9)."""

    ballistic_intercept_share: ParamSpec = Field(description="share of incoming ballistic missiles intercepted at the start; it follows the air-defence aid the side's supporters deliver")


class Side(_Strict):
    """A belligerent."""

    name: str = ""
    nationality: str = Field(min_length=1, description="nationality of its own troops (e.g. RU)")
    population_persons: ParamSpec
    casualties_per_day_at_start: ParamSpec | None = Field(default=None, description="killed + wounded per day at the start; fixes the law's coefficient")
    casualty_coefficient: ParamSpec | None = Field(default=None, description="the law's coefficient k, given directly (instead of casualties_per_day_at_start)")
    killed_share: ParamSpec
    wounded_return_fraction: ParamSpec
    wounded_recovery_days: ParamSpec
    formations: dict[str, Formation] = Field(min_length=1)
    materiel: Materiel | None = None
    tolerance: Tolerance | None = None
    recruitment: Recruitment | None = None
    labor: Labor | None = None
    endurance: Endurance | None = None
    air_defence: AirDefence | None = None

    @model_validator(mode="after")
    def _one_coefficient(self) -> "Side":
        if (self.casualties_per_day_at_start is None) == (self.casualty_coefficient is None):
            raise ValueError("give exactly one of casualties_per_day_at_start or casualty_coefficient")
        return self


class Tranche(_Strict):
    """A dated arrival of foreign troops (M1)."""

    date: dt.date
    size_persons: ParamSpec
    role: Role = "combat"
    combat_share: ParamSpec | None = Field(default=None, description="for role 'split': share sent to combat")

    @field_validator("date")
    @classmethod
    def _in_calendar(cls, value: dt.date) -> dt.date:
        return _check_date(value)  # type: ignore[return-value]

    @model_validator(mode="after")
    def _split_needs_share(self) -> "Tranche":
        if (self.role == "split") != (self.combat_share is not None):
            raise ValueError("combat_share is given exactly when role = 'split'")
        return self


class Replenishment(_Strict):
    """A contingent's replacements (M1): losses replaced up to a target strength, between two dates."""

    target_persons: ParamSpec = Field(description="strength deployed for combat (in training, at the front, wounded in care) the rule restores")
    lag_days: ParamSpec = Field(description="mean time to send replacements for a shortfall (first-order delay)")
    start_date: dt.date = Field(description="first day replacements are sent")
    end_date: dt.date = Field(description="last day replacements are sent")

    @field_validator("start_date", "end_date")
    @classmethod
    def _in_calendar(cls, value: dt.date) -> dt.date:
        return _check_date(value)  # type: ignore[return-value]

    @model_validator(mode="after")
    def _ordered(self) -> "Replenishment":
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class Contingent(_Strict):
    """A foreign contingent attached to a belligerent (M1, M3, M5, M11)."""

    side: str
    nationality: str
    quality_initial: ParamSpec
    quality_trained: ParamSpec
    exposure: ParamSpec = Field(description="relative exposure once experienced")
    exposure_multiplier_initial: ParamSpec = Field(description="m0: hazard multiplier of green troops (learning curve)")
    learning_days: ParamSpec = Field(description="tau: combat days for the learning gap to shrink by e")
    training_days: ParamSpec = Field(description="mean time in in-theatre training before the front (an Erlang delay of training_stages stages)")
    training_stages: int = Field(default=3, ge=1, le=12, description="stages of the training delay: 3 keeps almost no one at the front in the first week of a 30-day mean")
    tour_days: ParamSpec = Field(description="mean time at the front before survivors rotate home (an Erlang delay of tour_stages stages)")
    tour_stages: int = Field(default=6, ge=1, le=12, description="stages of the tour: 6 keeps rotation home below 2% of a tranche in its first third of a tour")
    sector_shares: dict[str, ParamSpec] = Field(default_factory=dict, description="share of the contingent's front in each sector it is sent to (normalized to sum to 1)")
    substitution_share: ParamSpec = Field(default_factory=_zero, description="sigma: share of the contingent's exposure that displaces the host's in its sectors (0: purely additive, 1: one for one)")
    killed_share: ParamSpec | None = Field(default=None, description="share of its casualties killed (default: its side's)")
    wounded_return_fraction: ParamSpec | None = Field(default=None, description="share of its wounded who return to the front; the rest are evacuated home (default: its side's)")
    replenishment: Replenishment | None = Field(default=None, description="losses replaced up to a target strength (none: only the tranches arrive)")
    role: Literal["combat", "labor"] | None = Field(default=None, description="use every tranche in this role (overrides the tranches' own roles)")
    freed_soldiers_per_laborer: ParamSpec = Field(default_factory=_zero, description="own soldiers freed for the front per foreign laborer")
    freed_to: str | None = Field(default=None, description="formation that receives the freed soldiers")
    payment_usd_per_soldier_month: ParamSpec = Field(default_factory=_zero)
    materiel_usd_per_soldier_month: ParamSpec = Field(default_factory=_zero, description="value of materiel and technology received per soldier-month")
    tranches: list[Tranche] = Field(default_factory=list)


class Dynamics(_Strict):
    """External support as stocks with fatigue, one per donor bloc (M9): what the blocs share.

    Each bloc of ``blocs`` has its own aid, fatigue, policy-change hazard and sensitivities;
    the blocs share the news they read (progress, the enemy's foreign contingents), the
    nuclear threats they face, the delivery lag, and abandonment, which is decided on their
    total support in money.
    """

    adjustment_days: ParamSpec = Field(description="time for support to move to its equilibrium")
    progress_sensitivity: ParamSpec = Field(description="rise of equilibrium support per unit of perceived progress")
    nuclear_threats_per_year: ParamSpec
    delivery_lag_days: ParamSpec
    abandonment_threshold: ParamSpec = Field(description="total support index (money-weighted over the blocs) below which the supporters are on their way out")
    abandonment_hold_days: ParamSpec = Field(description="days below the threshold that count as abandonment")
    residual_after_abandonment: ParamSpec
    salience_days: ParamSpec = Field(default_factory=lambda: ParamSpec(dist="fixed", value=30.0, source="neutral default: read only with foreign contingents fighting for the enemy"),
                                     description="time for the salience of the enemy's foreign contingents in the news to follow their presence and casualties")
    salience_front_persons: ParamSpec = Field(default_factory=lambda: ParamSpec(dist="fixed", value=10_000.0, source="neutral default: read only with foreign contingents fighting for the enemy"),
                                              description="contingent troops at the front that bring the contingent's salience to half its most (publicity of its presence)")
    salience_casualties_per_day: ParamSpec = Field(default_factory=lambda: ParamSpec(dist="fixed", value=100.0, source="neutral default: read only with foreign contingents fighting for the enemy"),
                                                   description="contingent casualties per day that bring the contingent's salience to half its most (publicity of its losses)")
    pay_intake_elasticity: ParamSpec = Field(default_factory=_zero, description="elasticity of the recipient's intake to the budget support it receives for recruitment and pay")


class Bloc(_Strict):
    """A donor bloc of a supporter (e.g. the US, Europe): its aid in money and how it changes (M9)."""

    aid_eur_bn_per_year_at_start: ParamSpec = Field(description="aid allocated per year at the start, all forms (EUR bn/year)")
    aid_allocated_eur_bn_at_start: ParamSpec = Field(default_factory=_zero, description="aid allocated since the war began, by the start (EUR bn; the back-test reads cumulative totals)")
    shells_per_day_at_start: ParamSpec = Field(default_factory=_zero, description="artillery shells the bloc delivers per day at the start (they follow its deliveries)")
    air_defence_share: ParamSpec = Field(default_factory=_zero, description="share of the recipient's air defence the bloc supplies at the start")
    budget_share: ParamSpec = Field(default_factory=_zero, description="share of the recipient's recruitment and pay that the bloc's budget support finances at the start")
    fatigue_per_year: ParamSpec = Field(description="drift of the bloc's equilibrium support per year")
    bad_news_sensitivity: ParamSpec = Field(default_factory=_zero, description="fall of the bloc's equilibrium support at full salience of the enemy's foreign contingents")
    nuclear_threat_damping: ParamSpec = Field(default_factory=_zero, description="fraction of the bloc's support lost at each nuclear-threat event")
    policy_change_per_year: ParamSpec = Field(default_factory=_zero, description="hazard of a change of policy that cuts the bloc's aid, per year, from policy_change_from")
    policy_change_from: dt.date | None = Field(default=None, description="when the policy-change hazard starts (e.g. a new government takes office); none, or a date before the start: from the start")
    policy_change_cut_fraction: ParamSpec = Field(default_factory=_zero, description="share of the bloc's equilibrium support a policy change removes, for the rest of the run")

    @field_validator("policy_change_from")
    @classmethod
    def _in_calendar(cls, value: dt.date | None) -> dt.date | None:
        return _check_date(value)


class Supporter(_Strict):
    """An external supporter of a belligerent: shells at a constant rate, or donor blocs with dynamics (M9)."""

    recipient: str
    shells_per_day_at_start: ParamSpec | None = Field(default=None, description="shells per day of a supporter without dynamics (with dynamics, each bloc states its own)")
    dynamics: Dynamics | None = None
    blocs: dict[str, Bloc] = Field(default_factory=dict, description="donor blocs of a supporter with dynamics (at least one)")

    @model_validator(mode="after")
    def _blocs_with_dynamics(self) -> "Supporter":
        if (self.dynamics is None) != (not self.blocs):
            raise ValueError("a supporter with dynamics has at least one bloc, and blocs need dynamics")
        if (self.dynamics is None) != (self.shells_per_day_at_start is not None):
            raise ValueError("shells_per_day_at_start belongs to a supporter without dynamics (with dynamics, each bloc states its own)")
        return self


# -- contributors and their channels (M1, M2, M6, M9, M11) ---------------------------------------
CHANNELS = ("troops", "shells", "missiles", "artillery", "labor", "payments")
# Feedback loops a scenario (`switches.loops_off`) or a paired variant can cut, for
# counterfactuals and loop dominance: structural switches, never parameters. Their order is
# their place in the step's `loop_cut` flags (pawns.model.equations.LOOP_*).
LOOP_MEANINGS = {
    "posture": "the attacker's posture stays at its start (full assault), whatever the force ratio and the stake left",
    "recruitment": "no bonus ratchet: the bonus stays at its start",
    "tolerance": "the will to fight without its trend, momentum, strain and support terms, and no feedback on desertion and effectiveness: losses alone erode it",
    "allocation": "host units stay where they are: graduates go to sectors by their start shares, none are redeployed",
    "support": "aid stays at its start level",
    "materiel": "fire stays at the desired rate",
}
LOOPS = tuple(LOOP_MEANINGS)
Loop = Literal[LOOPS]  # type: ignore[valid-type]  # the names above, written once


class ShellDelivery(_Strict):
    """Shells delivered at a daily rate from ``start_date`` to ``end_date`` (or the horizon)."""

    start_date: dt.date
    end_date: dt.date | None = Field(default=None, description="last day of the deliveries (none: to the horizon)")
    shells_per_day: ParamSpec

    @field_validator("start_date", "end_date")
    @classmethod
    def _in_calendar(cls, value: dt.date | None) -> dt.date | None:
        return _check_date(value)

    @model_validator(mode="after")
    def _ordered(self) -> "ShellDelivery":
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class _DatedArrival(_Strict):
    """Something a contributor sends on one date (its count is the subclass's field)."""

    date: dt.date

    @field_validator("date")
    @classmethod
    def _in_calendar(cls, value: dt.date) -> dt.date:
        return _check_date(value)  # type: ignore[return-value]


class MissileTranche(_DatedArrival):
    """Missiles delivered on one date."""

    missiles: ParamSpec


class SystemTranche(_DatedArrival):
    """Artillery systems (guns, rocket launchers) delivered on one date."""

    systems: ParamSpec


class WorkerTranche(_DatedArrival):
    """Workers arriving on one date."""

    size_persons: ParamSpec


class ShellsChannel(_Strict):
    """Shells delivered into the host's stock (M6)."""

    deliveries: list[ShellDelivery] = Field(min_length=1)


class MissilesChannel(_Strict):
    """Ballistic missiles delivered to the host and launched at its enemy (M6)."""

    deliveries: list[MissileTranche] = Field(min_length=1)
    launch_days: ParamSpec = Field(description="mean time a delivered missile waits before it is launched")
    accurate_share: ParamSpec = Field(description="share of launched missiles that hit a military target")
    shells_destroyed_per_hit: ParamSpec = Field(description="enemy shells (or materiel worth as many) destroyed per accurate hit that is not intercepted")


class ArtilleryChannel(_Strict):
    """Artillery systems that add fire capacity to the host, with their own ammunition (M6)."""

    deliveries: list[SystemTranche] = Field(min_length=1)
    shell_equivalents_per_system_per_day: ParamSpec = Field(description="fire a system adds per day, in the host's standard shells")


class LaborChannel(_Strict):
    """Workers (not troops used as labor) who ease the host's labor gap and raise its defence output (M2)."""

    tranches: list[WorkerTranche] = Field(min_length=1)
    stay_days: ParamSpec = Field(description="mean time a worker stays before going home (0: stays to the horizon)")
    productivity: ParamSpec = Field(description="a worker's output relative to a domestic worker")
    defence_share: ParamSpec = Field(description="share of the workers employed in the defence industry")


class PaymentsChannel(_Strict):
    """Money the host pays the contributor (M11); the per-soldier rate is the troops' (contingents.NAME.payment_usd_per_soldier_month)."""

    usd_per_shell: ParamSpec = Field(default_factory=_zero, description="paid per shell delivered")
    usd_per_worker_month: ParamSpec = Field(default_factory=_zero, description="paid per worker-month")


# Technology the host may give a contributor in return (M11), and the effect each is declared to have (M12).
TECHNOLOGIES: dict[str, str] = {
    "air_defence": "modern surface-to-air systems or their technology: raises the cost of air strikes on the contributor",
    "space": "satellite launch and reconnaissance know-how: eyes and targeting beyond the peninsula",
    "submarine": "submarine or submarine-launched missile technology: a sea-based path for its missiles",
    "drone_production": "drone design and serial production: cheap reconnaissance and precision strikes in numbers",
}


class TechnologyTransfers(_Strict):
    """Technology the host may give the contributor in return (M11): each an uncertain event with a hazard per year.

    A hazard of 0 (the default) means the transfer never happens in a run.
    """

    air_defence_per_year: ParamSpec = Field(default_factory=_zero, description="hazard per year of a transfer of " + TECHNOLOGIES["air_defence"])
    space_per_year: ParamSpec = Field(default_factory=_zero, description="hazard per year of a transfer of " + TECHNOLOGIES["space"])
    submarine_per_year: ParamSpec = Field(default_factory=_zero, description="hazard per year of a transfer of " + TECHNOLOGIES["submarine"])
    drone_production_per_year: ParamSpec = Field(default_factory=_zero,
                                                 description="hazard per year of a transfer of " + TECHNOLOGIES["drone_production"])


class HomeReference(_Strict):
    """The contributor's own economy and forces, against which what it takes home is measured (M12)."""

    gdp_usd_bn: ParamSpec = Field(description="the contributor's gross domestic product per year, USD bn")
    military_spending_usd_bn: ParamSpec = Field(description="the contributor's military spending per year, USD bn")
    active_personnel_persons: ParamSpec = Field(description="the contributor's active military personnel")


class Contributor(_Strict):
    """A country helping a belligerent, channel by channel (M1, M2, M6, M11).

    Its ``troops`` channel is the contingent of the same name (``contingents.NAME``); every
    other channel is a table here. Each channel can be switched off on its own
    (``switches.channels_off``).
    """

    side: str = Field(description="the side it helps")
    nationality: str = Field(min_length=1)
    shells: ShellsChannel | None = None
    missiles: MissilesChannel | None = None
    artillery: ArtilleryChannel | None = None
    labor: LaborChannel | None = None
    payments: PaymentsChannel | None = None
    technology: TechnologyTransfers | None = Field(default=None, description="technology the host may give in return (M11); not a channel")
    home: HomeReference | None = Field(default=None, description="its economy and forces, the measure of what it takes home (M12)")


class Switches(_Strict):
    """``[switches]``: channels and feedback loops cut out of a run, structurally (counterfactuals, loop dominance)."""

    channels_off: list[str] = Field(default_factory=list, description="channels switched off, as CONTRIBUTOR.CHANNEL (e.g. DPRK.shells), channels being " + ", ".join(CHANNELS))
    loops_off: list[Loop] = Field(default_factory=list, description="feedback loops cut: " + "; ".join(f"'{name}' ({meaning})" for name, meaning in LOOP_MEANINGS.items()))


class Sector(_Strict):
    """``[sectors.<name>]``: a front sector with its own forces, posture and territory (M6).

    The sector named ``main`` takes what the others do not: the rest of each side's front and
    casualties at the start, and the host units freed elsewhere.
    """

    attacker: str | None = Field(default=None, description="the side on the offensive in this sector (default: combat.attacker)")
    area_at_stake_km2: ParamSpec = Field(description="the most the attacker can still gain in this sector")
    initial_area_km2: ParamSpec = Field(default_factory=_zero, description="area the attacker holds in the sector at the start (reported, not used by the law)")
    retake_limit_km2: ParamSpec = Field(default_factory=_zero, description="the most the defender can take back behind the start line (0: it does not advance beyond it)")
    gain_km2_per_day_at_start: ParamSpec = Field(description="the attacker's gain per day at the start")
    stall_relative_force_ratio: ParamSpec = Field(description="force ratio in the sector, relative to the start, at which the advance stops")
    max_gain_multiple: ParamSpec = Field(description="G: the gain rate saturates at about G times the start's, however large the force ratio")
    defended_depth_km2: ParamSpec | None = Field(default=None, description="ground gained at which the advance has slowed by half (successive defence lines); none: no slowing")
    redeploy_days: ParamSpec = Field(default_factory=_zero, description="mean time for host units freed in this sector to reach the main sector (first-order delay)")
    front_share: dict[str, ParamSpec] = Field(default_factory=dict, description="per side: share of its domestic front in this sector at the start (main: the remainder)")
    casualty_share_at_start: dict[str, ParamSpec] = Field(default_factory=dict, description="per side: share of its casualties per day at the start suffered in this sector (main: the remainder)")


def _prior(**fields: object) -> Callable[[], ParamSpec]:
    return lambda: ParamSpec(**fields)


class Observations(_Strict):
    """``[observations]``: how the observed streams relate to the model (docs/calibration.md).

    Every scenario has these observation models; the defaults carry their sources and a
    scenario may override any of them.
    """

    ua_gs_reporting_factor: ParamSpec = Field(default_factory=_prior(
        dist="uniform", low=0.7, high=1.5,
        assumption="Ukraine's General Staff claimed 358,270 by 30 Dec 2023 (Q3-003) vs 315,000 killed or wounded (US officials, Q3-002): 1.14; widened for a belligerent's claim that also counts the captured"),
        description="Ukraine's General Staff claim of Russian personnel losses per model casualty (killed + wounded)")
    ua_gs_log_sd: ParamSpec = Field(default_factory=_prior(
        dist="uniform", low=0.05, high=0.3,
        assumption="scatter of the claimed 30-day totals around the model's smooth rate (log scale)"),
        description="noise of the claimed 30-day totals, on the log scale")
    area_sd_km2: ParamSpec = Field(default_factory=_prior(
        dist="uniform", low=100, high=400,
        assumption="month-to-month swings of the Liveuamap area (30-day changes of -200 to +700 km2 in 2023-24) beyond the model's smooth advance"),
        description="noise of 30-day changes of the Russian-controlled area")
    named_dead_completeness: ParamSpec = Field(default_factory=_prior(
        dist="uniform", low=0.35, high=0.65,
        assumption="about half of deaths get a published name: ~58,000 named dead by July 2024 (ukrwarlosses) vs ~120,000 killed (Q3-070)"),
        description="share of deaths eventually identified by name")
    named_dead_lag_days: ParamSpec = Field(default_factory=_prior(
        value=180, assumption="names of the dead are confirmed months after the death; recent months fill in (data README)"),
        description="delay from a death to its name being published")
    claims_log_sd: ParamSpec = Field(default_factory=_prior(
        value=0.5, assumption="a dated claim (DPRK casualties and deployments) is within a factor ~1.65 of the truth (one sd)"),
        description="error of a dated claim, on the log scale")


class Calibration(_Strict):
    """``[calibration]``: what a calibration of this scenario hands on to later scenarios."""

    transfer: list[str] = Field(default_factory=list, description="parameters whose posterior later scenarios may reuse (structural ones, not the state at the start)")
    start_state: list[str] = Field(default_factory=list, description="start parameters of the scenario that follows the window, "
                                   "set from each particle's state at the window's end (pawns.calibration.state)")
    run_up: str | None = Field(default=None, description="the scenario that runs up to this one's start: calibrating this one up to a day "
                               "before its start calibrates the run-up and carries its state (its start_state) to this one")

    @model_validator(mode="after")
    def _apart(self) -> "Calibration":
        both = sorted(set(self.transfer) & set(self.start_state))
        if both:
            raise ValueError(f"each parameter in transfer or in start_state, not both: {both}")
        return self


# The innovations of the drift's random walks (M6): one standard normal per block after the first,
# truncated at three sd so that no single month jumps without bound. Generated from the horizon
# and the block length, never written in a file (a horizon changed with --set or a calibration
# window gets its own count).
DRIFT_INNOVATION = {"dist": "truncnormal", "mean": 0.0, "sd": 1.0, "low": -3.0, "high": 3.0,
                    "assumption": "a standard normal step of a drift's random walk for one block: no source gives a month's change in advance"}


def drift_blocks(horizon_days: int, block_days: int) -> int:
    """Blocks of ``block_days`` covering a horizon (the last may be partial)."""
    return max(math.ceil(horizon_days / block_days), 1)


def drift_innovations(horizon_days: int, block_days: int) -> list[ParamSpec]:
    """The innovations of one drift over a horizon: one per block after the first (:data:`DRIFT_INNOVATION`)."""
    return [ParamSpec.model_validate(DRIFT_INNOVATION)] * (drift_blocks(horizon_days, block_days) - 1)


class Drift(_Strict):
    """``[drift]``: the intensity of the fighting and the pace of the advance drift as random walks (M6).

    Each is a mean-reverting walk on the log scale over blocks of ``block_days``, anchored at 1
    at the start; calibration fits a window's innovations to the data, and a forecast carries on
    from the last with fresh ones, so its spread widens with the horizon as the data's pace does.
    """

    block_days: int = Field(default=30, ge=7, le=365, description="length of a block over which each drift holds its level")
    casualty_log_sd: ParamSpec = Field(description="sd of the log-change per block of the intensity of the fighting (casualties of both sides)")
    gain_log_sd: ParamSpec = Field(description="sd of the log-change per block of the pace of the advance (every sector)")
    persistence: ParamSpec = Field(description="share of a drift's log level kept from one block to the next (1: a pure random walk)")
    casualty_innovations: list[ParamSpec] = Field(default_factory=list, exclude=True,
                                                  description="generated: one innovation per block after the first")
    gain_innovations: list[ParamSpec] = Field(default_factory=list, exclude=True,
                                              description="generated: one innovation per block after the first")


# The generated lists of innovations, by key of [drift]; each list is one random path of a drift.
DRIFT_INNOVATION_KEYS = tuple(key for key in Drift.model_fields if key.endswith("_innovations"))


def parameter_group(name: str) -> str:
    """The group a parameter is shown and analysed in: a drift's innovations are one (``drift.casualty_innovations``), the rest their own.

    The innovations are one random path, block by block (M6): what an analyst asks is how much
    the path matters and how it was drawn, not which of its steps does.
    """
    for key in DRIFT_INNOVATION_KEYS:
        if name.startswith(f"drift.{key}."):
            return f"drift.{key}"
    return name


def _with_drift_innovations(data: object) -> object:
    """Raw scenario data with the drift's innovations generated for its horizon (see :data:`DRIFT_INNOVATION`)."""
    if not isinstance(data, dict) or not isinstance(data.get("drift"), dict):
        return data
    drift = dict(data["drift"])
    for key in DRIFT_INNOVATION_KEYS:
        if key in drift:
            raise ValueError(f"no key drift.{key} (it is generated from the horizon and block_days)")
    meta = data.get("scenario")
    horizon, block = (meta.get("horizon_days") if isinstance(meta, dict) else None), drift.get("block_days", 30)
    if isinstance(horizon, int) and isinstance(block, int) and block >= 1 and not isinstance(horizon, bool):
        drift.update({key: drift_innovations(horizon, block) for key in DRIFT_INNOVATION_KEYS})
    return {**data, "drift": drift}


class Scenario(_Strict):
    """A whole scenario: the top level of a scenario file.

    Its ``[scenario]`` table is the field ``meta`` in code (read and written under the TOML
    and JSON name ``scenario``), so that ``scenario.meta.horizon_days`` says what it is.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    meta: Meta = Field(alias="scenario")
    combat: Combat
    sides: dict[str, Side] = Field(min_length=2, max_length=2)
    contingents: dict[str, Contingent] = Field(default_factory=dict)
    supporters: dict[str, Supporter] = Field(default_factory=dict)
    sectors: dict[str, Sector] = Field(default_factory=dict, description="front sectors; none: one sector, main, without territory")
    contributors: dict[str, Contributor] = Field(default_factory=dict, description="countries helping a side, channel by channel; the troops channel of one is the contingent of its name")
    switches: Switches = Field(default_factory=lambda: Switches(), description="channels and feedback loops switched off")
    observations: Observations = Field(default_factory=lambda: Observations(), description="observation models of the observed streams")
    calibration: Calibration | None = None
    drift: Drift | None = Field(default=None, description="latent rates that drift (M6); none: the intensity and pace follow the equations alone")

    @model_validator(mode="before")
    @classmethod
    def _drift_innovations(cls, data: object) -> object:
        return _with_drift_innovations(data)

    def with_horizon(self, days: int, **meta: object) -> "Scenario":
        """The same scenario over ``days`` (other ``[scenario]`` keys updated from ``meta``), its drift's innovations regenerated."""
        update: dict[str, object] = {"meta": self.meta.model_copy(update={"horizon_days": days, **meta})}
        if self.drift is not None:
            innovations = drift_innovations(days, self.drift.block_days)
            update["drift"] = self.drift.model_copy(update={"casualty_innovations": innovations, "gain_innovations": innovations})
        return self.model_copy(update=update)

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        sides = set(self.sides)
        if self.combat.attacker not in sides:
            raise ValueError(f"combat.attacker must be one of {sorted(sides)}")
        formations = [name for side in self.sides.values() for name in side.formations]
        clash = {name for name in formations if formations.count(name) > 1} | (set(formations) & set(self.contingents))
        if clash:
            raise ValueError(f"formation and contingent names must be unique across sides: {sorted(clash)}")
        for name, contingent in self.contingents.items():
            if contingent.side not in sides:
                raise ValueError(f"contingents.{name}.side must be one of {sorted(sides)}")
            if contingent.freed_to is not None and contingent.freed_to not in self.sides[contingent.side].formations:
                raise ValueError(f"contingents.{name}.freed_to must name a formation of {contingent.side}")
            for tranche in contingent.tranches:
                if tranche.date < self.meta.start_date:
                    raise ValueError(f"contingents.{name}: tranche dated {tranche.date} is before the start date")
        self._check_sectors(sides)
        for name, supporter in self.supporters.items():
            if supporter.recipient not in sides:
                raise ValueError(f"supporters.{name}.recipient must be one of {sorted(sides)}")
        dynamic = [name for name, s in self.supporters.items() if s.dynamics is not None]
        if len(dynamic) > 1:
            raise ValueError(f"at most one supporter may have dynamics (abandonment is tracked for one); got {dynamic}")
        self._check_contributors()
        self._check_events()
        for name, side in self.sides.items():
            if side.endurance is not None and side.materiel is None and _positive(side.endurance.min_fire_fraction):
                raise ValueError(f"sides.{name}.endurance.min_fire_fraction needs a sides.{name}.materiel table")
        return self

    def _check_sectors(self, sides: set[str]) -> None:
        """Sectors name known sides, main takes the remainder, and every contingent is in a known sector."""
        known = list(self.sectors) or [MAIN_SECTOR]
        if self.sectors and MAIN_SECTOR not in self.sectors:
            raise ValueError(f"sectors must include '{MAIN_SECTOR}' (it takes the rest of each side's front and the freed units); got {known}")
        for name, sector in self.sectors.items():
            if sector.attacker is not None and sector.attacker not in sides:
                raise ValueError(f"sectors.{name}.attacker must be one of {sorted(sides)}")
            for table in ("front_share", "casualty_share_at_start"):
                shares = getattr(sector, table)
                if name == MAIN_SECTOR and shares:
                    raise ValueError(f"sectors.{name}.{table}: the main sector takes the remainder; give shares for the other sectors only")
                for side in shares:
                    if side not in sides:
                        raise ValueError(f"sectors.{name}.{table}.{side}: unknown side; expected one of {sorted(sides)}")
            if any(_positive(share) for share in sector.casualty_share_at_start.values()):
                for side in sorted(sides):  # casualties need someone on each side to inflict and suffer them
                    present = sector.front_share.get(side)
                    if present is None or present.bounds()[0] <= 0:
                        raise ValueError(f"sectors.{name}.front_share.{side}: a sector with casualties at the start needs "
                                         "both sides there at the start (a share above 0)")
        for side in sides:
            for table in ("front_share", "casualty_share_at_start"):
                most = sum(getattr(s, table)[side].bounds()[1] for s in self.sectors.values() if side in getattr(s, table))
                if most > 1.0:
                    raise ValueError(f"sectors.*.{table}.{side}: the shares of the sectors other than main may add up to at most 1, got up to {most:g}")
        for name, contingent in self.contingents.items():
            for sector in contingent.sector_shares:
                if sector not in known:
                    raise ValueError(f"contingents.{name}.sector_shares.{sector}: unknown sector; expected one of {known}")
            if self.sectors and not contingent.sector_shares:
                raise ValueError(f"contingents.{name}.sector_shares: a contingent must be sent to at least one sector of {known}")
            if contingent.replenishment is not None and contingent.replenishment.start_date < self.meta.start_date:
                raise ValueError(f"contingents.{name}.replenishment.start_date must not be before the start date")

    @property
    def sector_names(self) -> list[str]:
        """Sector names, main first, then the others in file order (one sector, main, when the scenario has none)."""
        return [MAIN_SECTOR] + [name for name in self.sectors if name != MAIN_SECTOR]

    def sector_attacker(self, name: str) -> str:
        """The side on the offensive in sector ``name``."""
        sector = self.sectors.get(name)
        return self.combat.attacker if sector is None or sector.attacker is None else sector.attacker

    def _check_contributors(self) -> None:
        """Contributors help a side; their contingent agrees with them; no date is before the start; switches name channels.

        Dates after the horizon are allowed, as for a contingent's tranches: what arrives then
        never arrives in the run (a scenario run over a shorter horizon stays valid).
        """
        sides, start = set(self.sides), self.meta.start_date
        for name, contributor in self.contributors.items():
            where = f"contributors.{name}"
            if contributor.side not in sides:
                raise ValueError(f"{where}.side must be one of {sorted(sides)}")
            troops = self.contingents.get(name)
            if troops is not None and (troops.side, troops.nationality) != (contributor.side, contributor.nationality):
                raise ValueError(f"contingents.{name} (the troops channel of {where}) must have the contributor's side and nationality "
                                 f"({contributor.side}, {contributor.nationality})")
            for key, day in contributor_dates(contributor):
                if day < start:
                    raise ValueError(f"{where}.{key} must be a date of the scenario, on or after its start date {start}; got {day}")
        known = {f"{name}.{channel}" for name in self.contributors for channel in self.channels_of(name)}
        for entry in self.switches.channels_off:
            if entry not in known:
                raise ValueError(f"switches.channels_off: {entry!r} is not a channel of this scenario; "
                                 f"expected one of {sorted(known) or 'none (no contributors)'}")

    def _check_events(self) -> None:
        """A supporter's daily events (nuclear threats, policy changes) are told apart by one uniform: their chances must add below one."""
        for name, supporter in self.supporters.items():
            if supporter.dynamics is None:
                continue
            rates = [largest_draw(supporter.dynamics.nuclear_threats_per_year)]
            rates += [largest_draw(bloc.policy_change_per_year) for bloc in supporter.blocs.values()]
            if sum(rates) * self.meta.step_days / 365.0 >= 1.0:
                raise ValueError(f"supporters.{name}: nuclear threats and policy changes together must have a chance below one per step")

    def channels_of(self, contributor: str) -> list[str]:
        """The channels a contributor has in this scenario, in :data:`CHANNELS` order (troops: a contingent of its name)."""
        found = self.contributors[contributor]
        return [c for c in CHANNELS if (c == "troops" and contributor in self.contingents) or (c != "troops" and getattr(found, c) is not None)]

    @property
    def side_names(self) -> list[str]:
        """Side names in file order."""
        return list(self.sides)

    def dynamic_supporter(self) -> str | None:
        """Name of the supporter whose support can be abandoned, if any."""
        return next((name for name, s in self.supporters.items() if s.dynamics is not None), None)


def contributor_dates(contributor: Contributor) -> list[tuple[str, dt.date]]:
    """``(dotted key, date)`` of every dated delivery or tranche of a contributor's channels."""
    dates: list[tuple[str, dt.date]] = []
    if contributor.shells is not None:
        for k, d in enumerate(contributor.shells.deliveries):
            dates.append((f"shells.deliveries.{k}.start_date", d.start_date))
            if d.end_date is not None:
                dates.append((f"shells.deliveries.{k}.end_date", d.end_date))
    for channel, listing in (("missiles", "deliveries"), ("artillery", "deliveries"), ("labor", "tranches")):
        table = getattr(contributor, channel)
        if table is not None:
            dates += [(f"{channel}.{listing}.{k}.date", t.date) for k, t in enumerate(getattr(table, listing))]
    return dates


def _positive(spec: ParamSpec) -> bool:
    return spec.bounds()[1] > 0


# Admissible ranges, by parameter name: every parameter is non-negative and finite, and no
# larger than is plausible for its unit (first match of the name's last part); these catch a
# slip of the exponent (1e30 persons) without judging what is likely.
UNIT_INTERVAL = ("_share", "_fraction", "threshold", "damping", "stall_relative_force_ratio", "desertion_per_day", "rotation_per_day",
                 "persistence")
STRICTLY_POSITIVE = (
    "population_persons", "wounded_recovery_days", "learning_days", "adjustment_days", "delivery_lag_days", "review_days",
    "quality", "quality_initial", "quality_trained", "bonus_rub", "bonus_ceiling_rub", "pool_of_willing_persons",
    "labor_gap_persons", "shells_desired_per_day", "knee_loss_share", "collapse_loss_share", "exposure_multiplier_initial",
    "stall_relative_force_ratio", "area_at_stake_km2", "defended_depth_km2", "max_gain_multiple", "launch_days", "stock_target_days",
    "salience_days", "salience_front_persons", "salience_casualties_per_day", "defence_workforce_persons", "gdp_usd_bn",
    "military_spending_usd_bn", "active_personnel_persons",
)
# Tables of shares keyed by a side or sector name: every entry is a share in [0, 1].
SHARE_TABLES = ("front_share", "casualty_share_at_start", "sector_shares")
# Lists of standard normal innovations (the drift's, M6): the only signed parameters.
INNOVATION_LISTS = ("casualty_innovations", "gain_innovations")
INNOVATION_BOUND = 10.0
UNIT_CEILINGS: tuple[tuple[Callable[[str], bool], float, str], ...] = (
    (lambda leaf: leaf.endswith(UNIT_INTERVAL), 1.0, ""),
    (lambda leaf: leaf in {"fires_exponent", "exposure_exponent"}, 3.0, ""),
    (lambda leaf: leaf.endswith("_persons"), 1e10, "persons"),  # more than the world's population
    (lambda leaf: leaf.endswith("_days"), 36_500.0, "days"),  # a hundred years, the longest horizon
    (lambda leaf: "_km2" in leaf, 1.5e8, "km2"),  # the land area of the Earth
    (lambda leaf: "_rub" in leaf, 1e12, "RUB"),
    (lambda leaf: "_usd" in leaf, 1e9, "USD"),
    (lambda leaf: "_per_year" in leaf, 365.0, "per year"),
    (lambda leaf: "_per_day" in leaf, 1e9, "per day"),
    (lambda leaf: leaf == "shells_stock", 1e12, "shells"),
)
# Anything else is a ratio, weight, elasticity or coefficient.
DIMENSIONLESS_CEILING = 1e6
# The largest uniform the engine's generator draws: where an unbounded distribution's draws end.
LARGEST_UNIFORM = 1.0 - 2.0**-53


def admissible_range(name: str) -> tuple[float, float, bool]:
    """``(low, high, low_exclusive)`` allowed for a parameter called ``name`` (its last dotted part)."""
    parts = name.rsplit(".", 2)
    leaf = parts[-1]
    if len(parts) > 1 and parts[-2] in SHARE_TABLES:
        return 0.0, 1.0, False
    if len(parts) > 1 and parts[-2] in INNOVATION_LISTS:
        return -INNOVATION_BOUND, INNOVATION_BOUND, False
    high = next((ceiling for matches, ceiling, _ in UNIT_CEILINGS if matches(leaf)), DIMENSIONLESS_CEILING)
    return 0.0, high, leaf in STRICTLY_POSITIVE


def largest_draw(spec: ParamSpec) -> float:
    """The largest value a member can draw from ``spec`` (finite even for an untruncated lognormal)."""
    high = spec.bounds()[1]
    return high if math.isfinite(high) else float(spec.ppf([LARGEST_UNIFORM])[0])


def range_problems(node: object, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every parameter outside its admissible range, as ``(dotted key, expected, got)``."""
    problems: list[tuple[str, str, str]] = []
    if isinstance(node, ParamSpec):
        low, high, exclusive = admissible_range(prefix)
        lo, hi = node.bounds()[0], largest_draw(node)
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo < low or hi > high or (exclusive and lo <= low):
            bracket = "(" if exclusive else "["
            unit = next((words for matches, _, words in UNIT_CEILINGS if matches(prefix.rsplit(".", 1)[-1])), "")
            problems.append((prefix, f"values in {bracket}{low:g}, {high:g}]" + (f" {unit}" if unit else ""), node.describe()))
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            problems += range_problems(getattr(node, field), f"{prefix}.{field}" if prefix else field)
    elif isinstance(node, dict):
        for key, value in node.items():
            problems += range_problems(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            problems += range_problems(value, f"{prefix}.{index}")
    return problems
