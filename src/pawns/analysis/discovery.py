"""Scenario discovery (Q5): the regions of parameter space where a condition holds.

The runs are the scenario's own ensemble -- member ``i`` with the parameter draws it has in
``pawns run`` with the same seed -- so the boxes describe the very ensemble the Q1-Q4 answers
come from. The condition is evaluated per member (see :mod:`pawns.analysis.conditions`) and
PRIM (:mod:`pawns.analysis.prim`) finds boxes over the uncertain parameters, in their units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from pawns.analysis import prim as primlib
from pawns.analysis.conditions import Condition, parse_condition
from pawns.analysis.design_factors import design_space
from pawns.analysis.design_runs import run_design
from pawns.analysis.outcome_registry import evaluate, outcome_registry
from pawns.engine.draws import draw_parameters
from pawns.engine.plan import DEFAULT_CHUNK, Evaluator
from pawns.errors import PawnsError
from pawns.model.layout import Layout
from pawns.model.space import ParameterSpace
from pawns.scenario.schema import Scenario

FORMAT_VERSION = 1


@dataclass
class DiscoveryResult:
    """Boxes found for one condition over one scenario's ensemble.

    Attributes
    ----------
    names
        The uncertain parameters PRIM searched over (columns of ``X``).
    space
        The parameter space the members were drawn from (with its posterior in the posterior design).
    X
        ``(members, D)`` parameter values of the ensemble.
    y
        Whether the condition held in each member.
    boxes
        One PRIM result per box; box ``k`` was searched among the runs outside boxes ``0..k-1``.
    """

    scenario: Scenario
    condition: str
    seed: int
    names: tuple[str, ...]
    X: np.ndarray
    y: np.ndarray
    boxes: list[primlib.PrimResult]
    settings: dict
    space: ParameterSpace


@dataclass
class DiscoveryPlan:
    """A checked discovery request: the parsed condition and the outcomes it needs."""

    scenario: Scenario
    condition: Condition
    outcomes: list
    seed: int
    settings: dict
    space: ParameterSpace

    @property
    def design(self) -> str:
        """``"posterior"`` when members draw posterior particles, else ``"prior"``."""
        return "posterior" if self.space.calibrated() else "prior"

    @property
    def paired(self) -> bool:
        """Whether the condition uses an outcome that needs runs without the contingents."""
        return any(o.paired for o in self.outcomes)

    @property
    def runs(self) -> int:
        """Engine runs in all (members, twice when paired)."""
        return int(self.settings["members"]) * (2 if self.paired else 1)


def plan_discovery(
    scenario: Scenario,
    where: str,
    *,
    members: int = 4000,
    seed: int = 0,
    alpha: float = primlib.DEFAULT_ALPHA,
    min_mass: float = primlib.DEFAULT_MIN_MASS,
    min_coverage: float = primlib.DEFAULT_MIN_COVERAGE,
    pasting: bool = False,
    boxes: int = 1,
    design: str | None = None,
) -> DiscoveryPlan:
    """Check a discovery request before anything runs.

    Parameters
    ----------
    scenario
        A validated scenario.
    where
        The condition, e.g. ``"abandon_before_RU_end"`` or ``"UA_end_cause == 'materiel'"``.
    members
        Ensemble members to run (the same members ``pawns run`` draws with this seed).
    seed
        Ensemble seed.
    alpha, min_mass, min_coverage, pasting
        PRIM settings (see :func:`pawns.analysis.prim.prim`).
    boxes
        Boxes to find, each among the runs outside the boxes before it.
    design
        ``"posterior"`` (members draw posterior particles, as ``pawns run`` draws them),
        ``"prior"`` (every parameter from its own distribution), or None: posterior where the
        scenario has one.

    Raises
    ------
    ConditionError, UnknownOutcomeError
        For a condition that is not valid.
    """
    _check_settings(members, alpha, min_mass, min_coverage, boxes)
    layout = Layout.from_scenario(scenario)
    if not layout.space.uncertain():
        raise PawnsError(f"scenario '{scenario.meta.name}' has no uncertain parameters: there is no parameter space to search")
    registry = outcome_registry(layout)
    condition = parse_condition(where, registry)
    needed = [registry.get(name) for name in condition.names]
    settings = {"members": members, "alpha": alpha, "min_mass": min_mass, "min_coverage": min_coverage, "pasting": pasting, "boxes": boxes}
    return DiscoveryPlan(scenario, condition, needed, seed, settings, design_space(layout.space, design, scenario.meta.name))


def run_discovery(plan: DiscoveryPlan, *, chunk_size: int = DEFAULT_CHUNK, progress: Callable[[int], None] | None = None,
                  evaluator: Evaluator | None = None) -> DiscoveryResult:
    """Run the plan's ensemble, evaluate the condition per member and find the boxes.

    Raises
    ------
    PawnsError
        When the condition holds in every run or in none (there is no region to find).
    """
    space = plan.space
    members = int(plan.settings["members"])
    names = tuple(space.uncertain())
    matrix = draw_parameters(space, np.arange(members), seed=plan.seed)
    runs = run_design(plan.scenario, matrix, seed=plan.seed, paired=plan.paired, chunk_size=chunk_size, progress=progress,
                      evaluator=evaluator)
    y = plan.condition.evaluate(evaluate(plan.outcomes, runs.outcomes, runs.without))
    if not y.any() or y.all():
        raise PawnsError(f"the condition {plan.condition.text!r} holds in {'none' if not y.any() else 'all'} of the {members} runs: "
                         "there is no region of parameter space to tell apart (try another condition, horizon or more members)")
    X = matrix[:, [space.index(name) for name in names]]
    options = {key: plan.settings[key] for key in ("alpha", "min_mass", "min_coverage", "pasting")}
    found = find_boxes(X, y, names, boxes=int(plan.settings["boxes"]), **options)
    return DiscoveryResult(plan.scenario, plan.condition.text, plan.seed, names, X, y, found, dict(plan.settings), space)


def find_boxes(X: np.ndarray, y: np.ndarray, names: tuple[str, ...], *, boxes: int, **prim_options) -> list[primlib.PrimResult]:
    """Up to ``boxes`` PRIM boxes, each searched among the runs outside the boxes found before it."""
    remaining = np.ones(len(y), dtype=bool)
    found: list[primlib.PrimResult] = []
    for _ in range(boxes):
        if not y[remaining].any() or y[remaining].all():
            break
        result = primlib.prim(X[remaining], y[remaining], names, **prim_options)
        found.append(result)
        remaining &= ~result.chosen_stats.box.contains(X)
    return found


def case_shares(X: np.ndarray, y: np.ndarray, boxes: list[primlib.PrimResult]) -> list[float]:
    """Share of all cases that each box adds: the cases inside it and outside every earlier box.

    Box ``k`` was searched among the runs outside boxes ``0..k-1`` (:func:`find_boxes`), so
    counting the cases it shares with them again would make the shares sum to more than 1.
    """
    cases = max(int(y.sum()), 1)
    claimed = np.zeros(len(y), dtype=bool)
    shares = []
    for box in boxes:
        new = box.chosen_stats.box.contains(X) & ~claimed
        shares.append(float(y[new].sum() / cases))
        claimed |= new
    return shares


def to_dict(result: DiscoveryResult) -> dict:
    """A JSON-ready description of the discovery (the ``discovery.json`` format, see docs/sensitivity.md)."""
    space = result.space
    cases = int(result.y.sum())
    out = {
        "kind": "pawns-discovery",
        "format_version": FORMAT_VERSION,
        "scenario": result.scenario.meta.name,
        "title": result.scenario.meta.title,
        "horizon_days": int(result.scenario.meta.horizon_days),
        "seed": int(result.seed),
        "condition": result.condition,
        "runs": int(result.y.size),
        "cases": cases,
        "share_of_runs": cases / result.y.size,
        "parameters_searched": len(result.names),
        "design": "posterior" if space.calibrated() else "prior",
        "calibrated": len(space.calibrated()),
        "settings": result.settings,
        "boxes": [],
    }
    shares = case_shares(result.X, result.y, result.boxes)
    for k, box in enumerate(result.boxes):
        stats = box.chosen_stats
        out["boxes"].append({
            "box": k + 1,
            "chosen_step": box.chosen,
            "coverage": stats.coverage,
            "density": stats.density,
            "mass": stats.mass,
            "runs_inside": stats.n,
            "coverage_of_all_cases": shares[k],
            "restrictions": [_restriction(r, space) for r in box.restrictions],
            "trajectory": [{"step": i, "coverage": s.coverage, "density": s.density, "mass": s.mass, "restricted": len(s.restricted)}
                           for i, s in enumerate(box.trajectory)],
        })
    return out


def _restriction(r: primlib.Restriction, space) -> dict:
    spec = space.specs[space.index(r.name)]
    return {"parameter": r.name, "low": r.low, "high": r.high, "bound": r.sides, "sample_low": r.sample_low,
            "sample_high": r.sample_high, "qp_value": r.qp_value, "distribution": space.drawn_from(r.name), "source": spec.provenance()}


def _check_settings(members: int, alpha: float, min_mass: float, min_coverage: float, boxes: int) -> None:
    if members < 20:
        raise PawnsError(f"--members must be at least 20 for discovery, got {members}")
    if not 0 < alpha < 0.5:
        raise PawnsError(f"--alpha must be between 0 and 0.5 (the share peeled per step), got {alpha}")
    if not 0 < min_mass < 1:
        raise PawnsError(f"--min-mass must be between 0 and 1, got {min_mass}")
    if not 0 <= min_coverage <= 1:
        raise PawnsError(f"--min-coverage must be between 0 and 1, got {min_coverage}")
    if boxes < 1:
        raise PawnsError(f"--boxes must be at least 1, got {boxes}")
