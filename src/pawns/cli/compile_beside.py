"""``--engine`` of the commands that run plans, and the compile that runs beside them on a fresh machine."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

import typer

from pawns.cli.common import Bar, status
from pawns.errors import PawnsError

if TYPE_CHECKING:  # pragma: no cover
    from pawns.engine.warmup import BackgroundCompile

EngineOption = typer.Option("auto", "--engine", help="auto: the compiled engine; on a machine where the model is not compiled yet, "
                            "a run of up to 20 million member-days starts at once with the numpy engine while the model compiles "
                            "on another core (about a minute, once per version), then goes on compiled, and larger runs compile "
                            "first. compiled or numpy: always that one. Every engine gives the same numbers to the last bit.")


@dataclass
class RunEngine:
    """The engine a plan runs with (``None``: the plan chooses), and the compile beside it (if any)."""

    engine: str | None
    child: "BackgroundCompile | None" = None
    show: bool = False
    told_done: bool = False
    started: float = 0.0

    def compile_beside(self, say: Callable[[str], None] | None = None) -> None:
        """Start the compile beside the run (once; nothing when there is none to do), and say so with ``say`` (default: stderr)."""
        if self.child is None or self.child.process is not None:
            return
        from pawns.engine.compiling import message

        self.child.start()
        self.started = time.monotonic()
        if self.show:
            (say or _to_stderr)(f"note: {message()}, on another core; the runs go on with the numpy engine until it is done "
                                "(the same numbers)")

    def watching(self, bar: Bar) -> Bar:
        """``bar``, which also says, at the first chunk after it, that the compile beside the run has finished."""

        def advance(steps: int) -> None:
            bar(steps)
            self.tell_when_done(bar.note)

        return Bar(advance, bar.note)

    def tell_when_done(self, say: Callable[[str], None]) -> None:
        """Say once, when the child has exited, whether the runs from now on are compiled."""
        if self.child is None or self.told_done or self.child.process is None or self.child.running:
            return
        self.told_done = True
        if self.show and self.child.process.returncode == 0:
            say(f"note: the model is compiled ({time.monotonic() - self.started:.0f} s); the runs that start from now on use it")


def _to_stderr(text: str) -> None:
    typer.echo(text, err=True)


def check_engine(engine: str) -> None:
    """Refuse an ``--engine`` that names no engine (one line, as every user error)."""
    from pawns.engine.simulate import ENGINES

    if engine not in ENGINES:
        raise PawnsError(f"--engine {engine}: expected one of {', '.join(ENGINES)}")


@contextmanager
def engine_for(engine: str, member_steps: int, *, scheduler: str | None, show: bool, start_at_once: bool = True) -> Iterator[RunEngine]:
    """The engine a plan of ``member_steps`` runs with, compiling beside it where worthwhile.

    With ``auto``, where the model is not compiled and the run is one numpy answers quickly, a
    child process compiles it on another core (at once, or when the caller calls
    :meth:`RunEngine.compile_beside`: after the first answers, which then come sooner) and the
    plan's chunks choose their engine as they start, so they switch to the compiled engine once
    it is ready. When the run ends first, the command waits for the compile (Ctrl-C skips it):
    the next run starts compiled.
    """
    check_engine(engine)
    if engine != "auto":
        yield RunEngine(engine)
        return
    from pawns.engine.warmup import BackgroundCompile

    if scheduler is not None or not BackgroundCompile.worthwhile(member_steps):
        yield RunEngine(None)
        return
    chosen = RunEngine("auto", BackgroundCompile(), show)
    if start_at_once:
        chosen.compile_beside()
    try:
        yield chosen
    except BaseException:
        chosen.child.stop()
        raise
    if chosen.child.process is not None:
        _finish(chosen.child, show)


def _finish(child: "BackgroundCompile", show: bool) -> None:
    """Wait for the child after the run (Ctrl-C skips it) and say if it failed."""
    try:
        with status("finishing the compile for the next runs (Ctrl-C skips it)", show and child.running):
            succeeded = child.wait()
    except KeyboardInterrupt:
        child.stop()
        typer.echo("note: compile skipped; the next run compiles (or: pawns warmup)", err=True)
        return
    if not succeeded:
        last = child.error.strip().splitlines()[-1:] or ["no message"]
        typer.echo(f"note: the compile beside the run failed ({last[0]}); this run's results are complete (numpy engine)", err=True)
