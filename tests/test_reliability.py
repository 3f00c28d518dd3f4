"""Never destroy what is not ours: each reproduction of issue 12 as a test.

Safe outputs (a target is replaced only if it is an earlier pawns output of the same kind),
strict inputs, every error one line with exit code 2, and interruptions that leave either a
resumable run or a finished one. Everything happens in the test's own temporary folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr

from pawns.engine.store import CHUNKS_FOLDER, RunStore, working_directory
from pawns.outputs import MANIFEST_FILE, folder_output, read_manifest, verify_file
from sandbox import SMALL, assert_clean_failure, changed_outside, make_device, pawns, snapshot

# What the store keeps does not depend on how deep the answers go; the core depth runs 10 paired runs, not 25.
CHUNKED = ["-n", "20", "--chunk-size", "5", "--seed", "3", "-q", "--answers", "core", "--set", "scenario.horizon_days=10"]
RESULT_FILES = ("outcomes.csv", "outcomes_without.csv", "outcomes_combat.csv", "outcomes_labor.csv", "summary.json", "observables.csv")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """An uninterrupted run that interrupted and damaged runs must reproduce exactly."""
    out = tmp_path_factory.mktemp("fresh") / "run"
    outcome = pawns("run", *CHUNKED, "--out", out)
    assert outcome.code == 0, outcome
    return out


def assert_same_run(a: Path, b: Path) -> None:
    for name in RESULT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    with xr.open_dataset(a / "results.nc") as x, xr.open_dataset(b / "results.nc") as y:
        xr.testing.assert_identical(x.load(), y.load())


def interrupt_after(monkeypatch, chunks: int) -> None:
    """Make the next run press Ctrl-C once ``chunks`` chunks are stored."""
    real = RunStore._store_chunk
    stored = [0]

    def store_then_stop(self, *args, **kwargs):
        if stored[0] == chunks:
            raise KeyboardInterrupt
        stored[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RunStore, "_store_chunk", store_then_stop)


def interrupted_run(tmp_path: Path, monkeypatch, chunks: int = 2) -> Path:
    target = tmp_path / "run"
    with monkeypatch.context() as patch:
        interrupt_after(patch, chunks)
        outcome = pawns("run", *CHUNKED, "--out", target)
    assert outcome.code == 130 and "--resume" in outcome.stderr, outcome
    assert not target.exists() and working_directory(target).is_dir()
    return target


# --- data loss: outputs ------------------------------------------------------------------------

def test_a_folder_with_other_files_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "thesis.txt").write_text("thesis\n")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--out", folder), str(folder), "thesis.txt", "did not write")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["working", "home"])
def test_the_working_and_home_directories_are_refused(tmp_path: Path, monkeypatch, where: str) -> None:
    home = tmp_path / "home"
    work = home / "work"
    work.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    before = snapshot(tmp_path)
    target = "." if where == "working" else str(home)
    assert_clean_failure(pawns("run", *SMALL, "--out", target), f"the {where} directory")
    assert_clean_failure(pawns("run", *SMALL, "--out", str(tmp_path)), "above the")
    assert snapshot(tmp_path) == before


def test_a_device_or_pipe_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    """As root, `--out /dev/null` once turned the null device into a folder; here a device made in the test's folder."""
    target = tmp_path / "null"
    made = make_device(target)
    before = snapshot(tmp_path)
    for command in ("run", "compare"):
        scenarios = ["ru-ua-2024-no-dprk", "ru-ua-2024"] if command == "compare" else []
        assert_clean_failure(pawns(command, *scenarios, *SMALL, "--out", target), str(target), "a device" if made == "device" else "FIFO")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["run", "compare"])
def test_an_existing_file_is_not_turned_into_a_folder(tmp_path: Path, command: str) -> None:
    target = tmp_path / "existing.txt"
    target.write_text("keep me\n")
    scenarios = ["ru-ua-2024-no-dprk", "ru-ua-2024"] if command == "compare" else []
    assert_clean_failure(pawns(command, *scenarios, *SMALL, "--out", target), str(target), "is a file")
    assert target.read_text() == "keep me\n"


def test_a_symbolic_link_is_refused_and_what_it_points_to_is_untouched(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine\n")
    (tmp_path / "sandbox").mkdir()
    link = tmp_path / "sandbox" / "out"
    link.symlink_to(elsewhere)
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--out", link), "symbolic link")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", [".", "..", "../x", "/abs/dir", "a/b", "x" * 300, "nul\\u0000byte", ""])
def test_a_scenario_name_is_a_slug_never_a_path(tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    earlier = tmp_path / "pawns-out" / "ru-ua-2024"
    earlier.mkdir(parents=True)
    (earlier / "kept.txt").write_text("earlier results\n")
    scenario = tmp_path / "named.toml"
    scenario.write_text(f'[scenario]\nextends = "ru-ua-2024"\nname = "{name}"\n', encoding="utf-8")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", str(scenario), *SMALL), "scenario.name")
    assert snapshot(tmp_path) == before


def test_a_name_set_on_the_command_line_cannot_escape_the_output_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--set", "scenario.name=../../x", "--out", tmp_path / "run"), "scenario.name")
    assert_clean_failure(pawns("run", *SMALL, "--set", 'scenario.name="../../x"'), "scenario.name")
    assert snapshot(tmp_path) == before


def test_an_earlier_output_is_replaced_and_the_command_says_so(tmp_path: Path) -> None:
    target = tmp_path / "comparison"
    command = ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", *SMALL, "--out", target]
    assert pawns(*command).code == 0
    assert pawns("report", target, "-q").code == 0  # a report inside the output does not stop its replacement
    again = pawns(*command, "--seed", "1")
    assert again.code == 0, again
    assert "replacing the earlier pawns comparison" in " ".join(again.stdout.split())
    assert (target / MANIFEST_FILE).is_file() and not (target / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comparison"]  # no lock, backup or working folder left


def test_an_earlier_output_of_another_kind_or_changed_since_is_not_replaced(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert pawns("run", *SMALL, "--out", run).code == 0
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("compare", "ru-ua-2024-no-dprk", "ru-ua-2024", *SMALL, "--out", run), "holds a pawns run")
    assert snapshot(tmp_path) == before
    with (run / "outcomes.csv").open("a") as handle:
        handle.write("an edit of my own\n")
    edited = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--out", run), "outcomes.csv", "changed since pawns wrote it")
    (run / "notes.txt").write_text("mine\n")
    assert snapshot(tmp_path) != edited
    edited = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--out", run), "notes.txt")
    assert snapshot(tmp_path) == edited


def test_two_commands_cannot_write_one_output_at_once(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with folder_output(target, "run").claim():  # another command holds the output
        assert_clean_failure(pawns("run", *SMALL, "--out", target), "another pawns command is writing it")
    assert not target.exists()
    assert pawns("run", *SMALL, "--out", target).code == 0


# --- accepted when it should be refused -----------------------------------------------------------

BASE = '[scenario]\nextends = "ru-ua-2024"\nname = "bad"\n'


@pytest.mark.parametrize("text, key", [
    ("\n[sides.RU]\nkilled_share = nan\n", "sides.RU.killed_share"),
    ("\n[sides.RU]\nkilled_share = inf\n", "sides.RU.killed_share"),
    ('\n[sides.RU]\nkilled_share = { dist = "uniform", low = 0.1, high = nan }\n', "sides.RU.killed_share"),
    ('\n[sides.RU]\nkilled_share = { dist = "uniform", low = -inf, high = 0.3 }\n', "sides.RU.killed_share"),
    ("\n[sides.RU]\npopulation_persons = 1e30\n", "sides.RU.population_persons"),
    ('\n[sides.RU]\nkilled_share = { dist = "uniform", low = 0.1, high = 0.3, mean = 0.15 }\n', "sides.RU.killed_share"),
    ('\n[sides.RU]\npopulation_persons = { dist = "lognormal", median = 1e8, sigma = 9 }\n', "sides.RU.population_persons"),
    ('horizon_days = "730"\n', "scenario.horizon_days"),
    ('\n[sides.RU]\nkilled_share = { value = "0.3" }\n', "sides.RU.killed_share"),
    ("start_date = 2024-10-01T12:00:00\n", "scenario.start_date"),
    ("start_date = 2024-10-01T00:00:00\n", "scenario.start_date"),
    ("start_date = 0001-01-01\n", "scenario.start_date"),
    ("step_days = 1e-9\n", "scenario.step_days"),
])
def test_bad_values_are_refused_by_run_and_validate(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + text, encoding="utf-8")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("validate", path), key)
    assert_clean_failure(pawns("run", path, "-n", "2", "-q", "--out", tmp_path / "out"), key)
    assert snapshot(tmp_path) == before


def test_nesting_a_thousand_levels_deep_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(BASE + "x = " + "[" * 1500 + "]" * 1500 + "\n", encoding="utf-8")
    assert_clean_failure(pawns("validate", path), "nested at most")
    path.write_text(BASE + "[a" + ".b" * 40 + "]\nc = 1\n", encoding="utf-8")
    assert_clean_failure(pawns("validate", path), "nested at most")
    assert_clean_failure(pawns("run", *SMALL, "--set", "scenario.title=" + "[" * 2000, "--out", tmp_path / "o"))


def test_a_report_refuses_a_table_changed_after_it_was_written(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert pawns("run", *SMALL, "--out", run).code == 0
    lines = (run / "outcomes.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[0] = "abc"
    lines[3] = ",".join(cells)
    (run / "outcomes.csv").write_text("\n".join(lines) + "\n")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("report", run, "-q"), "outcomes.csv", "column 'member'", "row 3", "'abc'")
    # a change that keeps the table's shape is found by its checksum
    cells[0] = "7"
    lines[3] = ",".join(cells)
    (run / "outcomes.csv").write_text("\n".join(lines) + "\n")
    assert_clean_failure(pawns("report", run, "-q"), "outcomes.csv", "changed since pawns wrote it")
    (run / "summary.json").write_text("[" * 5000)
    assert_clean_failure(pawns("report", run, "-q"), "summary.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert not (run / "report.html").exists() and not (run / "report-figures").exists()
    assert before.keys() == snapshot(tmp_path).keys()


# --- tracebacks -----------------------------------------------------------------------------------

def test_requests_beyond_memory_and_bad_seeds_are_refused_before_any_work(tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", "-n", str(10**12), "--outcomes-only", "-q", "--out", tmp_path / "big"), "memory", "TiB")
    assert_clean_failure(pawns("discover", "-n", str(10**12), "--where", "abandon_before_RU_end", "-q", "--out", tmp_path / "d"), "memory")
    for seed in (2**64, 2**63):
        assert_clean_failure(pawns("run", *SMALL, "--seed", str(seed), "--out", tmp_path / "s"), "--seed")
    assert_clean_failure(pawns("run", *SMALL, "--seed", "-1", "--out", tmp_path / "s"), "--seed")
    assert_clean_failure(pawns("history", "--seed", str(2**64)), "--seed")
    assert snapshot(tmp_path) == before


def test_operating_system_refusals_are_one_line(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a-file").write_text("x")
    before = snapshot(tmp_path)
    assert_clean_failure(pawns("run", *SMALL, "--out", tmp_path / "a-file" / "below"), "a-file is a file")
    assert_clean_failure(pawns("run", *SMALL, "--out", tmp_path / ("n" * 300)), "too long")
    assert_clean_failure(pawns("run", *SMALL, "--out", tmp_path / "a\0b"), "null byte")
    assert snapshot(tmp_path) == before
    # a read-only disk and a system folder (as under /proc), simulated for a folder of this test:
    # creating anything in it fails as the system would fail it
    for code, words in ((errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied")):
        frozen = tmp_path / f"frozen-{code}"
        frozen.mkdir()
        with monkeypatch.context() as patch:
            refuse_inside(patch, frozen, code)
            assert_clean_failure(pawns("run", *SMALL, "--out", frozen / "run"), words)
            assert_clean_failure(pawns("run", *SMALL, "--out", frozen / "new" / "run"), words)
        assert list(frozen.iterdir()) == []


def refuse_inside(monkeypatch, folder: Path, code: int) -> None:
    """Make creating files and folders inside ``folder`` fail with ``code``."""
    real_open, real_mkdir = os.open, os.mkdir

    def inside(path) -> bool:
        return str(os.fspath(path)).startswith(str(folder) + os.sep)

    def opening(path, flags, *args, **kwargs):
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    def making(path, *args, **kwargs):
        if inside(path):
            raise OSError(code, os.strerror(code), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", opening)
    monkeypatch.setattr(os, "mkdir", making)


# --- resume verifies what it stored ---------------------------------------------------------------

def damage_truncated_chunk(working: Path) -> None:
    chunk = working / CHUNKS_FOLDER / "main-000001.npz"
    chunk.write_bytes(chunk.read_bytes()[: chunk.stat().st_size // 2])


def damage_deleted_chunk(working: Path) -> None:
    (working / CHUNKS_FOLDER / "main-000000.npz").unlink()


def damage_deleted_zarr_blocks(working: Path) -> None:
    blocks = sorted((working / "results.zarr").glob("*/1.*"))
    assert len(blocks) > 10
    for block in blocks[::3]:
        block.unlink()


def damage_zarr_metadata(working: Path) -> None:
    (working / "results.zarr" / ".zmetadata").unlink()


def damage_record(working: Path) -> None:
    (working / CHUNKS_FOLDER / "main-000000.json").write_text("{")


@pytest.mark.parametrize("damage", [damage_truncated_chunk, damage_deleted_chunk, damage_deleted_zarr_blocks, damage_zarr_metadata,
                                    damage_record])
def test_resume_finds_damaged_chunks_and_redoes_them(tmp_path: Path, monkeypatch, fresh: Path, damage) -> None:
    target = interrupted_run(tmp_path, monkeypatch)
    damage(working_directory(target))
    resumed = pawns("run", *CHUNKED, "--out", target, "--resume")
    assert resumed.code == 0, resumed
    assert "will be simulated again" in resumed.stderr, resumed
    assert_same_run(target, fresh)


# --- interruptions --------------------------------------------------------------------------------

def test_a_failed_start_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "run"
    assert_clean_failure(pawns("run", *SMALL, "--scheduler", "nonsense", "--out", target), "--scheduler")
    assert list(tmp_path.iterdir()) == []

    import pawns.engine.distributed as distributed

    def unreachable(spec):
        raise distributed.SchedulerError(f"--scheduler {spec!r}: no Dask scheduler answered there")

    with monkeypatch.context() as patch:
        patch.setattr(distributed, "use_scheduler", unreachable)
        assert_clean_failure(pawns("run", *SMALL, "--scheduler", "tcp://127.0.0.1:9", "--out", target / "deeper" / "run"), "no Dask")
    assert list(tmp_path.iterdir()) == []
    assert pawns("run", *SMALL, "--out", target).code == 0


@pytest.mark.parametrize("phase", ["loading", "first chunk", "summarising"])
def test_ctrl_c_in_each_phase_stops_with_130_and_a_state_that_resumes_or_nothing(tmp_path: Path, monkeypatch, fresh: Path,
                                                                                 phase: str) -> None:
    import pawns.analysis.summary as summary
    import pawns.evidence as evidence

    target = tmp_path / "run"

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        if phase == "loading":
            patch.setattr(evidence, "load_scenario", pressed)
        elif phase == "first chunk":
            interrupt_after(patch, 0)
        else:
            patch.setattr(summary, "summarize", pressed)
        stopped = pawns("run", *CHUNKED, "--out", target)
    assert stopped.code == 130 and "Traceback" not in stopped.stderr, stopped
    assert len(stopped.stderr.strip().splitlines()) == 1, stopped
    if phase == "summarising":
        assert "--resume" in stopped.stderr and working_directory(target).is_dir()
        assert pawns("run", *CHUNKED, "--out", target, "--resume").code == 0
        assert_same_run(target, fresh)
    else:
        assert list(tmp_path.iterdir()) == [], "nothing may block the next plain run"
        assert pawns("run", *CHUNKED, "--out", target).code == 0


WATCHED_PAWNS = """
import os, runpy, signal, sys, threading, time
signal.signal(signal.SIGINT, signal.default_int_handler)
watched = sys.argv.pop(1)
def press_ctrl_c_once_it_exists():
    while not os.path.exists(watched):
        time.sleep(0.0002)
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=press_ctrl_c_once_it_exists, daemon=True).start()
runpy.run_module("pawns", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_while_results_nc_is_written_is_not_swallowed(tmp_path: Path) -> None:
    """A real SIGINT as results.nc is being written: exit 130 and a run that resumes to the uninterrupted result."""
    target = tmp_path / "run"
    args = ["run", "-n", "300", "--chunk-size", "100", "--seed", "3", "-q", "--set", "scenario.horizon_days=60", "--out", str(target)]
    watched = working_directory(target) / "results.nc.partial"
    stopped = subprocess.run([sys.executable, "-c", WATCHED_PAWNS, str(watched), *args], capture_output=True, text=True, timeout=600)
    assert stopped.returncode == 130, stopped.stderr
    assert "Exception ignored" not in stopped.stderr and "Traceback" not in stopped.stderr, stopped.stderr
    assert "--resume" in stopped.stderr and not target.exists()
    resumed = subprocess.run([sys.executable, "-m", "pawns", *args, "--resume"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    fresh = pawns(*args[:-1], str(tmp_path / "fresh"))
    assert fresh.code == 0, fresh
    assert_same_run(target, tmp_path / "fresh")


def test_ctrl_c_as_the_run_is_put_in_place_says_it_is_complete(tmp_path: Path, monkeypatch) -> None:
    import pawns.outputs.targets as outputs

    real = outputs._swap

    def swap_with_ctrl_c(finished, target):
        os.kill(os.getpid(), signal.SIGINT)
        real(finished, target)

    monkeypatch.setattr(outputs, "_swap", swap_with_ctrl_c)
    stopped = pawns("run", *SMALL, "--out", tmp_path / "run")
    assert stopped.code == 130 and "it is complete" in stopped.stderr, stopped
    manifest = read_manifest(tmp_path / "run", ("run",))
    for name in manifest["files"]:
        verify_file(tmp_path / "run", name, manifest)


def test_a_run_stopped_outside_the_sandbox_changes_nothing_else(tmp_path: Path, monkeypatch) -> None:
    """An interrupted run leaves only its resumable working folder, which says what it is."""
    (tmp_path / "other.txt").write_text("x")
    before = snapshot(tmp_path)
    target = interrupted_run(tmp_path, monkeypatch)
    working = working_directory(target)
    assert changed_outside(before, snapshot(tmp_path), working, tmp_path) == []
    assert "--resume" in (working / "README.txt").read_text()
    assert not (working / "COMPLETE").exists()
    shutil.rmtree(working)


def test_restart_discards_only_a_working_folder_pawns_made(tmp_path: Path) -> None:
    lookalike = working_directory(tmp_path / "run")
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)
    for flag in ("--restart", "--resume"):
        assert_clean_failure(pawns("run", *SMALL, "--out", tmp_path / "run", flag), "found something else")
    assert snapshot(tmp_path) == before


def test_user_data_changed_since_it_was_imported_is_refused_by_every_reader(tmp_path: Path) -> None:
    from test_data_update import NEW_CLAIM, claims_file

    data = tmp_path / "data"
    imported = pawns("data", "update", claims_file(tmp_path, [NEW_CLAIM]), "--data-dir", data)
    assert imported.code == 0, imported
    claims = next(data.rglob("imported_claims.csv"))
    claims.write_text(claims.read_text().replace("11000", "99000"))
    for command in (["data", "show"], ["evidence", "dprk_troops_in_russia"], ["run", *SMALL, "--out", tmp_path / "run"]):
        assert_clean_failure(pawns("--data-dir", data, *command), "imported_claims.csv", "changed since pawns wrote it")
    assert not (tmp_path / "run").exists()
