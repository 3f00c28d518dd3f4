"""The combat laws compared against history, and the model's own law applied to two-sided fights.

Every prediction here goes through :func:`pawns.model.equations.combat_casualties`, the
function the simulation integrates, so the fits test the model's equation itself:

    C_s = k_s * F_s'^p * E_s^q

with enemy fires ``F_s'`` taken as the enemy's strength and exposed force ``E_s`` as the side's own
strength (posture 1, no fire support or learning: the battles record none of them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pawns.model.equations import combat_casualties


@dataclass(frozen=True)
class Law:
    """A named form of the law: fixed exponents ``(p, q)``, or both free (``None``)."""

    name: str
    fires_exponent: float | None
    exposure_exponent: float | None
    description: str

    @property
    def free(self) -> bool:
        return self.fires_exponent is None


LAWS: dict[str, Law] = {
    "square": Law("square", 1.0, 0.0, "p=1, q=0: aimed fire (Lanchester square law)"),
    "linear": Law("linear", 1.0, 1.0, "p=1, q=1: area fire (Lanchester linear law)"),
    "logarithmic": Law("logarithmic", 0.0, 1.0, "p=0, q=1: losses in proportion to own strength"),
    "fitted": Law("fitted", None, None, "p and q estimated from the data"),
}

# Strengths enter the law in thousands of persons: keeps F^p * E^q within floating-point comfort
# for any exponent tried; coefficients are converted back to persons when reported.
UNIT = 1000.0


def side_rates(coefficient: np.ndarray, own: np.ndarray, enemy: np.ndarray, p: float, q: float) -> np.ndarray:
    """Casualties per day of one side (arrays of any shape), through the model's law.

    Parameters
    ----------
    coefficient
        ``k`` in units where strengths are in thousands of persons.
    own, enemy
        Strengths in thousands of persons (own = exposed force, enemy = fires).
    p, q
        Fires and exposure exponents.
    """
    own2, enemy2 = np.atleast_2d(own), np.atleast_2d(enemy)
    k2 = np.broadcast_to(np.atleast_2d(coefficient), own2.shape)
    rows = own2.shape[0]
    rate = combat_casualties(k2, np.ones_like(own2), enemy2, own2, np.full(rows, float(p)), np.full(rows, float(q)))
    return rate.reshape(np.shape(own)) if np.ndim(own) else rate.reshape(())


def integrate_battles(strength_a: np.ndarray, strength_b: np.ndarray, duration_days: np.ndarray,
                      k_a: float, k_b: float, p: float, q: float, *, substeps: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Total casualties of both sides when each battle runs the law for its duration.

    Both sides' rates come from the model's law evaluated at the current strengths; each battle's
    duration is cut into ``substeps`` equal steps (explicit Euler, as the simulation steps days).
    A side cannot lose more than it has: a step's losses are capped at its remaining strength.

    Parameters
    ----------
    strength_a, strength_b
        Initial strengths in persons, one entry per battle.
    duration_days
        Fighting time per battle in days.
    k_a, k_b
        Coefficients of side a and b in thousand-person units (see :data:`UNIT`).
    p, q
        Fires and exposure exponents.

    Returns
    -------
    casualties_a, casualties_b
        Total casualties per battle, in persons.
    """
    a = np.asarray(strength_a, dtype=float) / UNIT
    b = np.asarray(strength_b, dtype=float) / UNIT
    step = np.asarray(duration_days, dtype=float) / substeps
    own = np.stack([a, b], axis=1)
    coefficient = np.broadcast_to(np.array([k_a, k_b], dtype=float), own.shape)
    exponent_p, exponent_q = np.full(len(a), float(p)), np.full(len(a), float(q))
    start = own.copy()
    for _ in range(substeps):
        enemy = own[:, ::-1]
        rate = combat_casualties(coefficient, np.ones_like(own), enemy, own, exponent_p, exponent_q)
        # A tiny floor keeps a negative exposure exponent finite once a side is wiped out.
        own = np.maximum(own - np.minimum(rate * step[:, None], own), 1e-9)
    lost = (start - own) * UNIT
    return lost[:, 0], lost[:, 1]


def coefficient_in_persons(k: float, p: float, q: float) -> float:
    """Convert a coefficient from thousand-person units to persons: ``k * UNIT^(1 - p - q)``."""
    return float(k * UNIT ** (1.0 - p - q))
