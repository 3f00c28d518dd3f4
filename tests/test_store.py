"""Runs stored chunk by chunk: an interrupted run resumes to exactly the uninterrupted result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr

from pawns.analysis.ensemble import run_ensemble
from pawns.analysis.outcomes import chunk_outcomes
from pawns.analysis.variants import without_contingents
from pawns.engine.plan import Ensemble, Plan
from pawns.engine.store import CHUNKS_FOLDER, RECORD_SUFFIX, IncompleteRunError, RunStore, working_directory
from pawns.errors import RunInterrupted
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.observations.forecast import chunk_sketches
from pawns.outputs import COMPLETE_MARKER, MANIFEST_FILE

MEMBERS, CHUNK, SEED = 50, 10, 5


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ru-ua-2024")


@pytest.fixture(scope="module")
def reference(scenario):
    """The same members run in memory, in one chunk."""
    return run_ensemble(scenario, MEMBERS, seed=SEED, chunk_size=MEMBERS, record_every=7)


def _plan(scenario, members=MEMBERS, seed=SEED, chunk_size=CHUNK):
    ensembles = [Ensemble("main", Layout.from_scenario(scenario), record="trajectories"),
                 Ensemble("without", Layout.from_scenario(without_contingents(scenario)))]
    return Plan.of(ensembles, members, seed=seed, chunk_size=chunk_size, record_every=7)


def _interrupt_after(chunks: int):
    """A progress callback that presses Ctrl-C once ``chunks`` chunks have been simulated."""
    seen = [0]

    def progress(advance: int) -> None:
        if advance > 0:
            seen[0] += 1
            if seen[0] > chunks:
                raise KeyboardInterrupt

    return progress


def _store(tmp_path, scenario, resume=False, restart=False, **plan):
    return RunStore(tmp_path / "run", _plan(scenario, **plan), resume=resume, restart=restart)


def test_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path, scenario, reference):
    store = _store(tmp_path, scenario)
    with pytest.raises(RunInterrupted, match="--resume"):
        store.execute(chunk_outcomes, progress=_interrupt_after(3))
    # nothing that looks finished: no run directory, a hidden working directory without the marker
    assert not (tmp_path / "run").exists()
    assert working_directory(tmp_path / "run").is_dir()
    assert not (working_directory(tmp_path / "run") / COMPLETE_MARKER).exists()
    assert store.pending("main") == [3, 4]

    resumed = _store(tmp_path, scenario, resume=True)
    simulated = []
    outcomes = resumed.execute(chunk_outcomes, progress=lambda advance: simulated.append(advance))
    steps = resumed.plan.chunks()[0].size * 730
    assert sum(1 for advance in simulated if advance == steps) == 2 + 5  # two chunks of main, all of 'without'
    assert outcomes["main"].equals(reference.outcomes)
    stored = resumed.trajectories()
    for name in reference.dataset.data_vars:
        assert np.array_equal(stored[name].values, reference.dataset[name].values, equal_nan=True), name

    resumed.finish({"outcomes.csv": outcomes["main"].to_csv(index=False)})
    run = tmp_path / "run"
    assert sorted(path.name for path in run.iterdir()) == [COMPLETE_MARKER, "outcomes.csv", MANIFEST_FILE, "results.nc"]
    assert not working_directory(run).exists()
    with xr.open_dataset(run / "results.nc") as written:
        xr.testing.assert_identical(written.load(), reference.dataset)


def test_outcomes_only_plan_matches_run_ensemble(tmp_path, scenario):
    without = without_contingents(scenario)
    store = RunStore(tmp_path / "cmp", Plan.of([Ensemble("a", Layout.from_scenario(without))], 23, seed=1, chunk_size=7))
    outcomes = store.execute(chunk_outcomes)["a"]
    assert outcomes.equals(run_ensemble(without, 23, seed=1, keep_series=False).outcomes)
    assert store.trajectories() is None


def test_an_interrupted_run_is_never_silently_discarded_or_mixed(tmp_path, scenario):
    with pytest.raises(RunInterrupted):
        _store(tmp_path, scenario).execute(chunk_outcomes, progress=_interrupt_after(1))
    with pytest.raises(IncompleteRunError, match=r"1 chunk done.*--resume.*--restart"):
        _store(tmp_path, scenario)
    with pytest.raises(IncompleteRunError, match="different seed: 5 there, 6 now"):
        _store(tmp_path, scenario, seed=6, resume=True)
    with pytest.raises(IncompleteRunError, match="different chunk size"):
        _store(tmp_path, scenario, chunk_size=CHUNK + 1, resume=True)
    fresh = _store(tmp_path, scenario, restart=True)
    assert fresh.pending("main") == list(range(MEMBERS // CHUNK))
    with pytest.raises(IncompleteRunError, match="no interrupted run"):
        _store(tmp_path / "elsewhere", scenario, resume=True)


INTERRUPTIBLE_PAWNS = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                       "runpy.run_module('pawns', run_name='__main__', alter_sys=True)")


def _chunks_done(folder) -> int:
    """Chunks the store counts as done: each gets its record file last."""
    return sum(name.endswith(RECORD_SUFFIX) for name in os.listdir(folder)) if folder.is_dir() else 0


def test_ctrl_c_on_the_command_line_then_resume(tmp_path):
    """A real SIGINT mid-run: exit 130, a hint to resume, and a resumed run equal to a fresh one."""
    # `python -m pawns`, with Ctrl-C turned back on: a shell starting the tests in the background
    # hands its children SIGINT ignored, and Python then leaves it ignored.
    # 10 chunks in each of 10 paired runs: long enough to interrupt, short enough to run four times.
    command = [sys.executable, "-c", INTERRUPTIBLE_PAWNS, "run", "-n", "100", "--chunk-size", "10", "--seed", "3", "--quiet",
               "--answers", "core", "--set", "scenario.horizon_days=90"]
    target = tmp_path / "run"
    process = subprocess.Popen(command + ["--out", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    chunks = working_directory(target) / CHUNKS_FOLDER
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None and not _chunks_done(chunks):
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    assert not target.exists()

    refused = subprocess.run(command + ["--out", str(target)], capture_output=True, text=True)
    assert refused.returncode == 2 and "interrupted run" in refused.stderr and "--resume" in refused.stderr
    resumed = subprocess.run(command + ["--out", str(target), "--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    fresh = subprocess.run(command + ["--out", str(tmp_path / "fresh")], capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    for name in ("outcomes.csv", "outcomes_without.csv", "outcomes_combat.csv", "outcomes_labor.csv", "summary.json", "observables.csv"):
        assert (target / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    with xr.open_dataset(target / "results.nc") as a, xr.open_dataset(tmp_path / "fresh" / "results.nc") as b:
        xr.testing.assert_identical(a.load(), b.load())


def test_a_lost_dask_worker_keeps_finished_chunks_for_resume(tmp_path, scenario, monkeypatch):
    from distributed.scheduler import KilledWorker

    import pawns.engine.store as store_module

    real = store_module.run_plan

    def losing_a_worker(plan, reducers, **kwargs):
        results = real(plan, reducers, **kwargs)
        yield next(results)
        raise KilledWorker("run_chunk-1", SimpleNamespace(address="tcp://10.0.0.5:40000"), 3)

    monkeypatch.setattr(store_module, "run_plan", losing_a_worker)
    with pytest.raises(RunInterrupted, match=r"a Dask worker failed \(KilledWorker.*1 chunk done of 10.*--resume"):
        _store(tmp_path, scenario).execute(chunk_outcomes)
    monkeypatch.setattr(store_module, "run_plan", real)
    assert _store(tmp_path, scenario, resume=True).pending("main") == [1, 2, 3, 4]


def test_ctrl_c_while_finishing_leaves_a_run_that_resumes(tmp_path, scenario, monkeypatch, reference):
    import pawns.engine.store as store_module

    store = _store(tmp_path, scenario)
    store.execute(chunk_outcomes)
    real = store_module._write_netcdf

    def interrupted(dataset, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "_write_netcdf", interrupted)
    with pytest.raises(RunInterrupted, match="10 chunks done of 10"), store.interruptible():
        store.finish({})
    assert not (tmp_path / "run").exists()
    monkeypatch.setattr(store_module, "_write_netcdf", real)
    resumed = _store(tmp_path, scenario, resume=True)
    assert resumed.pending("main") == [] and resumed.pending("without") == []
    assert resumed.execute(chunk_outcomes)["main"].equals(reference.outcomes)
    resumed.finish({})
    assert (tmp_path / "run" / COMPLETE_MARKER).exists()


def test_sketched_run_resumes_to_the_same_quantile_sketches(tmp_path, scenario):
    plan = Plan.of([Ensemble("main", Layout.from_scenario(scenario), record="daily")], 30, seed=2, chunk_size=10)
    whole = RunStore(tmp_path / "whole", plan)
    whole.execute(chunk_outcomes, chunk_sketches)
    broken = RunStore(tmp_path / "broken", plan)
    with pytest.raises(RunInterrupted):
        broken.execute(chunk_outcomes, chunk_sketches, progress=_interrupt_after(1))
    resumed = RunStore(tmp_path / "broken", plan, resume=True)
    resumed.execute(chunk_outcomes, chunk_sketches)
    expected, found = whole.sketches("main"), resumed.sketches("main")
    assert "daily_killed/RU" in found and "russian_controlled_area_km2" in found
    assert found.keys() == expected.keys()
    for name in expected:
        assert np.array_equal(found[name].counts, expected[name].counts), name
        assert found[name].members == 30


def test_outcomes_only_run_matches_a_full_run_within_the_sketch_resolution(tmp_path):
    from pawns.cli.main import app
    from typer.testing import CliRunner

    runner = CliRunner()
    # An odd count makes the exact median an order statistic, as the sketch reads it; 120 days keep it quick.
    common = ["run", "-n", "301", "--chunk-size", "100", "--seed", "4", "--quiet", "--answers", "core", "--set", "scenario.horizon_days=120"]
    full = runner.invoke(app, common + ["--out", str(tmp_path / "full")])
    lean = runner.invoke(app, common + ["--out", str(tmp_path / "lean"), "--outcomes-only"])
    assert full.exit_code == 0 and lean.exit_code == 0, (full.output, lean.output)
    assert not (tmp_path / "lean" / "results.nc").exists() and (tmp_path / "lean" / "daily_quantiles.csv").exists()
    for name in ("outcomes.csv", "outcomes_without.csv", "summary.json"):
        assert (tmp_path / "lean" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    import pandas as pd

    exact, sketched = pd.read_csv(tmp_path / "full" / "observables.csv"), pd.read_csv(tmp_path / "lean" / "observables.csv")
    assert exact[["date", "stream"]].equals(sketched[["date", "stream"]])
    # The sketch reads the order statistic at rank ceil(q n) to within one bin (1.2%); with an odd
    # count the exact median is that order statistic. The tails interpolate between neighbours in
    # the exact table, so only the median is held to a tight bound here
    # (tests/test_engine_fast_streaming.py holds the sketch to every order statistic).
    a, b = exact["q50"].to_numpy(), sketched["q50"].to_numpy()
    resolved = a > 10.0  # values below the sketch's floor of 1 read back as 0
    assert np.all(np.abs(b[resolved] / a[resolved] - 1) < 0.025)
    assert np.all(np.abs(b[~resolved] - a[~resolved]) <= 10.0)
