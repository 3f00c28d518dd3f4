"""Runs built chunk by chunk on disk: little memory for large ensembles, and resumable.

A run directory is assembled in a hidden working directory beside it,
``.NAME.partial``, that holds

* ``manifest.json`` — what is being run: the pawns version, a digest of the model's code and
  data, each planned ensemble's scenario (as a hash), the seed, members, chunk size and recording;
* ``results.zarr/`` — the trajectories of the run that keeps them, one Zarr chunk per chunk of
  members, each written as soon as the chunk is simulated;
* ``chunks/LABEL-000012.npz`` — the outcome columns of one chunk of one run. A chunk counts as
  done once its file exists (written last, by an atomic rename).

If the run stops (Ctrl-C, a lost Dask worker, a power cut) the working directory stays, never
looking like a finished run (no ``COMPLETE`` marker, hidden name). Running the same command
with ``--resume`` checks that the manifest matches and simulates only the chunks not yet done;
members never interact and draws depend only on (seed, member), so the result is bit-identical
to an uninterrupted run. ``--restart`` discards the working directory instead.

At the end :meth:`RunStore.finish` turns the working directory into the run directory: the
trajectories are copied chunk by chunk into ``results.nc`` (compressed NetCDF), the summary
files are added, the working files removed, ``COMPLETE`` written and the directory renamed
into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from pawns import __version__
from pawns.atomic_files import COMPLETE_MARKER, move_into_place
from pawns.engine.plan import Chunk, Evaluator, Plan, Reducer, keep_batch, run_plan
from pawns.engine.results import build_dataset, member_variables, write_file
from pawns.engine.streaming import DailyQuantiles
from pawns.errors import PawnsError, RunInterrupted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

MANIFEST_FILE = "manifest.json"
TRAJECTORIES_STORE = "results.zarr"
CHUNKS_FOLDER = "chunks"
READ_MEMBERS = 10_000
SKETCH_SUFFIX = ".sketch.npz"
RESUME_HINT = "run the same command again with --resume to continue it, or with --restart to start over"


class IncompleteRunError(PawnsError):
    """An interrupted run is in the way, or cannot be resumed as asked."""


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
        The run directory to produce.
    plan
        The ensembles to run (:class:`~pawns.engine.plan.Plan`, members drawn, not given): at
        most one records ``"trajectories"`` (stored in ``results.zarr``); those that record
        ``"daily"`` keep quantile sketches.
    resume
        Continue an interrupted run found in the working directory (it must match).
    restart
        Discard an interrupted run found there.
    """

    def __init__(self, target: Path, plan: Plan, *, resume: bool = False, restart: bool = False) -> None:
        if sum(e.record == "trajectories" for e in plan.ensembles) > 1:
            raise ValueError("at most one planned ensemble keeps its trajectories")
        if any(e.matrix is not None for e in plan.ensembles):
            raise ValueError("a stored run draws its members' parameters; it takes no parameter matrix")
        self.target = Path(target)
        self.path = working_directory(self.target)
        self.plan = plan
        self.manifest = self._manifest()
        self._open(resume=resume, restart=restart)

    # --- opening ---------------------------------------------------------------------------

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
        if self.path.exists() and restart:
            shutil.rmtree(self.path)
        if self.path.exists():
            if not resume:
                raise IncompleteRunError(
                    f"{self.path} holds an interrupted run ({self._progress_words()}): {RESUME_HINT}")
            self._check_manifest()
            return
        if resume:
            raise IncompleteRunError(f"--resume: there is no interrupted run to continue at {self.path}; run without --resume")
        (self.path / CHUNKS_FOLDER).mkdir(parents=True)
        _write_atomically(self.path / MANIFEST_FILE, json.dumps(self.manifest, indent=2) + "\n")

    def _check_manifest(self) -> None:
        try:
            found = json.loads((self.path / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
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

    def _progress_words(self) -> str:
        folder = self.path / CHUNKS_FOLDER
        done = sum(name.endswith(".npz") and not name.endswith((".partial.npz", SKETCH_SUFFIX)) for name in os.listdir(folder)) \
            if folder.is_dir() else 0
        return f"{done} chunk{'s' if done != 1 else ''} done"

    # --- running -----------------------------------------------------------------------------

    def _chunk_file(self, label: str, number: int, suffix: str = ".npz") -> Path:
        return self.path / CHUNKS_FOLDER / f"{label}-{number:06d}{suffix}"

    def pending(self, label: str) -> list[int]:
        """Numbers of the chunks of ensemble ``label`` not yet done."""
        return [chunk.number for chunk in self.plan.chunks(label) if not self._chunk_file(label, chunk.number).exists()]

    def execute(self, outcomes: Reducer, sketches: Reducer | None = None, *, evaluator: Evaluator | None = None,
                progress: Callable[[int], None] | None = None) -> dict[str, "pd.DataFrame"]:
        """Simulate every chunk not yet done, storing each as it finishes; outcome tables per ensemble.

        Parameters
        ----------
        outcomes
            Reducer of a chunk to its outcome columns (name -> one value per member), stored
            for every ensemble.
        sketches
            Reducer of a chunk to quantile sketches (name -> :class:`DailyQuantiles`), stored
            for the ensembles that record ``"daily"``.
        evaluator, progress
            As for :func:`~pawns.engine.plan.run_plan`.

        Raises
        ------
        RunInterrupted
            On Ctrl-C or a lost Dask worker; finished chunks stay for ``--resume``.
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

        todo = [chunk for chunk in self.plan.chunks() if not self._chunk_file(chunk.ensemble, chunk.number).exists()]
        if progress is not None:
            progress(self.plan.steps() - sum(chunk.size * self.plan.ensemble(chunk.ensemble).layout.steps for chunk in todo))
        try:
            for chunk, reduced in run_plan(self.plan, reducers, evaluator=evaluator, chunks=todo, progress=progress):
                self._store(chunk, reduced)
        except KeyboardInterrupt:
            raise RunInterrupted(self._stopped("interrupted")) from None
        except Exception as exc:
            if type(exc).__module__.split(".")[0] != "distributed":
                raise
            raise RunInterrupted(self._stopped(f"a Dask worker failed ({type(exc).__name__}: {exc})")) from None
        return {e.label: self.outcomes(e.label) for e in self.plan.ensembles}

    def _store(self, chunk: Chunk, reduced: dict) -> None:
        """Store one chunk's trajectories and sketches, then its outcomes (whose file marks it done)."""
        if "batch" in reduced:
            self._store_trajectories(self.plan.ensemble(chunk.ensemble).layout, reduced["batch"])
        if "sketches" in reduced:
            _save_sketches(self._chunk_file(chunk.ensemble, chunk.number, SKETCH_SUFFIX), reduced["sketches"])
        _save_columns(self._chunk_file(chunk.ensemble, chunk.number), reduced["outcomes"])

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """Report Ctrl-C in the block (summaries, :meth:`finish`) as a run that can be resumed."""
        try:
            yield
        except KeyboardInterrupt:
            raise RunInterrupted(self._stopped("interrupted")) from None

    def _stopped(self, why: str) -> str:
        total = len(self.plan.chunks())
        return f"{why}: {self._progress_words()} of {total} are kept in {self.path}; {RESUME_HINT}"

    def outcomes(self, label: str) -> "pd.DataFrame":
        """The outcome table of ensemble ``label`` (every chunk must be done)."""
        import pandas as pd

        parts = []
        for chunk in self.plan.chunks(label):
            with np.load(self._chunk_file(label, chunk.number)) as data:
                parts.append({name: _as_column(data[name]) for name in data.files})
        columns = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        return pd.DataFrame({"member": self.plan.members, **columns})

    def sketches(self, label: str) -> dict[str, DailyQuantiles]:
        """The merged quantile sketches of ensemble ``label`` (one that records ``"daily"``)."""
        merged: dict[str, DailyQuantiles] = {}
        for chunk in self.plan.chunks(label):
            with np.load(self._chunk_file(label, chunk.number, SKETCH_SUFFIX)) as data:
                for name in data.files:
                    if name not in merged:
                        merged[name] = DailyQuantiles(data[name].shape[0])
                    merged[name].counts += data[name]
        return merged

    # --- trajectories ------------------------------------------------------------------------

    def _store_trajectories(self, layout, batch) -> None:
        """Write one chunk's trajectories into its region of ``results.zarr``."""
        import xarray as xr

        store = self.path / TRAJECTORIES_STORE
        if not store.exists():
            self._create_trajectory_store(build_dataset(layout, [batch], seed=self.plan.seed), store)
        lo = int(batch.members[0])
        region = xr.Dataset(member_variables([batch]))
        region.to_zarr(store, region={"member": slice(lo, lo + batch.members.size)}, mode="r+", zarr_format=2)

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

    def trajectories(self) -> "xr.Dataset | None":
        """The stored trajectories, read lazily (None when no run keeps them)."""
        import xarray as xr

        store = self.path / TRAJECTORIES_STORE
        if not store.exists():
            return None
        # read in blocks of whole stored chunks, at least READ_MEMBERS members (tens of MB per variable)
        members = self.plan.chunk_size * max(1, READ_MEMBERS // self.plan.chunk_size)
        return xr.open_zarr(store, chunks={"member": members})

    # --- finishing ---------------------------------------------------------------------------

    def finish(self, files: "dict[str, str | pd.DataFrame]", *, netcdf_name: str | None = "results.nc") -> Path:
        """Turn the working directory into the run directory and rename it into place.

        Parameters
        ----------
        files
            Name -> text, or a table written as CSV: the files to add (outcomes, summary, ...).
        netcdf_name
            File the trajectories are copied into (chunk by chunk, compressed); None drops them.
        """
        dataset = self.trajectories()
        if dataset is not None and netcdf_name is not None:
            _write_netcdf(dataset, self.path / netcdf_name)
        if dataset is not None:
            dataset.close()
        for name, content in files.items():
            write_file(self.path / name, content)
        shutil.rmtree(self.path / TRAJECTORIES_STORE, ignore_errors=True)
        shutil.rmtree(self.path / CHUNKS_FOLDER, ignore_errors=True)
        (self.path / MANIFEST_FILE).unlink(missing_ok=True)
        (self.path / COMPLETE_MARKER).write_text(f"pawns {__version__}\n", encoding="utf-8")
        move_into_place(self.path, self.target)
        return self.target


def _write_netcdf(dataset: "xr.Dataset", path: Path) -> None:
    """Copy a lazily read dataset into compressed NetCDF one chunk at a time."""
    import dask

    for variable in dataset.variables.values():
        variable.encoding = {}
    # byte shuffling before zlib: floats compress faster and smaller (1,000 members: 1.2 s and 28 MB, not 2.0 s and 36 MB)
    encoding = {name: {"zlib": True, "complevel": 4, "shuffle": True} for name, var in dataset.data_vars.items() if var.dtype.kind == "f"}
    partial = path.with_name(path.name + ".partial")
    with dask.config.set(scheduler="synchronous"):
        dataset.to_netcdf(partial, engine="h5netcdf", encoding=encoding)
    partial.rename(path)


def _save_sketches(path: Path, sketches: dict[str, DailyQuantiles]) -> None:
    """Save a chunk's sketch counts (mostly zeros: compressed, as 32-bit counts)."""
    partial = path.with_name(path.name.replace(".npz", ".partial.npz"))
    np.savez_compressed(partial, **{name: sketch.counts.astype(np.int32) for name, sketch in sketches.items()})
    os.replace(partial, path)


def _save_columns(path: Path, columns: dict[str, np.ndarray]) -> None:
    """Save a chunk's outcome columns; the file appears whole or not at all."""
    partial = path.with_name(path.stem + ".partial.npz")
    # text columns (causes, race labels) are stored as fixed-width text, not pickled objects
    np.savez(partial, **{name: values.astype(str) if values.dtype == object else values for name, values in columns.items()})
    os.replace(partial, path)


def _as_column(values: np.ndarray) -> np.ndarray:
    """A stored column as the simulation returned it (text as Python strings)."""
    return values.astype(object) if values.dtype.kind == "U" else values


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
