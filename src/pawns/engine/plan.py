"""The one run path: a plan of ensembles, run chunk by chunk by an evaluator, reduced as it goes.

A :class:`Plan` is scenarios x members x seed: one or more ensembles (a scenario's layout, and
optionally the parameter rows its members take instead of drawing them), the same global
member indices for every ensemble (so members pair across scenarios: common random numbers),
a seed, and the chunk size. :func:`run_plan` cuts it into chunks, hands them to an evaluator
(this process, or Dask workers: :mod:`pawns.engine.distributed`), applies the caller's
reducers to each simulated chunk where it ran (outcome tables, quantile sketches, likelihoods;
the engine knows none of them), and yields each chunk's reductions in plan order.

Members never interact and draws depend only on (seed, member), so neither the chunk size nor
the evaluator changes any result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Iterable, Iterator, Literal, Mapping, Protocol

import numpy as np

from pawns.engine.simulate import BatchResult, choose_engine, simulate_batch
from pawns.model.layout import Layout

DEFAULT_CHUNK = 2000
Record = Literal["final", "daily", "trajectories"]
Reducer = Callable[[Layout, BatchResult], Any]
Reducers = Mapping[str, Reducer] | Callable[["Ensemble"], Mapping[str, Reducer]]


@dataclass(frozen=True)
class Ensemble:
    """One ensemble of a plan.

    Attributes
    ----------
    label
        Its name in the plan (``"main"``, ``"without"``, ...).
    layout
        The scenario it runs.
    matrix
        ``(N, D)`` parameter rows, one per member of the plan (a design, or calibrated
        particles); ``None`` draws them from the scenario (:func:`pawns.engine.draws.draw_parameters`).
    record
        What its chunks record besides the final state: ``"final"`` nothing; ``"daily"`` the
        daily variables (and the trajectories' first and last points); ``"trajectories"`` the
        daily variables and the trajectories every ``record_every`` days of the plan.
    """

    label: str
    layout: Layout
    matrix: np.ndarray | None = field(default=None, compare=False)
    record: Record = "final"


@dataclass(frozen=True)
class Chunk:
    """Consecutive members of one ensemble, run together."""

    ensemble: str
    number: int
    rows: slice
    members: np.ndarray = field(compare=False)

    @property
    def size(self) -> int:
        return int(self.members.size)


@dataclass(frozen=True)
class Plan:
    """Scenarios x members x seed, and how the members are cut into chunks.

    Attributes
    ----------
    ensembles
        The ensembles, run in this order.
    members
        Global member index of each row (selects its draws and its random events); the same
        for every ensemble. Rows may share an index on purpose (common random numbers within a
        Sobol' block).
    seed
        The ensemble seed.
    chunk_size
        Members simulated together: bounds memory, never changes results.
    record_every
        Days between recorded points of ensembles that record ``"trajectories"``.
    """

    ensembles: tuple[Ensemble, ...]
    members: np.ndarray = field(compare=False)
    seed: int
    chunk_size: int = DEFAULT_CHUNK
    record_every: int = 7

    def __post_init__(self) -> None:
        if self.members.size < 1:
            raise ValueError("a plan needs at least one member")
        labels = [e.label for e in self.ensembles]
        if len(set(labels)) != len(labels):
            raise ValueError(f"ensemble labels must be unique, got {labels}")
        for ensemble in self.ensembles:
            if ensemble.matrix is not None and ensemble.matrix.shape != (self.members.size, len(ensemble.layout.space)):
                raise ValueError(f"ensemble {ensemble.label!r}: expected an ({self.members.size}, {len(ensemble.layout.space)}) "
                                 f"parameter matrix, got shape {ensemble.matrix.shape}")

    @classmethod
    def of(cls, ensembles: Iterable[Ensemble], members: int | np.ndarray, *, seed: int, first_member: int = 0,
           chunk_size: int = DEFAULT_CHUNK, record_every: int = 7) -> "Plan":
        """A plan of ``members`` members (a count from ``first_member``, or explicit indices)."""
        indices = np.arange(first_member, first_member + members, dtype=np.int64) if np.isscalar(members) \
            else np.asarray(members, dtype=np.int64)
        return cls(tuple(ensembles), indices, int(seed), max(int(chunk_size), 1), int(record_every))

    def ensemble(self, label: str) -> Ensemble:
        return next(e for e in self.ensembles if e.label == label)

    def chunks(self, label: str | None = None) -> list[Chunk]:
        """Every chunk, ensemble by ensemble (or of ensemble ``label`` only), in member order."""
        size = self.chunk_size
        return [Chunk(e.label, number, slice(start, start + size), self.members[start:start + size])
                for e in self.ensembles if label in (None, e.label)
                for number, start in enumerate(range(0, self.members.size, size))]

    def steps(self) -> int:
        """Member-steps of the whole plan (a progress bar's total)."""
        return sum(self.members.size * e.layout.steps for e in self.ensembles)


class Evaluator(Protocol):
    """Runs tasks: ``map(function, shared, tasks)`` yields ``function(shared, task)`` for each task, in order.

    Closing the generator it returns ends tasks not yet collected.
    """

    threads: int | None  # threads of the compiled engine per task (None: every core of the process)

    def map(self, function: Callable[[Any, Any], Any], shared: Any, tasks: list[Any]) -> Generator[Any, None, None]: ...


class InProcess:
    """Runs tasks one after the other in this process, each on every core."""

    threads = None

    def map(self, function: Callable[[Any, Any], Any], shared: Any, tasks: list[Any]) -> Generator[Any, None, None]:
        for task in tasks:
            yield function(shared, task)


@dataclass(frozen=True)
class ChunkWork:
    """What every chunk of one ensemble shares (sent once to each worker)."""

    layout: Layout
    seed: int
    record_every: int
    keep_series: bool
    reducers: Mapping[str, Reducer]
    threads: int | None
    engine: str = "compiled"


def run_chunk(work: ChunkWork, task: tuple[np.ndarray, np.ndarray | None]) -> dict[str, Any]:
    """Simulate one chunk of members and reduce it (on whichever process runs the chunk)."""
    members, matrix = task
    batch = simulate_batch(work.layout, members, seed=work.seed, matrix=matrix, record_every=work.record_every,
                           keep_series=work.keep_series, threads=work.threads, engine=work.engine)
    return {name: reduce(work.layout, batch) for name, reduce in work.reducers.items()}


def keep_batch(layout: Layout, batch: BatchResult) -> BatchResult:
    """A reducer that keeps the whole chunk (its trajectories travel back from a worker)."""
    return batch


def run_plan(plan: Plan, reducers: Reducers, *, evaluator: Evaluator | None = None, chunks: Iterable[Chunk] | None = None,
             progress: Callable[[int], None] | None = None, engine: str | None = None) -> Iterator[tuple[Chunk, dict[str, Any]]]:
    """Run a plan's chunks (all, or those given) and yield each chunk with its reductions, in order.

    Parameters
    ----------
    plan
        What to run.
    reducers
        Name -> ``reducer(layout, batch)``, applied to every simulated chunk where it ran (for
        Dask workers, module-level functions or picklable objects); or a function of the
        ensemble giving them, when ensembles keep different things.
    evaluator
        Where chunks run: :class:`InProcess` (default) or a Dask cluster
        (:func:`pawns.engine.distributed.use_scheduler`).
    chunks
        The chunks to run (e.g. those a resumed run has not yet done); default: every chunk.
    progress
        Called with the member-steps of each chunk as it finishes.
    engine
        ``"compiled"`` or ``"numpy"`` (:func:`pawns.engine.simulate.simulate_batch`), or
        ``"auto"``: each chunk chooses as it starts (so a plan that began with numpy switches
        once the model is compiled beside it, :class:`pawns.engine.warmup.BackgroundCompile`).
        The results are the same to the last bit, so only the time differs. Default: one choice
        for the whole plan, by :func:`pawns.engine.simulate.choose_engine`.

    Yields
    ------
    tuple
        ``(chunk, {name: reduction})``, as soon as the chunk and every one before it are done,
        so callers can store it and let it go.
    """
    evaluator = evaluator or InProcess()
    todo = plan.chunks() if chunks is None else list(chunks)
    # One engine for the whole plan: both give the same numbers, this only decides how soon.
    engine = engine or choose_engine(sum(chunk.size * plan.ensemble(chunk.ensemble).layout.steps for chunk in todo))
    for ensemble in plan.ensembles:
        mine = [chunk for chunk in todo if chunk.ensemble == ensemble.label]
        if not mine:
            continue
        chosen = reducers(ensemble) if callable(reducers) else reducers
        keep = ensemble.record != "final"
        every = plan.record_every if ensemble.record == "trajectories" else ensemble.layout.horizon_days
        work = ChunkWork(ensemble.layout, plan.seed, every, keep, dict(chosen), evaluator.threads, engine)
        tasks = [(chunk.members, None if ensemble.matrix is None else ensemble.matrix[chunk.rows]) for chunk in mine]
        results = evaluator.map(run_chunk, work, tasks)
        try:
            for chunk, reduced in zip(mine, results):
                if progress is not None:
                    progress(chunk.size * ensemble.layout.steps)
                yield chunk, reduced
        finally:
            results.close()  # an evaluator's tasks end with the ensemble's chunks (or when the caller stops early)


class Rows:
    """Arrays with one row per member of a plan, filled chunk by chunk where each chunk's rows go.

    Each array is allocated once, at its full length, when the first chunk arrives, so a
    million members' outcomes are held once; stacking the chunks at the end would hold them
    twice (the chunks and their concatenation) at the peak.
    """

    def __init__(self, rows: int) -> None:
        self.rows = int(rows)
        self.arrays: dict[str, np.ndarray] = {}

    def put(self, rows: slice, found: Mapping[str, np.ndarray]) -> None:
        """Store one chunk's arrays (``name -> values``, one row per member of the chunk) at ``rows``."""
        for name, values in found.items():
            values = np.asarray(values)
            if name not in self.arrays:
                # strings are kept as objects: a fixed-width dtype would cut longer labels of later chunks
                dtype = object if values.dtype.kind in "US" else values.dtype
                self.arrays[name] = np.empty((self.rows, *values.shape[1:]), dtype=dtype)
            self.arrays[name][rows] = values


def run_stacked(plan: Plan, reducer: Reducer, *, evaluator: Evaluator | None = None,
                progress: Callable[[int], None] | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Run a plan whose reducer gives arrays by name with one row per member; stack each ensemble's chunks.

    Returns ``{ensemble label: {name: array}}``, rows in the plan's member order.
    """
    stacked = {e.label: Rows(plan.members.size) for e in plan.ensembles}
    for chunk, reduced in run_plan(plan, {"rows": reducer}, evaluator=evaluator, progress=progress):
        stacked[chunk.ensemble].put(chunk.rows, reduced["rows"])
    return {label: rows.arrays for label, rows in stacked.items()}
