"""Members' parameter draws: an ``(N, D)`` matrix from a scenario's parameter space.

Member ``i``'s value of parameter ``name`` depends only on ``(seed, i, name)``
(:mod:`pawns.engine.rng`): the same in any chunk, any worker, and any scenario that shares
the name, so paired scenarios draw common random numbers.
"""

from __future__ import annotations

import numpy as np

from pawns.engine.rng import stream_key, uniforms
from pawns.model.space import ParameterSpace
from pawns.scenario.posterior import Posterior

POSTERIOR_STREAM = stream_key("posterior")


def draw_parameters(space: ParameterSpace, members: np.ndarray, *, seed: int) -> np.ndarray:
    """Draw an ``(N, D)`` parameter matrix for global member indices ``members``.

    Each uncertain parameter is its distribution's quantile function at the member's own
    uniform. With posterior draws in the space, the uncertain parameters they name come
    instead from one posterior row per member, chosen by ``(seed, i)`` alone; parameters the
    scenario fixes keep their fixed value.
    """
    members = np.asarray(members, dtype=np.int64)
    matrix = np.empty((members.size, len(space.names)), dtype=np.float64)
    for column, (name, spec) in enumerate(zip(space.names, space.specs)):
        if spec.is_fixed:
            matrix[:, column] = spec.value
        else:
            matrix[:, column] = spec.ppf(uniforms(seed, members, stream_key(name)))
    if space.posterior is not None:
        rows = posterior_rows(space.posterior, members, seed=seed)
        for k, name in enumerate(space.posterior.names):
            column = space.index(name)
            if not space.specs[column].is_fixed:
                matrix[:, column] = space.posterior.values[rows, k]
    return matrix


def posterior_rows(posterior: Posterior, members: np.ndarray, *, seed: int) -> np.ndarray:
    """Row index of each member: inverse CDF of the weights at the member's own uniform."""
    return particle_rows(posterior.weights, uniforms(seed, np.asarray(members, dtype=np.int64), POSTERIOR_STREAM))


def particle_rows(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The posterior row each uniform in (0, 1) picks: the inverse CDF of the weights."""
    cumulative = np.cumsum(weights)
    cumulative[-1] = 1.0  # guard the last bin against rounding
    return np.searchsorted(cumulative, u, side="right").clip(0, len(weights) - 1)
