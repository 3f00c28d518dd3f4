"""Ctrl-C held off while an output is put in place, so a target is never half replaced."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

_held: list[list[int]] = []


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C off inside the block; one pressed meanwhile is raised when the block ends.

    Only in the main thread, and only when Ctrl-C is not ignored already (a shell starting a
    command in the background hands it SIGINT ignored). :func:`raise_if_interrupted` lets a
    long block stop early at a point where stopping is safe.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        yield
        return
    pressed: list[int] = []
    _held.append(pressed)
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _held.remove(pressed)
    if pressed:
        raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Inside :func:`interrupts_held`: raise ``KeyboardInterrupt`` now if Ctrl-C was pressed."""
    if _held and _held[-1]:
        _held[-1].clear()
        raise KeyboardInterrupt

