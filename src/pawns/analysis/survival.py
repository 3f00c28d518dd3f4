"""Measures of censored times: the end of a side's endurance as a survival time.

Most members end their run with the side still fighting: its end is *censored* at the horizon.
The standard measures for such times are the restricted mean survival time (RMST: the mean of
``min(T, horizon)``, the area under the survival curve up to the horizon) and the probability
of the event by a given day. Each is computed here from one of two sources:

* a member's own hazard path (the model keeps ``integral exp(-Lambda)`` and ``1 - exp(-Lambda)``
  per member, :func:`pawns.model.equations.survival_step`): exact, with no noise from the
  single draw that dates the member's end; and
* the realised end days (Kaplan–Meier), which check the first.

Effects are paired differences, member by member, of runs that share every draw.
"""

from __future__ import annotations

import numpy as np

TROOP_YEAR_DAYS = 365.0
TROOP_MONTH_DAYS = 30.44


def rmst_constant_hazard(hazard_per_day: float, horizon_days: float) -> float:
    """RMST of an exponential time with a constant daily hazard: ``(1 - exp(-h H)) / h`` (``H`` at ``h = 0``)."""
    if hazard_per_day <= 0:
        return float(horizon_days)
    return float(-np.expm1(-hazard_per_day * horizon_days) / hazard_per_day)


def rmst_from_hazard(hazard_per_day: np.ndarray, dt: float = 1.0) -> np.ndarray:
    """RMST up to the end of a hazard path, per member: ``integral_0^H exp(-Lambda(t)) dt``.

    ``hazard_per_day`` is ``(..., steps)``: the hazard of each step of length ``dt``. The
    survival curve is integrated exactly over each step (the hazard is constant within it).
    """
    hazard = np.asarray(hazard_per_day, dtype=np.float64)
    cumulative = np.cumsum(hazard * dt, axis=-1)
    before = np.concatenate([np.zeros(hazard.shape[:-1] + (1,)), cumulative[..., :-1]], axis=-1)
    step = np.where(hazard > 0, -np.expm1(-hazard * dt) / np.where(hazard > 0, hazard, 1.0), dt)
    return np.sum(np.exp(-before) * step, axis=-1)


def kaplan_meier(end_days: np.ndarray, horizon_days: float) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan–Meier survival curve of end days censored at the horizon (NaN: no end by it).

    Returns the distinct event days and the survival just after each. With every member
    censored at the same horizon, it equals the empirical survival function.
    """
    days = np.asarray(end_days, dtype=np.float64)
    events = np.sort(days[np.isfinite(days) & (days <= horizon_days)])
    unique, counts = np.unique(events, return_counts=True)
    at_risk = days.size - np.concatenate([[0], np.cumsum(counts)[:-1]])
    survival = np.cumprod(1.0 - counts / np.maximum(at_risk, 1))
    return unique, survival


def rmst_kaplan_meier(end_days: np.ndarray, horizon_days: float) -> float:
    """RMST up to the horizon from realised end days: the area under the Kaplan–Meier curve."""
    days, survival = kaplan_meier(end_days, horizon_days)
    edges = np.concatenate([[0.0], days, [horizon_days]])
    levels = np.concatenate([[1.0], survival])
    return float(np.sum(levels * np.diff(edges)))


def horizontal_shift_days(treated_end: np.ndarray, reference_end: np.ndarray, reference_start: np.ndarray,
                          horizon_days: float) -> np.ndarray:
    """Per member: how many days later the treated trajectory reaches the reference's level at the horizon.

    The level of an index that falls over the run (the will to fight) at the horizon, in the
    treated run against the reference, divided by the reference's mean fall per day. For two
    trajectories that fall in parallel, one ``d`` days behind the other, this is ``d``. Where
    the reference does not fall, no shift is defined: 0.
    """
    fall_per_day = (np.asarray(reference_start) - np.asarray(reference_end)) / horizon_days
    gap = np.asarray(treated_end) - np.asarray(reference_end)
    return np.where(fall_per_day > 0, gap / np.where(fall_per_day > 0, fall_per_day, 1.0), 0.0)


def per_exposure(effect: np.ndarray, person_days: np.ndarray, unit_days: float, per: float) -> np.ndarray:
    """Per member: ``effect`` per ``per`` units of exposure (troop-years: ``unit_days`` 365; troop-months: 30.44).

    Members with no exposure give NaN (no troops, no rate).
    """
    units = np.asarray(person_days, dtype=np.float64) / unit_days
    return np.where(units > 0, np.asarray(effect, dtype=np.float64) * per / np.where(units > 0, units, 1.0), np.nan)
