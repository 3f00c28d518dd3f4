"""Runs built chunk by chunk on disk: little memory for large ensembles, and resumable.

A run directory is assembled in a hidden working directory beside it,
``.NAME.partial``, that holds

* ``manifest.json`` — what is being run: the pawns version, a digest of the model's code and
  data, each planned ensemble's scenario (as a hash), the seed, members, chunk size and recording;
* ``results.zarr/`` — the trajectories of the run that keeps them, one Zarr chunk per chunk of
  members, each written as soon as the chunk is simulated;
* ``chunks/LABEL-000012.npz`` — the outcome columns of one chunk of one run (and
  ``LABEL-000012.sketch.npz``, its quantile sketches, for a sketched run);
* ``chunks/LABEL-000012.json`` — the chunk's record: the SHA-256 of every file it wrote (its
  outcome columns, its sketches, its blocks of ``results.zarr``). A chunk counts as done once
  its record exists (written last, by an atomic rename); ``results.zarr.json`` records the
  store's own files when it was created;
* ``README.txt`` — what the folder is, for a person who finds it.

If the run stops (Ctrl-C, a lost Dask worker, a power cut) the working directory stays, never
looking like a finished run (no ``COMPLETE`` marker, hidden name). Running the same command
with ``--resume`` checks that the manifest matches, checks every stored chunk against its
record (a chunk file deleted, truncated or changed is found, and that chunk is simulated
again) and simulates only the chunks not yet done; members never interact and draws depend only
on (seed, member), so the result is bit-identical to an uninterrupted run. ``--restart``
discards the working directory instead. A run stopped or failed before any chunk was done
leaves no working directory.

At the end :meth:`RunStore.finish` turns the working directory into the run directory: the
trajectories are copied chunk by chunk into ``results.nc`` (compressed NetCDF), the summary
files are added, the working files removed, and the folder is published by
:mod:`pawns.outputs` (manifest, ``COMPLETE``, swapped into place under its rule).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from pawns import __version__, outputs
from pawns.engine.plan import Chunk, Evaluator, Plan, Reducer, Rows, keep_batch, run_plan
from pawns.engine.results import build_dataset, member_variables, write_file
from pawns.engine.streaming import DailyQuantiles
from pawns.errors import PawnsError, RunInterrupted
from pawns.limits import check_seed, require_memory
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

MANIFEST_FILE = "manifest.json"
TRAJECTORIES_STORE = "results.zarr"
STORE_RECORD = "results.zarr.json"
CHUNKS_FOLDER = "chunks"
README_FILE = "README.txt"
RECORD_SUFFIX = ".json"
# Memory a run holds, as measured (docs/performance.md): outcome tables per member and paired
# run; the daily series of the chunk being simulated; the state of a member for each step of a
# day; and, for a run keeping trajectories, every member's daily series read back at the end.
OUTCOME_BYTES_PER_MEMBER = 600
CHUNK_BYTES_PER_MEMBER_DAY = 110
STATE_BYTES_PER_MEMBER = 4_000
TRAJECTORY_BYTES_PER_MEMBER_DAY = 70
READ_MEMBERS = 10_000
SKETCH_SUFFIX = ".sketch.npz"
RESUME_HINT = "run the same command again with --resume to continue it, or with --restart to start over"


class IncompleteRunError(PawnsError):
    """An interrupted run is in the way, or cannot be resumed as asked."""


def ensemble_memory(members: int, runs: int, scenario: Scenario, chunk_size: int, *, trajectories: bool = False,
                    days: int | None = None) -> float:
    """Bytes an ensemble holds at its peak, as measured (docs/performance.md).

    The outcome tables of every member and run; the daily series and state of the chunk being
    simulated; and, when trajectories are kept, every member's daily series read back at the end.
    ``days`` is the scenario's horizon unless given.
    """
    days = int(scenario.meta.horizon_days if days is None else days)
    steps_per_day = int(round(1 / scenario.meta.step_days))
    chunk = min(int(chunk_size), int(members))
    return (members * runs * OUTCOME_BYTES_PER_MEMBER
            + chunk * (days * CHUNK_BYTES_PER_MEMBER_DAY + steps_per_day * STATE_BYTES_PER_MEMBER)
            + (members * days * TRAJECTORY_BYTES_PER_MEMBER_DAY if trajectories else 0))


def require_stored_run_memory(members: int, runs: int, scenario: Scenario, chunk_size: int, *, trajectories: bool) -> None:
    """Refuse, before any work (before even the members are numbered), a stored run this machine cannot hold."""
    needed = ensemble_memory(members, runs, scenario, chunk_size, trajectories=trajectories)
    advice = "use fewer members, a shorter horizon or a smaller --chunk-size" + (", or --outcomes-only (no trajectories)" if trajectories else "")
    require_memory(needed, f"{members:,} members x {runs} runs x {scenario.meta.horizon_days:,} days", advice)


def working_directory(target: Path) -> Path:
    """Where the run directory ``target`` is assembled: ``.NAME.partial`` beside it."""
    target = Path(target)
    return target.parent / f".{target.name}.partial"


def model_digest() -> str:
    """A digest of the code and data that decide what a run computes.

    Everything in the package except the command line and the report: a resumed run must not
    mix chunks computed by two versions of the model.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in ("cli", "report") or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class RunStore:
    """The working directory of one run directory (see the module's description).

    Parameters
    ----------
    target
        The run directory to produce: a path, checked here by the rule of :mod:`pawns.outputs`,
        or an :class:`~pawns.outputs.Output` checked (and claimed) already.
    plan
        The ensembles to run (:class:`~pawns.engine.plan.Plan`, members drawn, not given): at
        most one records ``"trajectories"`` (stored in ``results.zarr``); those that record
        ``"daily"`` keep quantile sketches.
    resume
        Continue an interrupted run found in the working directory (it must match); every
        stored chunk is checked first, and a damaged one is simulated again (see :attr:`notes`).
    restart
        Discard an interrupted run found there.
    kind
        The kind of output (``"run"`` or ``"comparison"``): an earlier output at ``target`` is
        replaced only if it is a pawns output of this kind.

    Attributes
    ----------
    notes
        What a resumed run found and did about it (damaged chunks it will simulate again), for
        the command to print.
    """

    def __init__(self, target: "Path | outputs.Output", plan: Plan, *, resume: bool = False, restart: bool = False,
                 kind: str = "run") -> None:
        check_seed(plan.seed)
        if sum(e.record == "trajectories" for e in plan.ensembles) > 1:
            raise ValueError("at most one planned ensemble keeps its trajectories")
        if any(e.matrix is not None for e in plan.ensembles):
            raise ValueError("a stored run draws its members' parameters; it takes no parameter matrix")
        self.output = target if isinstance(target, outputs.Output) else outputs.folder_output(Path(target), kind)
        self.target = self.output.path
        self.path = working_directory(self.target)
        self.plan = plan
        self.notes: list[str] = []
        self._check_memory()
        self.manifest = self._manifest()
        self._open(resume=resume, restart=restart)

    # --- opening ---------------------------------------------------------------------------

    def _check_memory(self) -> None:
        """Refuse, before any work, a run this machine cannot hold."""
        plan = self.plan
        require_stored_run_memory(int(plan.members.size), len(plan.ensembles), plan.ensembles[0].layout.scenario, plan.chunk_size,
                                  trajectories=any(e.record == "trajectories" for e in plan.ensembles))

    def _manifest(self) -> dict:
        plan = self.plan
        return {
            "pawns_version": __version__,
            "model_digest": model_digest(),
            "runs": {e.label: hashlib.sha256(e.layout.scenario.model_dump_json().encode()).hexdigest()[:16] for e in plan.ensembles},
            "trajectories": next((e.label for e in plan.ensembles if e.record == "trajectories"), None),
            "sketches": [e.label for e in plan.ensembles if e.record == "daily"],
            "seed": plan.seed,
            "members": int(plan.members.size),
            "chunk_size": plan.chunk_size,
            "record_every": plan.record_every,
        }

    def _open(self, *, resume: bool, restart: bool) -> None:
        if os.path.lexists(self.path):
            is_working = self.path.is_dir() and not self.path.is_symlink() and (self.path / CHUNKS_FOLDER).is_dir()
            if not is_working:
                raise IncompleteRunError(f"{self.path}: expected the working folder of an interrupted run, found something else; "
                                         "pawns leaves it as it is: move it away")
            if restart:
                _remove(self.path)
        if os.path.lexists(self.path):
            if not resume:
                raise IncompleteRunError(
                    f"{self.path} holds an interrupted run ({self._progress_words()}): {RESUME_HINT}")
            self._check_manifest()
            self._verify_chunks()
            return
        if resume:
            raise IncompleteRunError(f"--resume: there is no interrupted run to continue at {self.path}; run without --resume")

    def _create(self) -> None:
        """Make the working directory when the first chunk is about to be simulated (never half of it)."""
        if self.path.is_dir():
            return
        try:
            with outputs.interrupts_held():  # Ctrl-C waits for these few files
                (self.path / CHUNKS_FOLDER).mkdir(parents=True)
                _write_atomically(self.path / MANIFEST_FILE, json.dumps(self.manifest, indent=2) + "\n")
                (self.path / README_FILE).write_text(_readme(self.target), encoding="utf-8")
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise

    def _check_manifest(self) -> None:
        try:
            found = json.loads((self.path / MANIFEST_FILE).read_text(encoding="utf-8"))
            if not isinstance(found, dict):
                raise ValueError
        except (OSError, ValueError, RecursionError):
            raise IncompleteRunError(f"{self.path}: its {MANIFEST_FILE} is missing or unreadable, so it cannot be resumed; "
                                     "run again with --restart to start over") from None
        words = {"pawns_version": "version of pawns", "model_digest": "model (code or data changed since)",
                 "runs": "scenario or paired variants", "trajectories": "run keeping trajectories",
                 "sketches": "choice of sketched runs", "seed": "seed", "members": "number of members",
                 "chunk_size": "chunk size", "record_every": "recording interval"}
        for key, word in words.items():
            if found.get(key) != self.manifest[key]:
                shown = "" if key in ("runs", "model_digest") else f": {found.get(key)!r} there, {self.manifest[key]!r} now"
                raise IncompleteRunError(f"{self.path} holds an interrupted run with a different {word}{shown}; resume it with "
                                         "the command that started it, or run again with --restart to discard it")

    def _verify_chunks(self) -> None:
        """Check every stored chunk against its record; forget the damaged ones so they are simulated again."""
        damaged: list[str] = []
        trajectories = self.manifest["trajectories"]
        store_problem = self._store_problem()
        if store_problem is not None:
            _remove(self.path / TRAJECTORIES_STORE)
            _remove(self.path / STORE_RECORD)
            done = [c.number for c in self.plan.chunks(trajectories) if self._record_file(trajectories, c.number).exists()]
            for number in done:
                self._forget(trajectories, number)
            if done:
                self.notes.append(f"{TRAJECTORIES_STORE} {store_problem}: its {len(done)} stored chunk(s) of '{trajectories}' "
                                  "will be simulated again")
        for chunk in self.plan.chunks():
            problem = self._chunk_problem(chunk.ensemble, chunk.number)
            if problem is not None:
                self._forget(chunk.ensemble, chunk.number)
                damaged.append(f"'{chunk.ensemble}' chunk {chunk.number} ({problem})")
        if damaged:
            shown = "; ".join(damaged[:3]) + (f"; and {len(damaged) - 3} more" if len(damaged) > 3 else "")
            self.notes.append(f"{len(damaged)} stored chunk(s) were damaged and will be simulated again: {shown}")

    def _store_problem(self) -> str | None:
        """What is wrong with ``results.zarr``'s own files (metadata, coordinates), or None."""
        store = self.path / TRAJECTORIES_STORE
        record = self.path / STORE_RECORD
        if not store.exists() and not record.exists():
            return None
        recorded = _read_record(record)
        if recorded is None:
            return "has no readable record of its files"
        return _files_problem(self.path, recorded)

    def _chunk_problem(self, label: str, number: int) -> str | None:
        """What is wrong with a stored chunk, or None (also None for a chunk not yet done)."""
        record = self._record_file(label, number)
        if not record.exists():
            return None
        recorded = _read_record(record)
        if recorded is None:
            return f"its record {record.name} is unreadable"
        return _files_problem(self.path, recorded)

    def _forget(self, label: str, number: int) -> None:
        """Remove a chunk's record and files, so that it counts as not done."""
        record = self._record_file(label, number)
        recorded = _read_record(record) or {}
        _remove(record)
        for name in recorded:
            _remove(self.path / name)
        for suffix in (".npz", SKETCH_SUFFIX):
            _remove(self._chunk_file(label, number, suffix))

    def _progress_words(self) -> str:
        done = self._done_count()
        return f"{done} chunk{'s' if done != 1 else ''} done"

    def _done_count(self) -> int:
        folder = self.path / CHUNKS_FOLDER
        try:
            return sum(name.endswith(RECORD_SUFFIX) for name in os.listdir(folder))
        except OSError:
            return 0

    # --- running -----------------------------------------------------------------------------

    def _chunk_file(self, label: str, number: int, suffix: str = ".npz") -> Path:
        return self.path / CHUNKS_FOLDER / f"{label}-{number:06d}{suffix}"

    def _record_file(self, label: str | None, number: int) -> Path:
        return self._chunk_file(str(label), number, RECORD_SUFFIX)

    def pending(self, label: str) -> list[int]:
        """Numbers of the chunks of ensemble ``label`` not yet done."""
        return [c.number for c in self.plan.chunks(label) if not self._record_file(label, c.number).exists()]

    def execute(self, outcomes: Reducer, sketches: Reducer | None = None, *, evaluator: Evaluator | None = None,
                progress: Callable[[int], None] | None = None, on_ensemble: Callable[[str], None] | None = None,
                engine: str | None = None) -> dict[str, "pd.DataFrame"]:
        """Simulate every chunk not yet done, storing each as it finishes; outcome tables per ensemble.

        Parameters
        ----------
        outcomes
            Reducer of a chunk to its outcome columns (name -> one value per member), stored
            for every ensemble.
        sketches
            Reducer of a chunk to quantile sketches (name -> :class:`DailyQuantiles`), stored
            for the ensembles that record ``"daily"``.
        evaluator, progress, engine
            As for :func:`~pawns.engine.plan.run_plan`.
        on_ensemble
            Called with an ensemble's label once all its chunks are stored (at once for those a
            resumed run finds done), so a caller can answer from it while the rest run.

        Raises
        ------
        RunInterrupted
            On Ctrl-C or a lost Dask worker; finished chunks stay for ``--resume`` (with none
            finished, the working directory is removed).
        """
        if sketches is None and any(e.record == "daily" for e in self.plan.ensembles):
            raise ValueError("ensembles recording 'daily' keep sketches: pass a sketches reducer")

        def reducers(ensemble) -> dict[str, Reducer]:
            chosen = {"outcomes": outcomes}
            if ensemble.record == "trajectories":
                chosen["batch"] = keep_batch
            if ensemble.record == "daily":
                chosen["sketches"] = sketches
            return chosen

        todo = [chunk for chunk in self.plan.chunks() if not self._record_file(chunk.ensemble, chunk.number).exists()]
        remaining = Counter(chunk.ensemble for chunk in todo)
        finished = on_ensemble or (lambda label: None)
        try:
            self._create()
            if progress is not None:
                progress(self.plan.steps() - sum(chunk.size * self.plan.ensemble(chunk.ensemble).layout.steps for chunk in todo))
            for ensemble in self.plan.ensembles:
                if remaining[ensemble.label] == 0:
                    finished(ensemble.label)
            for chunk, reduced in run_plan(self.plan, reducers, evaluator=evaluator, chunks=todo, progress=progress,
                                            engine=engine):
                self._store_chunk(chunk, reduced)
                remaining[chunk.ensemble] -= 1
                if remaining[chunk.ensemble] == 0:
                    finished(chunk.ensemble)
        except KeyboardInterrupt:
            raise RunInterrupted(self._stopped("interrupted")) from None
        except Exception as exc:
            if type(exc).__module__.split(".")[0] != "distributed":
                raise
            raise RunInterrupted(self._stopped(f"a Dask worker failed ({type(exc).__name__}: {exc})")) from None
        return {e.label: self.outcomes(e.label) for e in self.plan.ensembles}

    def _stopped(self, why: str) -> str:
        """Words for a run that stopped; with no chunk done, its working directory is removed first."""
        if self._done_count() == 0:
            shutil.rmtree(self.path, ignore_errors=True)
            return f"{why} before any chunk was done; nothing was kept: run the command again"
        total = len(self.plan.chunks())
        return f"{why}: {self._progress_words()} of {total} are kept in {self.path}; {RESUME_HINT}"

    def _store_chunk(self, chunk: Chunk, reduced: dict) -> None:
        """Write one finished chunk's files (trajectories, sketches, outcomes), then its record (which makes it count as done)."""
        written = []
        if "batch" in reduced:
            written += self._store_trajectories(self.plan.ensemble(chunk.ensemble).layout, reduced["batch"], chunk.number)
        if "sketches" in reduced:
            written.append(_save_sketches(self._chunk_file(chunk.ensemble, chunk.number, SKETCH_SUFFIX), reduced["sketches"]))
        written.append(_save_columns(self._chunk_file(chunk.ensemble, chunk.number), reduced["outcomes"]))
        _write_record(self._record_file(chunk.ensemble, chunk.number), self.path, written)

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """Report Ctrl-C in the block (summaries, :meth:`finish`) as a run that can be resumed."""
        try:
            yield
        except KeyboardInterrupt:
            raise RunInterrupted(self._stopped("interrupted")) from None

    @contextmanager
    def kept_for_resume(self) -> Iterator[None]:
        """Around the work on the store: what a failure leaves behind.

        With no chunk done, a failure (a bad scheduler, an error, Ctrl-C) removes the working
        directory: nothing is left that blocks the next plain run. With chunks done, an error
        says they are kept for ``--resume``.
        """
        try:
            yield
        except KeyboardInterrupt:
            if not self.path.is_dir():
                raise
            raise RunInterrupted(self._stopped("interrupted")) from None
        except RunInterrupted:
            raise
        except BaseException as exc:
            if not self.path.is_dir():
                raise
            if self._done_count() == 0:
                shutil.rmtree(self.path, ignore_errors=True)
                raise
            if isinstance(exc, (OSError, PawnsError)):
                raise PawnsError(f"{_one_line(exc)}; {self._progress_words()} kept in {self.path}: {RESUME_HINT}") from None
            raise

    def outcomes(self, label: str) -> "pd.DataFrame":
        """The outcome table of ensemble ``label`` (every chunk must be done)."""
        import pandas as pd

        columns = Rows(self.plan.members.size)  # each chunk read into place: a million members held once
        names = None
        for chunk in self.plan.chunks(label):
            number = chunk.number
            part = _load_npz(self._chunk_file(label, number))
            if any(values.shape != (chunk.size,) for values in part.values()) or (names is not None and part.keys() != names):
                raise PawnsError(f"{self._chunk_file(label, number)}: expected the outcome columns of {chunk.size} members as "
                                 f"the other chunks hold; run again with --restart")
            names = part.keys()
            columns.put(chunk.rows, {name: _as_column(values) for name, values in part.items()})
        return pd.DataFrame({"member": self.plan.members.copy(), **columns.arrays}, copy=False)

    def sketches(self, label: str) -> dict[str, DailyQuantiles]:
        """The merged quantile sketches of ensemble ``label`` (one that records ``"daily"``)."""
        merged: dict[str, DailyQuantiles] = {}
        for number in (chunk.number for chunk in self.plan.chunks(label)):
            for name, counts in _load_npz(self._chunk_file(label, number, SKETCH_SUFFIX)).items():
                if name not in merged:
                    merged[name] = DailyQuantiles(counts.shape[0])
                if merged[name].counts.shape != counts.shape:
                    raise PawnsError(f"{self._chunk_file(label, number, SKETCH_SUFFIX)}: sketch '{name}' has shape {counts.shape}, "
                                     f"expected {merged[name].counts.shape}; run again with --restart")
                merged[name].counts += counts
        return merged

    # --- trajectories ------------------------------------------------------------------------

    def _store_trajectories(self, layout, batch, number: int) -> list[Path]:
        """Write one chunk's trajectories into its region of ``results.zarr``; the files it wrote."""
        import xarray as xr

        store = self.path / TRAJECTORIES_STORE
        if not store.exists():
            self._create_trajectory_store(build_dataset(layout, [batch], seed=self.plan.seed), store)
        lo = int(batch.members[0])
        region = xr.Dataset(member_variables([batch]))
        region.to_zarr(store, region={"member": slice(lo, lo + batch.members.size)}, mode="r+", zarr_format=2)
        # Zarr format 2 names a block by its indices joined with dots: block `number` of the member axis
        return [path for name in region.data_vars for path in sorted((store / name).glob(f"{number}.*")) + [store / name / str(number)]]

    def _create_trajectory_store(self, chunk: "xr.Dataset", store: Path) -> None:
        """An empty store shaped for every member, its coordinates filled in (renamed into place)."""
        import dask.array as da
        import xarray as xr

        members = int(self.plan.members.size)
        template = xr.Dataset(attrs={**chunk.attrs, "members": members})
        for name, variable in chunk.data_vars.items():
            shape = (members,) + variable.shape[1:]
            chunks = (self.plan.chunk_size,) + variable.shape[1:]
            template[name] = (variable.dims, da.zeros(shape, dtype=variable.dtype, chunks=chunks), variable.attrs)
        coords = {name: coord for name, coord in chunk.coords.items() if "member" not in coord.dims}
        template = template.assign_coords(coords).assign_coords(member=self.plan.members)
        staging = store.with_name(store.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        # Zarr format 2: its fixed-width text types hold the labels of formations and parameters
        template.to_zarr(staging, compute=False, mode="w", zarr_format=2, consolidated=True)
        staging.rename(store)
        _write_record(self.path / STORE_RECORD, self.path, [path for path in sorted(store.rglob("*")) if path.is_file()])

    def trajectories(self) -> "xr.Dataset | None":
        """The stored trajectories, read lazily (None when no run keeps them)."""
        import xarray as xr

        store = self.path / TRAJECTORIES_STORE
        if not store.exists():
            return None
        # read in blocks of whole stored chunks, at least READ_MEMBERS members (tens of MB per variable)
        members = self.plan.chunk_size * max(1, READ_MEMBERS // self.plan.chunk_size)
        try:
            return xr.open_zarr(store, chunks={"member": members})
        except Exception as exc:  # zarr raises many types for a damaged store; all mean "unreadable"
            raise PawnsError(f"{store}: not a readable Zarr store ({type(exc).__name__}: {_one_line(exc)}); "
                             "run again with --resume to check and redo its chunks") from None

    # --- finishing ---------------------------------------------------------------------------

    def finish(self, files: "dict[str, str | pd.DataFrame]", *, netcdf_name: str | None = "results.nc") -> Path:
        """Turn the working directory into the run directory and put it in place.

        Parameters
        ----------
        files
            Name -> text, or a table written as CSV: the files to add (outcomes, summary, ...).
        netcdf_name
            File the trajectories are copied into (chunk by chunk, compressed); None drops them.
        """
        self.output.recheck()  # refused now, the chunks are still there for --resume
        dataset = self.trajectories()
        if dataset is not None and netcdf_name is not None:
            _write_netcdf(dataset, self.path / netcdf_name)
        if dataset is not None:
            dataset.close()
        tables = {}
        for name, content in files.items():
            write_file(self.path / name, content)
            if name.endswith(".csv"):
                tables[name] = outputs.describe_table(_as_table(content))
        try:
            # From here the working files go: Ctrl-C waits until the run directory is in place.
            with outputs.interrupts_held():
                for name in (TRAJECTORIES_STORE, CHUNKS_FOLDER, MANIFEST_FILE, STORE_RECORD, README_FILE):
                    _remove(self.path / name)
                return self.output.publish(self.path, tables)
        except KeyboardInterrupt:
            raise RunInterrupted(f"interrupted as {self.target} was put in place; it is complete") from None


def _write_netcdf(dataset: "xr.Dataset", path: Path) -> None:
    """Copy a lazily read dataset into compressed NetCDF one chunk at a time."""
    import dask

    for variable in dataset.variables.values():
        variable.encoding = {}
    # byte shuffling before zlib: floats compress faster and smaller (1,000 members: 1.2 s and 28 MB, not 2.0 s and 36 MB)
    encoding = {name: {"zlib": True, "complevel": 4, "shuffle": True} for name, var in dataset.data_vars.items() if var.dtype.kind == "f"}
    partial = path.with_name(path.name + ".partial")
    # Ctrl-C is held off while HDF5 writes (raised inside its callbacks it would be swallowed,
    # leaving a damaged file that looks whole) and honoured between the blocks dask copies.
    with outputs.interrupts_held(), dask.config.set(scheduler="synchronous"), _stop_between_blocks():
        dataset.to_netcdf(partial, engine="h5netcdf", encoding=encoding)
    partial.rename(path)


def _stop_between_blocks():
    from dask.callbacks import Callback

    class StopBetweenBlocks(Callback):
        def _posttask(self, key, result, dsk, state, id) -> None:  # noqa: A002 (dask's name)
            outputs.raise_if_interrupted()

    return StopBetweenBlocks()


def _save_sketches(path: Path, sketches: dict[str, DailyQuantiles]) -> Path:
    """Save a chunk's sketch counts (mostly zeros: compressed, as 32-bit counts)."""
    partial = path.with_name(path.name.replace(".npz", ".partial.npz"))
    np.savez_compressed(partial, **{name: sketch.counts.astype(np.int32) for name, sketch in sketches.items()})
    os.replace(partial, path)
    return path


def _save_columns(path: Path, columns: dict[str, np.ndarray]) -> Path:
    """Save a chunk's outcome columns; the file appears whole or not at all."""
    partial = path.with_name(path.stem + ".partial.npz")
    # text columns (causes, race labels) are stored as fixed-width text, not pickled objects
    np.savez(partial, **{name: values.astype(str) if values.dtype == object else values for name, values in columns.items()})
    os.replace(partial, path)
    return path


def _as_column(values: np.ndarray) -> np.ndarray:
    """A stored column as the simulation returned it (text as Python strings)."""
    return values.astype(object) if values.dtype.kind == "U" else values


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _write_record(record: Path, root: Path, files: list[Path]) -> None:
    """Record the SHA-256 of each of ``files`` (None for one that is not there), relative to ``root``."""
    sums = {path.relative_to(root).as_posix(): (outputs.file_digest(path) if path.is_file() else None) for path in files}
    _write_atomically(record, json.dumps(sums, indent=0) + "\n")


def _read_record(record: Path) -> dict[str, str | None] | None:
    """A record written by :func:`_write_record`, or None if it is missing or unreadable."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, (str, type(None))) for v in data.values()):
        return None
    if not all(name and not Path(name).is_absolute() and ".." not in Path(name).parts for name in data):
        return None  # names only inside the working directory
    return data


def _files_problem(root: Path, recorded: dict[str, str | None]) -> str | None:
    """The first recorded file that is missing, unexpected or changed, in words (None if all match)."""
    for name, digest in recorded.items():
        path = root / name
        if digest is None:
            if path.exists():
                return f"{name} appeared after it was written"
            continue
        if not path.is_file():
            return f"{name} is missing"
        try:
            if outputs.file_digest(path) != digest:
                return f"{name} changed since it was written"
        except OSError as exc:
            return f"{name} is unreadable ({exc.strerror})"
    return None


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of a chunk file, read now (a damaged file is one line naming it)."""
    import zipfile

    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise PawnsError(f"{path}: a stored chunk is missing or damaged ({_one_line(exc)}); run again with --resume to check "
                         "and redo it") from None


def _as_table(content: "str | pd.DataFrame") -> "pd.DataFrame":
    """A file's content as the table it holds (text is parsed as CSV)."""
    import io

    import pandas as pd

    return pd.read_csv(io.StringIO(content)) if isinstance(content, str) else content


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def _remove(path: Path) -> None:
    """Remove whatever is at ``path`` in a working directory: a file, a folder or a link (not what it points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _readme(target: Path) -> str:
    return (f"This folder holds an unfinished pawns run of {target}: the chunks of members done so far.\n"
            "Run the same command again with --resume to continue it (only the chunks not done are simulated,\n"
            "each stored chunk is checked first), or with --restart to discard it. It is not a result.\n")
