"""Global sensitivity analysis: which uncertain inputs drive the answers.

Two methods, both from SALib, both in the unit hypercube of the design's *factors* (fixed
parameters keep their value): each uncertain parameter outside a calibrated posterior is a
factor mapped by its quantile function, so a design respects every distribution of the
scenario, and the calibrated parameters together are one factor that picks a posterior
particle (:mod:`pawns.analysis.design_factors`), so the members are drawn as ``pawns run``
draws them.

* **Sobol'** (variance-based): first-order index S1 (the share of the outcome's variance a
  parameter explains on its own) and total index ST (including all its interactions), with 95%
  bootstrap confidence intervals. Cost: ``N * (D + 2)`` runs for base sample ``N`` and ``D``
  parameters (Saltelli's scheme without second-order indices).
* **Morris** (elementary effects screening): ``mu_star``, the mean absolute change of the outcome
  when a parameter jumps across half its quantile range, with a 95% bootstrap interval, and
  ``sigma``, the spread of those changes (non-linearity or interactions). Cost: ``r * (D + 1)``
  runs for ``r`` trajectories -- the method of choice when parameters are many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Literal, Sequence

import numpy as np

from pawns.analysis.design_factors import POSTERIOR_FACTOR, Factors, choose_factors, given_data_first_order
from pawns.analysis.design_runs import run_design
from pawns.analysis.outcome_registry import default_outputs, evaluate, outcome_registry
from pawns.analysis.statistics import SPIKE_SHARE, spike
from pawns.analysis.wording import percent
from pawns.engine.plan import DEFAULT_CHUNK, Evaluator
from pawns.errors import PawnsError
from pawns.model.layout import Layout
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Method = Literal["sobol", "morris"]
METHODS = ("auto", "sobol", "morris")
MORRIS_ABOVE = 30  # "auto" screens with Morris above this many uncertain parameters
DEFAULT_SAMPLES = {"sobol": 128, "morris": 40}
MORRIS_LEVELS = 4
CONFIDENCE = 0.95
RESAMPLES = 200

SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_COLUMNS = ("mu_star", "mu_star_conf", "sigma", "mu")


@dataclass(frozen=True)
class Design:
    """A design in the unit hypercube of ``names`` and what SALib needs to analyse it.

    Attributes
    ----------
    method
        ``"sobol"`` or ``"morris"``.
    names
        The parameters varied (the design's columns).
    samples
        Sobol' base sample size N, or the number of Morris trajectories r.
    unit
        ``(rows, D)`` uniforms strictly inside (0, 1), to map to parameter values.
    grid
        The design as SALib analyses it (Morris: its level grid in [0, 1]; Sobol': ``unit``).
    members
        Member index of each row, selecting its stream of stochastic events: shared within a
        Sobol' block (A, AB_1 .. AB_G, B) or a Morris trajectory, so the differences the
        estimators take between rows are differences of parameters, not of random events.
    groups
        The factor each column belongs to (its own name, or a group's such as the 24
        innovations of one drift): the design moves a group's columns together, and the indices
        are the group's as a whole.
    """

    method: Method
    names: tuple[str, ...]
    samples: int
    unit: np.ndarray
    grid: np.ndarray
    members: np.ndarray
    groups: tuple[str, ...]

    @property
    def rows(self) -> int:
        return int(self.unit.shape[0])

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors whose indices the analysis gives: the groups, in the order of their first column."""
        return tuple(dict.fromkeys(self.groups))

    def problem(self) -> dict:
        """SALib's problem dictionary: every parameter on [0, 1], with its group."""
        return _problem(self.names, self.groups)


def _problem(names: tuple[str, ...], groups: tuple[str, ...]) -> dict:
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if groups != names:
        problem["groups"] = list(groups)
    return problem


def choose_method(method: str, parameters: int) -> Method:
    """Resolve ``"auto"``: Sobol' for a handful of parameters, Morris screening for many."""
    if method not in METHODS:
        raise PawnsError(f"unknown method '{method}'; valid methods: {', '.join(METHODS)}")
    if method == "auto":
        return "morris" if parameters > MORRIS_ABOVE else "sobol"
    return method  # type: ignore[return-value]


def runs_needed(method: Method, samples: int, factors: int) -> int:
    """Rows of a design of ``factors`` factors (groups count once): N * (G + 2) for Sobol', r * (G + 1) for Morris."""
    return samples * (factors + 2) if method == "sobol" else samples * (factors + 1)


def make_design(method: Method, names: Sequence[str], samples: int, *, seed: int, groups: Sequence[str] | None = None) -> Design:
    """Build a Sobol' (Saltelli) or Morris design over ``names``, deterministic by ``seed``.

    ``groups`` (one per name; default: each its own) makes the named columns one factor each.
    """
    names = tuple(names)
    groups = tuple(groups) if groups is not None else names
    if len(groups) != len(names):
        raise ValueError(f"expected one group per parameter, got {len(groups)} for {len(names)}")
    factors = len(dict.fromkeys(groups))
    if factors < 2:
        raise PawnsError(f"sensitivity analysis needs at least 2 uncertain parameters, got {factors}")
    problem = _problem(names, groups)
    if method == "sobol":
        if samples < 2 or samples & (samples - 1):
            raise PawnsError(f"--samples for Sobol' must be a power of 2 (e.g. 64, 128, 256, 512), got {samples}")
        from SALib.sample import sobol as sobol_sample

        unit = sobol_sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
        unit = np.clip(unit, 1e-12, 1.0 - 1e-12)
        return Design("sobol", names, samples, unit, unit, np.repeat(np.arange(samples), factors + 2), groups)
    if samples < 2:
        raise PawnsError(f"--samples for Morris (trajectories) must be at least 2, got {samples}")
    from SALib.sample import morris as morris_sample

    grid = morris_sample.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    # Levels 0, 1/3, 2/3, 1 become the midpoints of four equal-probability bins, so no parameter
    # is ever drawn at the (possibly infinite) ends of its distribution.
    unit = (grid * (MORRIS_LEVELS - 1) + 0.5) / MORRIS_LEVELS
    return Design("morris", names, samples, unit, grid, np.repeat(np.arange(samples), factors + 1), groups)


def analyze(design: Design, y: np.ndarray, *, seed: int) -> "pd.DataFrame":
    """Indices of every parameter of ``design`` for outcome values ``y`` (one per row).

    Returns a frame indexed by parameter with columns ``S1, S1_conf, ST, ST_conf`` (Sobol') or
    ``mu_star, mu_star_conf, sigma, mu`` (Morris, in the outcome's units per jump of half the
    parameter's quantile range); all NaN when ``y`` does not vary.
    """
    import pandas as pd

    y = np.asarray(y, dtype=np.float64)
    if y.shape != (design.rows,):
        raise ValueError(f"expected {design.rows} outcome values, got shape {y.shape}")
    if not np.all(np.isfinite(y)):
        raise PawnsError("the outcome is not finite in every run of the design; sensitivity indices need finite values")
    columns = SOBOL_COLUMNS if design.method == "sobol" else MORRIS_COLUMNS
    if np.ptp(y) == 0:
        return pd.DataFrame(np.nan, index=pd.Index(design.factors, name="parameter"), columns=list(columns))
    if design.method == "sobol":
        from SALib.analyze import sobol as sobol_analyze

        res = sobol_analyze.analyze(design.problem(), y, calc_second_order=False, num_resamples=RESAMPLES,
                                    conf_level=CONFIDENCE, print_to_console=False, seed=bootstrap_seed(seed))
        data = {name: np.asarray(res[name], dtype=np.float64) for name in columns}
    else:
        from SALib.analyze import morris as morris_analyze

        res = morris_analyze.analyze(design.problem(), design.grid, y, num_resamples=RESAMPLES, conf_level=CONFIDENCE,
                                     print_to_console=False, num_levels=MORRIS_LEVELS, seed=bootstrap_seed(seed))
        # SALib divides each change by the grid step (2/3 of [0, 1]); multiply back to outcome units per jump.
        step = MORRIS_LEVELS / (2.0 * (MORRIS_LEVELS - 1))
        data = {name: np.asarray(res[name], dtype=np.float64) * step for name in columns}
    return pd.DataFrame(data, index=pd.Index(design.factors, name="parameter"))


def bootstrap_seed(seed: int) -> int:
    """The seed SALib's bootstrap gets for ``seed``: never 0, which SALib's Sobol' analyser takes as "unseeded"."""
    return seed + 1


def ranking_column(method: Method) -> str:
    """The index parameters are ranked by: ST for Sobol', mu_star for Morris."""
    return "ST" if method == "sobol" else "mu_star"


@dataclass
class SensitivityPlan:
    """What an analysis will run: the factors and their design, the outcomes, and whether it needs paired runs."""

    scenario: Scenario
    factors: Factors
    design: Design
    outcomes: list
    seed: int

    @property
    def paired(self) -> bool:
        """Whether any outcome needs the same runs without the foreign contingents."""
        return any(o.paired for o in self.outcomes)

    @property
    def runs(self) -> int:
        """Engine runs in all (design rows, twice when paired)."""
        return self.design.rows * (2 if self.paired else 1)


@dataclass
class SensitivityResult:
    """Indices of every outcome, with what produced them: the design, its parameter ``matrix`` and each outcome's ``values`` (one per row)."""

    scenario: Scenario
    factors: Factors
    design: Design
    seed: int
    paired: bool
    indices: dict[str, "pd.DataFrame"]
    outcome_stats: dict[str, dict]
    outcome_info: dict[str, dict] = field(default_factory=dict)
    within_posterior: dict[str, "pd.DataFrame"] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    matrix: np.ndarray | None = None

    @property
    def method(self) -> Method:
        return self.design.method


def plan_sensitivity(
    scenario: Scenario,
    outputs: Sequence[str] | None = None,
    *,
    method: str = "auto",
    samples: int | None = None,
    seed: int = 0,
    vary: Sequence[str] | None = None,
    design: str | None = None,
) -> SensitivityPlan:
    """Check the request and build its design, before anything runs.

    Parameters
    ----------
    scenario
        A validated scenario.
    outputs
        Outcome names (see :mod:`pawns.analysis.outcome_registry`); default:
        :func:`~pawns.analysis.outcome_registry.default_outputs`.
    method
        ``"auto"``, ``"sobol"`` or ``"morris"``.
    samples
        Sobol' base sample size (a power of 2) or number of Morris trajectories.
    seed
        Seeds the design, the bootstrap of the intervals and the stochastic event stream.
    vary
        Glob patterns (``fnmatch``) of the uncertain parameters to vary; the other uncertain
        parameters are held at their medians. Default: vary every uncertain parameter.
    design
        ``"posterior"`` (calibrated parameters drawn jointly from posterior particles, as
        ``pawns run`` draws them), ``"prior"`` (every parameter over its own distribution), or
        None: posterior where the scenario names one.
    """
    layout = Layout.from_scenario(scenario)
    registry = outcome_registry(layout)
    wanted = registry.numeric(list(outputs) if outputs else default_outputs(registry, layout))
    factors = choose_factors(layout.space, design, vary, scenario.meta.name)
    chosen = choose_method(method, len(dict.fromkeys(factors.groups)))
    built = make_design(chosen, factors.names, samples or DEFAULT_SAMPLES[chosen], seed=seed, groups=factors.groups)
    return SensitivityPlan(scenario, factors, built, wanted, seed)


def run_sensitivity_plan(plan: SensitivityPlan, *, chunk_size: int = DEFAULT_CHUNK, progress: Callable[[int], None] | None = None,
                         evaluator: Evaluator | None = None) -> SensitivityResult:
    """Run a plan's design through the run path and compute the indices of every outcome.

    ``progress`` is called with the number of run-steps just completed; ``evaluator`` says where
    chunks run (default: this process).
    """
    design, factors = plan.design, plan.factors
    matrix = factors.matrix(design.unit, method=design.method, seed=plan.seed, samples=design.samples)
    runs = run_design(plan.scenario, matrix, seed=plan.seed, paired=plan.paired, members=design.members,
                      chunk_size=chunk_size, progress=progress, evaluator=evaluator)
    values = evaluate(plan.outcomes, runs.outcomes, runs.without)
    indices = {name: analyze(design, y, seed=plan.seed) for name, y in values.items()}
    within = ({name: within_posterior(factors, matrix, y, design.members, seed=plan.seed) for name, y in values.items()}
              if factors.calibrated else {})
    stats = {name: _stats(y) for name, y in values.items()}
    info = {o.name: {"description": o.description, "unit": o.unit, "kind": o.kind, "paired": o.paired} for o in plan.outcomes}
    return SensitivityResult(plan.scenario, factors, design, plan.seed, plan.paired, indices, stats, info, within, values, matrix)


def run_sensitivity(scenario: Scenario, outputs: Sequence[str] | None = None, *, method: str = "auto", samples: int | None = None,
                    seed: int = 0, vary: Sequence[str] | None = None, design: str | None = None, chunk_size: int = DEFAULT_CHUNK,
                    progress: Callable[[int], None] | None = None, evaluator: Evaluator | None = None) -> SensitivityResult:
    """Plan and run in one call (see :func:`plan_sensitivity` and :func:`run_sensitivity_plan`)."""
    plan = plan_sensitivity(scenario, outputs, method=method, samples=samples, seed=seed, vary=vary, design=design)
    return run_sensitivity_plan(plan, chunk_size=chunk_size, progress=progress, evaluator=evaluator)


def within_posterior(factors: Factors, matrix: np.ndarray, y: np.ndarray, clusters: np.ndarray, *, seed: int) -> "pd.DataFrame":
    """First-order index of each calibrated parameter from the design's rows (given data; see :mod:`~pawns.analysis.design_factors`)."""
    import pandas as pd

    rows = {}
    for name in factors.calibrated:
        rows[name] = given_data_first_order(matrix[:, factors.space.index(name)], y, clusters, resamples=RESAMPLES,
                                            confidence=CONFIDENCE, seed=seed)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["S1", "S1_conf"]).rename_axis("parameter")


def _stats(y: np.ndarray) -> dict:
    value, share = spike(y)
    return {"mean": float(np.mean(y)), "sd": float(np.std(y)), "min": float(np.min(y)), "max": float(np.max(y)),
            "varies": bool(np.ptp(y) > 0), "modal_value": value, "modal_share": share}


FORMAT_VERSION = 1


def to_dict(result: SensitivityResult) -> dict:
    """A JSON-ready description of the analysis (the ``sensitivity.json`` format, see docs/sensitivity.md).

    Each outcome's ``indices`` lists every factor, most influential first (by ST for Sobol',
    mu_star for Morris); indices that could not be computed are ``null``. In the posterior design
    ``within_posterior`` ranks the calibrated parameters by their given-data first-order index.
    """
    factors, design = result.factors, result.design
    space = factors.space
    rank = ranking_column(design.method)
    outcomes = []
    for name, frame in result.indices.items():
        ordered = frame.sort_values(rank, ascending=False, na_position="last")
        rows = [{"parameter": str(p), **{c: _number(v) for c, v in row.items()}} for p, row in ordered.iterrows()]
        entry = {"name": name, **result.outcome_info[name], **result.outcome_stats[name], "note": spread_note(result.outcome_stats[name]),
                 "indices": rows}
        if name in result.within_posterior:
            within = result.within_posterior[name].sort_values("S1", ascending=False, na_position="last")
            entry["within_posterior"] = [{"parameter": str(p), "S1": _number(r["S1"]), "S1_conf": _number(r["S1_conf"])}
                                         for p, r in within.iterrows()]
        outcomes.append(entry)
    notes = []
    if factors.design == "prior" and Layout.from_scenario(result.scenario).space.posterior is not None:
        notes.append("the scenario draws its calibrated parameters from a posterior, but this prior design varies each of them "
                     "independently over its prior instead (--design posterior draws posterior particles, as pawns run does)")
    if factors.calibrated:
        notes.append(f"the factor '{POSTERIOR_FACTOR}' is the calibrated posterior: {factors.describe_posterior()}; its indices are those "
                     "of the block as a whole. Within it, 'within_posterior' ranks each calibrated parameter by the share of the outcome's "
                     "variance its value explains across the design's runs (a first-order index from given data; the calibrated "
                     "parameters are correlated, so these shares overlap and need not add up)")
    parameters = [_factor_entry(space, group, members) for group, members in factors.grouped().items()]
    if factors.calibrated:
        parameters.append({"name": POSTERIOR_FACTOR, "distribution": f"posterior: {factors.describe_posterior()}",
                           "source": f"{space.posterior.path} (pawns calibrate)"})
    return {
        "kind": "pawns-sensitivity",
        "format_version": FORMAT_VERSION,
        "scenario": result.scenario.meta.name,
        "title": result.scenario.meta.title,
        "horizon_days": int(result.scenario.meta.horizon_days),
        "seed": int(result.seed),
        "design": factors.design,
        "method": design.method,
        "samples": int(design.samples),
        "runs": int(design.rows) * (2 if result.paired else 1),
        "paired": bool(result.paired),
        "ranked_by": rank,
        "confidence_level": CONFIDENCE,
        "parameters_varied": len(factors.parameters) + len(factors.calibrated),
        "factors": len(design.factors),
        "parameters_held_at_median": list(factors.held),
        "parameters": parameters,
        "calibrated_parameters": [{"name": n, "distribution": space.drawn_from(n), "source": space.specs[space.index(n)].provenance()}
                                  for n in factors.calibrated],
        "outcomes": outcomes,
        "notes": notes,
    }


def _factor_entry(space, group: str, members: list[str]) -> dict:
    """A factor as ``sensitivity.json`` lists it: a parameter, or a group of them (its size, and its first member's distribution)."""
    first = members[0]
    entry = {"name": group, "distribution": space.drawn_from(first), "source": space.specs[space.index(first)].provenance()}
    if len(members) > 1:
        entry["distribution"] = f"{len(members)} parameters ({first} to {members[-1]}), each {entry['distribution']}, varied together"
        entry["parameters"] = members
    return entry


def spread_note(stats: dict) -> str | None:
    """Why an outcome has no indices, or what its indices describe when nearly every run gives one value (None otherwise)."""
    if not stats["varies"]:
        return "the outcome takes one value in every run of the design, so it has no variance to attribute"
    if stats["modal_share"] >= SPIKE_SHARE:
        return (f"the outcome is {stats['modal_value']:g} in {percent(stats['modal_share'])} of the runs: its indices say what decides "
                f"the other {percent(1 - stats['modal_share'])}, not how the outcome moves in most runs")
    return None


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None
