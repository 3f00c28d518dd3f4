"""# The pawns model

This module is the model's single source: every equation pawns integrates is here, one
function per mechanism, and `docs/model.md` is generated from these docstrings
(`python -m pawns.model.document > docs/model.md`; a test keeps the two identical).

## Notation

Time `t` runs in days from the scenario's start, in steps of `dt` (one day by default).
Index `f` is a formation (a domestic formation such as *RU contract*, or a foreign contingent
such as *DPRK* attached to a side), `s` a side, `s'` its enemy, `z` a front sector (`main`,
and others such as `kursk`). Every quantity is an array over ensemble members: members never
interact, so each member is an independent run.

A contributor `c` (a country helping a side, such as the DPRK) helps through channels: its
troops (a contingent `f` of its name), shells, missiles, artillery, workers and payments;
a donor bloc `b` (the US, Europe) is one part of a side's external supporters.

Stocks per formation, in persons: training `T`, front `A`, wounded in care `W`, killed `K`,
discharged (permanently disabled; for a contingent, evacuated home) `D`, deserted `X`,
rotated home `R`, labor `L` (foreign troops used as laborers), and host soldiers redeploying
between sectors `Y`. The front and the wounded in care are held per sector (`A_{f,z}`,
`W_{f,z}`; `A_f` is their sum), the front by stage of its tour and training by stage (M1).
Personnel is conserved exactly:

    T + A + W + K + D + X + R + L + Y = initial total + cumulative inflow (intake, arrivals, freed)

All outflows from a stock are scaled down together when they would exceed it, so no stock
goes negative.
"""

from __future__ import annotations

import numpy as np

from pawns.model.elementwise import exp, log, log1p, power, tanh
from pawns.model.layout import Layout
from pawns.model.parameter_table import Parameters, fill
from pawns.model.state import Scratch, State, scratch
from pawns.scenario.schema import LOOPS

CAUSE_NONE, CAUSE_MANPOWER, CAUSE_MATERIEL, CAUSE_TOLERANCE = 0, 1, 2, 3
CAUSES = {CAUSE_NONE: "none", CAUSE_MANPOWER: "manpower", CAUSE_MATERIEL: "materiel", CAUSE_TOLERANCE: "tolerance"}
SMOOTHING_DAYS = 30.0
DAYS_PER_YEAR = 365.0
# Days at which the probability that a side's endurance has ended is kept (1, 2 and 5 years).
END_PROBABILITY_DAYS = (365.0, 730.0, 1825.0)
# A daily hazard above this is an end within the day; the cap keeps the arithmetic finite.
MAX_HAZARD_PER_DAY = 10.0
TECHNOLOGY_COUNT = 4  # air defence, space, submarine, drone production: the order of pawns.scenario.schema.TECHNOLOGIES
# How much of a sector's stake must be gone before the fight for it visibly slackens (see `contest`).
CONTEST_KNEE = 0.1
MAIN = 0  # the main sector's index: it takes the remainder and the units freed elsewhere
# The feedback loops a variant can cut (`Layout.with_loops_cut`): their places in `p.loop_cut`.
LOOP_POSTURE = LOOPS.index("posture")
LOOP_RECRUITMENT = LOOPS.index("recruitment")
LOOP_TOLERANCE = LOOPS.index("tolerance")
LOOP_ALLOCATION = LOOPS.index("allocation")
LOOP_SUPPORT = LOOPS.index("support")
LOOP_MATERIEL = LOOPS.index("materiel")
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


def firing_policy(stock, inflow, desired, target_days, max_multiple, dt):
    """## M6 — Shells: a stock, and a firing policy

    A side's shells are a stock `Z_s`: production (M2) and deliveries (supporters, a
    contributor's shells) flow in, firing and enemy missile strikes flow out. The side aims to
    fire its desired rate `D_s` when its depots hold `T_s` days of it, more when they hold
    more and less when they hold less, so that a short stock rebuilds and an ample one is used:

        cover  c_s = (Z_s + inflow_s * dt) / (D_s * T_s)
        aim    a_s = D_s * M_s * c_s / (M_s - 1 + c_s)
        fired_s = min(a_s, Z_s / dt + inflow_s)

    `a_s` rises smoothly from 0 (empty depots) through `D_s` (at the target cover) towards
    `M_s * D_s` (the most the side's guns and crews fire when shells are plentiful). With
    `M_s = 1` the side fires its desired rate while the stock lasts.
    """
    available = stock + inflow * dt
    cover = available / np.maximum(desired * target_days, _TINY)
    aim = desired * max_multiple * cover / np.maximum(max_multiple - 1.0 + cover, _TINY)
    return np.minimum(aim, available / dt)


def fire_value(fire_ratio, surplus_value):
    """## M6 — The value of fire above the desired rate

    Fire counts in proportion up to the desired rate; above it, each further shell is worth
    less, and the value saturates smoothly (continuous, with a continuous slope at 1):

        v(x) = x                                   for x <= 1
        v(x) = 1 + c * (1 - exp(-(x - 1) / c))     for x > 1

    with `x` the fire (shells, plus a contributor's artillery) over the desired rate and `c`
    the most that surplus fire can add (0: nothing above the desired rate).
    """
    excess = np.maximum(fire_ratio - 1.0, 0.0)
    above = 1.0 + surplus_value * (1.0 - exp(-excess / np.maximum(surplus_value, _TINY)))
    return select(fire_ratio <= 1.0, fire_ratio, above)


def fire_support(fire_ratio: np.ndarray, artillery_share: np.ndarray, surplus_value: np.ndarray) -> np.ndarray:
    """## M6 — Fire support from materiel

    A share `a` of a side's fires scales with the value of the fire it delivers; the rest
    (small arms, drones, armour) does not:

        mu_s(t) = (1 - a) + a * v(x_s(t)),    x_s = (fired_s + artillery_s) / desired_s

    A side with no materiel table has `mu_s = 1`.
    """
    share = along_members(artillery_share, fire_ratio)
    surplus = along_members(surplus_value, fire_ratio)
    return (1.0 - share) + share * fire_value(fire_ratio, surplus)


def missile_strikes(launched, accurate_share, shells_per_hit, intercept_share):
    """## M6 — Missiles: strikes on the enemy's materiel

    A contributor's missiles wait in the host's stock for a mean `tau_m` days (launches per
    day `M_c / tau_m`). A share `h` of those launched hits a military target; the enemy's air
    defence intercepts a share `i_s'` of them; each hit destroys `k` shells (or materiel worth
    as many) in the enemy's stock:

        destroyed_s'(t) = launched_c(t) * h * k * (1 - i_s'(t))
    """
    return launched * accurate_share * shells_per_hit * (1.0 - intercept_share)


def aid_form_index(bloc_share_total, delivered_weighted):
    """## M9 — What aid delivers: air defence, money for recruitment and pay

    A form of aid (air defence, budget support for recruitment and pay) comes partly from the
    blocs, each with its share `w_b` of it at the start, and partly from the recipient itself.
    Relative to the start it is

        index(t) = (1 - sum_b w_b) + sum_b w_b * D_b(t)

    with `D_b` the bloc's deliveries relative to the start.
    """
    return (1.0 - np.minimum(bloc_share_total, 1.0)) + delivered_weighted


def interception(intercept_at_start, air_defence_index):
    """## M9 — Air defence: the share of enemy missiles intercepted

        i_s(t) = min(i_s(0) * air_defence_index_s(t), 1)
    """
    return np.minimum(intercept_at_start * air_defence_index, 1.0)


def pay_intake_factor(budget_index, elasticity):
    """## M9 — Money for recruitment and pay

    The recipient's intake follows the budget support that pays its recruits:

        intake factor = index_pay(t)^epsilon_pay
    """
    return power(np.maximum(budget_index, _TINY), elasticity)


def combat_casualties(
    coefficient: np.ndarray,
    posture: np.ndarray,
    enemy_fires: np.ndarray,
    exposed: np.ndarray,
    fires_exponent: np.ndarray,
    exposure_exponent: np.ndarray,
) -> np.ndarray:
    """## M6 — Attrition: the generalized Lanchester/Helmbold law, sector by sector

    Casualties (killed + wounded) per day suffered by side `s` in sector `z`:

        C_{s,z}(t) = k_{s,z} * P_{s,z}(t) * F_{s',z}(t)^p * E_{s,z}(t)^q

    with enemy fires `F_{s',z} = mu_s' * sum_f q_f * A_{f,z}` over the enemy's formations in
    the sector, own exposed force `E_{s,z} = sum_f x_f * m_f * A_{f,z}`, and posture `P_{s,z}`
    (the sector attacker's multiplier while it attacks, else 1). Special cases: `p = 1, q = 0`
    is Lanchester's square law (aimed fire); `p = q = 1` the linear law (area fire); `p = 0,
    q = 1` the logarithmic law (losses proportional to own strength). A sector where either
    side has no one has no combat. The coefficient `k_{s,z}` is either given (the same in
    every sector), or fixed so that `C_{s,z}(0)` equals the sector's share of the scenario's
    casualties per day at the start (see `calibrate_coefficient`).
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

        k_{s,z} = c_{s,z} * C_s(0) / (P_{s,z}(0) * F_{s',z}(0)^p * E_{s,z}(0)^q)

    with `c_{s,z}` the sector's share of the side's casualties at the start
    (`casualty_share_at_start`; the main sector takes the rest), so the law reproduces the
    observed flows at the start, and the exponents govern only how casualties change as
    forces and fires change. A sector with no share has `k = 0`.
    """
    p, q = along_members(fires_exponent, enemy_fires), along_members(exposure_exponent, exposed)
    law = posture * power(enemy_fires, p) * power(exposed, q)
    return np.where(casualties_at_start > 0, casualties_at_start / np.maximum(law, _TINY), 0.0)


def split_by_exposure(side_casualties: np.ndarray, exposed: np.ndarray, side_exposed: np.ndarray) -> np.ndarray:
    """## M3, M6 — Casualties split among formations by exposure

    A side's casualties in a sector fall on its formations there in proportion to their
    exposed strength:

        c_{f,z} = C_{s,z} * x_f * m_f * A_{f,z} / E_{s,z}

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
    foreign_labor: np.ndarray,
    production_elasticity: np.ndarray,
    recruitment_elasticity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """## M2 — Labor substitution

    The labor gap (unfilled jobs) grows with recruits drawn from the workforce and shrinks
    with foreign labor:

        G(t) = G(0) + phi * (cumulative domestic intake) - L_foreign(t)
        L_foreign = rho * L_troops + sum_c rho_c * W_c

    counting foreign troops used as laborers `L_troops` at their productivity `rho` and a
    contributor's workers `W_c` at theirs (floored at 5% of `G(0)`). A wider gap lowers defense
    production and the intake the economy bears (civilian wages compete with the bonus):

        production factor  = (G(0) / G(t))^eta_p
        recruitment factor = (G(0) / G(t))^eta_r

    Foreign laborers can also free own soldiers for the front: each arriving laborer moves
    `freed_per_laborer` soldiers of the receiving formation from rear duties to the front, and
    each departing laborer sends them back (counted as rotated out of the front).
    """
    gap = gap_at_start + from_workforce * domestic_intake_cumulative - foreign_labor
    gap = np.maximum(gap, 0.05 * gap_at_start)
    ratio = gap_at_start / gap
    return gap, power(ratio, production_elasticity), power(ratio, recruitment_elasticity)


def defence_output_factor(defence_workers, defence_workforce):
    """## M2 — A contributor's workers in the defence industry

    Workers a contributor sends into the host's defence plants add to their output in
    proportion to the plants' own workforce `N_def` (at their productivity):

        output factor = 1 + sum_c rho_c * d_c * W_c / N_def

    with `d_c` the share of the contributor's workers employed there. Without a stated
    defence workforce the factor is 1 (the workers only ease the gap).
    """
    return 1.0 + defence_workers / defence_workforce


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


def contingent_salience(salience, front, casualties_per_day, front_half, casualties_half, salience_days, dt):
    """## M9 — Bad news: the salience of the enemy's foreign contingents

    Foreign troops fighting for the enemy are news: their presence at the front (first
    combat) and their casualties (casualty reports). The salience `sigma` of the news is a
    stock that follows, with a lag of `tau_sigma`, a saturating function of both:

        n(t) = A_c(t) / A_half + C_c(t) / C_half
        sigma(t + dt) = sigma + (n / (1 + n) - sigma) * dt / tau_sigma

    with `A_c` the contingents' front strength and `C_c` their casualties per day. It is zero
    while no contingent is at the front, grows with its size and its losses, and never
    exceeds 1; `A_half` and `C_half` say how publicised they are (what brings half the most).
    """
    news = front / front_half + casualties_per_day / casualties_half
    return salience + (news / (1.0 + news) - salience) * np.minimum(dt / salience_days, 1.0)


def support_equilibrium(
    day: float,
    fatigue_per_year: np.ndarray,
    progress: np.ndarray,
    progress_sensitivity: np.ndarray,
    salience: np.ndarray,
    bad_news_sensitivity: np.ndarray,
    policy_changed: np.ndarray,
    policy_cut: np.ndarray,
) -> np.ndarray:
    """## M9 — External support: where each bloc's support is heading

    Support `S_b` of donor bloc `b` (1 = its level at the start) relaxes towards an
    equilibrium that drifts down with the bloc's fatigue, rises with perceived progress of
    the supported side, falls with the salience of the enemy's foreign contingents (cited as
    proof that "the war is going badly"), and is cut by a change of the bloc's policy:

        S_eq,b(t) = (1 - c_b * P_b(t)) * (1 - phi_b * t / 365 + alpha * progress(t) - beta_b * sigma(t))
        progress(t) = (g(0) - g_bar(t)) / g(0)   for a supported defender

    with `g_bar` the 30-day mean territorial gain of the attacker and `P_b` 1 once the
    bloc's policy has changed. A policy change arrives with hazard `lambda_b` per year from
    a date (e.g. a new administration taking office), and is kept for the rest of the run.
    """
    drift = 1.0 - fatigue_per_year * day / 365.0 + progress_sensitivity * progress - bad_news_sensitivity * salience
    return (1.0 - policy_cut * policy_changed) * drift


def support_step(
    support: np.ndarray,
    equilibrium: np.ndarray,
    adjustment_days: np.ndarray,
    nuclear_event: np.ndarray,
    nuclear_damping: np.ndarray,
    dt: float,
) -> np.ndarray:
    """## M9 — External support: fatigue, nuclear threats and abandonment

        S_b(t + dt) = [S_b + (S_eq,b - S_b) * dt / tau_S] * (1 - d_b * [nuclear threat today])

    Nuclear-threat events arrive as a Poisson process (rate per year from the scenario),
    each cutting bloc `b`'s support by its fraction `d_b`. Support stays non-negative.
    Deliveries `D_b` follow support with a first-order lag (`delivery_lag_days`); the bloc
    allocates `A_b(0) * S_b` EUR bn a year and delivers `shells_b(0) * D_b` shells a day, and
    its shares of the recipient's air defence and pay follow `D_b` (aid forms, above).
    Abandonment is decided on total support, weighted by the blocs' aid in money,

        S(t) = sum_b A_b(0) * S_b(t) / sum_b A_b(0)

    When `S` stays below the abandonment threshold for `abandonment_hold_days`, the supporters
    abandon the recipient: every bloc's support drops to the residual level for the rest of
    the run, and the abandonment date is recorded (M10). One uniform per member and step
    decides the day's events, from disjoint ends of (0, 1): a nuclear threat below its
    chance, a bloc's policy change above one less its chance (the chances add below one).
    """
    relaxed = support + (equilibrium - support) * dt / adjustment_days
    return np.maximum(relaxed * select(nuclear_event, 1.0 - nuclear_damping, 1.0), 0.0)


def stall_log(stall_ratio: np.ndarray) -> np.ndarray:
    """The denominator of the territory law, `ln(1 / rho_stall)` (a constant of each member and sector)."""
    return log(1.0 / stall_ratio)


def gain_norm(max_multiple: np.ndarray) -> np.ndarray:
    """`G tanh(1 / G)`: what the saturated territory law gives at the start's ratio (a constant of each member and sector)."""
    return max_multiple * tanh(1.0 / max_multiple)


def contest(remaining_share: np.ndarray) -> np.ndarray:
    """## M6 — What is left to fight for

    A sector's fight slackens as its stake runs out. With `r` the share of the stake still to
    take (1 at the start, 0 when all is taken),

        c(r) = (1 + kappa) * r / (r + kappa),    kappa = 0.1

    is 1 at the start, about 0.96 with a quarter of the stake gone, 0.55 with a tenth left and
    0 with nothing left: smooth, and near 1 until little remains. It scales the attacker's
    gains (so the area never passes the stake), its assault posture, and the forces each
    side keeps in a sector other than main (see `sector_requirement`).
    """
    r = np.maximum(remaining_share, 0.0)
    return (1.0 + CONTEST_KNEE) * r / (r + CONTEST_KNEE)


DRIFT_LOG_BOUND = 1.3862943611198906  # ln 4: a drift can at most quadruple, or quarter, a rate (M6)


def drift_multipliers(innovations: np.ndarray, log_sd: np.ndarray, persistence: np.ndarray) -> np.ndarray:
    """## M6 — Drift: the intensity of the fighting and the pace of the advance

    Observed rates change with seasons, offensives and new weapons that the force ratio does
    not see: the General Staff's monthly claims move by about 15% from one month to the next
    (log-change sd 0.145, 2023-25), DeepState's monthly gains by far more. With a `[drift]`
    table each of two rates carries a latent multiplier that drifts over blocks of
    `block_days`: `C` on every side's casualties (the intensity) and `G` on every sector's
    pace of the advance. For either, with `eps_b` standard normal innovations (truncated at
    three sd), `sigma` the sd per block and `phi` the persistence,

        x_0 = 0,    x_b = phi * x_{b-1} + sigma * eps_b
        m_b = exp(L * tanh(x_b / L)),    L = ln 4

    so the start is anchored (`m_0 = 1`: casualties and gains at the start are the observed
    ones), a walk with `phi < 1` reverts towards the equations' own rates, and the saturating
    form keeps every multiplier within a quarter and four times, whatever the innovations.
    Calibration fits a window's innovations to the data; a forecast draws fresh ones after it,
    so its spread widens with the horizon as a random walk's does. Units: `sigma` per block
    (log scale), `phi` per block, `m` dimensionless.
    """
    innovations = np.asarray(innovations, dtype=np.float64)
    walk = np.zeros_like(innovations)
    for b in range(1, innovations.shape[1]):
        walk[:, b] = persistence * walk[:, b - 1] + log_sd * innovations[:, b]
    return np.ascontiguousarray(exp(DRIFT_LOG_BOUND * tanh(walk / DRIFT_LOG_BOUND)))


def territory_gain(relative_force_ratio: np.ndarray, gain_at_start: np.ndarray, stall_ratio: np.ndarray, stall_log: np.ndarray,
                   max_multiple: np.ndarray, gain_norm: np.ndarray, gained: np.ndarray, stake: np.ndarray,
                   retake_limit: np.ndarray, defended_depth: np.ndarray) -> np.ndarray:
    """## M6 — Territory, sector by sector

    In each sector the attacker gains ground (km² per day) with the log of the sector's force
    ratio relative to the start, `rho = (F_att / F_def) / (F_att(0) / F_def(0))`, saturating
    so that no force ratio, however large, gives more than about `G` times the start's rate:

        h = ln(rho / rho_stall) / ln(1 / rho_stall)
        g = g(0) * G tanh(h / G) / (G tanh(1 / G)) * room

    It gains `g(0)` at the start's ratio, nothing at `rho_stall`, and loses ground below it.
    With `x` the ground gained since the start, `S` the area at stake and `L` the most the
    defender can retake, the room is

        room = c((S - x) / S) / (1 + max(x, 0) / depth)    while gaining
        room = c((x + L) / L)                              while losing (0 when L = 0)

    (`c` as in `contest`), so the area stays within `[-L, S]` of the start line, and the
    advance slows by half once `depth` km² of successive defence lines are behind it. The
    step clips the area to those bounds, so no step overshoots them.

    What the Kursk sector forecasts (reported, not tuned to): `ru-ua-2024`, which starts on
    2024-10-01 and knows only claims published by 2024-12-31, run with 400 members (seed 0),
    gives Ukraine 784 km² [584, 972] (median [90% interval]) of Kursk on 2024-11-23 (claimed:
    ~800), 296 [2, 792] on 2025-03-13 (DeepState: 140) and 144 [0, 781] on 2025-04-26, the day
    Russia declared the region retaken (DeepState: ~30 km² still held); 29% of members are at
    30 km² or less by then. The median pace is right to within weeks, its spread wide: the
    stake ends the fight in some members by February and leaves it barely begun in others.
    """
    h = log(np.maximum(relative_force_ratio, _TINY) / stall_ratio) / stall_log
    rate = gain_at_start * max_multiple * tanh(h / max_multiple) / gain_norm
    ahead = contest((stake - gained) / stake) / (1.0 + np.maximum(gained, 0.0) / defended_depth)
    behind = select(retake_limit > 0, contest((gained + retake_limit) / np.maximum(retake_limit, _TINY)), 0.0)
    return select(rate >= 0, rate * ahead, rate * behind)


def attack_posture(relative_force_ratio, stall_ratio, multiplier, contest_left):
    """## M6 — Posture: the attacker pays more

    The attacker's casualties in a sector carry the posture multiplier `P_max` (about 1.9 from
    Dupuy's standard loss rates, attacker 2.8% vs defender 1.5% a day) in proportion to the
    intensity of its offensive, which falls linearly from full at the start's force ratio to
    nothing at the stall ratio, and with what is left to take (`contest`):

        P_att(t) = 1 + (P_max - 1) * clip((rho - rho_stall) / (1 - rho_stall), 0, 1) * c(r)

    The defender's posture is 1. A gradual ramp, rather than a switch at `rho_stall`, keeps
    paired runs that differ slightly in strength from jumping between attacking and not. With
    the `posture` loop cut the attacker keeps `P_max` throughout.
    """
    intensity = np.minimum(np.maximum((relative_force_ratio - stall_ratio) / (1.0 - stall_ratio), 0.0), 1.0)
    return 1.0 + (multiplier - 1.0) * intensity * contest_left


def sector_requirement(front_share: np.ndarray, domestic_strength: np.ndarray, contest_left: np.ndarray,
                       displaced: np.ndarray) -> np.ndarray:
    """## M5, M6 — The host's allocation between sectors, and substitution

    Each side keeps in a sector `z` other than main the soldiers it needs there:

        R_{s,z} = max(phi_{s,z} * N_s * c(r_z) - sigma X_{s,z} / xbar_s, 0)

    `phi_{s,z}` is the sector's share of the side's domestic front at the start
    (`front_share`), `N_s` the side's domestic soldiers at the front or redeploying, `c(r_z)`
    what is left to fight for there (`contest`), and the last term substitution (M5): the
    exposure of its foreign contingents in the sector, `X_{s,z} = sum_foreign sigma_f x_f
    m_f A_{f,z}`, displaces host soldiers of mean exposure `xbar_s` (a domestic soldier's at
    the start), one exposure for one when `sigma = 1` and not at all when `sigma = 0` (foreign
    exposure then adds to the host's, as in a single theatre).

    Graduates of domestic formations first fill the sectors below their requirement (in
    proportion to what each lacks, as far as the day's graduates go), the rest go to main;
    wounded soldiers return to the sector they were wounded in. Host soldiers above the
    requirement leave the sector into `redeploying` and reach main after a first-order delay
    of `redeploy_days`. A contingent's troops go only to the sectors it names
    (`sector_shares`). With the `allocation` loop cut, graduates go to sectors by the start's
    shares and no one is moved.
    """
    return np.maximum(front_share * domestic_strength * contest_left - displaced, 0.0)


def stage_outflow(stock: np.ndarray, stages: int, mean_days: np.ndarray, dt: float) -> np.ndarray:
    """## M1 — The contingent's life cycle: training and tour as Erlang delays

    Arrivals train in theatre before the front, and survivors rotate home only after a tour.
    Each is an Erlang delay: a chain of `n` stages, each left at rate `n / mean`, so the time
    spent has mean `mean` and coefficient of variation `1 / sqrt(n)`:

        out_k = S_k * min(n * dt / mean, 1)

    Training takes 3 stages (`training_stages`): of a tranche with a 30-day mean, 0.4%
    reaches the front within 3 days, 17% within 2 weeks. A tour takes 6 stages
    (`tour_stages`): of a tranche at the front, under 2% rotate home within a third of a tour
    and half after about 0.95 of one, so rotation is near zero in the first months (a first-
    order delay, `n = 1`, would send 28% of them home in that third). Casualties and desertion
    take from every stage in proportion; the wounded who return rejoin the stages in
    proportion to who is left, and the returning wounded of a contingent go back to the sector
    they came from; the others are evacuated home (its own `wounded_return_fraction` and
    `killed_share`: poor medical evacuation shows in both). Domestic formations have one stage
    of each (first-order delays, rotation at `rotation_per_day`).
    """
    return stock * np.minimum(stages * dt / np.maximum(mean_days, _TINY), 1.0)


def replenishment_rate(target: np.ndarray, strength: np.ndarray, lag_days: np.ndarray) -> np.ndarray:
    """## M1 — Replacing a contingent's losses

    Between its `start_date` and `end_date`, a contingent with a `[replenishment]` table
    receives replacements (persons per day, into training) for the shortfall of its strength
    for combat (in training, at the front, wounded in care) below a target:

        r(t) = max(target - (T + A + W), 0) / lag

    so losses are replaced up to the target with a first-order delay, and never beyond it.
    Scheduled tranches arrive as well.
    """
    return np.maximum(target - strength, 0.0) / np.maximum(lag_days, _TINY)


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


def channel_payment_rates(shells_per_day, usd_per_shell, workers, usd_per_worker_month):
    """## M11 — What the host pays a contributor for its channels

    Besides the per-soldier payment of its troops, a contributor is paid per shell delivered
    (its munitions sales) and per worker-month (its workers' pay, most of which its state keeps):

        munitions_c'(t) = usd_per_shell * shells_c(t)
        workers_c'(t)   = usd_per_worker_month * W_c(t) / 30.44
        pay_c'(t)       = munitions_c'(t) + workers_c'(t)

    The ledger keeps the two apart, so its revenue reads by channel: troops (the contingent's
    payment, above), workers and munitions.
    """
    return usd_per_shell * shells_per_day, usd_per_worker_month * workers / 30.44


def technology_transfer(received_day, hazard_per_year, uniform, band_low, day, dt):
    """## M11 — Technology in return: uncertain transfers

    What the host may give a contributor besides money — air-defence systems, space
    (satellite launch and reconnaissance) know-how, submarine technology, drone production —
    is a set of uncertain events `e`, each the first event of a process with hazard
    `lambda_{c,e}` per year (bound to claims where reporting names the transfer, a declared
    assumption where it is only expected):

        P(transfer e happens in [t, t + dt) | not yet) = min(lambda_{c,e} * dt / 365, 1)

    Once it has happened its day is kept. A hazard of 0 means it never happens. The step's one
    uniform `u` decides the day's events from disjoint bands of (0, 1) (see the support step):
    the transfers take consecutive bands just above the nuclear threat's, contributor by
    contributor and technology by technology, so a transfer and a nuclear threat never fall on
    the same day and every event keeps its own chance while the chances sum below 1 (hazards
    of a few per year are thousands of times below that). The hazard is constant over a run:
    the model does not tie the price in technology to the size of the cooperation, for want of
    evidence on it. Each transfer's declared effect on the Korean balance is an indicator of
    M12 (`pawns.scenario.schema.TECHNOLOGIES`).

    Returns the day received (NaN: not yet) and the top of the event's band.
    """
    chance = np.minimum(hazard_per_year * dt / 365.0, 1.0)
    hit = np.isnan(received_day) & (uniform >= band_low) & (uniform < band_low + chance)
    return select(hit, day + dt, received_day), band_low + chance


def combat_experience_home(rotated, repatriated, veteran_combat_days, active_personnel):
    """## M12 — What the DPRK takes home: soldiers with recent combat experience

    A contributor's soldiers who come home alive carry what the war taught them: the veterans
    rotated home after a tour `R_f` and the wounded sent home `D_f` (its contingent `f`; its
    laborers rotated home did not fight and are not counted). Each is the sum over the
    contingent's cohorts (`trace_cohorts`), which also says it tranche by tranche:

        veterans home      V = R_f + D_f                          (persons)
        per 1,000 active   V_k = 1000 * V / N_active              (persons per 1,000 active personnel)
        combat years home  Y = (combat days of the rotated veterans) / 365   (person-years)

    Every combat day of this war is one of drone and electronic warfare, so `Y` is also the
    measure of drone and electronic-warfare experience. `V_k` is bounded by the contingent's
    size relative to the contributor's forces (a contingent is a share of them), and the mean
    combat days per veteran by the horizon. What it cannot say: how much of that experience
    is kept, taught on, or relevant to a war on the peninsula (terrain, an enemy with air
    superiority); nor how many veterans the contributor's own purges or isolation remove.
    """
    veterans = rotated + repatriated
    return veterans, 1000.0 * veterans / active_personnel, veteran_combat_days / 365.0


def trace_cohorts(i, step, old: State, p: Parameters, new: State, tmp: Scratch) -> None:
    """## M11 — Veterans by tranche and cohort

    A contingent's persons are told apart by when they arrived: each tranche is a cohort, and
    its replacements are one cohort per calendar year they are sent in. Within a stock (a stage
    of training or of the tour, the wounded in care of a sector, the laborers) persons are
    alike, so a cohort `q` of formation `f` leaves, advances, rotates and returns at the
    stock's own rates, and takes its share of the sector's losses:

        killed_{q,z} = K_{f,z} * A_{q,z} / A_{f,z}      (wounded and deserted alike)

    The returning wounded rejoin the tour's stages as the formation's do, and graduates go
    where the contingent was sent. Summed over its cohorts, every stock and count of a
    contingent is the formation's (tested): a contingent has no intake and is not moved between
    sectors by the host (M5), so every person of it arrived in one of its cohorts. For each
    cohort the run keeps, in persons and person-days:

        veterans home after a tour     R_q          combat days they take home   sum_t rotating_{q,z} * e_{f,z}
        wounded sent home              D_q          killed                       K_q
        laborers home                  L^home_q     days at the front            sum_t A_q * dt

    where `e_{f,z}` is the mean combat days of the sector's front when they leave (M3).
    What it cannot say: who among a cohort fought longest; the stocks are well mixed.
    """
    dt = p.dt
    for q in range(p.cohort_formation.shape[0]):
        f = p.cohort_formation[q]
        s = p.formation_side[f]
        # arrivals: the cohort's tranche, or the replacements sent in its years
        arriving = 0.0
        to_labor = 0.0
        for k in range(p.tranche_step.shape[0]):
            if p.tranche_cohort[k] == q and p.tranche_step[k] == step:
                to_training, to_tranche_labor = _tranche_arrival(i, p, k)
                arriving = arriving + to_training
                to_labor = to_labor + to_tranche_labor
        if p.cohort_first[q] <= step and step <= p.cohort_last[q]:
            arriving = arriving + tmp.replacements[i, f]
        trains = p.training_days[i, f] > 0
        leaving, _ = _pipeline(i, q, old.cohort_training, new.cohort_training, p.training_stages[f], p.training_days[i, f], trains,
                               select(trains, arriving, 0.0), dt)
        graduates = leaving + select(trains, 0.0, arriving)
        labor_home = _labor_rotating(old.cohort_labor[i, q], p.rotation_per_day[i, f], dt)
        new.cohort_labor[i, q] = old.cohort_labor[i, q] + to_labor - labor_home
        new.cohort_labor_home[i, q] = old.cohort_labor_home[i, q] + labor_home
        tour = p.tour_stages[f]
        mean_tour = _mean_tour(p.rotation_per_day[i, f])
        killed = 0.0
        deserted = 0.0
        repatriated = 0.0
        rotated = 0.0
        combat_days = 0.0
        front_days = 0.0
        for z in range(p.sector_attacker.shape[0]):
            front = 0.0
            for k in range(tour):
                front = front + old.cohort_front[i, q, z, k]
            share = select(old.sector_front[i, f, z] > _TINY, front / np.maximum(old.sector_front[i, f, z], _TINY), 0.0)
            killed = killed + share * tmp.sector_killed_dt[i, f, z]
            deserted = deserted + share * tmp.sector_deserting_dt[i, f, z]
            leaving_care = _leaving_care(old.cohort_wounded[i, q, z], p.wounded_recovery_days[i, s], dt)
            returned = leaving_care * p.wounded_return_fraction[i, f]
            repatriated = repatriated + (leaving_care - returned)
            wounded_in = share * (tmp.sector_casualties_dt[i, f, z] - tmp.sector_killed_dt[i, f, z])
            new.cohort_wounded[i, q, z] = old.cohort_wounded[i, q, z] - leaving_care + wounded_in
            rotating, _ = _tour(i, q, z, old.cohort_front, new.cohort_front, tmp.kept[i, f, z], tour, mean_tour, dt)
            rotated = rotated + rotating
            combat_days = combat_days + rotating * tmp.experience[i, f, z]
            posted = graduates * p.sector_weight[i, f, z]  # a contingent goes where it was sent (see `_allocate`)
            for k in range(tour):
                new.cohort_front[i, q, z, k] = (new.cohort_front[i, q, z, k] + returned * tmp.rejoin_part[i, f, z, k]
                                                + select(k == 0, posted, 0.0))
            front_days = front_days + front * dt
        new.cohort_killed[i, q] = old.cohort_killed[i, q] + killed
        new.cohort_deserted[i, q] = old.cohort_deserted[i, q] + deserted
        new.cohort_repatriated[i, q] = old.cohort_repatriated[i, q] + repatriated
        new.cohort_rotated[i, q] = old.cohort_rotated[i, q] + rotated
        new.cohort_combat_days[i, q] = old.cohort_combat_days[i, q] + combat_days
        new.cohort_front_days[i, q] = old.cohort_front_days[i, q] + front_days


def _tranche_arrival(i, p: Parameters, k):
    """Tranche ``k``'s arrivals: its combat share to training, the rest to labor (M1)."""
    size, share = p.tranche_size[i, k], p.tranche_share[i, k]
    return size * share, size * (1.0 - share)


def _pipeline(i, row, old_stages, new_stages, stages, mean_days, trains, entering, dt):
    """The training pipeline of one formation or cohort (``row``) over a step (M1); returns its graduates and its new total.

    Untrained rows (``trains`` false) pass everything through at once.
    """
    total = 0.0
    for k in range(stages):
        stock = old_stages[i, row, k]
        leaving = select(trains, stage_outflow(stock, stages, mean_days, dt), stock)
        new_stages[i, row, k] = np.maximum(stock - leaving, 0.0) + entering
        total = total + new_stages[i, row, k]
        entering = leaving
    for k in range(stages, old_stages.shape[2]):  # stages this row does not have
        new_stages[i, row, k] = 0.0
    return entering, total


def _tour(i, row, z, old_stages, new_stages, kept, tour, mean_tour, dt):
    """One step of the tour's stages of a formation or cohort (``row``) in sector ``z`` (M1); returns (rotating home, survivors).

    Casualties and desertion have left the share ``kept`` of every stage alike.
    """
    moving = 0.0
    survivors = 0.0
    for k in range(tour):
        stock = old_stages[i, row, z, k] * kept
        advancing = stage_outflow(stock, tour, mean_tour, dt)
        new_stages[i, row, z, k] = np.maximum(stock - advancing, 0.0) + moving
        survivors = survivors + new_stages[i, row, z, k]
        moving = advancing
    for k in range(tour, old_stages.shape[3]):  # stages this row does not have
        new_stages[i, row, z, k] = 0.0
    return moving, survivors


def _mean_tour(rotation_per_day):
    """Mean days of a tour at the front (infinite without rotation)."""
    return select(rotation_per_day > 0, 1.0 / np.maximum(rotation_per_day, _TINY), np.inf)


def _leaving_care(wounded, recovery_days, dt):
    """Wounded leaving care this step, to return or be sent home (M1)."""
    return wounded * np.minimum(dt / recovery_days, 1.0)


def _labor_rotating(labor, rotation_per_day, dt):
    """Laborers rotating home this step (M2)."""
    return np.minimum(rotation_per_day * labor * dt, labor)


def hard_currency_share(revenue_usd, years, reference_usd_bn):
    """## M12 — What the DPRK takes home: hard currency against its economy

    Revenue from all channels (troops, workers, munitions) over a run of `years` years, as a
    share per year of the contributor's gross domestic product or of its military spending:

        share = revenue / (years * reference * 10^9)      (fraction per year)

    What it cannot say: how much of the money is paid in cash rather than in kind or in
    forgiven debt, and what the contributor spends it on; GDP and military spending of a
    closed economy are themselves estimates with wide ranges (declared in the scenario).
    """
    return revenue_usd / (years * reference_usd_bn * 1e9)


def technology_received(days):
    """## M12 — What the DPRK takes home: technology events

    The count of technology transfers (M11) received by the horizon, each with the effect
    the scenario's schema declares for it (air defence, space, submarine, drone production):

        n_tech = #{e : day_e is not NaN}      (events, 0 to 4)

    Shown as a count and one 0/1 indicator per technology (its probability across members);
    no index weighs them against each other, for want of a rule the evidence supports.
    """
    return np.sum(~np.isnan(days), axis=-1).astype(np.float64)


# ---------------------------------------------------------------------------------------
# State and the daily step
# ---------------------------------------------------------------------------------------

def _mean_experience(experience, front):
    return select(front > _TINY, experience / np.maximum(front, _TINY), 0.0)


def _shells_fired(i, p: Parameters, s, stock, inflow):
    """Shells side ``s`` fires this step: its firing policy, or the desired rate without materiel or with the materiel loop cut."""
    fired = firing_policy(stock, inflow, p.shells_desired[i, s], p.stock_target_days[i, s], p.max_fire_multiple[i, s], p.dt)
    return select(p.has_materiel[s] and not p.loop_cut[LOOP_MATERIEL], fired, p.shells_desired[i, s])


def _fire_ratio(i, p: Parameters, s, fired, artillery):
    """Fire over the desired rate (M6): shells fired plus a contributor's artillery; 1 with the materiel loop cut."""
    return select(p.loop_cut[LOOP_MATERIEL], 1.0 + 0.0 * fired, (fired + artillery) / p.shells_desired[i, s])


def _drift_block(p: Parameters, step) -> int:
    """The block of the drifts (M6) that ``step`` lies in (the first, without drift)."""
    if p.drift_block_steps <= 0:
        return 0
    return min(step // p.drift_block_steps, p.casualty_drift.shape[1] - 1)


def _deliveries(i, p: Parameters, step, tmp: Scratch) -> None:
    """Shells each contributor delivers this step, into ``tmp.delivered_dt`` (its shells channel)."""
    for c in range(p.contributor_side.shape[0]):
        tmp.delivered_dt[i, c] = 0.0
    for k in range(p.delivery_first.shape[0]):
        if p.delivery_first[k] <= step and step <= p.delivery_last[k]:
            c = p.delivery_contributor[k]
            tmp.delivered_dt[i, c] = tmp.delivered_dt[i, c] + p.delivery_rate[i, k] * p.dt


def _external_shells(i, p: Parameters, s, bloc_delivered, tmp: Scratch):
    """Shells per day side ``s`` receives: supporters without dynamics, the donor blocs' deliveries (M9), contributors' shells."""
    supply = p.static_supply[i, s]
    if s == p.supported_side:
        for b in range(p.bloc_policy_step.shape[0]):
            supply = supply + p.bloc_shells0[i, b] * bloc_delivered[i, b]
    for c in range(p.contributor_side.shape[0]):
        if p.contributor_side[c] == s:
            supply = supply + tmp.delivered_dt[i, c] / p.dt
    return supply


def _aid_forms(i, p: Parameters, bloc_delivered, tmp: Scratch) -> None:
    """Air defence and money for pay the supported side receives (M9): ``tmp.intercept`` and ``tmp.pay_factor`` per side."""
    for s in range(p.population.shape[1]):
        tmp.intercept[i, s] = p.intercept_share[i, s]
        tmp.pay_factor[i, s] = 1.0
    r = p.supported_side
    if r >= 0:
        defence_shares, defence = 0.0, 0.0
        budget_shares, budget = 0.0, 0.0
        for b in range(p.bloc_policy_step.shape[0]):
            defence_shares = defence_shares + p.air_defence_share[i, b]
            defence = defence + p.air_defence_share[i, b] * bloc_delivered[i, b]
            budget_shares = budget_shares + p.budget_share[i, b]
            budget = budget + p.budget_share[i, b] * bloc_delivered[i, b]
        tmp.intercept[i, r] = interception(p.intercept_share[i, r], aid_form_index(defence_shares, defence))
        tmp.pay_factor[i, r] = pay_intake_factor(aid_form_index(budget_shares, budget), p.pay_intake_elasticity[i])


def _enemy_contingents(i, p: Parameters, st: State, enemy):
    """Front strength and casualties per day of the foreign contingents fighting for ``enemy`` (M9's bad news).

    The one place the news reads the contingents' totals from: a front held by sector sums its sectors here.
    """
    front = 0.0
    casualties = 0.0
    for f in range(p.formation_side.shape[0]):
        if p.formation_side[f] == enemy and p.foreign[f]:
            front = front + st.front[i, f]
            casualties = casualties + st.casualties[i, f]
    return front, casualties


def _combat_terms(i, p: Parameters, front, experience, fire_ratio, tmp: Scratch) -> None:
    """Fires and exposed strength in every sector (M3, M6), and each sector's force ratio.

    Fills ``tmp.experience``, ``tmp.exposed`` (per formation and sector), ``tmp.fires`` and
    ``tmp.exposed_side`` (per side and sector) and ``tmp.ratio`` (attacker over defender fires,
    per sector) for members ``i``, from the front ``front`` and its ``experience`` (per
    formation and sector). Sums over formations run in formation order, so they are the same
    bits whatever the batch.
    """
    sides, sectors = p.population.shape[1], p.sector_attacker.shape[0]
    for s in range(sides):
        for z in range(sectors):
            tmp.fires[i, s, z] = 0.0
            tmp.exposed_side[i, s, z] = 0.0
    for f in range(p.formation_side.shape[0]):
        s = p.formation_side[f]
        for z in range(sectors):
            strength = front[i, f, z]
            mean = _mean_experience(experience[i, f, z], strength)
            tmp.experience[i, f, z] = mean
            if p.learns[f]:
                decay = learning_decay(mean, p.learning_days[i, f])
                quality = learned_quality(p.quality_initial[i, f], p.quality_trained[i, f], decay)
                exposed = p.exposure[i, f] * learning_multiplier(p.exposure_multiplier_initial[i, f], decay) * strength
            else:  # no learning gap: the curves are flat (q = q0, m = 1)
                quality = p.quality_trained[i, f]
                exposed = p.exposure[i, f] * 1.0 * strength
            # a failing will fights less well (M4, M8): `tmp.effectiveness`, 1 at the start
            tmp.fires[i, s, z] = tmp.fires[i, s, z] + quality * tmp.effectiveness[i, s] * strength
            tmp.exposed[i, f, z] = exposed
            tmp.exposed_side[i, s, z] = tmp.exposed_side[i, s, z] + exposed
    for s in range(sides):
        if p.has_materiel[s]:  # without materiel, fire support is 1
            support = fire_support(fire_ratio[i, s], p.artillery_share[i], p.surplus_fire_value[i])
            for z in range(sectors):
                tmp.fires[i, s, z] = tmp.fires[i, s, z] * support
    for z in range(sectors):
        a = p.sector_attacker[z]
        tmp.ratio[i, z] = tmp.fires[i, a, z] / np.maximum(tmp.fires[i, 1 - a, z], _TINY)


def _posture(p: Parameters, i, s, z, tmp: Scratch):
    if s != p.sector_attacker[z]:
        return 1.0
    if p.has_territory and not p.loop_cut[LOOP_POSTURE]:
        return attack_posture(tmp.relative_ratio[i, z], p.stall_ratio[i, z], p.attacker_posture_multiplier[i], tmp.contest[i, z])
    return p.attacker_posture_multiplier[i]


def parameters(layout: Layout, matrix: np.ndarray, end_uniforms: np.ndarray) -> Parameters:
    """The parameters of a batch of members, one row of ``matrix`` each, as the step reads them.

    The parameter table lays the matrix out (:func:`pawns.model.parameter_table.fill`); here
    the main sector takes the rest of each side's front and casualty shares, each formation's
    front is laid out over the sectors (a domestic one by its side's front shares, a
    contingent by its normalized ``sector_shares``, all in main if it names none), and the
    constants of each member that the laws would otherwise recompute every step are added.
    ``end_uniforms`` ``(N, 2, S)`` are each member's own uniforms of the end of endurance (M8):
    ``[:, 0]`` sets its unit exponential exposure `E_s = -ln(u_s)`, ``[:, 1]`` draws the cause.
    """
    p = fill(layout, matrix)
    end_uniforms = np.asarray(end_uniforms, dtype=np.float64)
    expected = (matrix.shape[0], 2, len(layout.sides))
    if end_uniforms.shape != expected:
        raise ValueError(f"end_uniforms must be shaped {expected}, not {end_uniforms.shape}")
    front_share = _with_main_remainder(p.front_share)
    casualty_share = _with_main_remainder(p.casualty_share)
    weight = np.array(p.sector_weight, dtype=np.float64, order="C")
    host_exposure = np.zeros_like(p.population)
    host_front = np.zeros_like(p.population)
    for f, s in enumerate(p.formation_side):
        if p.learns[f]:  # a contingent: its named sectors, normalized
            total = weight[:, f, :].sum(axis=1, keepdims=True)
            main_only = np.zeros_like(weight[:, f, :])
            main_only[:, MAIN] = 1.0
            weight[:, f, :] = np.where(total > 0, weight[:, f, :] / np.maximum(total, _TINY), main_only)
        else:
            weight[:, f, :] = front_share[:, s, :]
            host_exposure[:, s] = host_exposure[:, s] + p.exposure[:, f] * p.front0[:, f]
            host_front[:, s] = host_front[:, s] + p.front0[:, f]
    host_exposure = np.where(host_front > 0, host_exposure / np.maximum(host_front, _TINY), 1.0)
    return p._replace(collapse_log=collapse_log(p.population, p.collapse_loss_share, p.knee_loss_share),
                      stall_log=stall_log(p.stall_ratio), gain_norm=gain_norm(p.max_gain_multiple),
                      front_share=front_share, casualty_share=casualty_share, sector_weight=weight, host_exposure=host_exposure,
                      end_exposure=np.ascontiguousarray(-log(end_uniforms[:, 0])), cause_uniform=np.ascontiguousarray(end_uniforms[:, 1]),
                      casualty_drift=drift_multipliers(p.drift_casualty_innovation, p.drift_casualty_sd, p.drift_persistence),
                      gain_drift=drift_multipliers(p.drift_gain_innovation, p.drift_gain_sd, p.drift_persistence))


def _with_main_remainder(shares: np.ndarray) -> np.ndarray:
    """``(N, S, Z)`` shares with the main sector's column set to what the other sectors leave."""
    out = np.array(shares, dtype=np.float64, order="C")
    out[:, :, MAIN] = np.maximum(1.0 - out[:, :, MAIN + 1:].sum(axis=2), 0.0)
    return out


def initial_state(p: Parameters) -> State:
    """The state at the start: stocks from the scenario, pipelines in equilibrium.

    Each domestic formation's front is laid out over the sectors by its side's front shares.
    Training holds `I_f(0) * training_days` (spread evenly over its stages) and wounded in care
    hold the start's daily wounded times the recovery time in each sector (steady state); the
    law's coefficients are anchored here, sector by sector (M6).
    """
    n, sides = p.population.shape
    F, Z = p.front0.shape[1], p.sector_attacker.shape[0]
    C, B = p.contributor_side.shape[0], p.bloc_policy_step.shape[0]
    fside = p.formation_side
    front = np.ascontiguousarray(p.front0[:, :, None] * p.sector_weight)
    zeros_f, zeros_fz = np.zeros((n, F)), np.zeros((n, F, Z))
    shells = np.array(p.shells_stock0, dtype=np.float64, order="C")
    tmp = scratch(n, F, sides, Z, C, int(p.tour_stages.max(initial=1)))
    ones_b = np.ones((n, B))
    _deliveries(slice(None), p, 0, tmp)
    fired = np.zeros((n, sides))
    fire_ratio = np.zeros((n, sides))
    for s in range(sides):
        inflow = p.shells_production[:, s] + _external_shells(slice(None), p, s, ones_b, tmp)
        fired[:, s] = _shells_fired(slice(None), p, s, shells[:, s], inflow)
        fire_ratio[:, s] = _fire_ratio(slice(None), p, s, fired[:, s], 0.0)
    tmp.effectiveness[:] = 1.0  # no morale deficit has grown at the start
    _combat_terms(slice(None), p, front, zeros_fz, fire_ratio, tmp)
    posture = np.ones((n, sides, Z))
    for z, attacker in enumerate(p.sector_attacker):
        posture[:, attacker, z] = p.attacker_posture_multiplier
    # A contiguous copy: numpy's power on reversed views may round differently with the batch size.
    enemy_fires = np.ascontiguousarray(tmp.fires[:, ::-1, :])
    q = p.exposure_exponent[:, None, None]
    pf = p.fires_exponent[:, None, None]
    at_start = p.casualties_at_start[:, :, None] * p.casualty_share
    calibrated = calibrate_coefficient(at_start, posture, enemy_fires, tmp.exposed_side, pf, q)
    given = np.broadcast_to(p.casualty_coefficient[:, :, None], calibrated.shape)
    coefficient = np.ascontiguousarray(np.where(np.isnan(given), calibrated, given))
    fighting = (enemy_fires > 0) & (tmp.exposed_side > 0)
    side_cas = np.where(fighting, combat_casualties(coefficient, posture, enemy_fires, tmp.exposed_side, pf, q), 0.0)
    cas_fz = np.minimum(split_by_exposure(side_cas[:, fside, :], tmp.exposed, tmp.exposed_side[:, fside, :]), front)
    recovery = p.wounded_recovery_days[:, fside]
    sector_wounded = np.ascontiguousarray(cas_fz * (1.0 - p.killed_share)[:, :, None] * recovery[:, :, None])
    cas_f = cas_fz.sum(axis=2)
    wounded = sector_wounded.sum(axis=2)
    training = p.intake0 * p.training_days
    training_stage = np.zeros((n, F, int(p.training_stages.max(initial=1))))
    front_stage = np.zeros((n, F, Z, int(p.tour_stages.max(initial=1))))
    for f in range(F):
        training_stage[:, f, : p.training_stages[f]] = (training[:, f] / p.training_stages[f])[:, None]
        front_stage[:, f, :, 0] = front[:, f, :]  # a tour starts in its first stage
    front_f = front.sum(axis=2)
    Q = p.cohort_formation.shape[0]  # a contingent's persons all arrive in its cohorts: none at the start
    zeros_q = np.zeros((n, Q))
    initial_total = training + front_f + wounded + p.killed0 + p.discharged0
    weighted = _side_sums(p.tolerance_weight * (p.killed0 + p.discharged_weight[:, fside] * p.discharged0), fside, sides)
    nan_s = np.full((n, sides), np.nan)
    zeros_s, zeros = np.zeros((n, sides)), np.zeros(n)
    zeros_c, zeros_b = np.zeros((n, C)), np.zeros((n, B))
    # tolerance at the start reflects the losses before it (no trend, no momentum yet)
    ones_s = np.ones((n, sides))
    tolerance = np.where(p.has_tolerance, tolerance_index(
        weighted, p.population, p.knee_loss_share, p.collapse_log, p.tolerance_threshold,
        ones_s, ones_s, p.trend_sensitivity, zeros_s, p.momentum_sensitivity), 1.0)
    sector_area = np.ascontiguousarray(p.sector_area0, dtype=np.float64)
    sector_gain = np.ascontiguousarray(p.sector_gain_at_start if p.has_territory else np.zeros((n, Z)), dtype=np.float64)
    return State(
        training=training, front=front_f, wounded=wounded, killed=np.array(p.killed0, order="C"),
        discharged=np.array(p.discharged0, order="C"), deserted=zeros_f.copy(), rotated=zeros_f.copy(),
        labor=zeros_f.copy(), sector_front=front, front_stage=front_stage, training_stage=training_stage,
        sector_wounded=sector_wounded, redeploying=zeros_fz.copy(), sector_killed=zeros_fz.copy(), experience=zeros_fz.copy(),
        inflow_total=zeros_f.copy(), initial_total=initial_total,
        intake_total=zeros_f.copy(), wounded_total=zeros_f.copy(), casualties=cas_f, person_days_deployed=zeros_f.copy(),
        veteran_combat_days=zeros_f.copy(), payment_usd=zeros_f.copy(), materiel_usd=zeros_f.copy(),
        coefficient=coefficient, foreign_deployed=zeros_s.copy(), front_at_start=_side_sums(front_f, fside, sides), shells=shells,
        shells_fired=fired, fire_ratio_mean=fire_ratio.copy(), bonus=p.bonus0.copy(), pool=p.pool0.copy(),
        bonus_spending_rub=zeros_s.copy(), days_since_review=zeros_s.copy(), intake_since_review=zeros_s.copy(),
        losses_since_review=zeros_s.copy(), weighted_losses=weighted, loss_rate_mean=nan_s.copy(),
        loss_rate_reference=nan_s.copy(), tolerance=tolerance, labor_gap=p.labor_gap0.copy(),
        end_day=nan_s.copy(), end_cause=np.zeros((n, sides), dtype=np.int8), end_hazard=zeros_s.copy(),
        cumulative_hazard=zeros_s.copy(), restricted_days=zeros_s.copy(), end_probability_1y=nan_s.copy(),
        end_probability_2y=nan_s.copy(), end_probability_5y=nan_s.copy(), national_front_days=zeros_s.copy(),
        shells_produced=zeros_s.copy(), deficit_at_start=morale_deficit(tolerance, p.tolerance_threshold, p.feedback_scale),
        shells_lost=zeros_s.copy(), fire_ratio=fire_ratio,
        force_ratio_at_start=np.ascontiguousarray(tmp.ratio), sector_area=sector_area, sector_gain=sector_gain,
        area=np.ascontiguousarray(sector_area[:, MAIN]), gain=np.ascontiguousarray(sector_gain[:, MAIN]),
        gain_mean=np.ascontiguousarray(sector_gain[:, MAIN]), support=np.ones(n), delivered=np.ones(n),
        days_below_threshold=zeros.copy(), abandon_day=np.full(n, np.nan), nuclear_events=zeros.copy(), salience=zeros.copy(),
        missiles=zeros_c.copy(), missiles_launched=zeros_c.copy(), artillery_systems=zeros_c.copy(), workers=zeros_c.copy(),
        shells_delivered=zeros_c.copy(), shells_destroyed=zeros_c.copy(), channel_payment_usd=zeros_c.copy(),
        worker_payment_usd=zeros_c.copy(), technology_day=np.full((n, C, TECHNOLOGY_COUNT), np.nan),
        bloc_support=ones_b.copy(), bloc_delivered=ones_b.copy(), aid_allocated_eur_bn=np.array(p.aid_allocated0, order="C"),
        cohort_training=np.zeros((n, Q, training_stage.shape[2])), cohort_front=np.zeros((n, Q, Z, front_stage.shape[3])),
        cohort_wounded=np.zeros((n, Q, Z)), cohort_labor=zeros_q.copy(), cohort_killed=zeros_q.copy(),
        cohort_repatriated=zeros_q.copy(), cohort_deserted=zeros_q.copy(), cohort_rotated=zeros_q.copy(),
        cohort_labor_home=zeros_q.copy(), cohort_combat_days=zeros_q.copy(), cohort_front_days=zeros_q.copy(),
        policy_changed=zeros_b.copy(),
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
    equilibrium, the fronts laid out over the sectors) and anchors the law's coefficients in
    each sector. Each step `dt`, `advance` applies, in order: tranche arrivals and
    replacements (M1); the contributors' channels — missiles launched, workers leaving, dated
    arrivals of missiles, artillery and workers, shells delivered; the aid forms the supported
    side receives (air defence, money for pay: M9); missile strikes and a contributor's
    artillery (M6); external supply, the labor market and defence output (M9, M2); the shell
    stock and the firing policy (M6); combat casualties in every sector (M6, M3); desertion;
    intake and the pool of the willing (M7); laborers rotating and the soldiers they free (M2);
    wounded leaving care, training graduation and the tour's stages, with rotation home after
    a tour (M1); the host's allocation between sectors, with substitution and redeployment to
    main (M5, M6); the new stocks; the contingent ledger (M11); mean fire and the contributors'
    ledgers (M6, M11); territory in every sector (M6); casualty tolerance (M4, M5); the bonus
    review (M7); endurance (M8); the salience of the enemy's contingents, the donor blocs'
    support, deliveries and abandonment (M9); the technology transfers the contributors
    receive (M11). Which came first, abandonment or the opponent's end of endurance, is the
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
    tmp = scratch(p.population.shape[0], p.formation_side.shape[0], p.population.shape[1], p.sector_attacker.shape[0],
                  p.contributor_side.shape[0], state.front_stage.shape[3])
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
    F, S, Z = p.formation_side.shape[0], p.population.shape[1], p.sector_attacker.shape[0]
    fs = p.formation_side

    # M4, M8: the feedback of a failing will on desertion and combat effectiveness (cut with the tolerance loop)
    for s in range(S):
        deficit = np.maximum(morale_deficit(old.tolerance[i, s], p.tolerance_threshold[i, s], p.feedback_scale[i, s])
                             - old.deficit_at_start[i, s], 0.0)
        deficit = select(p.loop_cut[LOOP_TOLERANCE], 0.0, deficit)
        tmp.desertion_factor[i, s] = 1.0 + p.feedback_desertion[i, s] * deficit
        tmp.effectiveness[i, s] = 1.0 - p.feedback_effectiveness[i, s] * deficit

    # M1: arrivals of tranches (combat share to training, the rest to labor), and replacements
    for f in range(F):
        tmp.arrivals_training[i, f] = 0.0
        tmp.arrivals_labor[i, f] = 0.0
        tmp.replacements[i, f] = 0.0
    for k in range(p.tranche_step.shape[0]):
        if p.tranche_step[k] == step:
            f = p.tranche_formation[k]
            to_training, to_labor = _tranche_arrival(i, p, k)
            tmp.arrivals_training[i, f] = tmp.arrivals_training[i, f] + to_training
            tmp.arrivals_labor[i, f] = tmp.arrivals_labor[i, f] + to_labor
    for f in range(F):
        if p.replenish_first[f] <= step and step <= p.replenish_last[f]:
            strength = old.training[i, f] + old.front[i, f] + old.wounded[i, f]
            replacements = replenishment_rate(p.replenish_target[i, f], strength, p.replenish_lag_days[i, f]) * dt
            tmp.replacements[i, f] = replacements
            tmp.arrivals_training[i, f] = tmp.arrivals_training[i, f] + replacements

    # Channels of contributors: missiles launched, workers leaving, shells delivered; then the dated arrivals
    C = p.contributor_side.shape[0]
    for c in range(C):
        launched = old.missiles[i, c] * np.minimum(p.launch_per_day[i, c] * dt, 1.0)
        leaving = old.workers[i, c] * np.minimum(p.worker_leave_per_day[i, c] * dt, 1.0)
        tmp.launched_dt[i, c] = launched
        tmp.workers_leaving_dt[i, c] = leaving
        new.missiles[i, c] = old.missiles[i, c] - launched
        new.workers[i, c] = old.workers[i, c] - leaving
        new.artillery_systems[i, c] = old.artillery_systems[i, c]
    for k in range(p.missile_step.shape[0]):
        if p.missile_step[k] == step:
            c = p.missile_contributor[k]
            new.missiles[i, c] = new.missiles[i, c] + p.missile_count[i, k]
    for k in range(p.artillery_step.shape[0]):
        if p.artillery_step[k] == step:
            c = p.artillery_contributor[k]
            new.artillery_systems[i, c] = new.artillery_systems[i, c] + p.artillery_count[i, k]
    for k in range(p.worker_step.shape[0]):
        if p.worker_step[k] == step:
            c = p.worker_contributor[k]
            new.workers[i, c] = new.workers[i, c] + p.worker_count[i, k]
    _deliveries(i, p, step, tmp)
    _aid_forms(i, p, old.bloc_delivered, tmp)

    # M6: missile strikes on the enemy's shells, a contributor's artillery
    for s in range(S):
        tmp.shells_destroyed_dt[i, s] = 0.0
        tmp.artillery_fire[i, s] = 0.0
    for c in range(C):
        side = p.contributor_side[c]
        tmp.shells_destroyed_dt[i, 1 - side] = tmp.shells_destroyed_dt[i, 1 - side] + missile_strikes(
            tmp.launched_dt[i, c], p.accurate_share[i, c], p.shells_per_hit[i, c], tmp.intercept[i, 1 - side])
        tmp.artillery_fire[i, side] = tmp.artillery_fire[i, side] + old.artillery_systems[i, c] * p.fire_per_system[i, c]

    # M9 and M2: external supply, the labor market and the shells each side can fire
    for s in range(S):
        supply = _external_shells(i, p, s, old.bloc_delivered, tmp)
        foreign_labor = 0.0
        domestic_intake = 0.0
        for f in range(F):
            if fs[f] == s:
                if p.foreign[f]:
                    foreign_labor = foreign_labor + old.labor[i, f]
                else:
                    domestic_intake = domestic_intake + old.intake_total[i, f]
        foreign_labor = foreign_labor * p.foreign_laborer_productivity[i, s]
        defence_workers = 0.0
        for c in range(C):
            if p.contributor_side[c] == s:
                workers = old.workers[i, c] * p.worker_productivity[i, c]
                foreign_labor = foreign_labor + workers
                defence_workers = defence_workers + workers * p.worker_defence_share[i, c]
        output = p.shells_production[i, s] * defence_output_factor(defence_workers, p.defence_workforce[i, s])
        if p.has_labor[s]:
            gap, production_factor, recruitment_factor = labor_market(
                p.labor_gap0[i, s], domestic_intake, p.recruits_from_workforce[i, s], foreign_labor,
                p.production_elasticity[i, s], p.recruitment_elasticity[i, s])
            new.labor_gap[i, s] = gap
            tmp.recruitment_factor[i, s] = recruitment_factor * tmp.pay_factor[i, s]
            produced = output * production_factor
        else:  # no labor market: factors of 1
            new.labor_gap[i, s] = np.nan
            tmp.recruitment_factor[i, s] = tmp.pay_factor[i, s]
            produced = output
        inflow = produced + supply
        new.shells_produced[i, s] = old.shells_produced[i, s] + produced * dt
        tmp.shell_inflow[i, s] = inflow
        # strikes destroy shells in stock before the day's firing
        stock = np.maximum(old.shells[i, s] - tmp.shells_destroyed_dt[i, s], 0.0)
        tmp.shells_destroyed_dt[i, s] = old.shells[i, s] - stock
        new.shells_lost[i, s] = old.shells_lost[i, s] + tmp.shells_destroyed_dt[i, s]
        fired = _shells_fired(i, p, s, stock, inflow)
        new.shells_fired[i, s] = fired
        new.shells[i, s] = np.maximum(stock + (inflow - fired) * dt, 0.0)
        new.fire_ratio[i, s] = _fire_ratio(i, p, s, fired, tmp.artillery_fire[i, s])

    # M6: combat in every sector — casualties by side, split among the formations there by exposure
    _combat_terms(i, p, old.sector_front, old.experience, new.fire_ratio, tmp)
    for z in range(Z):
        tmp.relative_ratio[i, z] = tmp.ratio[i, z] / np.maximum(old.force_ratio_at_start[i, z], _TINY)
        if p.has_territory:
            gained = old.sector_area[i, z] - p.sector_area0[i, z]
            tmp.contest[i, z] = contest((p.stake[i, z] - gained) / p.stake[i, z])
        else:
            tmp.contest[i, z] = 1.0 + 0.0 * tmp.ratio[i, z]
    block = _drift_block(p, step)
    for s in range(S):
        for z in range(Z):
            enemy_fires, exposed = tmp.fires[i, 1 - s, z], tmp.exposed_side[i, s, z]
            casualties = combat_casualties(old.coefficient[i, s, z], _posture(p, i, s, z, tmp), enemy_fires, exposed,
                                           p.fires_exponent[i], p.exposure_exponent[i]) * p.casualty_drift[i, block]
            tmp.side_casualties[i, s, z] = select((enemy_fires > 0) & (exposed > 0), casualties, 0.0)
    for f in range(F):
        s = fs[f]
        tmp.killed_dt[i, f] = 0.0
        tmp.deserting_dt[i, f] = 0.0
        for z in range(Z):
            front = old.sector_front[i, f, z]
            casualties = split_by_exposure(tmp.side_casualties[i, s, z], tmp.exposed[i, f, z], tmp.exposed_side[i, s, z])
            # outflows of the front, scaled down together if they would exceed it (rotation leaves the survivors, below)
            casualties_dt = casualties * dt
            deserting_dt = p.desertion_per_day[i, f] * tmp.desertion_factor[i, s] * front * dt
            total = casualties_dt + deserting_dt
            scale = select(total > front, front / np.maximum(total, _TINY), 1.0)
            tmp.sector_casualties_dt[i, f, z] = casualties_dt * scale
            tmp.sector_deserting_dt[i, f, z] = deserting_dt * scale
            tmp.sector_killed_dt[i, f, z] = casualties_dt * scale * p.killed_share[i, f]
            tmp.killed_dt[i, f] = tmp.killed_dt[i, f] + tmp.sector_killed_dt[i, f, z]
            tmp.deserting_dt[i, f] = tmp.deserting_dt[i, f] + tmp.sector_deserting_dt[i, f, z]

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
        else:  # a constant rate, scaled only by the budget support that pays recruits (M9)
            tmp.intake_dt[i, f] = p.intake0[i, f] * tmp.pay_factor[i, s] * dt
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

    # M2: labor — rotation of laborers and the soldiers they free (to and from the main sector)
    for f in range(F):
        tmp.labor_rotating_dt[i, f] = _labor_rotating(old.labor[i, f], p.rotation_per_day[i, f], dt)
        tmp.freed_in[i, f] = 0.0
        tmp.freed_out[i, f] = 0.0
    for k in range(p.freed_contingent.shape[0]):
        c, target = p.freed_contingent[k], p.freed_target[k]
        tmp.freed_in[i, target] = tmp.freed_in[i, target] + p.freed_per_laborer[i, c] * tmp.arrivals_labor[i, c]
        tmp.freed_out[i, target] = tmp.freed_out[i, target] + p.freed_per_laborer[i, c] * tmp.labor_rotating_dt[i, c]

    # M1: wounded leaving care, training graduation, and the front's tour stages, sector by sector
    for f in range(F):
        s = fs[f]
        trains = p.training_days[i, f] > 0
        # the training pipeline: an Erlang delay; untrained arrivals go straight to the front
        entering = tmp.intake_dt[i, f] + select(trains, tmp.arrivals_training[i, f], 0.0)
        leaving, training = _pipeline(i, f, old.training_stage, new.training_stage, p.training_stages[f], p.training_days[i, f],
                                      trains, entering, dt)
        new.training[i, f] = training
        tmp.graduates[i, f] = leaving + select(trains, 0.0, tmp.arrivals_training[i, f])
        tmp.discharged_dt[i, f] = 0.0
        for z in range(Z):
            # wounded in care: return to the sector's front, or discharge (a contingent's: evacuation home)
            leaving_care = _leaving_care(old.sector_wounded[i, f, z], p.wounded_recovery_days[i, s], dt)
            returned = leaving_care * p.wounded_return_fraction[i, f]
            tmp.discharged_dt[i, f] = tmp.discharged_dt[i, f] + (leaving_care - returned)
            wounded_in = tmp.sector_casualties_dt[i, f, z] - tmp.sector_killed_dt[i, f, z]
            new.sector_wounded[i, f, z] = old.sector_wounded[i, f, z] - leaving_care + wounded_in
            # the front: casualties and desertion take from every stage alike, then the stages of the tour advance
            front = old.sector_front[i, f, z]
            lost = tmp.sector_casualties_dt[i, f, z] + tmp.sector_deserting_dt[i, f, z]
            kept = select(front > _TINY, np.maximum(1.0 - lost / np.maximum(front, _TINY), 0.0), 0.0)
            tmp.kept[i, f, z] = kept
            tour = p.tour_stages[f]
            # the last stage's outflow has served its tour: rotated home
            rotating, survivors = _tour(i, f, z, old.front_stage, new.front_stage, kept, tour, _mean_tour(p.rotation_per_day[i, f]), dt)
            tmp.rotating[i, f, z] = rotating
            # the returning wounded rejoin the stages in proportion to who is left
            for k in range(tour):
                part = select(survivors > _TINY, new.front_stage[i, f, z, k] / np.maximum(survivors, _TINY), select(k == 0, 1.0, 0.0))
                tmp.rejoin_part[i, f, z, k] = part
                new.front_stage[i, f, z, k] = new.front_stage[i, f, z, k] + returned * part
            tmp.held[i, f, z] = survivors + returned
    # rotation home and the experience it takes with it
    for f in range(F):
        rotating = 0.0
        veteran_days = 0.0
        for z in range(Z):
            rotating = rotating + tmp.rotating[i, f, z]
            veteran_days = veteran_days + tmp.rotating[i, f, z] * tmp.experience[i, f, z]
        new.rotated[i, f] = old.rotated[i, f] + rotating + tmp.labor_rotating_dt[i, f]
        new.veteran_combat_days[i, f] = old.veteran_combat_days[i, f] + veteran_days

    # M5, M6: the host's allocation between sectors — requirement, substitution, graduates posted, units freed
    _allocate(i, old, p, tmp)

    # new stocks, formation by formation and sector by sector
    for f in range(F):
        s = fs[f]
        tour = p.tour_stages[f]
        front_total = 0.0
        wounded_total = 0.0
        wounded_in_total = 0.0
        casualties_total = 0.0
        arriving_main = tmp.freed_in[i, f]
        for z in range(Z):
            rate = np.minimum(dt / np.maximum(p.redeploy_days[i, z], _TINY), 1.0)
            arrived = old.redeploying[i, f, z] * rate
            new.redeploying[i, f, z] = old.redeploying[i, f, z] - arrived + tmp.moved_out[i, f, z]
            arriving_main = arriving_main + arrived
        freed_out = np.minimum(tmp.freed_out[i, f], tmp.held[i, f, MAIN])
        for z in range(Z):
            held = tmp.held[i, f, z]
            leaving = tmp.moved_out[i, f, z] + select(z == MAIN, freed_out, 0.0)
            kept = select(held > _TINY, np.maximum(1.0 - leaving / np.maximum(held, _TINY), 0.0), 0.0)
            veterans = held * kept
            arriving = tmp.posted[i, f, z] + select(z == MAIN, arriving_main, 0.0)
            strength = 0.0
            for k in range(tour):
                stage = new.front_stage[i, f, z, k] * kept + select(k == 0, arriving, 0.0)
                new.front_stage[i, f, z, k] = stage
                strength = strength + stage
            new.sector_front[i, f, z] = strength
            new.experience[i, f, z] = (tmp.experience[i, f, z] + dt) * veterans
            new.sector_killed[i, f, z] = old.sector_killed[i, f, z] + tmp.sector_killed_dt[i, f, z]
            front_total = front_total + strength
            wounded_total = wounded_total + new.sector_wounded[i, f, z]
            wounded_in_total = wounded_in_total + (tmp.sector_casualties_dt[i, f, z] - tmp.sector_killed_dt[i, f, z])
            casualties_total = casualties_total + tmp.sector_casualties_dt[i, f, z]
        new.front[i, f] = front_total
        new.wounded[i, f] = wounded_total
        new.killed[i, f] = old.killed[i, f] + tmp.killed_dt[i, f]
        new.discharged[i, f] = old.discharged[i, f] + tmp.discharged_dt[i, f]
        new.deserted[i, f] = old.deserted[i, f] + tmp.deserting_dt[i, f]
        new.rotated[i, f] = new.rotated[i, f] + freed_out
        new.labor[i, f] = old.labor[i, f] + tmp.arrivals_labor[i, f] - tmp.labor_rotating_dt[i, f]
        new.inflow_total[i, f] = (old.inflow_total[i, f] + tmp.intake_dt[i, f] + tmp.arrivals_training[i, f]
                                  + tmp.arrivals_labor[i, f] + tmp.freed_in[i, f])
        new.intake_total[i, f] = old.intake_total[i, f] + tmp.intake_dt[i, f]
        new.wounded_total[i, f] = old.wounded_total[i, f] + wounded_in_total
        new.casualties[i, f] = casualties_total / dt
        new.initial_total[i, f] = old.initial_total[i, f]
        # M11: the contingent's ledger
        deployed = old.training[i, f] + old.front[i, f] + old.wounded[i, f] + old.labor[i, f]
        pay, materiel = contingent_ledger_rates(deployed, p.payment_usd_per_soldier_month[i, f] * p.formation_paid[f],
                                                p.materiel_usd_per_soldier_month[i, f])
        new.person_days_deployed[i, f] = old.person_days_deployed[i, f] + deployed * dt
        new.payment_usd[i, f] = old.payment_usd[i, f] + pay * dt
        new.materiel_usd[i, f] = old.materiel_usd[i, f] + materiel * dt

    trace_cohorts(i, step, old, p, new, tmp)

    # materiel: the mean fire over the desired rate (M8); M11: the contributors' ledgers
    for s in range(S):
        new.fire_ratio_mean[i, s] = old.fire_ratio_mean[i, s] + (new.fire_ratio[i, s] - old.fire_ratio_mean[i, s]) * dt / SMOOTHING_DAYS
    for c in range(C):
        enemy = 1 - p.contributor_side[c]
        attempted = missile_strikes(tmp.launched_dt[i, c], p.accurate_share[i, c], p.shells_per_hit[i, c], tmp.intercept[i, enemy])
        total = 0.0
        for k in range(C):
            if p.contributor_side[k] != enemy:
                total = total + missile_strikes(tmp.launched_dt[i, k], p.accurate_share[i, k], p.shells_per_hit[i, k], tmp.intercept[i, enemy])
        share = select(total > _TINY, attempted / np.maximum(total, _TINY), 0.0)
        new.shells_destroyed[i, c] = old.shells_destroyed[i, c] + tmp.shells_destroyed_dt[i, enemy] * share
        new.missiles_launched[i, c] = old.missiles_launched[i, c] + tmp.launched_dt[i, c]
        new.shells_delivered[i, c] = old.shells_delivered[i, c] + tmp.delivered_dt[i, c]
        munitions, workers = channel_payment_rates(tmp.delivered_dt[i, c] / dt, p.usd_per_shell[i, c], old.workers[i, c],
                                                   p.usd_per_worker_month[i, c])
        new.channel_payment_usd[i, c] = old.channel_payment_usd[i, c] + (munitions + workers) * dt * p.contributor_paid[c]
        new.worker_payment_usd[i, c] = old.worker_payment_usd[i, c] + workers * dt * p.contributor_paid[c]

    # M6: territory, sector by sector (the area stays within the sector's bounds)
    for z in range(Z):
        gained = old.sector_area[i, z] - p.sector_area0[i, z]
        if p.has_territory:
            a = p.sector_attacker[z]
            rate = territory_gain(tmp.relative_ratio[i, z], p.sector_gain_at_start[i, z], p.stall_ratio[i, z], p.stall_log[i, z],
                                  p.max_gain_multiple[i, z], p.gain_norm[i, z], gained, p.stake[i, z], p.retake_limit[i, z],
                                  p.defended_depth[i, z]) * p.gain_drift[i, block]
            rate = select((tmp.fires[i, a, z] > 0) & (tmp.fires[i, 1 - a, z] > 0), rate, 0.0)
            now = np.minimum(np.maximum(gained + rate * dt, -p.retake_limit[i, z]), p.stake[i, z])
        else:
            now = gained
        new.sector_gain[i, z] = (now - gained) / dt
        new.sector_area[i, z] = p.sector_area0[i, z] + now
        new.force_ratio_at_start[i, z] = old.force_ratio_at_start[i, z]
    gain = new.sector_gain[i, MAIN]
    new.gain[i] = gain
    new.area[i] = new.sector_area[i, MAIN]
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
        foreign_deployed = 0.0
        for f in range(F):
            if fs[f] == s:
                killed_dt, discharged_dt = tmp.killed_dt[i, f], tmp.discharged_dt[i, f]
                weighted_step = weighted_step + p.tolerance_weight[i, f] * (killed_dt + p.discharged_weight[i, s] * discharged_dt)
                if p.foreign[f]:
                    foreign_deployed = foreign_deployed + new.training[i, f] + new.front[i, f]
                else:
                    own_losses = own_losses + (killed_dt + discharged_dt + tmp.deserting_dt[i, f])
                    national_front = national_front + new.front[i, f]
                side_front = side_front + new.front[i, f]
                for z in range(Z):  # soldiers on their way to another sector still count
                    side_front = side_front + new.redeploying[i, f, z]
        new.foreign_deployed[i, s] = foreign_deployed
        new.national_front_days[i, s] = old.national_front_days[i, s] + national_front * dt
        weighted_losses = old.weighted_losses[i, s] + weighted_step
        rate = weighted_step / dt
        first = np.isnan(old.loss_rate_reference[i, s])
        reference = select(first, rate, old.loss_rate_reference[i, s])
        mean = select(first, rate, old.loss_rate_mean[i, s] + (rate - old.loss_rate_mean[i, s]) * dt / SMOOTHING_DAYS)
        momentum = bounded_momentum(relative_gain if s == p.attacker else -relative_gain, p.momentum_bound[i, s])
        if p.has_tolerance[s]:
            feedback = select(p.loop_cut[LOOP_TOLERANCE], 0.0, 1.0)
            tolerance = tolerance_index(
                weighted_losses, p.population[i, s], p.knee_loss_share[i, s], p.collapse_log[i, s],
                p.tolerance_threshold[i, s], mean, reference, feedback * p.trend_sensitivity[i, s], momentum,
                feedback * p.momentum_sensitivity[i, s])
            tolerance = will_to_fight(tolerance, _strain(p, i, s, old, new), feedback * p.strain_sensitivity[i, s],
                                      _support_felt(p, i, s, old), feedback * p.support_sensitivity[i, s])
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
        ratchets = p.has_recruitment[s] and not p.loop_cut[LOOP_RECRUITMENT]
        new.bonus[i, s] = bonus_review(old.bonus[i, s], intake_since_review, losses_since_review,
                                       p.ratchet_fraction[i, s], p.bonus_ceiling[i, s], due & ratchets)
        new.intake_since_review[i, s] = select(due, 0.0, intake_since_review)
        new.losses_since_review[i, s] = select(due, 0.0, losses_since_review)
        new.days_since_review[i, s] = select(due, 0.0, days_since_review)

        _endurance(i, s, day, old, p, side_front, tolerance, new)
        new.deficit_at_start[i, s] = old.deficit_at_start[i, s]
        for z in range(Z):
            new.coefficient[i, s, z] = old.coefficient[i, s, z]
        new.front_at_start[i, s] = old.front_at_start[i, s]

    # M9: external support and abandonment; M11: technology in return
    _support(i, step, old, p, gain_mean, nuclear_uniform, new)
    _technology(i, step, old, p, nuclear_uniform, new)


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


def _allocate(i, old: State, p: Parameters, tmp: Scratch) -> None:
    """M5, M6 for one step: where graduates go (``tmp.posted``) and who leaves a sector for main (``tmp.moved_out``).

    Reads the front after the step's losses (``tmp.held``), the graduates (``tmp.graduates``),
    and the exposure at the start of the step (``tmp.exposed``); see `sector_requirement`.
    """
    F, S, Z = p.formation_side.shape[0], p.population.shape[1], p.sector_attacker.shape[0]
    fs = p.formation_side
    allocate = not p.loop_cut[LOOP_ALLOCATION]
    for f in range(F):
        for z in range(Z):
            tmp.posted[i, f, z] = 0.0
            tmp.moved_out[i, f, z] = 0.0
        if p.learns[f]:  # a contingent goes where it was sent
            for z in range(Z):
                tmp.posted[i, f, z] = tmp.graduates[i, f] * p.sector_weight[i, f, z]
    for s in range(S):
        strength = 0.0
        graduates = 0.0
        for f in range(F):
            if fs[f] == s and not p.learns[f]:
                strength = strength + old.front[i, f]
                graduates = graduates + tmp.graduates[i, f]
                for z in range(Z):
                    strength = strength + old.redeploying[i, f, z]
        lacking = 0.0
        for z in range(MAIN + 1, Z):
            held = 0.0
            displaced = 0.0
            for f in range(F):
                if fs[f] == s:
                    if p.learns[f]:
                        displaced = displaced + p.substitution_share[i, f] * p.exposure[i, f] * old.sector_front[i, f, z]
                    else:
                        held = held + tmp.held[i, f, z]
            required = sector_requirement(p.front_share[i, s, z], strength, tmp.contest[i, z], displaced / p.host_exposure[i, s])
            tmp.lacking[i, s, z] = np.maximum(required - held, 0.0)
            tmp.surplus_share[i, s, z] = select(allocate, np.maximum(held - required, 0.0), 0.0) / np.maximum(held, _TINY)
            lacking = lacking + tmp.lacking[i, s, z]
        filled = np.minimum(1.0, graduates / np.maximum(lacking, _TINY))
        for f in range(F):
            if fs[f] == s and not p.learns[f]:
                posted_elsewhere = 0.0
                for z in range(MAIN + 1, Z):
                    if allocate:
                        share = tmp.lacking[i, s, z] * filled / np.maximum(graduates, _TINY)
                    else:
                        share = p.front_share[i, s, z]
                    tmp.posted[i, f, z] = tmp.graduates[i, f] * share
                    tmp.moved_out[i, f, z] = tmp.held[i, f, z] * tmp.surplus_share[i, s, z]
                    posted_elsewhere = posted_elsewhere + tmp.posted[i, f, z]
                tmp.posted[i, f, MAIN] = tmp.graduates[i, f] - posted_elsewhere


def _support(i, step, old: State, p: Parameters, gain_mean, uniform, new: State) -> None:
    """M9 for one step: the blocs' support and deliveries, salience, abandonment and the day's events."""
    dt = p.dt
    day = step * dt
    B = p.bloc_policy_step.shape[0]
    if p.supported_side < 0:
        new.support[i] = old.support[i]
        new.delivered[i] = old.delivered[i]
        new.days_below_threshold[i] = old.days_below_threshold[i]
        new.abandon_day[i] = old.abandon_day[i]
        new.nuclear_events[i] = old.nuclear_events[i]
        new.salience[i] = old.salience[i]
        for b in range(B):
            new.bloc_support[i, b] = old.bloc_support[i, b]
            new.bloc_delivered[i, b] = old.bloc_delivered[i, b]
            new.aid_allocated_eur_bn[i, b] = old.aid_allocated_eur_bn[i, b]
            new.policy_changed[i, b] = old.policy_changed[i, b]
        return
    sign = 1.0 if p.supported_side != p.attacker else -1.0
    if p.has_territory:
        progress = sign * (p.gain_at_start[i] - gain_mean) / np.maximum(np.abs(p.gain_at_start[i]), _TINY)
    else:
        progress = 0.0
    front, casualties = _enemy_contingents(i, p, new, 1 - p.supported_side)
    salience = contingent_salience(old.salience[i], front, casualties, p.salience_front[i], p.salience_casualties[i], p.salience_days[i], dt)
    new.salience[i] = salience
    # the day's events from one uniform: a nuclear threat at the low end, each bloc's policy change at the high end
    event = uniform < p.nuclear_threats_per_year[i] * dt / 365.0
    upper = 1.0
    abandoned = ~np.isnan(old.abandon_day[i])
    weighted = 0.0
    aid_total = 0.0
    for b in range(B):
        chance = p.policy_change_per_year[i, b] * dt / 365.0 * (step >= p.bloc_policy_step[b])
        hit = (uniform > upper - chance) & (uniform <= upper)
        changed = np.maximum(old.policy_changed[i, b], select(hit, 1.0, 0.0))
        upper = upper - chance
        new.policy_changed[i, b] = changed
        equilibrium = support_equilibrium(day, p.fatigue_per_year[i, b], progress, p.progress_sensitivity[i], salience,
                                          p.bad_news_sensitivity[i, b], changed, p.policy_change_cut[i, b])
        bloc = support_step(old.bloc_support[i, b], equilibrium, p.support_adjustment_days[i], event, p.nuclear_threat_damping[i, b], dt)
        bloc = select(abandoned, p.residual_after_abandonment[i], bloc)
        bloc = select(p.loop_cut[LOOP_SUPPORT], 1.0 + 0.0 * bloc, bloc)
        new.bloc_support[i, b] = bloc
        weighted = weighted + p.aid0[i, b] * bloc
        aid_total = aid_total + p.aid0[i, b]
    support = weighted / np.maximum(aid_total, _TINY)
    below = select(support < p.abandonment_threshold[i], old.days_below_threshold[i] + dt, 0.0)
    newly = ~abandoned & (below >= p.abandonment_hold_days[i] - 1e-9) & (not p.loop_cut[LOOP_SUPPORT])
    new.abandon_day[i] = select(newly, day + dt, old.abandon_day[i])
    support = select(newly, p.residual_after_abandonment[i], support)
    new.support[i] = support
    new.days_below_threshold[i] = below
    lag = np.minimum(dt / p.delivery_lag_days[i], 1.0)
    delivered = 0.0
    for b in range(B):
        bloc = select(newly, p.residual_after_abandonment[i], new.bloc_support[i, b])
        new.bloc_support[i, b] = bloc
        new.bloc_delivered[i, b] = old.bloc_delivered[i, b] + (bloc - old.bloc_delivered[i, b]) * lag
        new.aid_allocated_eur_bn[i, b] = old.aid_allocated_eur_bn[i, b] + p.aid0[i, b] * bloc * dt / 365.0
        delivered = delivered + p.aid0[i, b] * new.bloc_delivered[i, b]
    new.delivered[i] = delivered / np.maximum(aid_total, _TINY)
    new.nuclear_events[i] = old.nuclear_events[i] + select(event, 1.0, 0.0)


def _technology(i, step, old: State, p: Parameters, uniform, new: State) -> None:
    """M11 for one step: the technology transfers of every contributor, in bands above the nuclear threat's."""
    dt = p.dt
    day = step * dt
    low = p.nuclear_threats_per_year[i] * dt / 365.0
    for c in range(p.contributor_side.shape[0]):
        received, low = technology_transfer(old.technology_day[i, c, 0], p.air_defence_per_year[i, c], uniform, low, day, dt)
        new.technology_day[i, c, 0] = received
        received, low = technology_transfer(old.technology_day[i, c, 1], p.space_per_year[i, c], uniform, low, day, dt)
        new.technology_day[i, c, 1] = received
        received, low = technology_transfer(old.technology_day[i, c, 2], p.submarine_per_year[i, c], uniform, low, day, dt)
        new.technology_day[i, c, 2] = received
        received, low = technology_transfer(old.technology_day[i, c, 3], p.drone_production_per_year[i, c], uniform, low, day, dt)
        new.technology_day[i, c, 3] = received
