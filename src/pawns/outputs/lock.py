"""A lock file beside each output, so two commands never write one output at the same time."""

from __future__ import annotations

import os
from pathlib import Path

from pawns.errors import OutputError

LOCK_SUFFIX = ".lock"
LOCK_TEXT = "pawns lock"


def os_reason(exc: OSError) -> str:
    """The operating system's words for an error, for a one-line message."""
    return exc.strerror or str(exc)


class Lock:
    """An exclusive lock on ``.NAME.lock`` beside a target, removed when released."""

    def __init__(self, target: Path) -> None:
        self.path = target.parent / f".{target.name}{LOCK_SUFFIX}"
        self.target = target
        self.handle: int | None = None

    def acquire(self) -> None:
        import fcntl

        for _ in range(10):
            try:
                handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(f"{self.target}: cannot write in {self.target.parent} ({os_reason(exc)})") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(handle)
                raise OutputError(f"{self.target}: another pawns command is writing it now (lock {self.path}); wait for it to "
                                  "finish, or give another output") from None
            try:
                same = os.fstat(handle).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its last holder removed while we opened it
                os.ftruncate(handle, 0)
                os.write(handle, f"{LOCK_TEXT} of process {os.getpid()}\n".encode())
                self.handle = handle
                return
            os.close(handle)
        raise OutputError(f"{self.target}: its lock {self.path} keeps changing; is another pawns command writing it?")

    def release(self) -> None:
        if self.handle is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.handle)
        self.handle = None
