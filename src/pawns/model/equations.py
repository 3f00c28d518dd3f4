"""# The pawns model

This module is the model's single source: every equation pawns integrates is here, one
function per mechanism, and `docs/model.md` is generated from these docstrings
(`python -m pawns.model.document > docs/model.md`; a test keeps the two identical).

## Notation

Time `t` runs in days from the scenario's start, in steps of `dt` (one day by default).
Index `f` is a formation (a domestic formation such as *RU contract*, or a foreign contingent
such as *DPRK* attached to a side), `s` a side, `s'` its enemy. Every quantity is an array
over ensemble members: members never interact, so each member is an independent run.

Stocks per formation, in persons: training `T`, front `A`, wounded in care `W`, killed `K`,
discharged (permanently disabled) `D`, deserted `X`, rotated home `R`, labor `L` (foreign
troops used as laborers). Personnel is conserved exactly:

    T + A + W + K + D + X + R + L = initial total + cumulative inflow (intake, arrivals, freed)

All outflows from a stock are scaled down together when they would exceed it, so no stock
goes negative.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from pawns.model.layout import Inputs

CAUSE_NONE, CAUSE_MANPOWER, CAUSE_MATERIEL, CAUSE_TOLERANCE = 0, 1, 2, 3
CAUSES = {CAUSE_NONE: "none", CAUSE_MANPOWER: "manpower", CAUSE_MATERIEL: "materiel", CAUSE_TOLERANCE: "tolerance"}
SMOOTHING_DAYS = 30.0
_TINY = 1e-12


# ---------------------------------------------------------------------------------------
# Mechanisms
# ---------------------------------------------------------------------------------------

def learning_multiplier(initial: np.ndarray, experience_days: np.ndarray, learning_days: np.ndarray) -> np.ndarray:
    """## M3 — Learning curve of exposure

    Green troops are hit harder. A formation's casualty hazard is multiplied by

        m_f(t) = 1 + (m0_f - 1) * exp(-e_f(t) / tau_f)

    where `e_f` is the mean number of combat days of the soldiers now at its front and `tau_f`
    the learning time. Domestic formations have `m0 = 1` (no learning gap). New arrivals come
    with no combat days, so a fresh tranche pulls a contingent's mean experience down again.
    """
    return 1.0 + (initial - 1.0) * np.exp(-experience_days / learning_days)


def learned_quality(initial: np.ndarray, trained: np.ndarray, experience_days: np.ndarray, learning_days: np.ndarray) -> np.ndarray:
    """## M3 — Learning curve of quality

    Combat effectiveness per soldier rises from `q0_f` towards `q1_f` on the same clock:

        q_f(t) = q1_f - (q1_f - q0_f) * exp(-e_f(t) / tau_f)
    """
    return trained - (trained - initial) * np.exp(-experience_days / learning_days)


def fire_support(shells_fired: np.ndarray, shells_desired: np.ndarray, artillery_share: np.ndarray) -> np.ndarray:
    """## M6 — Fire support from materiel

    A share `a` of a side's fires scales with the shells it actually fires against the rate it
    wants; the rest (small arms, drones, armour) does not:

        mu_s(t) = (1 - a) + a * fired_s(t) / desired_s

    A side with no materiel table has `mu_s = 1`.
    """
    return (1.0 - artillery_share[:, None]) + artillery_share[:, None] * shells_fired / shells_desired


def combat_casualties(
    coefficient: np.ndarray,
    posture: np.ndarray,
    enemy_fires: np.ndarray,
    exposed: np.ndarray,
    fires_exponent: np.ndarray,
    exposure_exponent: np.ndarray,
) -> np.ndarray:
    """## M6 — Attrition: the generalized Lanchester/Helmbold law

    Casualties (killed + wounded) per day suffered by side `s`:

        C_s(t) = k_s * P_s(t) * F_s'(t)^p * E_s(t)^q

    with enemy fires `F_s' = mu_s' * sum_f q_f * A_f` over the enemy's formations, own exposed
    force `E_s = sum_f x_f * m_f * A_f`, and posture `P_s` (the attacker's multiplier while it
    attacks, else 1). Special cases: `p = 1, q = 0` is Lanchester's square law (aimed fire);
    `p = q = 1` the linear law (area fire); `p = 0, q = 1` the logarithmic law (losses
    proportional to own strength). The coefficient `k_s` is either given, or fixed so that
    `C_s(0)` equals the scenario's casualties per day at the start (see `calibrate_coefficient`).
    """
    return coefficient * posture * enemy_fires ** fires_exponent[:, None] * exposed ** exposure_exponent[:, None]


def calibrate_coefficient(
    casualties_at_start: np.ndarray,
    posture: np.ndarray,
    enemy_fires: np.ndarray,
    exposed: np.ndarray,
    fires_exponent: np.ndarray,
    exposure_exponent: np.ndarray,
) -> np.ndarray:
    """## M6 — Anchoring the law to observed casualty flows

    Where a scenario gives casualties per day at the start `C_s(0)` rather than `k_s`,

        k_s = C_s(0) / (P_s(0) * F_s'(0)^p * E_s(0)^q)

    so the law reproduces the observed theatre-wide flow at the start, and the exponents
    govern only how casualties change as forces and fires change.
    """
    return casualties_at_start / (posture * enemy_fires ** fires_exponent[:, None] * exposed ** exposure_exponent[:, None])


def split_by_exposure(side_casualties: np.ndarray, exposed_by_formation: np.ndarray, formation_side: np.ndarray) -> np.ndarray:
    """## M3, M6 — Casualties split among formations by exposure

    A side's casualties fall on its formations in proportion to their exposed strength:

        c_f = C_s * x_f * m_f * A_f / E_s

    so a contingent with high exposure (assault roles) or a steep learning gap absorbs more
    than its share of the side's losses.
    """
    exposed = _side_sum(exposed_by_formation, formation_side, side_casualties.shape[1])
    share = exposed_by_formation / np.maximum(exposed[:, formation_side], _TINY)
    return side_casualties[:, formation_side] * share


def recruitment_intake(
    intake_at_start: np.ndarray,
    bonus_ratio: np.ndarray,
    bonus_elasticity: np.ndarray,
    pool_ratio: np.ndarray,
    labor_factor: np.ndarray,
) -> np.ndarray:
    """## M7 — Force generation

    Intake of a bonus-driven formation:

        I_f(t) = I_f(0) * (B_s(t) / B_s(0))^epsilon * (P_s(t) / P_s(0)) * lambda_s(t)

    with bonus `B`, bonus elasticity `epsilon`, the pool of the willing `P` (depleted by
    intake, refilled slowly by `P_regen` per day), and the labor-market factor `lambda_s` of
    M2. Formations that are not bonus-driven recruit at their constant rate `I_f(0)`.
    """
    return intake_at_start * bonus_ratio ** bonus_elasticity * np.clip(pool_ratio, 0.0, None) * labor_factor


def bonus_review(
    bonus: np.ndarray,
    intake_since_review: np.ndarray,
    losses_since_review: np.ndarray,
    ratchet: np.ndarray,
    ceiling: np.ndarray,
    due: np.ndarray,
) -> np.ndarray:
    """## M7 — The bonus ratchet

    Every `review_days` the side compares intake with losses (killed, discharged and deserted
    among its own nationals) since the last review; if intake fell short, the bonus rises:

        B <- min(B * (1 + r), B_max)    if intake < losses

    Bonus spending (intake of bonus-driven formations times the bonus) is reported.
    """
    short = due & (intake_since_review < losses_since_review)
    return np.where(short, np.minimum(bonus * (1.0 + ratchet), ceiling), bonus)


def labor_market(
    gap_at_start: np.ndarray,
    domestic_intake_cumulative: np.ndarray,
    from_workforce: np.ndarray,
    foreign_laborers: np.ndarray,
    productivity: np.ndarray,
    production_elasticity: np.ndarray,
    recruitment_elasticity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """## M2 — Labor substitution

    The labor gap (unfilled jobs) grows with recruits drawn from the workforce and shrinks
    with foreign laborers:

        G(t) = G(0) + phi * (cumulative domestic intake) - rho * L_foreign(t)

    (floored at 5% of `G(0)`). A wider gap lowers defense production and the intake the
    economy bears (civilian wages compete with the bonus):

        production factor  = (G(0) / G(t))^eta_p
        recruitment factor = (G(0) / G(t))^eta_r

    Foreign laborers can also free own soldiers for the front: each arriving laborer moves
    `freed_per_laborer` soldiers of the receiving formation from rear duties to the front, and
    each departing laborer sends them back (counted as rotated out of the front).
    """
    gap = gap_at_start + from_workforce * domestic_intake_cumulative - productivity * foreign_laborers
    gap = np.maximum(gap, 0.05 * gap_at_start)
    ratio = gap_at_start / gap
    return gap, ratio ** production_elasticity, ratio ** recruitment_elasticity


def tolerance_index(
    weighted_losses: np.ndarray,
    population: np.ndarray,
    collapse_share: np.ndarray,
    knee_share: np.ndarray,
    threshold: np.ndarray,
    recent_rate: np.ndarray,
    reference_rate: np.ndarray,
    trend_sensitivity: np.ndarray,
    momentum: np.ndarray,
    momentum_sensitivity: np.ndarray,
) -> np.ndarray:
    """## M4, M5 — Casualty tolerance

    Each side's will to fight falls with the log of its weighted permanent losses (Mueller),
    with their recent trend (Gartner) and rises with perceived momentum:

        Lw_s = sum_f w_f * (K_f + w_D * D_f)
        Tol_s = 1 - (1 - Tol*) * ln(1 + Lw_s / (kappa * N_s)) / ln(1 + c * N_s / (kappa * N_s))
                  - gamma * (r_s / r_s(0) - 1) + delta * momentum_s

    `N_s` is the population, `c` the loss share at which tolerance alone would reach the
    collapse threshold `Tol*`, `kappa` the knee of the logarithm, `r_s` the 30-day mean of
    weighted losses per day. Weights `w_f` follow the brief: conscripts and mobilized weigh
    most, contract volunteers less, foreigners least (M5: foreign casualties barely touch
    domestic tolerance). Momentum is the side's territorial gain rate relative to the start
    (the attacker's gains are the defender's losses). Endurance ends when `Tol_s < Tol*`.
    """
    knee = knee_share * population
    erosion = np.log1p(weighted_losses / knee) / np.log1p(collapse_share * population / knee)
    trend = recent_rate / np.maximum(reference_rate, _TINY) - 1.0
    return 1.0 - (1.0 - threshold) * erosion - trend_sensitivity * trend + momentum_sensitivity * momentum


def support_equilibrium(
    day: float,
    fatigue_per_year: np.ndarray,
    progress: np.ndarray,
    progress_sensitivity: np.ndarray,
    enemy_contingents_fighting: np.ndarray,
    bad_news_sensitivity: np.ndarray,
) -> np.ndarray:
    """## M9 — External support: where support is heading

    Support `S` (1 = the level at the start) relaxes towards an equilibrium that drifts down
    with fatigue, rises with perceived progress of the supported side, and drops while
    foreign contingents fight for the enemy (cited as proof that "the war is going badly"):

        S_eq(t) = 1 - phi * t / 365 + alpha * progress(t) - beta * [contingents fighting]
        progress(t) = (g(0) - g_bar(t)) / g(0)   for a supported defender

    with `g_bar` the 30-day mean territorial gain of the attacker.
    """
    return 1.0 - fatigue_per_year * day / 365.0 + progress_sensitivity * progress - bad_news_sensitivity * enemy_contingents_fighting


def support_step(
    support: np.ndarray,
    equilibrium: np.ndarray,
    adjustment_days: np.ndarray,
    nuclear_event: np.ndarray,
    nuclear_damping: np.ndarray,
    dt: float,
) -> np.ndarray:
    """## M9 — External support: fatigue and nuclear threats

        S(t + dt) = [S + (S_eq - S) * dt / tau_S] * (1 - d_n * [nuclear threat today])

    Nuclear-threat events arrive as a Poisson process (rate per year from the scenario),
    each cutting support by the fraction `d_n`. Support stays non-negative. Deliveries follow
    support with a first-order lag (`delivery_lag_days`), and the shells a supporter sends are
    `shells_per_day_at_start * delivered`. When support stays below the abandonment threshold
    for `abandonment_hold_days`, the supporter abandons the recipient: support drops to the
    residual level for the rest of the run, and the abandonment date is recorded (M10).
    """
    relaxed = support + (equilibrium - support) * dt / adjustment_days
    return np.maximum(relaxed * np.where(nuclear_event, 1.0 - nuclear_damping, 1.0), 0.0)


def territory_gain(relative_force_ratio: np.ndarray, gain_at_start: np.ndarray, stall_ratio: np.ndarray) -> np.ndarray:
    """## M6 — Territory

    The attacker gains ground (km² per day) with the log of the force ratio relative to the
    start, `rho = (F_att / F_def) / (F_att(0) / F_def(0))`:

        g(t) = g(0) * ln(rho / rho_stall) / ln(1 / rho_stall)

    It gains `g(0)` at the start's ratio, nothing at `rho_stall`, and loses ground below it.
    The attacker attacks (and pays the posture multiplier) only while `rho >= rho_stall`.
    """
    return gain_at_start * np.log(np.maximum(relative_force_ratio, _TINY) / stall_ratio) / np.log(1.0 / stall_ratio)


def endurance_cause(
    front: np.ndarray,
    front_at_start: np.ndarray,
    min_front_fraction: np.ndarray,
    fire_ratio_mean: np.ndarray,
    min_fire_fraction: np.ndarray,
    tolerance: np.ndarray,
    tolerance_threshold: np.ndarray,
    has_endurance: np.ndarray,
    has_tolerance: np.ndarray,
) -> np.ndarray:
    """## M8 — Endurance

    A side's endurance ends, for the first cause that occurs:

    * **manpower** — its front strength falls below `min_front_fraction` of the start;
    * **materiel** — the 30-day mean of shells fired over shells desired falls below
      `min_fire_fraction`;
    * **tolerance** — its casualty tolerance falls below the collapse threshold (M4).

    The date and cause are latched at the first crossing; the run goes on so that the other
    side's dates and the abandonment date (M10, the race) are known in every member.
    """
    manpower = has_endurance & (front < min_front_fraction * front_at_start)
    materiel = has_endurance & (fire_ratio_mean < min_fire_fraction)
    collapse = has_tolerance & (tolerance < tolerance_threshold)
    return np.where(manpower, CAUSE_MANPOWER, np.where(materiel, CAUSE_MATERIEL, np.where(collapse, CAUSE_TOLERANCE, CAUSE_NONE)))


def contingent_ledger_rates(
    deployed: np.ndarray, payment_usd_per_month: np.ndarray, materiel_usd_per_month: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """## M11 — What a contingent's country gets back

    Per day, payment and the value of materiel and technology received accrue in proportion to
    soldiers deployed (training + front + wounded in care + labor):

        pay'(t) = pay_per_soldier_month * deployed(t) / 30.44

    Veterans are survivors rotated home; their combat days are the front's mean experience at
    the time they leave, summed. Casualties (killed, wounded) are the contingent's stocks.
    """
    months = deployed / 30.44
    return payment_usd_per_month * months, materiel_usd_per_month * months


# ---------------------------------------------------------------------------------------
# State and the daily step
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class State:
    """Everything that changes over a run, for a batch of members."""

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


def _side_sum(values: np.ndarray, formation_side: np.ndarray, sides: int) -> np.ndarray:
    # Explicit column order keeps sums bit-identical whatever the batch size.
    out = np.zeros((values.shape[0], sides))
    for f, s in enumerate(formation_side):
        out[:, s] = out[:, s] + values[:, f]
    return out


def _by_category_side(values: np.ndarray, mask: np.ndarray, formation_side: np.ndarray, sides: int) -> np.ndarray:
    return _side_sum(np.where(mask, values, 0.0), formation_side, sides)


def _enemy(values: np.ndarray) -> np.ndarray:
    return values[:, ::-1]


def _mean_experience(state: State) -> np.ndarray:
    return np.where(state.front > _TINY, state.experience / np.maximum(state.front, _TINY), 0.0)


def _combat_terms(state: State, inp: Inputs, shells_fired: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fires, exposed strength by formation, and the relative force ratio (M3, M6)."""
    sides = inp.population.shape[1]
    experience = _mean_experience(state)
    quality = learned_quality(inp.quality_initial, inp.quality_trained, experience, inp.learning_days)
    multiplier = learning_multiplier(inp.exposure_multiplier_initial, experience, inp.learning_days)
    effective = _side_sum(quality * state.front, inp.formation_side, sides)
    support = np.where(inp.has_materiel, fire_support(shells_fired, inp.shells_desired, inp.artillery_share), 1.0)
    fires = effective * support
    exposed_by_formation = inp.exposure * multiplier * state.front
    attacker = inp.attacker
    ratio = fires[:, attacker] / np.maximum(fires[:, 1 - attacker], _TINY)
    return fires, exposed_by_formation, ratio, support


def _posture(inp: Inputs, relative_ratio: np.ndarray) -> np.ndarray:
    attacking = relative_ratio >= inp.stall_ratio if inp.has_territory else np.ones_like(relative_ratio, dtype=bool)
    posture = np.ones((relative_ratio.size, inp.population.shape[1]))
    posture[:, inp.attacker] = np.where(attacking, inp.attacker_posture_multiplier, 1.0)
    return posture


def _shells_available(shells: np.ndarray, inflow: np.ndarray, inp: Inputs) -> np.ndarray:
    fired = np.minimum(inp.shells_desired, shells / inp.dt + inflow)
    return np.where(inp.has_materiel, fired, inp.shells_desired)


def initial_state(inp: Inputs) -> State:
    """The state at the start: stocks from the scenario, pipelines in equilibrium.

    Training holds `I_f(0) * training_days` and wounded in care hold the start's daily wounded
    times the recovery time (steady state); the law's coefficient is anchored here (M6).
    """
    n, sides = inp.n, inp.population.shape[1]
    F = inp.front0.shape[1]
    zeros_f, zeros_s, zeros = np.zeros((n, F)), np.zeros((n, sides)), np.zeros(n)
    front = inp.front0.copy()
    experience = zeros_f
    shells = inp.shells_stock0.copy()
    supply = inp.static_supply + inp.dynamic_supply_at_start
    inflow = inp.shells_production + supply
    fired = _shells_available(shells, inflow, inp)
    partial = _bare_state(front, experience)
    fires, exposed_f, ratio, _ = _combat_terms(partial, inp, fired)
    exposed = _side_sum(exposed_f, inp.formation_side, sides)
    posture = np.ones((n, sides))
    posture[:, inp.attacker] = inp.attacker_posture_multiplier
    calibrated = calibrate_coefficient(inp.casualties_at_start, posture, _enemy(fires), exposed, inp.fires_exponent, inp.exposure_exponent)
    coefficient = np.where(np.isnan(inp.casualty_coefficient), calibrated, inp.casualty_coefficient)
    side_cas = combat_casualties(coefficient, posture, _enemy(fires), exposed, inp.fires_exponent, inp.exposure_exponent)
    cas_f = np.minimum(split_by_exposure(side_cas, exposed_f, inp.formation_side), front)
    wounded_rate = cas_f * (1.0 - inp.killed_share[:, inp.formation_side])
    wounded = wounded_rate * inp.wounded_recovery_days[:, inp.formation_side]
    training = inp.intake0 * inp.training_days
    initial_total = training + front + wounded + inp.killed0 + inp.discharged0
    weighted = _side_sum(inp.tolerance_weight * (inp.killed0 + inp.discharged_weight[:, inp.formation_side] * inp.discharged0), inp.formation_side, sides)
    nan_s = np.full((n, sides), np.nan)
    return State(
        training=training, front=front, wounded=wounded, killed=inp.killed0.copy(), discharged=inp.discharged0.copy(),
        deserted=zeros_f, rotated=zeros_f, labor=zeros_f, experience=experience, inflow_total=zeros_f,
        initial_total=initial_total, intake_total=zeros_f, wounded_total=zeros_f, casualties=cas_f,
        person_days_deployed=zeros_f, veteran_combat_days=zeros_f, payment_usd=zeros_f, materiel_usd=zeros_f,
        coefficient=coefficient, front_at_start=_side_sum(front, inp.formation_side, sides), shells=shells,
        shells_fired=fired, fire_ratio_mean=fired / inp.shells_desired, bonus=inp.bonus0.copy(), pool=inp.pool0.copy(),
        bonus_spending_rub=zeros_s, days_since_review=zeros_s, intake_since_review=zeros_s, losses_since_review=zeros_s,
        weighted_losses=weighted, loss_rate_mean=nan_s, loss_rate_reference=nan_s, tolerance=np.ones((n, sides)),
        labor_gap=inp.labor_gap0.copy(), end_day=nan_s.copy(), end_cause=np.zeros((n, sides), dtype=np.int8),
        force_ratio_at_start=ratio, area=inp.area0.copy(), gain=inp.gain_at_start.copy() if inp.has_territory else zeros,
        gain_mean=inp.gain_at_start.copy() if inp.has_territory else zeros, support=np.ones(n), delivered=np.ones(n),
        days_below_threshold=zeros, abandon_day=np.full(n, np.nan), nuclear_events=zeros,
    )


def _bare_state(front: np.ndarray, experience: np.ndarray) -> State:
    """A state holding only what the combat terms read (front and experience)."""
    empty = np.empty(0)
    values = {field.name: empty for field in fields(State)}
    values.update(front=front, experience=experience)
    return State(**values)


def _limit(stock: np.ndarray, *outflows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Scale outflows down together so they never exceed the stock (non-negativity)."""
    total = outflows[0]
    for flow in outflows[1:]:
        total = total + flow
    scale = np.where(total > stock, stock / np.maximum(total, _TINY), 1.0)
    return tuple(flow * scale for flow in outflows)


def advance(state: State, inp: Inputs, step: int, nuclear_uniform: np.ndarray) -> State:
    """## Order of a step

    `initial_state` sets the stocks from the scenario (training and wounded pipelines in
    equilibrium) and anchors the law's coefficients. Each step `dt`, `advance` applies, in
    order: tranche arrivals (M1); external supply and the labor market (M9, M2); shells fired
    and combat casualties (M6, M3); desertion and rotation; wounded leaving care; training
    graduation; intake and the pool of the willing (M7); laborers rotating and the soldiers
    they free (M2); the new stocks; the contingent ledger (M11); materiel and territory (M6);
    casualty tolerance (M4, M5); the bonus review (M7); external support and abandonment (M9);
    endurance (M8). Which came first, abandonment or the opponent's end of endurance, is the
    race (M10), read from the dates when the run ends.

    Parameters
    ----------
    state
        The state at the start of the step (not modified).
    inp
        The members' parameters.
    step
        The step's index (day = step * dt).
    nuclear_uniform
        One uniform per member for this step's nuclear-threat draw (M9).
    """
    dt = inp.dt
    day = step * dt
    n, sides = inp.n, inp.population.shape[1]
    fside = inp.formation_side
    s_killed = inp.killed_share[:, fside]

    # M1: arrivals of tranches (combat share to training, the rest to labor)
    arrivals_training = np.zeros_like(state.front)
    arrivals_labor = np.zeros_like(state.front)
    for f, size, share in inp.arrivals.get(step, ()):
        arrivals_training[:, f] += size * share
        arrivals_labor[:, f] += size * (1.0 - share)

    # M9: external supply reaching each side this step
    supply = inp.static_supply + inp.dynamic_supply_at_start * state.delivered[:, None]
    foreign_labor = _by_category_side(state.labor, inp.foreign, fside, sides)
    gap, production_factor, recruitment_factor = labor_market(
        inp.labor_gap0, _side_sum(state.intake_total * ~inp.foreign, fside, sides), inp.recruits_from_workforce,
        foreign_labor, inp.foreign_laborer_productivity, inp.production_elasticity, inp.recruitment_elasticity)
    production_factor = np.where(inp.has_labor, production_factor, 1.0)
    recruitment_factor = np.where(inp.has_labor, recruitment_factor, 1.0)
    shell_inflow = inp.shells_production * production_factor + supply
    fired = _shells_available(state.shells, shell_inflow, inp)

    # M6: combat
    fires, exposed_f, ratio, _ = _combat_terms(state, inp, fired)
    relative_ratio = ratio / np.maximum(state.force_ratio_at_start, _TINY)
    posture = _posture(inp, relative_ratio)
    exposed = _side_sum(exposed_f, fside, sides)
    side_cas = combat_casualties(state.coefficient, posture, _enemy(fires), exposed, inp.fires_exponent, inp.exposure_exponent)
    casualties = split_by_exposure(side_cas, exposed_f, fside)
    deserting = inp.desertion_per_day * state.front
    rotating = inp.rotation_per_day * state.front
    casualties_dt, deserting_dt, rotating_dt = _limit(state.front, casualties * dt, deserting * dt, rotating * dt)
    killed_dt = casualties_dt * s_killed
    wounded_in_dt = casualties_dt - killed_dt

    # wounded in care: return to duty or discharge
    leaving_care = state.wounded * np.minimum(dt / inp.wounded_recovery_days[:, fside], 1.0)
    returned_dt = leaving_care * inp.wounded_return_fraction[:, fside]
    discharged_dt = leaving_care - returned_dt

    # training pipeline
    graduating = np.where(inp.training_days > 0, state.training * np.minimum(dt / np.maximum(inp.training_days, _TINY), 1.0), state.training)
    graduating_new = np.where(inp.training_days > 0, 0.0, arrivals_training)  # untrained arrivals go straight to the front

    # M7: force generation
    bonus_ratio = state.bonus / inp.bonus0
    pool_ratio = state.pool / inp.pool0
    driven = inp.bonus_driven[None, :] & inp.has_recruitment[fside][None, :]
    intake = np.where(
        driven,
        recruitment_intake(inp.intake0, bonus_ratio[:, fside], inp.bonus_elasticity[:, fside], pool_ratio[:, fside], recruitment_factor[:, fside]),
        inp.intake0,
    )
    intake_dt = intake * dt
    driven_intake = _side_sum(np.where(driven, intake_dt, 0.0), fside, sides)
    pool_scale = np.where(driven_intake > state.pool, state.pool / np.maximum(driven_intake, _TINY), 1.0)
    intake_dt = np.where(driven, intake_dt * pool_scale[:, fside], intake_dt)
    driven_intake = driven_intake * pool_scale
    pool = np.where(inp.has_recruitment, state.pool - driven_intake + inp.pool_regeneration * dt, state.pool)
    spending = state.bonus_spending_rub + driven_intake * state.bonus

    # M2: labor — rotation of laborers and the soldiers they free
    labor_rotating_dt = np.minimum(inp.rotation_per_day * state.labor * dt, state.labor)
    freed_in = np.zeros_like(state.front)
    freed_out = np.zeros_like(state.front)
    for contingent, target in inp.freed_targets:
        freed_in[:, target] += inp.freed_per_laborer[:, contingent] * arrivals_labor[:, contingent]
        freed_out[:, target] += inp.freed_per_laborer[:, contingent] * labor_rotating_dt[:, contingent]

    # new stocks
    survivors = state.front - casualties_dt - deserting_dt - rotating_dt
    freed_out = np.minimum(freed_out, survivors + returned_dt)
    veterans = survivors + returned_dt - freed_out
    experience = _mean_experience(state)
    front = veterans + graduating + graduating_new + freed_in
    training = state.training - graduating + intake_dt + np.where(inp.training_days > 0, arrivals_training, 0.0)
    wounded = state.wounded - leaving_care + wounded_in_dt
    killed = state.killed + killed_dt
    discharged = state.discharged + discharged_dt
    deserted = state.deserted + deserting_dt
    rotated = state.rotated + rotating_dt + labor_rotating_dt + freed_out
    labor = state.labor + arrivals_labor - labor_rotating_dt
    inflow_total = state.inflow_total + intake_dt + arrivals_training + arrivals_labor + freed_in

    # M11: the contingent's ledger
    deployed = state.training + state.front + state.wounded + state.labor
    pay, materiel = contingent_ledger_rates(deployed, inp.payment_usd_per_soldier_month, inp.materiel_usd_per_soldier_month)

    # materiel
    shells = np.maximum(state.shells + (shell_inflow - fired) * dt, 0.0)
    fire_ratio = fired / inp.shells_desired
    fire_ratio_mean = state.fire_ratio_mean + (fire_ratio - state.fire_ratio_mean) * dt / SMOOTHING_DAYS

    # M6: territory
    if inp.has_territory:
        gain = territory_gain(relative_ratio, inp.gain_at_start, inp.stall_ratio)
    else:
        gain = np.zeros(n)
    area = state.area + gain * dt
    gain_mean = state.gain_mean + (gain - state.gain_mean) * dt / SMOOTHING_DAYS

    # M4, M5: casualty tolerance
    weight_d = inp.discharged_weight[:, fside]
    weighted_step = _side_sum(inp.tolerance_weight * (killed_dt + weight_d * discharged_dt), fside, sides)
    weighted_losses = state.weighted_losses + weighted_step
    rate = weighted_step / dt
    first = np.isnan(state.loss_rate_reference)
    loss_rate_reference = np.where(first, rate, state.loss_rate_reference)
    loss_rate_mean = np.where(first, rate, state.loss_rate_mean + (rate - state.loss_rate_mean) * dt / SMOOTHING_DAYS)
    relative_gain = (gain_mean / np.maximum(np.abs(inp.gain_at_start), _TINY) - 1.0) if inp.has_territory else np.zeros(n)
    momentum = np.zeros((n, sides))
    momentum[:, inp.attacker] = relative_gain
    momentum[:, 1 - inp.attacker] = -relative_gain
    tolerance = tolerance_index(
        weighted_losses, inp.population, inp.collapse_loss_share, inp.knee_loss_share, inp.tolerance_threshold,
        loss_rate_mean, loss_rate_reference, inp.trend_sensitivity, momentum, inp.momentum_sensitivity)
    tolerance = np.where(inp.has_tolerance, tolerance, 1.0)

    # M7: bonus review
    own_losses = _by_category_side(killed_dt + discharged_dt + deserting_dt, ~inp.foreign, fside, sides)
    days_since_review = state.days_since_review + dt
    due = days_since_review >= inp.review_days - 1e-9
    bonus = bonus_review(state.bonus, state.intake_since_review + driven_intake, state.losses_since_review + own_losses,
                         inp.ratchet_fraction, inp.bonus_ceiling, due & inp.has_recruitment)
    intake_since_review = np.where(due, 0.0, state.intake_since_review + driven_intake)
    losses_since_review = np.where(due, 0.0, state.losses_since_review + own_losses)
    days_since_review = np.where(due, 0.0, days_since_review)

    # M9: external support and abandonment
    support, delivered, below, abandon_day, events = _support(state, inp, day, gain_mean, front, nuclear_uniform)

    # M8: endurance
    side_front = _side_sum(front, fside, sides)
    cause = endurance_cause(side_front, state.front_at_start, inp.min_front_fraction, fire_ratio_mean, inp.min_fire_fraction,
                            tolerance, inp.tolerance_threshold, inp.has_endurance, inp.has_tolerance)
    newly = np.isnan(state.end_day) & (cause != CAUSE_NONE)
    end_day = np.where(newly, day + dt, state.end_day)
    end_cause = np.where(newly, cause, state.end_cause).astype(np.int8)

    return replace(
        state,
        training=training, front=front, wounded=wounded, killed=killed, discharged=discharged, deserted=deserted,
        rotated=rotated, labor=labor, experience=(experience + dt) * veterans, inflow_total=inflow_total,
        intake_total=state.intake_total + intake_dt, wounded_total=state.wounded_total + wounded_in_dt,
        casualties=casualties_dt / dt, person_days_deployed=state.person_days_deployed + deployed * dt,
        veteran_combat_days=state.veteran_combat_days + rotating_dt * experience,
        payment_usd=state.payment_usd + pay * dt, materiel_usd=state.materiel_usd + materiel * dt,
        shells=shells, shells_fired=fired, fire_ratio_mean=fire_ratio_mean, bonus=bonus, pool=pool,
        bonus_spending_rub=spending, days_since_review=days_since_review, intake_since_review=intake_since_review,
        losses_since_review=losses_since_review, weighted_losses=weighted_losses, loss_rate_mean=loss_rate_mean,
        loss_rate_reference=loss_rate_reference, tolerance=tolerance, labor_gap=np.where(inp.has_labor, gap, np.nan),
        end_day=end_day, end_cause=end_cause, area=area, gain=gain, gain_mean=gain_mean, support=support,
        delivered=delivered, days_below_threshold=below, abandon_day=abandon_day, nuclear_events=events,
    )


def _support(state: State, inp: Inputs, day: float, gain_mean: np.ndarray, front: np.ndarray, uniform: np.ndarray):
    """M9 for one step: support, deliveries, the abandonment clock and nuclear-threat events."""
    dt = inp.dt
    if inp.supported_side is None:
        return state.support, state.delivered, state.days_below_threshold, state.abandon_day, state.nuclear_events
    sign = 1.0 if inp.supported_side != inp.attacker else -1.0
    progress = sign * (inp.gain_at_start - gain_mean) / np.maximum(np.abs(inp.gain_at_start), _TINY) if inp.has_territory else np.zeros(inp.n)
    enemy = 1 - inp.supported_side
    fighting_for_enemy = (_side_sum(np.where(inp.foreign, front, 0.0), inp.formation_side, 2)[:, enemy] > 0.5).astype(float)
    equilibrium = support_equilibrium(day, inp.fatigue_per_year, progress, inp.progress_sensitivity, fighting_for_enemy, inp.bad_news_sensitivity)
    event = uniform < inp.nuclear_threats_per_year * dt / 365.0
    support = support_step(state.support, equilibrium, inp.support_adjustment_days, event, inp.nuclear_threat_damping, dt)
    abandoned = ~np.isnan(state.abandon_day)
    support = np.where(abandoned, inp.residual_after_abandonment, support)
    below = np.where(support < inp.abandonment_threshold, state.days_below_threshold + dt, 0.0)
    newly = ~abandoned & (below >= inp.abandonment_hold_days - 1e-9)
    abandon_day = np.where(newly, day + dt, state.abandon_day)
    support = np.where(newly, inp.residual_after_abandonment, support)
    delivered = state.delivered + (support - state.delivered) * np.minimum(dt / inp.delivery_lag_days, 1.0)
    return support, delivered, below, abandon_day, state.nuclear_events + event
