"""Telling a person why the model pauses while numba compiles it, and for how long so far.

The first run of a version of pawns on a machine compiles the model (about a minute on two cores);
everything later loads it from :mod:`pawns.compile_cache`. The engine says so through the
reporter the caller installed (the command line shows a line with the elapsed time beside its
progress bar); with none, a line on a terminal's stderr.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, contextmanager
from typing import Callable, Iterator

from pawns import compile_cache

Reporter = Callable[[str], AbstractContextManager[None]]

_reporters: list[Reporter] = []


@contextmanager
def reporting_with(reporter: Reporter) -> Iterator[None]:
    """Inside the ``with`` block, compilations are announced by ``reporter(message)``."""
    _reporters.append(reporter)
    try:
        yield
    finally:
        _reporters.remove(reporter)


def message() -> str:
    """Why the run pauses, and about how long (the last compilation's time on this machine, if known)."""
    seconds = compile_cache.last_compile_seconds()
    took = f"about {max(round(seconds / 60), 1)} min, as last time here" if seconds else "about a minute on 2 cores"
    return f"compiling the model for this machine (once per version of pawns; {took})"


@contextmanager
def compiling() -> Iterator[None]:
    """Announce a compilation for the duration of the ``with`` block."""
    if _reporters:
        with _reporters[-1](message()):
            yield
        return
    if sys.stderr.isatty():
        sys.stderr.write(f"pawns: {message()}\n")
    yield
