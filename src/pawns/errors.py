"""Errors that reach the user as a clear message, never as a traceback."""

from __future__ import annotations


class PawnsError(Exception):
    """Base class of every error pawns reports to a user (exit code 2 on the command line)."""


class ScenarioError(PawnsError):
    """A scenario file is malformed, refers to something unknown, or holds an invalid value.

    Parameters
    ----------
    file
        The scenario file (or built-in name) the problem is in.
    key
        The dotted key the problem is at (``""`` for the file as a whole).
    expected
        What was expected there, in words.
    got
        What was found, if it helps the reader.
    """

    def __init__(self, file: str, key: str, expected: str, got: object | None = None) -> None:
        self.file = str(file)
        self.key = key
        self.expected = expected
        self.got = got
        where = f"{self.file}: key '{key}'" if key else self.file
        message = f"{where}: expected {expected}"
        if got is not None:
            message += f", got {got!r}"
        super().__init__(message)


class RunDirectoryError(PawnsError):
    """A results directory is missing, incomplete or not a pawns run."""


class RunInterrupted(PawnsError):
    """A run stopped before it finished (Ctrl-C, a lost worker); what was done is kept for ``--resume``."""


class OutputError(PawnsError):
    """A target pawns will not write to, or could not write to (one line: the path and what to do)."""
