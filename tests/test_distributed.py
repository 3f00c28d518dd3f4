"""Ensembles on a Dask cluster give the same bits as in one process."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pawns.analysis.ensemble import run_ensemble
from pawns.cli.main import app
from pawns.engine.distributed import DaskCluster, SchedulerError, use_scheduler
from pawns.engine.plan import InProcess
from pawns.evidence import load_scenario

SHORT = ["scenario.horizon_days=60"]


@pytest.fixture(scope="module")
def cluster_address():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_cluster_run_is_bit_identical_to_a_local_run(cluster_address: str) -> None:
    scenario = load_scenario("ru-ua-2024", SHORT)
    local = run_ensemble(scenario, 23, seed=4, chunk_size=5, record_every=7)
    with use_scheduler(cluster_address) as cluster:
        assert isinstance(cluster, DaskCluster)
        spread = run_ensemble(scenario, 23, seed=4, chunk_size=5, record_every=7, evaluator=cluster)
    pd.testing.assert_frame_equal(local.outcomes, spread.outcomes, check_exact=True)
    for name in local.dataset.data_vars:
        np.testing.assert_array_equal(local.dataset[name].values, spread.dataset[name].values, err_msg=name)
    np.testing.assert_array_equal(spread.outcomes["member"], np.arange(23))


def test_outcomes_only_run_on_the_cluster(cluster_address: str) -> None:
    scenario = load_scenario("ru-ua-2024-dprk-labor", SHORT)
    local = run_ensemble(scenario, 12, seed=9, first_member=100, chunk_size=4, keep_series=False)
    with use_scheduler(cluster_address) as cluster:
        spread = run_ensemble(scenario, 12, seed=9, first_member=100, chunk_size=3, keep_series=False, evaluator=cluster)
    assert spread.dataset is None
    pd.testing.assert_frame_equal(local.outcomes, spread.outcomes, check_exact=True)


def test_no_scheduler_runs_in_this_process() -> None:
    for spec in (None, ""):
        with use_scheduler(spec) as evaluator:
            assert isinstance(evaluator, InProcess)


@pytest.mark.parametrize("spec", ["local:0", "local:x", "http://example", "nonsense"])
def test_bad_scheduler_is_a_user_error(spec: str) -> None:
    with pytest.raises(SchedulerError, match="--scheduler"):
        with use_scheduler(spec):
            pass


def test_cli_scheduler_option(cluster_address: str, tmp_path) -> None:
    runner = CliRunner()
    args = ["run", "-n", "8", "--seed", "1", "--set", "scenario.horizon_days=60", "--json", "--quiet"]
    plain = runner.invoke(app, [*args, "-o", str(tmp_path / "plain")])
    spread = runner.invoke(app, [*args, "-o", str(tmp_path / "spread"), "--scheduler", cluster_address])
    assert plain.exit_code == 0, plain.output
    assert spread.exit_code == 0, spread.output
    assert json.loads(plain.stdout) == json.loads(spread.stdout)
    assert (tmp_path / "spread" / "COMPLETE").exists()
    bad = runner.invoke(app, [*args, "-o", str(tmp_path / "bad"), "--scheduler", "local:0"])
    assert bad.exit_code == 2
    assert not (tmp_path / "bad").exists()


def test_cli_compare_scheduler_option(cluster_address: str, tmp_path) -> None:
    runner = CliRunner()
    args = ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", "-n", "6", "--seed", "2", "--set", "scenario.horizon_days=60", "--json", "--quiet"]
    plain = runner.invoke(app, [*args, "-o", str(tmp_path / "plain")])
    spread = runner.invoke(app, [*args, "-o", str(tmp_path / "spread"), "--scheduler", cluster_address])
    assert plain.exit_code == 0, plain.output
    assert spread.exit_code == 0, spread.output
    assert json.loads(plain.stdout) == json.loads(spread.stdout)


def test_a_worker_killed_mid_run_changes_nothing() -> None:
    """Dask reruns a lost worker's chunks elsewhere; the members are the same bits."""
    import os
    import signal

    scenario = load_scenario("ru-ua-2024", SHORT)
    local = run_ensemble(scenario, 40, seed=6, chunk_size=2, keep_series=False)
    killed: list[str] = []
    with use_scheduler("local:2") as cluster:
        client = cluster.client
        worker, pid = sorted(client.run(os.getpid).items())[0]

        def kill_one_worker(_: int) -> None:
            if not killed:
                os.kill(pid, signal.SIGKILL)
                killed.append(worker)

        spread = run_ensemble(scenario, 40, seed=6, chunk_size=2, keep_series=False, progress=kill_one_worker, evaluator=cluster)
        assert killed and worker not in client.scheduler_info()["workers"]  # the scheduler lost it during the run
    pd.testing.assert_frame_equal(local.outcomes, spread.outcomes, check_exact=True)


@pytest.mark.parametrize("command", [
    ["calibrate", "ru-ua-2023", "--until", "2023-04-01", "-n", "20", "--generations", "2", "--chunk-size", "7"],
    ["backtest", "ru-ua-2023", "--cutoff", "2023-04-01", "--horizon", "20", "-n", "20", "--generations", "2", "--chunk-size", "7"],
    ["sensitivity", "ru-ua-2024", "--set", "scenario.horizon_days=40", "-y", "DPRK_killed", "-m", "morris", "--samples", "2",
     "--vary", "contingents.DPRK.*", "--chunk-size", "9"],
    ["discover", "ru-ua-2024", "--set", "scenario.horizon_days=60", "-w", "DPRK_killed > 275", "-n", "40", "--chunk-size", "9"],
], ids=["calibrate", "backtest", "sensitivity", "discover"])
def test_every_command_that_runs_the_model_takes_a_scheduler(cluster_address: str, tmp_path, command: list[str]) -> None:
    """Each goes through the one run path, so on the cluster it writes the same files as in this process."""
    runner = CliRunner()
    plain = runner.invoke(app, [*command, "-q", "-o", str(tmp_path / "plain")])
    spread = runner.invoke(app, [*command, "-q", "-o", str(tmp_path / "spread"), "--scheduler", cluster_address])
    assert plain.exit_code == 0, plain.output
    assert spread.exit_code == 0, spread.output
    written = sorted(p.name for p in (tmp_path / "plain").iterdir() if p.suffix in (".csv", ".json"))
    assert written and written == sorted(p.name for p in (tmp_path / "spread").iterdir() if p.suffix in (".csv", ".json"))
    for name in written:
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "spread" / name).read_bytes(), name
