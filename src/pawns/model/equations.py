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

import numpy as np

from pawns.model.elementwise import exp, log, log1p, power, tanh
from pawns.model.layout import Layout
from pawns.model.parameter_table import Parameters, fill
from pawns.model.state import Scratch, State, scratch

CAUSE_NONE, CAUSE_MANPOWER, CAUSE_MATERIEL, CAUSE_TOLERANCE = 0, 1, 2, 3
CAUSES = {CAUSE_NONE: "none", CAUSE_MANPOWER: "manpower", CAUSE_MATERIEL: "materiel", CAUSE_TOLERANCE: "tolerance"}
SMOOTHING_DAYS = 30.0
DAYS_PER_YEAR = 365.0
# Days at which the probability that a side's endurance has ended is kept (1, 2 and 5 years).
END_PROBABILITY_DAYS = (365.0, 730.0, 1825.0)
# A daily hazard above this is an end within the day; the cap keeps the arithmetic finite.
MAX_HAZARD_PER_DAY = 10.0
_TINY = 1e-12


# The equations are written elementwise, so the same functions run on whole batches (numpy
# arrays over members) and, compiled, on one member's numbers at a time (pawns.engine.kernel).
# The two helpers below are the only places where the two readings differ.

def select(condition, if_true, if_false):
    """`if_true` where `condition` holds, else `if_false` (elementwise; numbers too)."""
    return np.where(condition, if_true, if_false)


def along_members(values, like):
    """Per-member `values` shaped to apply across the formations or sides of `like`.

    A batch's ``(N,)`` array becomes ``(N, 1)`` against ``(N, S)`` arrays; equal shapes and
    plain numbers pass through unchanged.
    """
    extra = np.ndim(like) - np.ndim(values)
    return np.reshape(values, np.shape(values) + (1,) * extra) if extra > 0 else values


# ---------------------------------------------------------------------------------------
# Mechanisms
# ---------------------------------------------------------------------------------------

def learning_decay(experience_days: np.ndarray, learning_days: np.ndarray) -> np.ndarray:
    """## M3 — Learning curve

    Green troops are hit harder and fight less well. Both gaps close on one clock,

        d_f(t) = exp(-e_f(t) / tau_f)

    where `e_f` is the mean number of combat days of the soldiers now at its front and `tau_f`
    the learning time. New arrivals come with no combat days, so a fresh tranche pulls a
    contingent's mean experience down again (and `d_f` back up towards 1).
    """
    return exp(-experience_days / learning_days)


def learning_multiplier(initial: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """## M3 — Learning curve of exposure

    A formation's casualty hazard is multiplied by

        m_f(t) = 1 + (m0_f - 1) * d_f(t)

    Domestic formations have `m0 = 1` (no learning gap).
    """
    return 1.0 + (initial - 1.0) * decay


def learned_quality(initial: np.ndarray, trained: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """## M3 — Learning curve of quality

    Combat effectiveness per soldier rises from `q0_f` towards `q1_f` on the same clock:

        q_f(t) = q1_f - (q1_f - q0_f) * d_f(t)
    """
    return trained - (trained - initial) * decay


def fire_support(shells_fired: np.ndarray, shells_desired: np.ndarray, artillery_share: np.ndarray) -> np.ndarray:
    """## M6 — Fire support from materiel

    A share `a` of a side's fires scales with the shells it actually fires against the rate it
    wants; the rest (small arms, drones, armour) does not:

        mu_s(t) = (1 - a) + a * fired_s(t) / desired_s

    A side with no materiel table has `mu_s = 1`.
    """
    share = along_members(artillery_share, shells_fired)
    return (1.0 - share) + share * shells_fired / shells_desired


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
    p, q = along_members(fires_exponent, enemy_fires), along_members(exposure_exponent, exposed)
    return coefficient * posture * power(enemy_fires, p) * power(exposed, q)


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
    govern only how casualties change as forces and fires change. A side that faces no fire
    or has no one exposed at the start (zero forces) cannot anchor the law: its `k_s` is 0.
    """
    p, q = along_members(fires_exponent, enemy_fires), along_members(exposure_exponent, exposed)
    law = posture * power(enemy_fires, p) * power(exposed, q)
    return np.where(law > 0, casualties_at_start / np.where(law > 0, law, 1.0), 0.0)


def split_by_exposure(side_casualties: np.ndarray, exposed: np.ndarray, side_exposed: np.ndarray) -> np.ndarray:
    """## M3, M6 — Casualties split among formations by exposure

    A side's casualties fall on its formations in proportion to their exposed strength:

        c_f = C_s * x_f * m_f * A_f / E_s

    so a contingent with high exposure (assault roles) or a steep learning gap absorbs more
    than its share of the side's losses.
    """
    return side_casualties * (exposed / np.maximum(side_exposed, _TINY))


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
    return intake_at_start * power(bonus_ratio, bonus_elasticity) * np.maximum(pool_ratio, 0.0) * labor_factor


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
    return select(short, np.minimum(bonus * (1.0 + ratchet), ceiling), bonus)


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
    return gap, power(ratio, production_elasticity), power(ratio, recruitment_elasticity)


def collapse_log(population: np.ndarray, collapse_share: np.ndarray, knee_share: np.ndarray) -> np.ndarray:
    """The denominator of tolerance's erosion, `ln(1 + c * N_s / (kappa * N_s))` (a constant of each member)."""
    knee = knee_share * population
    return log1p(collapse_share * population / knee)


def tolerance_index(
    weighted_losses: np.ndarray,
    population: np.ndarray,
    knee_share: np.ndarray,
    collapse_log: np.ndarray,
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
    (the attacker's gains are the defender's losses), bounded (`bounded_momentum`). The
    index feeds the will to fight (`will_to_fight`), whose level sets the hazard of the side's
    end (`concession_hazard`); `c` is where, with nothing else moving, the will reaches `Tol*`
    and the hazard is `h*` a year. The denominator is a constant of each member, computed once
    (`collapse_log`).
    """
    knee = knee_share * population
    erosion = log1p(weighted_losses / knee) / collapse_log
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
    return np.maximum(relaxed * select(nuclear_event, 1.0 - nuclear_damping, 1.0), 0.0)


def stall_log(stall_ratio: np.ndarray) -> np.ndarray:
    """The denominator of the territory law, `ln(1 / rho_stall)` (a constant of each member)."""
    return log(1.0 / stall_ratio)


def territory_gain(relative_force_ratio: np.ndarray, gain_at_start: np.ndarray, stall_ratio: np.ndarray,
                   stall_log: np.ndarray) -> np.ndarray:
    """## M6 — Territory

    The attacker gains ground (km² per day) with the log of the force ratio relative to the
    start, `rho = (F_att / F_def) / (F_att(0) / F_def(0))`:

        g(t) = g(0) * ln(rho / rho_stall) / ln(1 / rho_stall)

    It gains `g(0)` at the start's ratio, nothing at `rho_stall`, and loses ground below it.
    The denominator is a constant of each member, computed once (`stall_log`).
    """
    return gain_at_start * log(np.maximum(relative_force_ratio, _TINY) / stall_ratio) / stall_log


def attack_posture(relative_force_ratio, stall_ratio, multiplier):
    """## M6 — Posture: the attacker pays more

    The attacker's casualties carry the posture multiplier `P_max` (about 1.9 from Dupuy's
    standard loss rates, attacker 2.8% vs defender 1.5% a day) in proportion to the intensity
    of its offensive, which falls linearly from full at the start's force ratio to nothing at
    the stall ratio:

        P_att(t) = 1 + (P_max - 1) * clip((rho - rho_stall) / (1 - rho_stall), 0, 1)

    The defender's posture is 1. A gradual ramp, rather than a switch at `rho_stall`, keeps
    paired runs that differ slightly in strength from jumping between attacking and not.
    """
    intensity = np.minimum(np.maximum((relative_force_ratio - stall_ratio) / (1.0 - stall_ratio), 0.0), 1.0)
    return 1.0 + (multiplier - 1.0) * intensity


def bounded_momentum(relative_gain: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """## M4 — Perceived momentum, bounded

    A side's perceived battlefield momentum is the 30-day mean of the attacker's territorial
    gain relative to the start's rate, `g_bar / g(0) - 1` (the attacker's gains are the
    defender's losses), saturated so that no rout or breakthrough moves the will to fight
    without limit:

        mom_s = G_m * tanh((g_bar / g(0) - 1) / G_m)       (defender: the opposite sign)

    It is linear for small changes and never exceeds `G_m` in size, whatever the force ratio.
    """
    return bound * tanh(relative_gain / bound)


def economic_strain(bonus_ratio: np.ndarray, gap_ratio: np.ndarray) -> np.ndarray:
    """## M4, M7, M2 — Economic strain

    What the war costs the side's own economy, as its public feels it: the enlistment bonus it
    must pay relative to the start (M7) and the labor gap relative to the start (M2). Each
    counts only above its start level, and their sum saturates:

        e_s = tanh( ln(max(B_s / B_s(0), 1)) + ln(max(G_s / G_s(0), 1)) )      in [0, 1)

    A bonus that has doubled gives `e = tanh(ln 2) = 0.6`; the strain cannot exceed 1.
    """
    return tanh(log(np.maximum(bonus_ratio, 1.0)) + log(np.maximum(gap_ratio, 1.0)))


def will_to_fight(
    tolerance: np.ndarray,
    strain: np.ndarray,
    strain_sensitivity: np.ndarray,
    support: np.ndarray,
    support_sensitivity: np.ndarray,
) -> np.ndarray:
    """## M4, M5, M9 — Will to fight

    The index whose level sets the daily hazard of the side's end: casualty tolerance (its
    log erosion, trend and bounded momentum), less economic strain, plus external support for
    the supported side (support `S`, 1 at the start):

        W_s = Tol_s - xi_s * e_s + zeta_s * (S - 1)

    `W_s` is what runs record as the side's `tolerance`. A side without a supporter has
    `zeta_s = 0`.
    """
    return tolerance - strain_sensitivity * strain + support_sensitivity * (support - 1.0)


def concession_hazard(
    will: np.ndarray, threshold: np.ndarray, hazard_at_threshold_per_year: np.ndarray, scale: np.ndarray
) -> np.ndarray:
    """## M4, M8 — The end of endurance as a hazard: concession or collapse

    A side does not stop at a line; it stops with a daily probability that rises smoothly as
    its will to fight falls (Bennett & Stam's hazard models of war duration; a side concedes
    when the state of the war turns adverse enough):

        h_tol,s = (h*_s / 365) * exp(-(W_s - W*) / s_W)      per day

    At `W* ` the hazard is `h*` a year; every fall of `s_W` multiplies it by e. The anchor is
    the historical record: a side that reaches the weighted loss share of the 1917 and 1918
    collapses (about 1–3% of the population dead) ends within months (`h*` of order 1 a
    year), while a side far from it, as Russia at the end of 2024 (about 0.1% dead), carries
    a small hazard, not zero.
    """
    return np.minimum(hazard_at_threshold_per_year / DAYS_PER_YEAR * exp(-(will - threshold) / scale), MAX_HAZARD_PER_DAY)


def limit_hazard(level: np.ndarray, limit: np.ndarray, hazard_at_limit_per_year: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """## M8 — Manpower and materiel as hazards

    Running short of troops or shells ends a war through the same kind of smooth hazard:

        h_man,s = (h_lim,s / 365) * exp(-(A_s / A_s(0) - a_min) / s_A)
        h_mat,s = (h_lim,s / 365) * exp(-(fired_bar_s / desired_s - f_min) / s_F)

    with `A_s` the side's front strength and `fired_bar_s` its 30-day mean of shells fired.
    At the limit (`a_min`, `f_min`, the scenario's `min_front_fraction` and
    `min_fire_fraction`) the hazard is `h_lim` a year, far above it nearly zero, and it
    climbs steeply below.
    """
    return np.minimum(hazard_at_limit_per_year / DAYS_PER_YEAR * exp(-(level - limit) / scale), MAX_HAZARD_PER_DAY)


def hazard_cause(manpower: np.ndarray, materiel: np.ndarray, tolerance: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """## M8 — Competing risks: which cause ends the side

    The three hazards compete. When the side's end comes, its cause is drawn in proportion
    to each hazard that day, with a second uniform `v` of the member's own:

        cause = manpower   if v < h_man / h
                materiel   if v < (h_man + h_mat) / h
                tolerance  otherwise,            h = h_man + h_mat + h_tol
    """
    total = np.maximum(manpower + materiel + tolerance, _TINY)
    return select(uniform * total < manpower, CAUSE_MANPOWER, select(uniform * total < manpower + materiel, CAUSE_MATERIEL, CAUSE_TOLERANCE))


def survival_step(cumulative_hazard: np.ndarray, hazard: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """## M8 — When the end comes, and the expected time to it

    Each member draws, once, a unit exponential `E_s = -ln(u_s)` per side (the member's own
    uniform `u_s`, the same in paired runs: common random numbers). The side's cumulative
    hazard `Lambda_s` grows by `h_s * dt` a step, and its endurance ends on the first day
    `Lambda_s >= E_s`: a draw from the survival law `P(T > t) = exp(-Lambda_s(t))`. The end is
    latched; the run goes on, so the other side's date and the abandonment date (M10) are
    known in every member.

    Because the end itself changes nothing else in the run, the member's survival curve is
    known exactly, and with it the restricted mean time to the end up to day `t`,

        RMST_s(t) = integral_0^t exp(-Lambda_s(u)) du

    (trapezoid rule over the step), and the probability the side has ended by day `t`,
    `1 - exp(-Lambda_s(t))`. The answers read these (no noise from the single draw `E_s`).
    Returns the new cumulative hazard and the step's contribution to `RMST_s`.
    """
    new_cumulative = cumulative_hazard + hazard * dt
    survived = 0.5 * (exp(-cumulative_hazard) + exp(-new_cumulative)) * dt
    return new_cumulative, survived


def morale_deficit(will: np.ndarray, threshold: np.ndarray, feedback_scale: np.ndarray) -> np.ndarray:
    """## M4, M8 — Below the tolerance level: the feedback of a failing will

    An end is a process, not a flag. As the will to fight nears and passes its threshold,
    a morale deficit grows smoothly from nothing to one,

        z_s = 1 / (1 + exp((W_s - W*) / s_z))

    (one half at `W*`), and feeds back on the fighting: desertion rises and combat
    effectiveness falls,

        desertion_f = d_f * (1 + a_s * dz_s)       quality of fires_s = 1 - b_s * dz_s
        dz_s = max(z_s - z_s(0), 0)

    so a side near its end loses strength faster, fights less well, and its will erodes
    faster still. Only the deficit grown since the start counts: the start's desertion rates
    and the law's coefficients are observed, and already carry the start's morale.
    """
    return 1.0 / (1.0 + exp((will - threshold) / feedback_scale))


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

def _mean_experience(experience, front):
    return select(front > _TINY, experience / np.maximum(front, _TINY), 0.0)


def _shells_available(shells, inflow, desired, has_materiel, dt):
    fired = np.minimum(desired, shells / dt + inflow)
    return select(has_materiel, fired, desired)


def _combat_terms(i, p: Parameters, front, experience, fired, tmp: Scratch):
    """Fires and exposed strength (M3, M6); returns the force ratio attacker/defender.

    Fills ``tmp.experience``, ``tmp.exposed`` (per formation), ``tmp.fires`` and
    ``tmp.exposed_side`` (per side) for members ``i``. Sums over formations run in
    formation order, so they are the same bits whatever the batch.
    """
    sides = p.population.shape[1]
    for s in range(sides):
        tmp.fires[i, s] = 0.0
        tmp.exposed_side[i, s] = 0.0
    for f in range(p.formation_side.shape[0]):
        s = p.formation_side[f]
        mean = _mean_experience(experience[i, f], front[i, f])
        tmp.experience[i, f] = mean
        if p.learns[f]:
            decay = learning_decay(mean, p.learning_days[i, f])
            quality = learned_quality(p.quality_initial[i, f], p.quality_trained[i, f], decay)
            exposed = p.exposure[i, f] * learning_multiplier(p.exposure_multiplier_initial[i, f], decay) * front[i, f]
        else:  # no learning gap: the curves are flat (q = q0, m = 1)
            quality = p.quality_trained[i, f]
            exposed = p.exposure[i, f] * 1.0 * front[i, f]
        tmp.fires[i, s] = tmp.fires[i, s] + quality * front[i, f]
        tmp.exposed[i, f] = exposed
        tmp.exposed_side[i, s] = tmp.exposed_side[i, s] + exposed
    for s in range(sides):
        if p.has_materiel[s]:  # without materiel, fire support is 1
            tmp.fires[i, s] = tmp.fires[i, s] * fire_support(fired[i, s], p.shells_desired[i, s], p.artillery_share[i])
    a = p.attacker
    return tmp.fires[i, a] / np.maximum(tmp.fires[i, 1 - a], _TINY)


def _posture(p: Parameters, i, s, relative_ratio):
    if s != p.attacker:
        return 1.0
    if p.has_territory:
        return attack_posture(relative_ratio, p.stall_ratio[i], p.attacker_posture_multiplier[i])
    return p.attacker_posture_multiplier[i]


def parameters(layout: Layout, matrix: np.ndarray, end_uniforms: np.ndarray) -> Parameters:
    """The parameters of a batch of members, one row of ``matrix`` each, as the step reads them.

    The parameter table lays the matrix out (:func:`pawns.model.parameter_table.fill`); the
    constants of each member that the laws would otherwise recompute every step are added here.
    ``end_uniforms`` ``(N, 2, S)`` are each member's own uniforms of the end of endurance (M8):
    ``[:, 0]`` sets its unit exponential exposure `E_s = -ln(u_s)`, ``[:, 1]`` draws the cause.
    """
    p = fill(layout, matrix)
    end_uniforms = np.asarray(end_uniforms, dtype=np.float64)
    expected = (matrix.shape[0], 2, len(layout.sides))
    if end_uniforms.shape != expected:
        raise ValueError(f"end_uniforms must be shaped {expected}, not {end_uniforms.shape}")
    return p._replace(collapse_log=collapse_log(p.population, p.collapse_loss_share, p.knee_loss_share),
                      stall_log=stall_log(p.stall_ratio), end_exposure=np.ascontiguousarray(-log(end_uniforms[:, 0])),
                      cause_uniform=np.ascontiguousarray(end_uniforms[:, 1]))


def initial_state(p: Parameters) -> State:
    """The state at the start: stocks from the scenario, pipelines in equilibrium.

    Training holds `I_f(0) * training_days` and wounded in care hold the start's daily wounded
    times the recovery time (steady state); the law's coefficient is anchored here (M6).
    """
    n, sides = p.population.shape
    F = p.front0.shape[1]
    fside = p.formation_side
    front = np.array(p.front0, dtype=np.float64, order="C")
    zeros_f = np.zeros((n, F))
    shells = np.array(p.shells_stock0, dtype=np.float64, order="C")
    inflow = p.shells_production + (p.static_supply + p.dynamic_supply_at_start)
    fired = _shells_available(shells, inflow, p.shells_desired, p.has_materiel, p.dt)
    tmp = scratch(n, F, sides)
    ratio = _combat_terms(slice(None), p, front, zeros_f, fired, tmp)
    posture = np.ones((n, sides))
    posture[:, p.attacker] = p.attacker_posture_multiplier
    # A contiguous copy: numpy's power on reversed views may round differently with the batch size.
    enemy_fires = np.ascontiguousarray(tmp.fires[:, ::-1])
    calibrated = calibrate_coefficient(p.casualties_at_start, posture, enemy_fires, tmp.exposed_side, p.fires_exponent, p.exposure_exponent)
    coefficient = np.where(np.isnan(p.casualty_coefficient), calibrated, p.casualty_coefficient)
    side_cas = combat_casualties(coefficient, posture, enemy_fires, tmp.exposed_side, p.fires_exponent, p.exposure_exponent)
    cas_f = np.minimum(split_by_exposure(side_cas[:, fside], tmp.exposed, tmp.exposed_side[:, fside]), front)
    wounded_rate = cas_f * (1.0 - p.killed_share[:, fside])
    wounded = wounded_rate * p.wounded_recovery_days[:, fside]
    training = p.intake0 * p.training_days
    initial_total = training + front + wounded + p.killed0 + p.discharged0
    weighted = _side_sums(p.tolerance_weight * (p.killed0 + p.discharged_weight[:, fside] * p.discharged0), fside, sides)
    nan_s = np.full((n, sides), np.nan)
    zeros_s, zeros = np.zeros((n, sides)), np.zeros(n)
    # tolerance at the start reflects the losses before it (no trend, no momentum yet)
    ones_s = np.ones((n, sides))
    tolerance = np.where(p.has_tolerance, tolerance_index(
        weighted, p.population, p.knee_loss_share, p.collapse_log, p.tolerance_threshold,
        ones_s, ones_s, p.trend_sensitivity, zeros_s, p.momentum_sensitivity), 1.0)
    area0 = np.ascontiguousarray(p.area0, dtype=np.float64)
    gain0 = p.gain_at_start.copy() if p.has_territory else zeros.copy()
    return State(
        training=training, front=front, wounded=wounded, killed=np.array(p.killed0, order="C"),
        discharged=np.array(p.discharged0, order="C"), deserted=zeros_f.copy(), rotated=zeros_f.copy(),
        labor=zeros_f.copy(), experience=zeros_f.copy(), inflow_total=zeros_f.copy(), initial_total=initial_total,
        intake_total=zeros_f.copy(), wounded_total=zeros_f.copy(), casualties=cas_f, person_days_deployed=zeros_f.copy(),
        veteran_combat_days=zeros_f.copy(), payment_usd=zeros_f.copy(), materiel_usd=zeros_f.copy(),
        coefficient=coefficient, front_at_start=_side_sums(front, fside, sides), shells=shells,
        shells_fired=fired, fire_ratio_mean=fired / p.shells_desired, bonus=p.bonus0.copy(), pool=p.pool0.copy(),
        bonus_spending_rub=zeros_s.copy(), days_since_review=zeros_s.copy(), intake_since_review=zeros_s.copy(),
        losses_since_review=zeros_s.copy(), weighted_losses=weighted, loss_rate_mean=nan_s.copy(),
        loss_rate_reference=nan_s.copy(), tolerance=tolerance, labor_gap=p.labor_gap0.copy(),
        end_day=nan_s.copy(), end_cause=np.zeros((n, sides), dtype=np.int8), end_hazard=zeros_s.copy(),
        cumulative_hazard=zeros_s.copy(), restricted_days=zeros_s.copy(), end_probability_1y=nan_s.copy(),
        end_probability_2y=nan_s.copy(), end_probability_5y=nan_s.copy(), national_front_days=zeros_s.copy(),
        shells_produced=zeros_s.copy(), deficit_at_start=morale_deficit(tolerance, p.tolerance_threshold, p.feedback_scale),
        force_ratio_at_start=ratio,
        area=area0.copy(), gain=gain0, gain_mean=gain0.copy(), support=np.ones(n), delivered=np.ones(n),
        days_below_threshold=zeros.copy(), abandon_day=np.full(n, np.nan), nuclear_events=zeros.copy(),
    )


def _side_sums(values: np.ndarray, formation_side: np.ndarray, sides: int) -> np.ndarray:
    # Explicit column order keeps sums bit-identical whatever the batch size.
    out = np.zeros((values.shape[0], sides))
    for f, s in enumerate(formation_side):
        out[:, s] = out[:, s] + values[:, f]
    return out


def advance(state: State, p: Parameters, step: int, nuclear_uniform: np.ndarray) -> State:
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
    p
        The members' parameters (:func:`parameters`).
    step
        The step's index (day = step * dt).
    nuclear_uniform
        One uniform per member for this step's nuclear-threat draw (M9).

    Notes
    -----
    The step itself is :func:`step_members`, applied here to the whole batch at once with
    numpy; the compiled engine (``pawns.engine.kernel``) applies the same function to one
    member at a time.
    """
    new = State(*(np.empty_like(values) for values in state))
    tmp = scratch(p.population.shape[0], p.formation_side.shape[0], p.population.shape[1])
    step_members(slice(None), step, state, p, nuclear_uniform, new, tmp)
    return new


def step_members(i, step: int, old: State, p: Parameters, nuclear_uniform, new: State, tmp: Scratch) -> None:
    """One step `dt` for members ``i``: reads ``old``, writes ``new`` (M1–M11 in order).

    ``i`` is ``slice(None)`` for a whole batch (numpy arrays over members) or one member's
    index (numbers, in the compiled engine); every line reads the same either way. Outflows
    of each stock are limited together (no stock goes negative) and every person moved is
    taken from one stock and added to another (conservation).
    """
    dt = p.dt
    day = step * dt
    F, S = p.formation_side.shape[0], p.population.shape[1]
    fs = p.formation_side

    # M1: arrivals of tranches (combat share to training, the rest to labor)
    for f in range(F):
        tmp.arrivals_training[i, f] = 0.0
        tmp.arrivals_labor[i, f] = 0.0
    for k in range(p.tranche_step.shape[0]):
        if p.tranche_step[k] == step:
            f = p.tranche_formation[k]
            size, share = p.tranche_size[i, k], p.tranche_share[i, k]
            tmp.arrivals_training[i, f] = tmp.arrivals_training[i, f] + size * share
            tmp.arrivals_labor[i, f] = tmp.arrivals_labor[i, f] + size * (1.0 - share)

    # M4, M8: the feedback of a failing will on desertion and combat effectiveness
    for s in range(S):
        deficit = np.maximum(morale_deficit(old.tolerance[i, s], p.tolerance_threshold[i, s], p.feedback_scale[i, s])
                             - old.deficit_at_start[i, s], 0.0)
        tmp.desertion_factor[i, s] = 1.0 + p.feedback_desertion[i, s] * deficit
        tmp.effectiveness[i, s] = 1.0 - p.feedback_effectiveness[i, s] * deficit

    # M9 and M2: external supply, the labor market and the shells each side can fire
    for s in range(S):
        supply = p.static_supply[i, s] + p.dynamic_supply_at_start[i, s] * old.delivered[i]
        foreign_labor = 0.0
        domestic_intake = 0.0
        for f in range(F):
            if fs[f] == s:
                if p.foreign[f]:
                    foreign_labor = foreign_labor + old.labor[i, f]
                else:
                    domestic_intake = domestic_intake + old.intake_total[i, f]
        if p.has_labor[s]:
            gap, production_factor, recruitment_factor = labor_market(
                p.labor_gap0[i, s], domestic_intake, p.recruits_from_workforce[i, s], foreign_labor,
                p.foreign_laborer_productivity[i, s], p.production_elasticity[i, s], p.recruitment_elasticity[i, s])
            new.labor_gap[i, s] = gap
            tmp.recruitment_factor[i, s] = recruitment_factor
            produced = p.shells_production[i, s] * production_factor
        else:  # no labor market: factors of 1
            new.labor_gap[i, s] = np.nan
            tmp.recruitment_factor[i, s] = 1.0
            produced = p.shells_production[i, s]
        inflow = produced + supply
        new.shells_produced[i, s] = old.shells_produced[i, s] + produced * dt
        tmp.shell_inflow[i, s] = inflow
        new.shells_fired[i, s] = _shells_available(old.shells[i, s], inflow, p.shells_desired[i, s], p.has_materiel[s], dt)

    # M6: combat — casualties by side, split among formations by exposure
    ratio = _combat_terms(i, p, old.front, old.experience, new.shells_fired, tmp)
    for s in range(S):
        tmp.fires[i, s] = tmp.fires[i, s] * tmp.effectiveness[i, s]
    ratio = ratio * tmp.effectiveness[i, p.attacker] / tmp.effectiveness[i, 1 - p.attacker]
    relative_ratio = ratio / np.maximum(old.force_ratio_at_start[i], _TINY)
    for s in range(S):
        tmp.side_casualties[i, s] = combat_casualties(old.coefficient[i, s], _posture(p, i, s, relative_ratio), tmp.fires[i, 1 - s],
                                                      tmp.exposed_side[i, s], p.fires_exponent[i], p.exposure_exponent[i])
    for f in range(F):
        s = fs[f]
        casualties = split_by_exposure(tmp.side_casualties[i, s], tmp.exposed[i, f], tmp.exposed_side[i, s])
        front = old.front[i, f]
        # outflows of the front, scaled down together if they would exceed it
        casualties_dt = casualties * dt
        deserting_dt = p.desertion_per_day[i, f] * tmp.desertion_factor[i, s] * front * dt
        rotating_dt = p.rotation_per_day[i, f] * front * dt
        total = casualties_dt + deserting_dt + rotating_dt
        scale = select(total > front, front / np.maximum(total, _TINY), 1.0)
        tmp.casualties_dt[i, f] = casualties_dt * scale
        tmp.deserting_dt[i, f] = deserting_dt * scale
        tmp.rotating_dt[i, f] = rotating_dt * scale
        tmp.killed_dt[i, f] = tmp.casualties_dt[i, f] * p.killed_share[i, s]

    # M7: force generation — intake of bonus-driven formations draws on the pool of the willing
    for s in range(S):
        tmp.driven_intake[i, s] = 0.0
    for f in range(F):
        s = fs[f]
        driven = p.bonus_driven[f] and p.has_recruitment[s]
        if driven:
            intake = recruitment_intake(p.intake0[i, f], old.bonus[i, s] / p.bonus0[i, s], p.bonus_elasticity[i, s],
                                        old.pool[i, s] / p.pool0[i, s], tmp.recruitment_factor[i, s])
            tmp.intake_dt[i, f] = intake * dt
            tmp.driven_intake[i, s] = tmp.driven_intake[i, s] + intake * dt
        else:
            tmp.intake_dt[i, f] = p.intake0[i, f] * dt
    for s in range(S):
        driven_intake = tmp.driven_intake[i, s]
        pool_scale = select(driven_intake > old.pool[i, s], old.pool[i, s] / np.maximum(driven_intake, _TINY), 1.0)
        tmp.pool_scale[i, s] = pool_scale
        driven_intake = driven_intake * pool_scale
        tmp.driven_intake[i, s] = driven_intake
        new.pool[i, s] = select(p.has_recruitment[s], old.pool[i, s] - driven_intake + p.pool_regeneration[i, s] * dt, old.pool[i, s])
        new.bonus_spending_rub[i, s] = old.bonus_spending_rub[i, s] + driven_intake * old.bonus[i, s]
    for f in range(F):
        if p.bonus_driven[f] and p.has_recruitment[fs[f]]:
            tmp.intake_dt[i, f] = tmp.intake_dt[i, f] * tmp.pool_scale[i, fs[f]]

    # M2: labor — rotation of laborers and the soldiers they free
    for f in range(F):
        tmp.labor_rotating_dt[i, f] = np.minimum(p.rotation_per_day[i, f] * old.labor[i, f] * dt, old.labor[i, f])
        tmp.freed_in[i, f] = 0.0
        tmp.freed_out[i, f] = 0.0
    for k in range(p.freed_contingent.shape[0]):
        c, target = p.freed_contingent[k], p.freed_target[k]
        tmp.freed_in[i, target] = tmp.freed_in[i, target] + p.freed_per_laborer[i, c] * tmp.arrivals_labor[i, c]
        tmp.freed_out[i, target] = tmp.freed_out[i, target] + p.freed_per_laborer[i, c] * tmp.labor_rotating_dt[i, c]

    # new stocks, formation by formation
    for f in range(F):
        s = fs[f]
        trains = p.training_days[i, f] > 0
        # wounded in care: return to duty or discharge
        leaving_care = old.wounded[i, f] * np.minimum(dt / p.wounded_recovery_days[i, s], 1.0)
        returned_dt = leaving_care * p.wounded_return_fraction[i, s]
        discharged_dt = leaving_care - returned_dt
        tmp.discharged_dt[i, f] = discharged_dt
        # training pipeline; untrained arrivals go straight to the front
        graduating = select(trains, old.training[i, f] * np.minimum(dt / np.maximum(p.training_days[i, f], _TINY), 1.0), old.training[i, f])
        graduating_new = select(trains, 0.0, tmp.arrivals_training[i, f])
        casualties_dt, deserting_dt, rotating_dt = tmp.casualties_dt[i, f], tmp.deserting_dt[i, f], tmp.rotating_dt[i, f]
        killed_dt = tmp.killed_dt[i, f]
        wounded_in_dt = casualties_dt - killed_dt
        # clamped: the scaled outflows can exceed the front by a rounding error
        survivors = np.maximum(old.front[i, f] - casualties_dt - deserting_dt - rotating_dt, 0.0)
        freed_out = np.minimum(tmp.freed_out[i, f], survivors + returned_dt)
        veterans = survivors + returned_dt - freed_out
        experience = tmp.experience[i, f]
        new.front[i, f] = veterans + graduating + graduating_new + tmp.freed_in[i, f]
        new.training[i, f] = old.training[i, f] - graduating + tmp.intake_dt[i, f] + select(trains, tmp.arrivals_training[i, f], 0.0)
        new.wounded[i, f] = old.wounded[i, f] - leaving_care + wounded_in_dt
        new.killed[i, f] = old.killed[i, f] + killed_dt
        new.discharged[i, f] = old.discharged[i, f] + discharged_dt
        new.deserted[i, f] = old.deserted[i, f] + deserting_dt
        new.rotated[i, f] = old.rotated[i, f] + rotating_dt + tmp.labor_rotating_dt[i, f] + freed_out
        new.labor[i, f] = old.labor[i, f] + tmp.arrivals_labor[i, f] - tmp.labor_rotating_dt[i, f]
        new.inflow_total[i, f] = (old.inflow_total[i, f] + tmp.intake_dt[i, f] + tmp.arrivals_training[i, f]
                                  + tmp.arrivals_labor[i, f] + tmp.freed_in[i, f])
        new.experience[i, f] = (experience + dt) * veterans
        new.intake_total[i, f] = old.intake_total[i, f] + tmp.intake_dt[i, f]
        new.wounded_total[i, f] = old.wounded_total[i, f] + wounded_in_dt
        new.casualties[i, f] = casualties_dt / dt
        new.veteran_combat_days[i, f] = old.veteran_combat_days[i, f] + rotating_dt * experience
        new.initial_total[i, f] = old.initial_total[i, f]
        # M11: the contingent's ledger
        deployed = old.training[i, f] + old.front[i, f] + old.wounded[i, f] + old.labor[i, f]
        pay, materiel = contingent_ledger_rates(deployed, p.payment_usd_per_soldier_month[i, f], p.materiel_usd_per_soldier_month[i, f])
        new.person_days_deployed[i, f] = old.person_days_deployed[i, f] + deployed * dt
        new.payment_usd[i, f] = old.payment_usd[i, f] + pay * dt
        new.materiel_usd[i, f] = old.materiel_usd[i, f] + materiel * dt

    # materiel
    for s in range(S):
        fired = new.shells_fired[i, s]
        new.shells[i, s] = np.maximum(old.shells[i, s] + (tmp.shell_inflow[i, s] - fired) * dt, 0.0)
        fire_ratio = fired / p.shells_desired[i, s]
        new.fire_ratio_mean[i, s] = old.fire_ratio_mean[i, s] + (fire_ratio - old.fire_ratio_mean[i, s]) * dt / SMOOTHING_DAYS

    # M6: territory
    if p.has_territory:
        gain = territory_gain(relative_ratio, p.gain_at_start[i], p.stall_ratio[i], p.stall_log[i])
    else:
        gain = 0.0
    new.gain[i] = gain
    new.area[i] = old.area[i] + gain * dt
    gain_mean = old.gain_mean[i] + (gain - old.gain_mean[i]) * dt / SMOOTHING_DAYS
    new.gain_mean[i] = gain_mean

    # M4, M5: casualty tolerance and the will to fight; M7: bonus review; M8: endurance
    if p.has_territory:
        relative_gain = gain_mean / np.maximum(np.abs(p.gain_at_start[i]), _TINY) - 1.0
    else:
        relative_gain = 0.0
    for s in range(S):
        weighted_step = 0.0
        own_losses = 0.0
        side_front = 0.0
        national_front = 0.0
        for f in range(F):
            if fs[f] == s:
                killed_dt, discharged_dt = tmp.killed_dt[i, f], tmp.discharged_dt[i, f]
                weighted_step = weighted_step + p.tolerance_weight[i, f] * (killed_dt + p.discharged_weight[i, s] * discharged_dt)
                if not p.foreign[f]:
                    own_losses = own_losses + (killed_dt + discharged_dt + tmp.deserting_dt[i, f])
                else:
                    national_front = national_front + new.front[i, f]
                side_front = side_front + new.front[i, f]
        new.national_front_days[i, s] = old.national_front_days[i, s] + national_front * dt
        weighted_losses = old.weighted_losses[i, s] + weighted_step
        rate = weighted_step / dt
        first = np.isnan(old.loss_rate_reference[i, s])
        reference = select(first, rate, old.loss_rate_reference[i, s])
        mean = select(first, rate, old.loss_rate_mean[i, s] + (rate - old.loss_rate_mean[i, s]) * dt / SMOOTHING_DAYS)
        momentum = bounded_momentum(relative_gain if s == p.attacker else -relative_gain, p.momentum_bound[i, s])
        if p.has_tolerance[s]:
            tolerance = tolerance_index(
                weighted_losses, p.population[i, s], p.knee_loss_share[i, s], p.collapse_log[i, s],
                p.tolerance_threshold[i, s], mean, reference, p.trend_sensitivity[i, s], momentum, p.momentum_sensitivity[i, s])
            tolerance = will_to_fight(tolerance, _strain(p, i, s, old, new), p.strain_sensitivity[i, s],
                                      _support_felt(p, i, s, old), p.support_sensitivity[i, s])
        else:
            tolerance = 1.0 + 0.0 * mean
        new.weighted_losses[i, s] = weighted_losses
        new.loss_rate_reference[i, s] = reference
        new.loss_rate_mean[i, s] = mean
        new.tolerance[i, s] = tolerance

        days_since_review = old.days_since_review[i, s] + dt
        due = days_since_review >= p.review_days[i, s] - 1e-9
        intake_since_review = old.intake_since_review[i, s] + tmp.driven_intake[i, s]
        losses_since_review = old.losses_since_review[i, s] + own_losses
        new.bonus[i, s] = bonus_review(old.bonus[i, s], intake_since_review, losses_since_review,
                                       p.ratchet_fraction[i, s], p.bonus_ceiling[i, s], due & p.has_recruitment[s])
        new.intake_since_review[i, s] = select(due, 0.0, intake_since_review)
        new.losses_since_review[i, s] = select(due, 0.0, losses_since_review)
        new.days_since_review[i, s] = select(due, 0.0, days_since_review)

        _endurance(i, s, day, old, p, side_front, tolerance, new)
        new.coefficient[i, s] = old.coefficient[i, s]
        new.deficit_at_start[i, s] = old.deficit_at_start[i, s]
        new.front_at_start[i, s] = old.front_at_start[i, s]

    # M9: external support and abandonment
    _support(i, day, old, p, gain_mean, nuclear_uniform, new)
    new.force_ratio_at_start[i] = old.force_ratio_at_start[i]


def _strain(p: Parameters, i, s, old: State, new: State):
    """Economic strain of side ``s`` (M4): its bonus and labor gap against the start's, 0 without either table."""
    bonus_ratio = select(p.has_recruitment[s], old.bonus[i, s] / p.bonus0[i, s], 1.0)
    gap_ratio = select(p.has_labor[s], new.labor_gap[i, s] / p.labor_gap0[i, s], 1.0)
    return economic_strain(bonus_ratio, gap_ratio)


def _support_felt(p: Parameters, i, s, old: State):
    """External support as side ``s`` feels it (M9): the dynamic supporter's for its recipient, else 1."""
    if s == p.supported_side:
        return old.support[i]
    return 1.0 + 0.0 * old.support[i]


def _endurance(i, s, day, old: State, p: Parameters, side_front, will, new: State) -> None:
    """M8 for side ``s``: the three hazards, the survival curve, and the end when the member's exposure is used up."""
    dt = p.dt
    manpower = select(p.has_endurance[s], limit_hazard(side_front / np.maximum(old.front_at_start[i, s], _TINY),
                                                       p.min_front_fraction[i, s], p.hazard_at_limit[i, s], p.manpower_scale[i, s]), 0.0)
    materiel = select(p.has_endurance[s] and p.has_materiel[s],
                      limit_hazard(new.fire_ratio_mean[i, s], p.min_fire_fraction[i, s], p.hazard_at_limit[i, s], p.materiel_scale[i, s]), 0.0)
    tolerance = select(p.has_tolerance[s], concession_hazard(will, p.tolerance_threshold[i, s], p.hazard_at_threshold[i, s],
                                                            p.hazard_scale[i, s]), 0.0)
    hazard = manpower + materiel + tolerance
    cumulative, survived = survival_step(old.cumulative_hazard[i, s], hazard, dt)
    new.end_hazard[i, s] = hazard
    new.cumulative_hazard[i, s] = cumulative
    new.restricted_days[i, s] = old.restricted_days[i, s] + survived
    ended = 1.0 - exp(-cumulative)
    new.end_probability_1y[i, s] = select(day + dt == END_PROBABILITY_DAYS[0], ended, old.end_probability_1y[i, s])
    new.end_probability_2y[i, s] = select(day + dt == END_PROBABILITY_DAYS[1], ended, old.end_probability_2y[i, s])
    new.end_probability_5y[i, s] = select(day + dt == END_PROBABILITY_DAYS[2], ended, old.end_probability_5y[i, s])
    newly = np.isnan(old.end_day[i, s]) & (cumulative >= p.end_exposure[i, s])
    cause = hazard_cause(manpower, materiel, tolerance, p.cause_uniform[i, s])
    new.end_day[i, s] = select(newly, day + dt, old.end_day[i, s])
    new.end_cause[i, s] = select(newly, cause, old.end_cause[i, s])


def _support(i, day, old: State, p: Parameters, gain_mean, uniform, new: State) -> None:
    """M9 for one step: support, deliveries, the abandonment clock and nuclear-threat events."""
    dt = p.dt
    if p.supported_side < 0:
        new.support[i] = old.support[i]
        new.delivered[i] = old.delivered[i]
        new.days_below_threshold[i] = old.days_below_threshold[i]
        new.abandon_day[i] = old.abandon_day[i]
        new.nuclear_events[i] = old.nuclear_events[i]
        return
    sign = 1.0 if p.supported_side != p.attacker else -1.0
    if p.has_territory:
        progress = sign * (p.gain_at_start[i] - gain_mean) / np.maximum(np.abs(p.gain_at_start[i]), _TINY)
    else:
        progress = 0.0
    enemy = 1 - p.supported_side
    foreign_front = 0.0
    for f in range(p.formation_side.shape[0]):
        if p.formation_side[f] == enemy and p.foreign[f]:
            foreign_front = foreign_front + new.front[i, f]
    fighting_for_enemy = select(foreign_front > 0.5, 1.0, 0.0)
    equilibrium = support_equilibrium(day, p.fatigue_per_year[i], progress, p.progress_sensitivity[i], fighting_for_enemy, p.bad_news_sensitivity[i])
    event = uniform < p.nuclear_threats_per_year[i] * dt / 365.0
    support = support_step(old.support[i], equilibrium, p.support_adjustment_days[i], event, p.nuclear_threat_damping[i], dt)
    abandoned = ~np.isnan(old.abandon_day[i])
    support = select(abandoned, p.residual_after_abandonment[i], support)
    below = select(support < p.abandonment_threshold[i], old.days_below_threshold[i] + dt, 0.0)
    newly = ~abandoned & (below >= p.abandonment_hold_days[i] - 1e-9)
    new.abandon_day[i] = select(newly, day + dt, old.abandon_day[i])
    support = select(newly, p.residual_after_abandonment[i], support)
    new.support[i] = support
    new.days_below_threshold[i] = below
    new.delivered[i] = old.delivered[i] + (support - old.delivered[i]) * np.minimum(dt / p.delivery_lag_days[i], 1.0)
    new.nuclear_events[i] = old.nuclear_events[i] + select(event, 1.0, 0.0)
