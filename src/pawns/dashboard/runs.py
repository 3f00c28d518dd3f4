"""One interactive run: the scenario's question plan on the one run path, kept in memory.

A run is what ``pawns run --answers core`` computes — the scenario and its paired variants (no
contingents, all combat, all labor, each channel off and all off) over the same members
(:func:`pawns.analysis.summary.question_plan`), summarized by
:func:`pawns.analysis.summary.summarize` — without writing a results directory. The dose
response and the loop cuts (``--answers full``) would take 25 paired runs instead of 10 per
change of a lever, too slow to explore with.
It is held as a :class:`~pawns.report.rundir.RunData`, so the report's sentences, figures and
page are drawn from it exactly as from a directory on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from pawns import __version__
from pawns.analysis.compare import compare
from pawns.analysis.effects import paired_effects
from pawns.analysis.ensemble import EnsembleResult
from pawns.analysis.outcomes import chunk_outcomes
from pawns.analysis.summary import question_plan, summarize, variant_effects
from pawns.engine.plan import Ensemble, keep_batch, run_plan
from pawns.engine.results import build_dataset
from pawns.report.rundir import COMPARISON, RUN, RunData
from pawns.scenario.schema import Scenario

DEPTH = "core"  # how deep each run answers (see the introduction)
# Members simulated together: small enough that a newer request stops an older run within a
# fraction of a second (cancellation is checked between chunks), large enough to stay fast.
CHUNK_SIZE = 250
RECORD_EVERY = 7
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Outcome:
    """A finished run: what the report reads, and the main ensemble for pairing with another run."""

    data: RunData
    result: EnsembleResult


def _reducers(ensemble: Ensemble) -> dict:
    return {"outcomes": chunk_outcomes, "batch": keep_batch} if ensemble.label == "main" else {"outcomes": chunk_outcomes}


def run_questions(scenario: Scenario, members: int, seed: int, *, engine: str = "compiled",
                  progress: Progress | None = None) -> Outcome:
    """Run a scenario's question plan and summarize it.

    Parameters
    ----------
    scenario
        The validated scenario.
    members, seed
        Ensemble size and seed; the same scenario, members and seed give the same numbers.
    engine
        ``"compiled"`` or ``"numpy"`` (same results; the numpy engine needs no compilation).
    progress
        Called with the share of the plan done after each chunk; it may raise to stop the run
        (:class:`pawns.dashboard.worker.Cancelled`), which ends the run there.
    """
    import pandas as pd

    plan = question_plan(scenario, members, seed=seed, chunk_size=CHUNK_SIZE, record_every=RECORD_EVERY, depth=DEPTH)
    total, done = plan.steps(), 0
    columns: dict[str, list[dict[str, np.ndarray]]] = {e.label: [] for e in plan.ensembles}
    batches = []

    def advance(steps: int) -> None:
        nonlocal done
        done += steps
        if progress is not None:
            progress(done / total)

    for chunk, reduced in run_plan(plan, _reducers, progress=advance, engine=engine):
        columns[chunk.ensemble].append(reduced["outcomes"])
        if chunk.ensemble == "main":
            batches.append(reduced["batch"])
    tables = {label: pd.DataFrame({"member": plan.members, **{key: np.concatenate([c[key] for c in parts]) for key in parts[0]}})
              for label, parts in columns.items()}
    main = plan.ensemble("main")
    result = EnsembleResult(scenario, main.layout, seed, plan.members, tables.pop("main"),
                            build_dataset(main.layout, batches, seed=seed))
    summary = summarize(result, tables, depth=DEPTH)
    effects = (variant_effects(result.outcomes, tables, main.layout.sides, float(main.layout.horizon_days), scenario.contingents)
               if tables else {})
    data = RunData(path=Path(scenario.meta.name), kind=RUN, summary=summary, scenarios=[scenario],
                   outcomes={"baseline": result.outcomes, **tables}, dataset=result.dataset, version=__version__, effects=effects)
    return Outcome(data, result)


def paired_comparison(baseline: Outcome, other: Outcome, names: tuple[str, str] = ("A", "B")) -> RunData:
    """Two runs of the same members and seed, compared member by member (common random numbers).

    ``names`` label the two settings (the scenarios may share a name).

    Raises
    ------
    ValueError
        When the runs do not pair: different members, seed, sides or horizon.
    """
    a, b = _named(baseline.result, names[0]), _named(other.result, names[1])
    if not (np.array_equal(a.members, b.members) and a.seed == b.seed):
        raise ValueError("the two settings do not pair: give both the same members and seed")
    if list(a.layout.sides) != list(b.layout.sides) or a.layout.horizon_days != b.layout.horizon_days:
        raise ValueError("the two settings do not pair: give both the same horizon")
    contingents = list(dict.fromkeys([*a.scenario.contingents, *b.scenario.contingents]))
    effects = {names[1]: paired_effects(b.outcomes, a.outcomes, sides=list(a.layout.sides), horizon=float(a.layout.horizon_days),
                                        contingents=contingents)}
    return RunData(path=Path(f"compare-{names[0]}-{names[1]}"), kind=COMPARISON, summary=compare(a, [b]),
                   scenarios=[a.scenario, b.scenario], outcomes={"baseline": a.outcomes, names[1]: b.outcomes},
                   version=__version__, effects=effects)


def _named(result: EnsembleResult, name: str) -> EnsembleResult:
    meta = result.scenario.meta.model_copy(update={"name": name})
    return replace(result, scenario=result.scenario.model_copy(update={"meta": meta}))
