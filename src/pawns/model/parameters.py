"""The parameter space of a scenario: every :class:`ParamSpec` under a dotted name.

This is the SALib-style batch contract: a scenario defines ``D`` named parameters, a sampler
produces an ``(N, D)`` matrix, and the engine evaluates the whole matrix at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import numpy as np
from pydantic import BaseModel

from pawns.engine.rng import stream_key, uniforms
from pawns.scenario.distributions import ParamSpec
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    from pawns.calibration.posterior import Posterior


def iter_params(node: object, prefix: str = "") -> Iterator[tuple[str, ParamSpec]]:
    """Yield ``(dotted_name, spec)`` for every parameter under a scenario node, in file order."""
    if isinstance(node, ParamSpec):
        yield prefix, node
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            yield from iter_params(getattr(node, field), f"{prefix}.{field}" if prefix else field)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from iter_params(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_params(value, f"{prefix}.{index}")


@dataclass(frozen=True)
class ParameterSpace:
    """The named parameters of a scenario.

    Attributes
    ----------
    names
        Dotted names, e.g. ``sides.RU.killed_share``.
    specs
        The matching specifications.
    """

    names: tuple[str, ...]
    specs: tuple[ParamSpec, ...]
    posterior: "Posterior | None" = field(default=None, compare=False)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> "ParameterSpace":
        """Collect every parameter of ``scenario`` (and its posterior draws, if it names a file)."""
        pairs = list(iter_params(scenario))
        names = tuple(name for name, _ in pairs)
        posterior = None
        if scenario.scenario.posterior is not None:
            from pawns.calibration.posterior import read_posterior

            posterior = read_posterior(scenario.scenario.posterior, names)
        return cls(names, tuple(spec for _, spec in pairs), posterior)

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        """Column of parameter ``name`` in a parameter matrix."""
        return self.names.index(name)

    def uncertain(self) -> list[str]:
        """Names of the parameters that vary across members."""
        return [n for n, s in zip(self.names, self.specs) if not s.is_fixed]

    def sample(self, members: np.ndarray, *, seed: int) -> np.ndarray:
        """Draw an ``(N, D)`` parameter matrix for global member indices ``members``.

        Member ``i``'s value of parameter ``name`` depends only on ``(seed, i, name)``: the
        same in any chunk, any worker, and any scenario that shares the name. With a posterior
        file, the uncertain parameters it names come instead from one posterior row per member,
        chosen by ``(seed, i)`` alone; parameters the scenario fixes keep their fixed value.
        """
        members = np.asarray(members, dtype=np.int64)
        matrix = np.empty((members.size, len(self.names)), dtype=np.float64)
        for column, (name, spec) in enumerate(zip(self.names, self.specs)):
            if spec.is_fixed:
                matrix[:, column] = spec.value
            else:
                matrix[:, column] = spec.ppf(uniforms(seed, members, stream_key(name)))
        if self.posterior is not None:
            rows = self.posterior.rows_for(members, seed=seed)
            for k, name in enumerate(self.posterior.names):
                column = self.index(name)
                if not self.specs[column].is_fixed:
                    matrix[:, column] = self.posterior.values[rows, k]
        return matrix

    def transform(self, unit: np.ndarray) -> np.ndarray:
        """Map a matrix of uniforms in (0, 1) (e.g. from a SALib design) to parameter values."""
        unit = np.asarray(unit, dtype=np.float64)
        if unit.ndim != 2 or unit.shape[1] != len(self.names):
            raise ValueError(f"expected an (N, {len(self.names)}) matrix of uniforms")
        return np.column_stack([spec.ppf(unit[:, j]) for j, spec in enumerate(self.specs)])
