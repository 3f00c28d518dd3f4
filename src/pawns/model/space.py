"""The parameter space of a scenario: every :class:`ParamSpec` under a dotted name.

This is the SALib-style batch contract: a scenario defines ``D`` named parameters, members'
values form an ``(N, D)`` matrix (drawn by :func:`pawns.engine.draws.draw_parameters`, or
chosen by a design), and the engine evaluates the whole matrix at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pawns.scenario.distributions import ParamSpec
from pawns.scenario.parameters import iter_params
from pawns.scenario.posterior import Posterior
from pawns.scenario.schema import Scenario


@dataclass(frozen=True)
class ParameterSpace:
    """The named parameters of a scenario.

    Attributes
    ----------
    names
        Dotted names, e.g. ``sides.RU.killed_share``.
    specs
        The matching specifications.
    posterior
        Calibrated draws the members take some parameters from instead (see
        :mod:`pawns.scenario.posterior`), handed in by whoever builds the space.
    """

    names: tuple[str, ...]
    specs: tuple[ParamSpec, ...]
    posterior: Posterior | None = field(default=None, compare=False)

    @classmethod
    def from_scenario(cls, scenario: Scenario, posterior: Posterior | None) -> "ParameterSpace":
        """Collect every parameter of ``scenario``, with the posterior draws given (if any)."""
        pairs = list(iter_params(scenario))
        return cls(tuple(name for name, _ in pairs), tuple(spec for _, spec in pairs), posterior)

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        """Column of parameter ``name`` in a parameter matrix."""
        return self.names.index(name)

    def uncertain(self) -> list[str]:
        """Names of the parameters that vary across members."""
        return [n for n, s in zip(self.names, self.specs) if not s.is_fixed]

    def calibrated(self) -> list[str]:
        """Names of the uncertain parameters the members draw from the posterior (empty without one)."""
        if self.posterior is None:
            return []
        drawn = set(self.posterior.names)
        return [n for n, s in zip(self.names, self.specs) if n in drawn and not s.is_fixed]

    def drawn_from(self, name: str) -> str:
        """What members draw parameter ``name`` from, in words.

        ``"uniform(0.5, 1)"`` for a parameter drawn from its own distribution (or a fixed value),
        ``"posterior (prior uniform(0.5, 1))"`` for one drawn from the calibrated posterior.
        """
        spec = self.specs[self.index(name)]
        if self.posterior is not None and not spec.is_fixed and name in self.posterior.names:
            return f"posterior (prior {spec.describe()})"
        return spec.describe()

    def central(self, rows: int = 1) -> np.ndarray:
        """An ``(rows, D)`` matrix of central values: fixed values, and medians of distributions."""
        return np.tile(np.array([spec.central() for spec in self.specs], dtype=np.float64), (rows, 1))
