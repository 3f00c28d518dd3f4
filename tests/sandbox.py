"""Helpers for tests that give pawns hostile targets: a command's outcome, snapshots, special files.

Everything is made inside the test's own temporary folder; no test touches a real system path.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from pawns.cli.main import app

runner = CliRunner()
# A run small enough for many examples: 5 members, 10 days.
SMALL = ["-n", "5", "-q", "--set", "scenario.horizon_days=10"]


@dataclass
class Outcome:
    """What a command did: its exit code, its output streams, and an exception that escaped it."""

    code: int
    stdout: str
    stderr: str
    escaped: BaseException | None

    def __str__(self) -> str:
        return f"exit {self.code}\nstdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}\nescaped: {self.escaped!r}"


def pawns(*args: str) -> Outcome:
    """Run the command line in this process."""
    result = runner.invoke(app, [str(a) for a in args])
    escaped = result.exception if result.exception is not None and not isinstance(result.exception, SystemExit) else None
    return Outcome(result.exit_code, result.stdout, result.stderr, escaped)


def assert_clean_failure(outcome: Outcome, *fragments: str) -> None:
    """Exit code 2, one line on stderr starting 'error: ' that holds every fragment, no traceback."""
    assert outcome.code == 2, outcome
    assert outcome.escaped is None, outcome
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome
    assert "Traceback" not in outcome.stderr + outcome.stdout, outcome
    for fragment in fragments:
        assert fragment in lines[0], (fragment, outcome)


def assert_well_behaved(outcome: Outcome) -> None:
    """Exit 0, or a clean failure (exit 2 and one line); never a traceback."""
    assert outcome.escaped is None, outcome
    assert "Traceback" not in outcome.stderr + outcome.stdout, outcome
    assert outcome.code in (0, 2), outcome
    if outcome.code == 2:
        assert_clean_failure(outcome)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (symbolic links not followed): its type and, for files, size and digest."""
    entries: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            info = os.lstat(path)
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                entries[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                entries[key] = ("file", info.st_size, hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(info.st_mode))
            elif stat.S_ISDIR(info.st_mode):
                entries[key] = ("dir",)
            else:
                entries[key] = ("special", stat.S_IFMT(info.st_mode), info.st_rdev)
    return entries


def changed_outside(before: dict[str, tuple], after: dict[str, tuple], allowed: Path, root: Path) -> list[str]:
    """Entries under ``root`` that changed, appeared or vanished, other than ``allowed`` and what lies in it."""
    prefix = allowed.relative_to(root).as_posix() if allowed.is_relative_to(root) else None

    def outside(key: str) -> bool:
        return prefix is None or not (key == prefix or key.startswith(prefix + "/"))

    keys = set(before) | set(after)
    return sorted(k for k in keys if outside(k) and before.get(k) != after.get(k))


def make_device(path: Path) -> str:
    """A character device like the null device at ``path`` if this machine lets the test make one, else a FIFO.

    Returns which was made (``"device"`` or ``"fifo"``).
    """
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return "device"
    except (PermissionError, OSError):
        os.mkfifo(path)
        return "fifo"


def finished_outputs(root: Path) -> list[Path]:
    """Folders under ``root`` that look like finished pawns outputs (hold ``COMPLETE``)."""
    return sorted(path.parent for path in root.rglob("COMPLETE"))
