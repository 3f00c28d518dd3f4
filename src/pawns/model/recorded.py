"""What a run records: every variable and per-member outcome, written once.

:data:`RECORDED` lists the variables of a run's results (``results.nc``): their name, when
they are recorded (at the recorded points of the trajectories, every day, or at the end), what
they are per (formation, side or member), units, description, and how each is read, from a
field of the state (:class:`~pawns.model.state.State`) or from a side's losses since the start
(:func:`side_losses`). The compiled engine and the numpy engine record from this list; the
results' attributes, the report's checks and the daily sketches read it.

:data:`OUTCOMES` lists the per-member outcome columns (``outcomes.csv``) the same way, each
with the function that reads it from the state at the start and at the end of a run.

Adding a recorded variable is one entry in :data:`RECORDED`; an outcome, one in :data:`OUTCOMES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np

from pawns.model.equations import CAUSES, combat_experience_home, hard_currency_share, technology_received
from pawns.model.parameter_table import Parameters
from pawns.model.state import State
from pawns.scenario.schema import TECHNOLOGIES

When = Literal["points", "daily", "end", "draws"]
POINTS: When = "points"  # at the recorded points of the trajectories (dim `time`)
DAILY: When = "daily"  # at the end of every day (dim `date`)
END: When = "end"  # once, at the end of the run
DRAWS: When = "draws"  # the members' parameter values (dim `parameter`)
Per = Literal["formation", "side", "member", "sector", "formation_sector"]
FORMATION: Per = "formation"
SIDE: Per = "side"
MEMBER: Per = "member"
SECTOR: Per = "sector"
FORMATION_SECTOR: Per = "formation_sector"
# The dimensions of what a variable is recorded per (besides member and time).
PER_DIMS: dict[str, tuple[str, ...]] = {FORMATION: ("formation",), SIDE: ("side",), MEMBER: (), SECTOR: ("sector",),
                                        FORMATION_SECTOR: ("formation", "sector")}
TIME_DIMS = {POINTS: ("time",), DAILY: ("date",), END: (), DRAWS: ("parameter",)}

# What side_losses returns, in order.
LOSSES = ("killed", "wounded", "casualties", "foreign_killed", "foreign_casualties")


def side_losses(i, st: State, killed_start, formation_side, foreign, s):
    """Losses of side ``s`` since the start, for members ``i``: killed, wounded, their sum, and the foreign share of each.

    Written elementwise like the equations, and compiled with them: ``i`` is a member's index
    (numbers) or ``slice(None)`` (arrays over a batch), as in
    :func:`pawns.model.equations.step_members`. Summed formation by formation in formation
    order, so the sums are the same bits in the compiled engine, the numpy engine and the outcomes.
    """
    killed = 0.0
    wounded = 0.0
    casualties = 0.0
    foreign_killed = 0.0
    foreign_casualties = 0.0
    for f in range(formation_side.shape[0]):
        if formation_side[f] == s:
            k = st.killed[i, f] - killed_start[i, f]
            w = st.wounded_total[i, f]
            c = k + w
            killed = killed + k
            wounded = wounded + w
            casualties = casualties + c
            if foreign[f]:
                foreign_killed = foreign_killed + k
                foreign_casualties = foreign_casualties + c
    return killed, wounded, casualties, foreign_killed, foreign_casualties


@dataclass(frozen=True)
class Recorded:
    """A variable of a run's results.

    Attributes
    ----------
    name
        Its name in ``results.nc``.
    when
        :data:`POINTS`, :data:`DAILY`, :data:`END` or :data:`DRAWS`.
    per
        What it has a value for besides each member: :data:`FORMATION`, :data:`SIDE`, :data:`SECTOR`,
        :data:`FORMATION_SECTOR` or :data:`MEMBER` (nothing more).
    units, description
        Its attributes in ``results.nc``.
    read
        ``"state.FIELD"`` (a field of the state), ``"losses.NAME"`` (one of :data:`LOSSES` of
        each side) or ``"matrix"`` (the parameter matrix).
    """

    name: str
    when: When
    per: Per
    units: str
    description: str
    read: str

    @property
    def dims(self) -> tuple[str, ...]:
        """Its dimensions in ``results.nc``."""
        return ("member",) + TIME_DIMS[self.when] + PER_DIMS[self.per]

    @property
    def source(self) -> str:
        """``"state"``, ``"losses"`` or ``"matrix"``."""
        return self.read.split(".", 1)[0]

    @property
    def field(self) -> str:
        """The state field or loss it reads."""
        return self.read.split(".", 1)[-1]


RECORDED: tuple[Recorded, ...] = (
    Recorded("front", POINTS, FORMATION, "persons", "strength at the front (M6)", "state.front"),
    Recorded("training", POINTS, FORMATION, "persons", "in the training pipeline (M7)", "state.training"),
    Recorded("wounded", POINTS, FORMATION, "persons", "wounded in care (M6)", "state.wounded"),
    Recorded("killed", POINTS, FORMATION, "persons", "killed, cumulative, including before the start (M6)", "state.killed"),
    Recorded("discharged", POINTS, FORMATION, "persons", "permanently disabled and discharged, cumulative (M6)", "state.discharged"),
    Recorded("deserted", POINTS, FORMATION, "persons", "deserted, cumulative", "state.deserted"),
    Recorded("rotated", POINTS, FORMATION, "persons", "rotated home alive, cumulative (M1)", "state.rotated"),
    Recorded("labor", POINTS, FORMATION, "persons", "foreign troops used as laborers (M2)", "state.labor"),
    Recorded("casualties", POINTS, FORMATION, "persons/day", "killed + wounded per day (M6)", "state.casualties"),
    Recorded("wounded_total", POINTS, FORMATION, "persons", "wounded since the start, cumulative (M6)", "state.wounded_total"),
    Recorded("tolerance", POINTS, SIDE, "1", "will to fight: casualty tolerance less strain, plus support; the hazard of the end rises as it falls (M4)",
             "state.tolerance"),
    Recorded("end_hazard", POINTS, SIDE, "1/day", "daily hazard of the end of endurance, all causes (M8)", "state.end_hazard"),
    Recorded("shells_fired", POINTS, SIDE, "shells/day", "artillery shells fired per day (M6)", "state.shells_fired"),
    Recorded("bonus", POINTS, SIDE, "RUB", "sign-on bonus (M7)", "state.bonus"),
    Recorded("bonus_spending_rub", POINTS, SIDE, "RUB", "bonus spending, cumulative (M7)", "state.bonus_spending_rub"),
    Recorded("pool", POINTS, SIDE, "persons", "pool of the willing (M7)", "state.pool"),
    Recorded("labor_gap", POINTS, SIDE, "persons", "labor gap: unfilled jobs (M2)", "state.labor_gap"),
    Recorded("area", POINTS, MEMBER, "km2", "area held by the attacker on the main front (M6)", "state.area"),
    Recorded("support", POINTS, MEMBER, "1", "external support index of the dynamic supporter, 1 = start (M9)", "state.support"),
    Recorded("gain", POINTS, MEMBER, "km2/day", "attacker's territorial gain per day on the main front (M6)", "state.gain"),
    Recorded("sector_front", POINTS, FORMATION_SECTOR, "persons", "strength at the front in each sector (M6)", "state.sector_front"),
    Recorded("redeploying", POINTS, FORMATION_SECTOR, "persons", "host soldiers freed in a sector, on their way to the main sector (M5, M6)",
             "state.redeploying"),
    Recorded("sector_killed", POINTS, FORMATION_SECTOR, "persons", "killed in each sector since the start, cumulative (M6)",
             "state.sector_killed"),
    Recorded("sector_area", POINTS, SECTOR, "km2", "area held by the sector's attacker (M6)", "state.sector_area"),
    Recorded("sector_gain", POINTS, SECTOR, "km2/day", "the sector's attacker's territorial gain per day (M6)", "state.sector_gain"),
    Recorded("shells", POINTS, SIDE, "shells", "shells in stock (M6)", "state.shells"),
    Recorded("fire_ratio", POINTS, SIDE, "1", "fire (shells fired plus a contributor's artillery) over the desired rate (M6)", "state.fire_ratio"),
    Recorded("aid_delivered", POINTS, MEMBER, "1", "aid the donor blocs deliver, weighted by their aid in money, 1 = start (M9)", "state.delivered"),
    Recorded("salience", POINTS, MEMBER, "1", "salience of the enemy's foreign contingents in the supporters' news, 0 to 1 (M9)", "state.salience"),
    Recorded("daily_killed", DAILY, SIDE, "persons", "killed since the start, all formations of the side (daily, cumulative)",
             "losses.killed"),
    Recorded("daily_casualties", DAILY, SIDE, "persons",
             "killed + wounded since the start, all formations of the side (daily, cumulative)", "losses.casualties"),
    Recorded("daily_foreign_killed", DAILY, SIDE, "persons",
             "killed since the start among foreign contingents of the side (daily, cumulative)", "losses.foreign_killed"),
    Recorded("daily_foreign_casualties", DAILY, SIDE, "persons",
             "killed + wounded since the start among foreign contingents of the side (daily, cumulative)", "losses.foreign_casualties"),
    Recorded("daily_area", DAILY, MEMBER, "km2", "area held by the attacker on the main front (daily)", "state.area"),
    Recorded("daily_sector_area", DAILY, SECTOR, "km2", "area held by each sector's attacker (daily)", "state.sector_area"),
    Recorded("daily_foreign_deployed", DAILY, SIDE, "persons",
             "persons of the side's foreign contingents in training or at the front (daily)", "state.foreign_deployed"),
    Recorded("end_day", END, SIDE, "day", "day the side's endurance ended; NaN: not by the horizon (M8)", "state.end_day"),
    Recorded("end_cause", END, SIDE, "1", "cause of the end of endurance: 0 none, 1 manpower, 2 materiel, 3 tolerance (M8)",
             "state.end_cause"),
    Recorded("abandon_day", END, MEMBER, "day", "day the dynamic supporter abandoned its recipient; NaN: not by the horizon (M9, M10)",
             "state.abandon_day"),
    Recorded("parameters", DRAWS, MEMBER, "mixed (see parameter_unit)", "parameter values drawn for each member", "matrix"),
)


def recorded(when: When) -> tuple[Recorded, ...]:
    """The variables recorded at ``when``, in results order."""
    return tuple(v for v in RECORDED if v.when == when)


# --- per-member outcomes ----------------------------------------------------------------------

RACE_ABANDONMENT_FIRST = "abandonment first"
RACE_ENDURANCE_FIRST = "endurance first"
RACE_NEITHER = "neither by horizon"
RACES = (RACE_ABANDONMENT_FIRST, RACE_ENDURANCE_FIRST, RACE_NEITHER)


def race(abandon_day: np.ndarray, opponent_end_day: np.ndarray) -> np.ndarray:
    """M10: which came first — supporters abandoning, or the opponent's end of endurance."""
    abandon = np.where(np.isnan(abandon_day), np.inf, abandon_day)
    end = np.where(np.isnan(opponent_end_day), np.inf, opponent_end_day)
    result = np.full(abandon.shape, RACE_NEITHER, dtype=object)
    result[abandon < end] = RACE_ABANDONMENT_FIRST
    result[end <= abandon] = RACE_ENDURANCE_FIRST
    result[np.isinf(abandon) & np.isinf(end)] = RACE_NEITHER
    return result


@dataclass(frozen=True)
class RunEnd:
    """A batch's state at the start and at the end of its run, as the outcomes read it."""

    start: State
    final: State
    formation_side: np.ndarray
    foreign: np.ndarray
    opponent: int | None  # the side whose end races the supporters' abandonment (M10), if any
    _losses: dict[int, dict[str, np.ndarray]] = field(default_factory=dict, compare=False, repr=False)
    troops: tuple[int, ...] = ()  # each contributor's contingent (its troops channel): a formation, or -1 (M11)
    years: float = float("nan")  # the run's length in years (M12)
    parameters: Parameters | None = None  # the members' parameters, for what the outcomes measure against (M12)
    cohort_formation: tuple[int, ...] = ()  # the formation of each cohort of arrivals (M11)

    def after_tour(self, c: int) -> np.ndarray:
        """Soldiers of contributor ``c``'s contingent rotated home after a tour at the front (its laborers are not counted)."""
        f = self.troops[c] if c < len(self.troops) else -1  # -1: no contingent, so no cohort
        return self.final.cohort_rotated[:, [q for q, formation in enumerate(self.cohort_formation) if formation == f]].sum(axis=1)

    def troops_column(self, values: np.ndarray, c: int) -> np.ndarray:
        """Column of contributor ``c``'s contingent in a per-formation array of the state; zeros without troops."""
        f = self.troops[c] if c < len(self.troops) else -1
        return values[:, f] if f >= 0 else np.zeros(values.shape[0])

    def reference(self, name: str, c: int) -> np.ndarray:
        """Contributor ``c``'s parameter ``name`` (M12's measures), NaN where the parameters are not at hand."""
        if self.parameters is None:
            return np.full(self.final.front.shape[0], np.nan)
        return getattr(self.parameters, name)[:, c]

    def revenue(self, c: int) -> dict[str, np.ndarray]:
        """M11: contributor ``c``'s revenue over the run by channel, USD."""
        workers = self.final.worker_payment_usd[:, c]
        return {"troops": self.troops_column(self.final.payment_usd, c), "workers": workers,
                "munitions": self.final.channel_payment_usd[:, c] - workers}

    def losses(self, s: int) -> dict[str, np.ndarray]:
        """:func:`side_losses` of side ``s`` at the end, by name (summed once per side)."""
        if s not in self._losses:
            sums = side_losses(slice(None), self.final, self.start.killed, self.formation_side, self.foreign, s)
            self._losses[s] = dict(zip(LOSSES, sums))
        return self._losses[s]


Kind = Literal["number", "category"]
OutcomePer = Literal["side", "member", "formation", "contingent", "contingent_sector", "cohort", "contributor", "bloc"]


@dataclass(frozen=True)
class Outcome:
    """A per-member outcome column.

    Attributes
    ----------
    name
        The column is ``{side}_{name}`` per side, ``{formation}_{name}`` per formation or
        contingent, ``{contingent}_{name}_{sector}`` per contingent and sector, ``{contingent}_{name}_{cohort}``
        per cohort of a contingent's arrivals (``DPRK_killed_tranche1``), ``{contributor}_{name}`` per
        contributor, ``{bloc}_{name}`` per donor bloc, and ``name`` per member.
    per
        ``"side"``, ``"formation"``, ``"contingent"`` (foreign contingents only), ``"contingent_sector"``,
        ``"cohort"``, ``"contributor"``, ``"bloc"`` or ``"member"``.
    units, description
        What it measures.
    value
        ``value(end, index)``: its values, one per member, for side or formation ``index`` (a pair
        ``(formation, sector)`` per contingent and sector, the cohort's index per cohort).
    kind
        ``"number"``, or ``"category"`` (text).
    needs_race
        Only for scenarios with a supporter whose abandonment races the opponent's end (M10).
    """

    name: str
    per: OutcomePer
    units: str
    description: str
    value: Callable[[RunEnd, int], np.ndarray]
    kind: Kind = "number"
    needs_race: bool = False


def _foreign_share(end: RunEnd, s: int) -> np.ndarray:
    losses = end.losses(s)
    total = losses["killed"] + losses["wounded"]
    return np.where(total > 0, losses["foreign_casualties"] / np.maximum(total, 1e-12), 0.0)


def _national(end: RunEnd, s: int, loss: str) -> np.ndarray:
    """Killed or wounded over the run among the side's own nationals (all its formations but foreign contingents, all sectors)."""
    losses = end.losses(s)
    if loss == "killed":
        return losses["killed"] - losses["foreign_killed"]
    return losses["wounded"] - (losses["foreign_casualties"] - losses["foreign_killed"])


def _causes(codes: np.ndarray) -> np.ndarray:
    return np.array([CAUSES[int(c)] for c in codes], dtype=object)


def _end(name: str) -> tuple[str, str]:
    """Units and description of a variable recorded at the end (outcomes that repeat it say it once)."""
    variable = next(v for v in RECORDED if v.name == name)
    return variable.units, variable.description


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("end_day", SIDE, *_end("end_day"), lambda e, s: e.final.end_day[:, s].astype(np.float64)),
    Outcome("end_cause", SIDE, "category", "why the side's endurance ended ('none' if it did not) (M8)",
            lambda e, s: _causes(e.final.end_cause[:, s]), "category"),
    Outcome("tolerance_end", SIDE, "index", "casualty tolerance index at the horizon", lambda e, s: e.final.tolerance[:, s]),
    Outcome("tolerance_start", SIDE, "index", "will to fight at the start", lambda e, s: e.start.tolerance[:, s]),
    Outcome("restricted_end_days", SIDE, "days", "restricted mean time to the end of endurance up to the horizon, from the member's hazard (M8)",
            lambda e, s: e.final.restricted_days[:, s]),
    Outcome("p_end_1y", SIDE, "probability", "probability the side's endurance has ended by day 365, from its hazard (NaN: horizon shorter)",
            lambda e, s: e.final.end_probability_1y[:, s]),
    Outcome("p_end_2y", SIDE, "probability", "probability the side's endurance has ended by day 730, from its hazard (NaN: horizon shorter)",
            lambda e, s: e.final.end_probability_2y[:, s]),
    Outcome("p_end_5y", SIDE, "probability", "probability the side's endurance has ended by day 1825, from its hazard (NaN: horizon shorter)",
            lambda e, s: e.final.end_probability_5y[:, s]),
    Outcome("national_front_days", SIDE, "person-days", "person-days at the front of the side's own nationals",
            lambda e, s: e.final.national_front_days[:, s]),
    Outcome("shells_produced", SIDE, "shells", "the side's own shell production over the run", lambda e, s: e.final.shells_produced[:, s]),
    Outcome("weighted_losses_start", SIDE, "persons", "weighted permanent losses at the start", lambda e, s: e.start.weighted_losses[:, s]),
    Outcome("weighted_losses_end", SIDE, "persons", "weighted permanent losses at the horizon", lambda e, s: e.final.weighted_losses[:, s]),
    Outcome("bonus_end_rub", SIDE, "RUB", "enlistment bonus at the horizon", lambda e, s: e.final.bonus[:, s]),
    Outcome("bonus_spending_rub", SIDE, "RUB", "enlistment bonus spending over the run", lambda e, s: e.final.bonus_spending_rub[:, s]),
    Outcome("killed", SIDE, "persons", "killed over the run", lambda e, s: e.losses(s)["killed"]),
    Outcome("wounded", SIDE, "persons", "wounded over the run", lambda e, s: e.losses(s)["wounded"]),
    Outcome("national_killed", SIDE, "persons", "killed over the run among the side's own nationals (M5)",
            lambda e, s: _national(e, s, "killed")),
    Outcome("national_wounded", SIDE, "persons", "wounded over the run among the side's own nationals (M5)",
            lambda e, s: _national(e, s, "wounded")),
    Outcome("national_casualties", SIDE, "persons", "killed + wounded over the run among the side's own nationals",
            lambda e, s: _national(e, s, "killed") + _national(e, s, "wounded")),
    Outcome("foreign_casualty_share", SIDE, "fraction", "share of the side's casualties that are foreign", _foreign_share),
    Outcome("abandon_day", MEMBER, *_end("abandon_day"), lambda e, _: e.final.abandon_day.astype(np.float64)),
    Outcome("area_change_km2", MEMBER, "km2", "change of the area the attacker controls", lambda e, _: e.final.area - e.start.area),
    Outcome("killed", FORMATION, "persons", "killed over the run", lambda e, f: e.final.killed[:, f] - e.start.killed[:, f]),
    Outcome("wounded", FORMATION, "persons", "wounded over the run", lambda e, f: e.final.wounded_total[:, f]),
    Outcome("arrived", "contingent", "persons", "arrived over the run", lambda e, f: e.final.inflow_total[:, f]),
    Outcome("veterans", "contingent", "persons", "veterans returned home", lambda e, f: e.final.rotated[:, f]),
    Outcome("evacuated", "contingent", "persons", "wounded evacuated home (M1)", lambda e, f: _evacuated(e.start, e.final, f)),
    Outcome("veteran_combat_days", "contingent", "person-days", "combat days of returned veterans", lambda e, f: e.final.veteran_combat_days[:, f]),
    Outcome("deployed_person_days", "contingent", "person-days", "person-days deployed", lambda e, f: e.final.person_days_deployed[:, f]),
    Outcome("payment_usd", "contingent", "USD", "payment to the contingent's country (M11)", lambda e, f: e.final.payment_usd[:, f]),
    Outcome("materiel_usd", "contingent", "USD", "materiel and technology to the contingent's country (M11)",
            lambda e, f: e.final.materiel_usd[:, f]),
    Outcome("killed", "contingent_sector", "persons", "killed over the run in the sector (M6)",
            lambda e, fz: e.final.sector_killed[:, fz[0], fz[1]] - e.start.sector_killed[:, fz[0], fz[1]]),
    # M11: each cohort of a contingent's arrivals (a tranche, or a year of replacements)
    Outcome("arrived", "cohort", "persons", "arrived in the cohort over the run (M11)", lambda e, q: _cohort_arrived(e.final, q)),
    Outcome("killed", "cohort", "persons", "killed over the run (M11)", lambda e, q: e.final.cohort_killed[:, q]),
    Outcome("veterans_home", "cohort", "persons", "home alive with combat experience: rotated after a tour, and wounded sent home (M11)",
            lambda e, q: e.final.cohort_rotated[:, q] + e.final.cohort_repatriated[:, q]),
    Outcome("wounded_repatriated", "cohort", "persons", "wounded sent home (M11)", lambda e, q: e.final.cohort_repatriated[:, q]),
    Outcome("combat_days_per_veteran", "cohort", "days", "mean combat days of those rotated home after a tour; NaN: none yet (M11)",
            lambda e, q: _per(e.final.cohort_combat_days[:, q], e.final.cohort_rotated[:, q])),
    Outcome("front_person_days", "cohort", "person-days", "days at the front, drone-era combat, summed over its soldiers (M11)",
            lambda e, q: e.final.cohort_front_days[:, q]),
    Outcome("laborers_home", "cohort", "persons", "laborers rotated home (M11)", lambda e, q: e.final.cohort_labor_home[:, q]),
    Outcome("in_theatre", "cohort", "persons", "still in Russia at the horizon: in training, at the front, wounded in care or laboring (M11)",
            lambda e, q: _cohort_in_theatre(e.final, q)),
    Outcome("race", MEMBER, "category", "which came first: abandonment, the opponent's end of endurance, or neither (M10)",
            lambda e, _: race(e.final.abandon_day.astype(np.float64), e.final.end_day[:, e.opponent].astype(np.float64)),
            "category", needs_race=True),
    Outcome("shells_lost_to_strikes", SIDE, "shells", "shells in stock destroyed by the enemy's missiles over the run (M6)",
            lambda e, s: e.final.shells_lost[:, s]),
    Outcome("shells_delivered", "contributor", "shells", "shells the contributor delivered over the run (its shells channel)",
            lambda e, c: e.final.shells_delivered[:, c]),
    Outcome("missiles_launched", "contributor", "missiles", "the contributor's missiles launched over the run (its missiles channel)",
            lambda e, c: e.final.missiles_launched[:, c]),
    Outcome("enemy_shells_destroyed", "contributor", "shells", "enemy shells its missiles destroyed over the run (M6)",
            lambda e, c: e.final.shells_destroyed[:, c]),
    Outcome("channel_payments_usd", "contributor", "USD", "paid to the contributor for its shells and workers over the run (M11)",
            lambda e, c: e.final.channel_payment_usd[:, c]),
    Outcome("aid_allocated_eur_bn", "bloc", "EUR bn", "aid the bloc allocated since the war began, at the horizon (M9)",
            lambda e, b: e.final.aid_allocated_eur_bn[:, b]),
    Outcome("policy_changed", "bloc", "0/1", "1 if the bloc's policy changed by the horizon (M9)", lambda e, b: e.final.policy_changed[:, b]),
    # M11: what a contributor gets back, by channel; M12: what it takes home, as indicators
    Outcome("revenue_troops_usd", "contributor", "USD", "paid for its troops over the run (M11)", lambda e, c: e.revenue(c)["troops"]),
    Outcome("revenue_workers_usd", "contributor", "USD", "paid for its workers over the run (M11)", lambda e, c: e.revenue(c)["workers"]),
    Outcome("revenue_munitions_usd", "contributor", "USD", "paid for its munitions (shells) over the run (M11)",
            lambda e, c: e.revenue(c)["munitions"]),
    Outcome("revenue_usd", "contributor", "USD", "paid over the run, all channels (M11)", lambda e, c: sum(e.revenue(c).values())),
    *(Outcome(f"technology_{name}_day", "contributor", "day", f"day it received {effect.split(':')[0]}; NaN: not by the horizon (M11)",
              lambda e, c, k=k: e.final.technology_day[:, c, k]) for k, (name, effect) in enumerate(TECHNOLOGIES.items())),
    Outcome("technology_events", "contributor", "events", "technology transfers received by the horizon, 0 to 4 (M11, M12)",
            lambda e, c: technology_received(e.final.technology_day[:, c, :])),
    Outcome("veterans_home", "contributor", "persons", "soldiers home alive with combat experience: rotated veterans and wounded sent home (M12)",
            lambda e, c: _experience(e, c)[0]),
    Outcome("veterans_per_1000_active", "contributor", "per 1,000", "veterans home per 1,000 of its active military personnel (M12)",
            lambda e, c: _experience(e, c)[1]),
    Outcome("combat_years_home", "contributor", "person-years", "combat (drone and electronic-warfare) experience of veterans home (M12)",
            lambda e, c: _experience(e, c)[2]),
    Outcome("revenue_gdp_share_per_year", "contributor", "fraction/year", "revenue, all channels, per year over its GDP (M12)",
            lambda e, c: hard_currency_share(sum(e.revenue(c).values()), e.years, e.reference("home_gdp_usd_bn", c))),
    Outcome("revenue_military_share_per_year", "contributor", "fraction/year", "revenue, all channels, per year over its military spending (M12)",
            lambda e, c: hard_currency_share(sum(e.revenue(c).values()), e.years, e.reference("home_military_usd_bn", c))),
)


def _cohort_in_theatre(final: State, q: int) -> np.ndarray:
    """Persons of cohort ``q`` still deployed: in training, at the front, wounded in care, laboring."""
    return (final.cohort_training[:, q].sum(axis=1) + final.cohort_front[:, q].sum(axis=(1, 2)) + final.cohort_wounded[:, q].sum(axis=1)
            + final.cohort_labor[:, q])


def _cohort_arrived(final: State, q: int) -> np.ndarray:
    """Persons who arrived in cohort ``q``: those still deployed and every way out (all of them arrived during the run)."""
    return (_cohort_in_theatre(final, q) + final.cohort_killed[:, q] + final.cohort_repatriated[:, q] + final.cohort_deserted[:, q]
            + final.cohort_rotated[:, q] + final.cohort_labor_home[:, q])


def _per(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``total / count``, NaN where the count is zero."""
    return np.where(count > 0, total / np.where(count > 0, count, 1.0), np.nan)


def _evacuated(start: State, final: State, f: int) -> np.ndarray:
    """Wounded of contingent ``f`` evacuated home over the run (discharged from its care, M1)."""
    return final.discharged[:, f] - start.discharged[:, f]


def _experience(end: RunEnd, c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """M12's combat experience home of contributor ``c``: veterans, per 1,000 active, combat years."""
    f = end.troops[c] if c < len(end.troops) else -1
    evacuated = _evacuated(end.start, end.final, f) if f >= 0 else np.zeros(end.final.front.shape[0])
    return combat_experience_home(end.after_tour(c), evacuated,
                                  end.troops_column(end.final.veteran_combat_days, c), end.reference("home_active_personnel", c))
