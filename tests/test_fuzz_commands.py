"""A fuzzing harness over every command: hostile inputs and targets cost nothing that is not pawns' own.

Hypothesis draws hostile scenario files, ``--set`` and ``--where`` strings, output targets
(folders with files, files, symbolic links, pipes and devices made in the example's own
folder, the working and home directories) and damaged run folders. For every command and
example:

* the exit code is 0 or 2, with no traceback; an error is one line;
* nothing in the example's folder changed but the command's intended output (a snapshot
  before and after, symbolic links not followed, the folders they point to included);
* no partial output looks complete: every folder holding ``COMPLETE`` verifies against its
  manifest.

A new command that writes should be added to ``WRITERS``. Examples are few and runs small (a
handful of members, a few days) to keep the suite fast; set ``PAWNS_FUZZ_EXAMPLES`` to draw
more locally.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import tempfile
import tomllib
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import matplotlib.font_manager  # noqa: F401  (its font cache is settled before an example moves HOME)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pawns.engine.store import working_directory
from pawns.outputs import MANIFEST_FILE, read_manifest, verify_file
from sandbox import assert_well_behaved, changed_outside, finished_outputs, make_device, pawns, snapshot

EXAMPLES = int(os.environ.get("PAWNS_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int):
    """Hypothesis settings for a harness test: ``examples`` draws (more with PAWNS_FUZZ_EXAMPLES), reproducible."""
    return settings(max_examples=max(examples, EXAMPLES), deadline=None, derandomize=EXAMPLES == 0, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


SHORT = ["--set", "scenario.horizon_days=5"]
# Each command that writes, with small settings and where its output goes.
WRITERS: dict[str, list[str]] = {
    "run": ["run", "-n", "3", "-q", "--answers", "core", *SHORT],
    "compare": ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", "-n", "3", "-q", *SHORT],
    "sensitivity": ["sensitivity", "--samples", "2", "--vary", "supporters.*", "-y", "UA_end_day", "-q", *SHORT],
    "discover": ["discover", "-n", "20", "--where", "RU_tolerance_end > 0.55", "-q", *SHORT],
    "calibrate": ["calibrate", "ru-ua-2023", "--until", "2023-02-01", "-n", "10", "--generations", "1", "-q"],
    "backtest": ["backtest", "ru-ua-2023", "--cutoff", "2023-03-01", "--horizon", "10", "-n", "10", "--generations", "1", "-q"],
}


# --- the example's folder ------------------------------------------------------------------------

@contextmanager
def example_folder(tmp_path: Path) -> Iterator[Path]:
    """A fresh folder for one example, the working and home directory while it runs.

    It holds ``work/`` (the working directory, where default outputs go), ``home/`` and
    ``outside/`` (what symbolic links point to).
    """
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    for name in ("work", "home", "outside"):
        (root / name).mkdir()
    (root / "outside" / "precious.txt").write_text("not pawns'\n")
    cwd, home = os.getcwd(), os.environ.get("HOME")
    os.chdir(root / "work")
    os.environ["HOME"] = str(root / "home")
    try:
        yield root
    finally:
        os.chdir(cwd)
        if home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = home
        shutil.rmtree(root, ignore_errors=True)


def check_command(root: Path, args: list[str], allowed: list[Path]) -> Any:
    """Run a command in ``root`` and check the harness's invariants; its outcome."""
    before = snapshot(root)
    earlier = set(finished_outputs(root))
    outcome = pawns(*args)
    assert_well_behaved(outcome)
    after = snapshot(root)
    changed = [key for key in changed_outside(before, after, allowed[0], root)
               if not any(_inside(root / key, path) for path in allowed[1:])]
    assert changed == [], (changed, outcome)
    if outcome.code != 0:
        assert after == before, outcome  # a refused or failed command changes nothing at all
    for folder in set(finished_outputs(root)) - earlier:
        assert_verifies(folder)
    return outcome


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def assert_verifies(folder: Path) -> None:
    """A folder that looks finished is whole: its manifest lists every file, each unchanged."""
    manifest = read_manifest(folder)
    for name in manifest["files"]:
        verify_file(folder, name, manifest)


# --- hostile scenario files -----------------------------------------------------------------------

def _leaf_keys(node: Any, prefix: str = "") -> list[str]:
    keys = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            keys.append(path)
            keys += _leaf_keys(value, path)
    return keys


BUILT_IN = tomllib.loads((resources.files("pawns") / "scenarios" / "ru-ua-2024.toml").read_text(encoding="utf-8"))
KNOWN_KEYS = sorted(set(_leaf_keys(BUILT_IN)))
HOSTILE_FLOATS = st.one_of(st.sampled_from([math.nan, math.inf, -math.inf, 1e30, -1e30, -1.0, 0.0, 5e-324, 1e308]),
                           st.floats(allow_nan=True, allow_infinity=True))
HOSTILE_INTS = st.one_of(st.sampled_from([0, -1, 2**63, 2**64, 10**30]), st.integers(min_value=-(2**70), max_value=2**70))
HOSTILE_TEXT = st.one_of(st.sampled_from(["730", "", ".", "..", "../x", "/abs/dir", "nan", "a\x00b", "x" * 300, "ledger"]),
                         st.text(max_size=12))
SCALARS = st.one_of(HOSTILE_FLOATS, HOSTILE_INTS, HOSTILE_TEXT, st.booleans(),
                    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(), st.times())
SHAPES = ("value", "low", "high", "mode", "mean", "sd", "median", "sigma", "alpha", "beta")
DISTRIBUTIONS = st.fixed_dictionaries(
    {"dist": st.sampled_from(["fixed", "uniform", "triangular", "truncnormal", "lognormal", "beta", "ledger", "bogus"])},
    optional={**{name: HOSTILE_FLOATS for name in SHAPES}, "source": HOSTILE_TEXT, "evidence": HOSTILE_TEXT,
              "assumption": HOSTILE_TEXT, "unknown": SCALARS})
VALUES = st.recursive(st.one_of(SCALARS, DISTRIBUTIONS),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3), max_leaves=6)
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(KNOWN_KEYS).map(lambda key: key + "s"),
                 st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4).map(".".join))


def toml_key(key: str) -> str:
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part) for part in key.split("."))


def toml_value(value: Any) -> str:
    """A value as TOML (hostile ones included: nan, inf, datetimes, control characters)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{toml_key(str(k)) if str(k) else json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"


SCENARIO_TEXTS = st.one_of(
    st.dictionaries(KEYS, VALUES, min_size=1, max_size=4).map(
        lambda changes: 'scenario.extends = "ru-ua-2024"\nscenario.name = "fuzz"\n'
                        + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in changes.items())),
    st.binary(max_size=200).map(lambda data: data.decode("latin-1")),
    st.integers(min_value=1, max_value=3000).map(lambda depth: 'scenario.name = "x"\nv = ' + "[" * depth + "]" * depth + "\n"),
)


@fuzz(30)
@given(text=SCENARIO_TEXTS, command=st.sampled_from(["validate", "show", "run", "run"]))
def test_hostile_scenario_files(tmp_path: Path, text: str, command: str) -> None:
    with example_folder(tmp_path) as root:
        scenario = root / "work" / "hostile.toml"
        scenario.write_text(text, encoding="utf-8", errors="surrogateescape")
        out = root / "work" / "out"
        args = {"validate": ["validate", scenario], "show": ["show", scenario],
                "run": ["run", scenario, "-n", "2", "-q", *SHORT, "--out", out]}[command]
        check_command(root, args, [out])


# --- hostile --set and --where strings --------------------------------------------------------------

SET_STRINGS = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}={toml_value(kv[1])}"),
    st.tuples(KEYS, st.text(max_size=20)).map(lambda kv: f"{kv[0]}={kv[1]}"),
    st.text(max_size=40),
)


@fuzz(30)
@given(assignment=SET_STRINGS, command=st.sampled_from(["show", "show", "run"]))
def test_hostile_set_strings(tmp_path: Path, assignment: str, command: str) -> None:
    with example_folder(tmp_path) as root:
        out = root / "work" / "out"
        args = (["show", "ru-ua-2024", "--set", assignment] if command == "show"
                else ["run", "-n", "2", "-q", "--set", assignment, *SHORT, "--out", out])
        check_command(root, args, [out])


OUTCOME_NAMES = ["abandon_before_RU_end", "RU_end_day", "UA_end_day", "UA_end_cause", "DPRK_killed", "endurance_days_bought"]
ATOMS = st.one_of(st.sampled_from(OUTCOME_NAMES), HOSTILE_FLOATS.map(repr), st.sampled_from(["'materiel'", "__import__('os')",
                  "().__class__", "lambda: 0", "x.y", "f'{1}'", "[1]", "None", "True", "1/0", "'a' * 10**9"]))
OPERATORS = st.sampled_from([" < ", " <= ", " == ", " != ", " and ", " or ", " & ", " | ", " + ", " / ", " ** ", " if ", ", ", "."])
WHERE_STRINGS = st.one_of(
    st.lists(st.tuples(ATOMS, OPERATORS), min_size=1, max_size=4).map(lambda parts: "".join(a + o for a, o in parts) + "RU_end_day"),
    st.integers(min_value=1, max_value=5000).map(lambda depth: "not " * depth + "abandon_before_RU_end"),
    st.integers(min_value=1, max_value=500).map(lambda depth: "(" * depth + "UA_end_day" + ")" * depth + " > 3"),
    st.text(max_size=30),
)


@fuzz(25)
@given(where=WHERE_STRINGS)
def test_hostile_where_strings(tmp_path: Path, where: str) -> None:
    with example_folder(tmp_path) as root:
        out = root / "work" / "out"
        check_command(root, ["discover", "-n", "20", "--where", where, "-q", *SHORT, "--out", out], [out])


# --- hostile output targets -------------------------------------------------------------------------

TARGET_KINDS = ("folder with files", "file", "link to a folder", "link to a file", "dangling link", "pipe", "device",
                "below a file", "working directory", "home directory", "above the working directory", "other pawns output",
                "pawns output changed since")
FILE_NAMES = st.one_of(st.sampled_from(["COMPLETE", MANIFEST_FILE, "report.html", "outcomes.csv", ".run.lock", "thesis.txt"]),
                       st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1, max_size=12)
                       .filter(lambda name: name not in (".", "..")))
FOLDER_CONTENTS = st.dictionaries(FILE_NAMES, st.binary(max_size=64), min_size=1, max_size=4)


def make_target(root: Path, kind: str, contents: dict[str, bytes], other: Path, name: str) -> Path:
    """Put something hostile where an output is asked for; the path to give the command."""
    work, outside = root / "work", root / "outside"
    target = work / name
    if kind == "folder with files":
        target.mkdir()
        for entry, data in contents.items():
            try:
                (target / entry).write_bytes(data)
            except OSError:  # a name the file system refuses (too long in bytes)
                pass
        if not any(target.iterdir()):
            (target / "thesis.txt").write_bytes(b"thesis")
    elif kind == "file":
        target.write_bytes(b"".join(contents.values()) or b"x")
    elif kind == "link to a folder":
        target.symlink_to(outside)
    elif kind == "link to a file":
        target.symlink_to(outside / "precious.txt")
    elif kind == "dangling link":
        target.symlink_to(outside / "nothing-here")
    elif kind == "pipe":
        os.mkfifo(target)
    elif kind == "device":
        make_device(target)
    elif kind == "below a file":
        (work / "a-file").write_bytes(b"x")
        target = work / "a-file" / name
    elif kind == "working directory":
        target = Path(".")
    elif kind == "home directory":
        target = root / "home"
    elif kind == "above the working directory":
        target = Path("..")
    else:
        shutil.copytree(other, target, symlinks=True)
        if kind == "pawns output changed since":
            victim = sorted(p for p in target.iterdir() if p.is_file() and p.name not in ("COMPLETE", MANIFEST_FILE))[0]
            victim.write_bytes(victim.read_bytes() + b"\nan edit of my own\n")
    return target


@pytest.fixture(scope="module")
def other_outputs(tmp_path_factory) -> dict[str, Path]:
    """Finished outputs the tests meet: a run, a comparison and a sensitivity analysis."""
    folder = tmp_path_factory.mktemp("outputs")
    made = {}
    for name in ("run", "compare", "sensitivity"):
        args = WRITERS[name]
        made[name] = folder / name
        outcome = pawns(*args, "--out", made[name])
        assert outcome.code == 0, outcome
    return made


@fuzz(40)
@given(kind=st.sampled_from(TARGET_KINDS), writer=st.sampled_from([*WRITERS, "report", "posterior", "data update"]),
       contents=FOLDER_CONTENTS)
def test_hostile_output_targets_are_refused_and_left_as_they_are(tmp_path: Path, other_outputs: dict[str, Path], kind: str,
                                                                 writer: str, contents: dict[str, bytes]) -> None:
    # an earlier output of another kind than the writer's, or of its own kind but changed since
    if kind == "other pawns output":
        source = "sensitivity" if writer in ("run", "report", "posterior") else "run"
    else:
        source = "sensitivity" if writer == "sensitivity" else "run"
    with example_folder(tmp_path) as root:
        target = make_target(root, kind, contents, other_outputs[source], "target.html" if writer == "report" else "target")
        where = Path(os.path.abspath(target))
        if writer == "report":
            run = root / "work" / "a-run"
            shutil.copytree(other_outputs["run"], run)
            args = ["report", run, "-q", "--out", target]
            # given a folder, the page goes inside it, beside what is there: a page there that pawns did not write stays
            page = where / "report.html" if where.is_dir() else where
            if where.is_dir():
                page.write_text("<html>my own page</html>")
            allowed = [page, page.with_name(f"{page.stem}-figures")]
        elif writer == "posterior":
            args = [*WRITERS["calibrate"], "--out", root / "work" / "calibration", "--posterior-out", target]
            allowed = [where, root / "work" / "calibration"]
        elif writer == "data update":
            args = ["data", "update", new_claims(root), "--data-dir", target]
            allowed = [where]
        else:
            args = [*WRITERS[writer], "--out", target]
            allowed = [where]
        assert check_command(root, args, allowed).code == 2


def new_claims(root: Path) -> Path:
    """A claims file `pawns data update` imports (one new claim)."""
    from test_data_update import NEW_CLAIM, claims_file

    return claims_file(root / "outside", [NEW_CLAIM], name="new-claims.csv")


def test_data_update_writes_a_user_data_directory_that_verifies(tmp_path: Path) -> None:
    with example_folder(tmp_path) as root:
        target = root / "work" / "deep" / "data"
        assert check_command(root, ["data", "update", new_claims(root), "--data-dir", target], [root / "work" / "deep"]).code == 0
        assert_verifies(target)
        assert check_command(root, ["--data-dir", target, "data", "show"], [root / "nothing"]).code == 0


@pytest.mark.parametrize("writer", [*WRITERS, "report"])
def test_every_writer_writes_a_new_output_then_replaces_it_and_says_so(tmp_path: Path, other_outputs: dict[str, Path],
                                                                         writer: str) -> None:
    with example_folder(tmp_path) as root:
        target = root / "work" / "deep" / "new"
        if writer == "report":
            run = root / "work" / "a-comparison"  # fewer figures than a run's report: a faster test
            shutil.copytree(other_outputs["compare"], run)
            args = ["report", run, "-q", "--out", root / "work" / "deep" / "page.html"]
            allowed = [root / "work" / "deep"]
        else:
            args = [*WRITERS[writer], "--out", target]
            allowed = [root / "work" / "deep"]
        first = check_command(root, args, allowed)
        assert first.code == 0, first
        again = check_command(root, args, allowed)
        assert again.code == 0 and "replacing the earlier" in " ".join((again.stdout + again.stderr).split()), again
        if writer != "report":
            assert_verifies(target)
        assert sorted(p.name for p in (root / "work" / "deep").iterdir()) == (["page-figures", "page.html"] if writer == "report"
                                                                             else ["new"])


def test_history_writes_nothing(tmp_path: Path) -> None:
    with example_folder(tmp_path) as root:
        assert check_command(root, ["history", "--battles", "ardennes", "--bootstrap", "0", "--json"], [root / "nothing"]).code == 0


# --- damaged run folders ------------------------------------------------------------------------------

DAMAGES = st.sampled_from(["delete", "truncate", "flip", "append", "folder", "link", "text cell", "empty"])


def damage(folder: Path, name: str, how: str, where: float) -> None:
    path = folder / name
    if how == "delete":
        path.unlink()
    elif how == "truncate":
        path.write_bytes(path.read_bytes()[: int(where * path.stat().st_size)])
    elif how == "flip":
        data = bytearray(path.read_bytes())
        if data:
            data[min(int(where * len(data)), len(data) - 1)] ^= 0x5A
        path.write_bytes(bytes(data))
    elif how == "append":
        with path.open("ab") as handle:
            handle.write(b"\n1,2,3\n")
    elif how == "folder":
        path.unlink()
        path.mkdir()
    elif how == "link":
        path.unlink()
        path.symlink_to(folder.parent.parent / "outside" / "precious.txt")
    elif how == "text cell":
        lines = path.read_bytes().split(b"\n")
        row = 1 + int(where * max(len(lines) - 2, 1))
        if row < len(lines):
            cells = lines[row].split(b",")
            cells[int(where * len(cells)) % len(cells)] = b"not a number"
            lines[row] = b",".join(cells)
        path.write_bytes(b"\n".join(lines))
    else:
        path.write_bytes(b"")


@pytest.fixture(scope="module")
def finished_run(other_outputs: dict[str, Path]) -> Path:
    return other_outputs["run"]


@fuzz(25)
@given(how=DAMAGES, where=st.floats(min_value=0, max_value=1), pick=st.integers(min_value=0, max_value=100),
       command=st.sampled_from(["report", "report", "run"]))
def test_damaged_run_folders(tmp_path: Path, finished_run: Path, how: str, where: float, pick: int, command: str) -> None:
    with example_folder(tmp_path) as root:
        run = root / "work" / "run"
        shutil.copytree(finished_run, run)
        names = sorted(p.name for p in run.iterdir())
        damage(run, names[pick % len(names)], how, where)
        args = ["report", run, "-q"] if command == "report" else [*WRITERS["run"], "--out", run]
        allowed = [run / "report.html", run / "report-figures"] if command == "report" else [run]
        outcome = check_command(root, args, allowed)
        if outcome.code == 0 and command == "report":
            assert_verifies(run)  # only damage that changed nothing (a truncation at the full length) may pass


# --- damaged working folders and --resume ---------------------------------------------------------------

RESUMED = ["run", "-n", "8", "--chunk-size", "4", "--seed", "9", "-q", "--answers", "core", *SHORT]


@pytest.fixture(scope="module")
def interrupted_and_fresh(tmp_path_factory) -> tuple[Path, Path]:
    """A run's working folder stopped after some chunks, and the same run uninterrupted."""
    from pawns.engine.store import RunStore

    folder = tmp_path_factory.mktemp("resume")
    fresh = folder / "fresh"
    assert pawns(*RESUMED, "--out", fresh).code == 0
    real, stored = RunStore._store_chunk, [0]

    def store_then_stop(self, *args, **kwargs):
        if stored[0] == 5:
            raise KeyboardInterrupt
        stored[0] += 1
        return real(self, *args, **kwargs)

    RunStore._store_chunk = store_then_stop
    try:
        outcome = pawns(*RESUMED, "--out", folder / "stopped")
    finally:
        RunStore._store_chunk = real
    assert outcome.code == 130, outcome
    return working_directory(folder / "stopped"), fresh


@fuzz(8)
@given(how=DAMAGES, where=st.floats(min_value=0, max_value=1), pick=st.integers(min_value=0, max_value=1000))
def test_resume_over_damaged_working_folders(tmp_path: Path, interrupted_and_fresh: tuple[Path, Path], how: str, where: float,
                                             pick: int) -> None:
    stopped, fresh = interrupted_and_fresh
    with example_folder(tmp_path) as root:
        target = root / "work" / "run"
        working = working_directory(target)
        shutil.copytree(stopped, working, symlinks=True)
        files = sorted(p.relative_to(working).as_posix() for p in working.rglob("*") if p.is_file())
        damage(working, files[pick % len(files)], how if how != "text cell" else "flip", where)
        outcome = check_command(root, [*RESUMED, "--out", target, "--resume"], [target, working])
        if outcome.code == 0:
            # resumed: the result is the uninterrupted run's, never silently different
            for name in ("outcomes.csv", "outcomes_without.csv", "summary.json", "observables.csv"):
                assert (target / name).read_bytes() == (fresh / name).read_bytes(), (name, outcome)
            import xarray as xr

            with xr.open_dataset(target / "results.nc") as a, xr.open_dataset(fresh / "results.nc") as b:
                xr.testing.assert_identical(a.load(), b.load())


# --- hostile arguments ----------------------------------------------------------------------------------

BAD_NUMBERS = ["-1", "abc", "1e3", "", "nan", str(2**64), str(10**30), "1.5", "0x10"]
BAD_COUNTS = st.sampled_from(BAD_NUMBERS + ["0", "-0"])  # a count of nothing is as bad
BAD_SEEDS = st.sampled_from(BAD_NUMBERS + [str(2**63)])  # 0 is a seed like any other
ARGUMENTS = {
    "run": ["-n", "--seed", "--chunk-size", "--record-every"],
    "compare": ["-n", "--seed", "--chunk-size"],
    "sensitivity": ["--samples", "--seed", "--top", "--chunk-size"],
    "discover": ["-n", "--seed", "--boxes", "--chunk-size"],
    "calibrate": ["--particles", "--generations", "--seed"],
    "backtest": ["--particles", "--horizon", "--horizons", "--seed"],
    "history": ["--seed"],
}
HOSTILE_WORDS = st.one_of(HOSTILE_TEXT, st.sampled_from(BAD_NUMBERS),
                          st.sampled_from(["--nonsense", "-", "--", "--out", "--set", "--help=1", "%s", "{}"]))


@fuzz(30)
@given(command=st.sampled_from(sorted(ARGUMENTS)), data=st.data(), extra=st.lists(HOSTILE_WORDS, max_size=2))
def test_hostile_numbers_for_every_command(tmp_path: Path, command: str, data: st.DataObject, extra: list[str]) -> None:
    """A bad count, seed or size anywhere is refused before any work, in one line."""
    name = data.draw(st.sampled_from(ARGUMENTS[command]))
    value = data.draw(BAD_SEEDS if name == "--seed" else BAD_COUNTS)
    with example_folder(tmp_path) as root:
        args = [command, *(WRITERS.get(command, [])[1:]), name, value, *extra]
        assert check_command(root, args, [root / "work" / "pawns-out"]).code == 2


@fuzz(25)
@given(command=st.sampled_from(["scenarios", "show", "validate", "evidence", "report", "history"]), words=st.lists(HOSTILE_WORDS, max_size=3))
def test_hostile_words_for_the_reading_commands(tmp_path: Path, command: str, words: list[str]) -> None:
    """Commands that only read: whatever the words, exit 0 or 2 in one line, and nothing written (a report's page aside)."""
    with example_folder(tmp_path) as root:
        check_command(root, [command, *words], [root / "work" / "report.html", root / "work" / "report-figures"])
