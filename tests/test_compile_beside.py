"""A run on a machine where the model is not compiled: numpy at once, the compile beside it, then compiled.

Both engines give the same bits, so a plan whose chunks switch engine part way gives what a
plan run wholly compiled gives; the command waits for the compile beside it, stops it on Ctrl-C
and says when it failed, and the results are complete either way.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from pawns import compile_cache
from pawns.analysis.outcomes import chunk_outcomes
from pawns.cli.main import app
from pawns.engine import simulate, store
from pawns.engine.plan import Ensemble, Plan, run_plan
from pawns.engine.warmup import BackgroundCompile
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

SHORT = ["--set", "scenario.horizon_days=30", "--answers", "core", "-q"]


def _plan() -> Plan:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", ["scenario.horizon_days=60"]))
    return Plan.of([Ensemble("main", layout)], 40, seed=3, chunk_size=10)


def _outcomes(plan: Plan, engine: str) -> list[dict[str, np.ndarray]]:
    return [reduced["outcomes"] for _, reduced in run_plan(plan, {"outcomes": chunk_outcomes}, engine=engine)]


def test_a_plan_on_auto_switches_to_the_compiled_engine_when_it_is_ready_with_the_same_bits(monkeypatch):
    plan = _plan()
    wholly_compiled = _outcomes(plan, "compiled")
    engines: list[str] = []
    numpy_engine, kernel = simulate._simulate_numpy, simulate._kernel()
    compiled_engine = kernel.run_compiled
    monkeypatch.setattr(simulate, "_simulate_numpy", lambda *args: engines.append("numpy") or numpy_engine(*args))
    monkeypatch.setattr(kernel, "run_compiled", lambda *args, **kw: engines.append("compiled") or compiled_engine(*args, **kw))
    # The compile beside the run finishes while the third chunk is about to start.
    monkeypatch.setattr(compile_cache, "is_compiled", lambda *name: len(engines) >= 2)
    switched = _outcomes(plan, "auto")
    assert engines == ["numpy", "numpy", "compiled", "compiled"]
    for found, expected in zip(switched, wholly_compiled, strict=True):
        assert found.keys() == expected.keys()
        for name in expected:
            np.testing.assert_array_equal(found[name], expected[name], err_msg=name)


def test_a_background_compile_is_stopped_and_a_failed_one_says_why():
    sleeping = BackgroundCompile([sys.executable, "-c", "import time; time.sleep(60)"])
    sleeping.start()
    assert sleeping.running
    sleeping.stop()
    assert not sleeping.running and sleeping.process.returncode != 0
    failing = BackgroundCompile([sys.executable, "-c", "import sys; sys.exit('no compiler on this machine')"])
    failing.start()
    assert not failing.wait()
    assert "no compiler on this machine" in failing.error
    failing.stop()  # stopping or waiting again after it ended keeps what it said
    assert not failing.wait() and "no compiler on this machine" in failing.error


@pytest.fixture
def beside(monkeypatch, tmp_path):
    """`pawns run` finds a compile worthwhile; the child writes a file; the engine its plan got is kept."""
    marker = tmp_path / "compiled"
    child = [sys.executable, "-c", f"import time, pathlib; time.sleep(1); pathlib.Path({str(marker)!r}).write_text('done')"]
    monkeypatch.setattr(BackgroundCompile, "worthwhile", staticmethod(lambda member_steps: True))
    original = BackgroundCompile.__init__
    monkeypatch.setattr(BackgroundCompile, "__init__", lambda self, command=None: original(self, command or child))
    engines: list[str | None] = []
    real_run_plan = store.run_plan

    def run_plan_spy(*args, **kwargs):
        engines.append(kwargs.get("engine"))
        return real_run_plan(*args, **kwargs)

    monkeypatch.setattr(store, "run_plan", run_plan_spy)
    return marker, engines


def test_pawns_run_lets_chunks_choose_and_waits_for_the_compile_beside_it(beside, tmp_path):
    marker, engines = beside
    result = CliRunner().invoke(app, ["run", "-n", "8", "--out", str(tmp_path / "run"), *SHORT])
    assert result.exit_code == 0, result.output
    assert engines == ["auto"]
    assert marker.read_text() == "done"  # the command returned after the child finished
    assert (tmp_path / "run" / "COMPLETE").exists()


def test_pawns_run_with_an_engine_named_compiles_nothing_beside_it(beside, tmp_path):
    marker, engines = beside
    result = CliRunner().invoke(app, ["run", "-n", "8", "--engine", "numpy", "--out", str(tmp_path / "run"), *SHORT])
    assert result.exit_code == 0, result.output
    assert engines == ["numpy"] and not marker.exists()
    refused = CliRunner().invoke(app, ["run", "-n", "8", "--engine", "gpu", "--out", str(tmp_path / "gpu"), *SHORT])
    assert refused.exit_code == 2 and "--engine gpu: expected one of auto, compiled, numpy" in refused.output


def test_a_failed_compile_beside_the_run_is_said_and_the_results_stand(monkeypatch, tmp_path):
    failing = [sys.executable, "-c", "import sys; sys.exit('numba failed here')"]
    monkeypatch.setattr(BackgroundCompile, "worthwhile", staticmethod(lambda member_steps: True))
    original = BackgroundCompile.__init__
    monkeypatch.setattr(BackgroundCompile, "__init__", lambda self, command=None: original(self, command or failing))
    result = CliRunner().invoke(app, ["run", "-n", "8", "--out", str(tmp_path / "run"), *SHORT])
    assert result.exit_code == 0, result.output
    assert "the compile beside the run failed (numba failed here)" in result.output
    assert (tmp_path / "run" / "COMPLETE").exists()


def test_beside_a_terminal_run_the_compile_starts_once_the_first_answers_are_told(tmp_path):
    from pawns.analysis.variants import without_contingents
    from pawns.cli.common import Bar
    from pawns.cli.run_commands import _first_answers
    from pawns.engine.store import RunStore

    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=60"])
    ensembles = [Ensemble("main", Layout.from_scenario(scenario)), Ensemble("without", Layout.from_scenario(without_contingents(scenario))),
                 Ensemble("later", Layout.from_scenario(scenario))]
    run = RunStore(tmp_path / "run", Plan.of(ensembles, 16, seed=3, chunk_size=8))
    events: list[str] = []
    bar = Bar(lambda steps: events.append("chunk") if steps else None, lambda text: events.append("told"))
    first = _first_answers(run, scenario, run.plan, bar, str, then=lambda: events.append("compile"))
    run.execute(chunk_outcomes, progress=bar, on_ensemble=first)
    # main's two chunks, its endurance; without's two, Q1; then the compile, beside the later runs
    assert events == ["chunk", "chunk", "told", "chunk", "chunk", "told", "compile", "chunk", "chunk"]


def test_the_bar_says_once_when_the_compile_beside_the_run_is_done():
    from pawns.cli.common import Bar
    from pawns.cli.compile_beside import RunEngine

    chosen = RunEngine("auto", BackgroundCompile([sys.executable, "-c", "pass"]), show=True)
    told: list[str] = []
    bar = chosen.watching(Bar(lambda steps: told.append("chunk"), told.append))
    bar(1)  # not started yet: nothing to tell
    chosen.compile_beside(told.append)
    chosen.child.process.wait()
    bar(1)
    bar(1)
    assert told[0] == "chunk" and told[1].startswith("note: compiling the model")
    assert told[2] == "chunk" and told[3].startswith("note: the model is compiled (") and told[4:] == ["chunk"]
