"""Shared command-line plumbing: error handling, progress bars, number formatting."""

from __future__ import annotations

import functools
import sys
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Callable, Iterator

import typer

from pawns.errors import PawnsError, RunInterrupted

EXIT_USER_ERROR = 2


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`PawnsError` and the operating system's errors into one clear line on stderr and exit code 2.

    Ctrl-C is exit code 130, with a line saying what was kept. No traceback reaches the user
    for anything they asked or anything their machine refused (a read-only disk, a full disk,
    a name too long).
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RunInterrupted as exc:
            typer.echo(f"stopped: {one_line(exc)}", err=True)
            raise typer.Exit(130) from None
        except PawnsError as exc:
            typer.echo(f"error: {one_line(exc)}", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except OSError as exc:
            typer.echo(f"error: {os_error_line(exc)}", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except (MemoryError, RecursionError) as exc:
            what = "more memory than this machine has" if isinstance(exc, MemoryError) else "input nested too deeply"
            typer.echo(f"error: the command needed {what}; nothing was written", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: nothing was written (run the same command again to redo it)", err=True)
            raise typer.Exit(130) from None

    return wrapper


def one_line(exc: BaseException) -> str:
    """An error's message on one line."""
    return " ".join(str(exc).split())


def os_error_line(exc: OSError) -> str:
    """An operating-system error as one line: the file, then what the system said."""
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.filename2:
        where = f"{exc.filename} -> {exc.filename2}: "
    return where + (exc.strerror or one_line(exc)) + "; nothing was written there"


def require_run_memory(runs: int, scenario: Any, chunk_size: int, request: str, advice: str) -> None:
    """Refuse, before any work, ``runs`` member runs of ``scenario`` that this machine cannot hold."""
    from pawns.engine.store import ensemble_memory
    from pawns.limits import require_memory

    require_memory(ensemble_memory(runs, 1, scenario, chunk_size), request, advice)


def data_dir_in_use(folder: Path | None) -> AbstractContextManager:
    """Read user data from ``folder`` inside the ``with`` block (no change when it is ``None``)."""
    from pawns.user_data import using_data_dir

    return using_data_dir(folder) if folder is not None else nullcontext()


def show_progress(quiet: bool) -> bool:
    """Progress bars only for a person watching a terminal."""
    return not quiet and sys.stderr.isatty()


class Bar:
    """What a progress bar gives the code it watches: ``bar(steps)`` advances it, ``bar.note(text)`` prints a line above it."""

    def __init__(self, advance: Callable[[int], None], note: Callable[[str], None]) -> None:
        self._advance = advance
        self.note = note

    def __call__(self, steps: int) -> None:
        self._advance(steps)


@contextmanager
def progress_bar(description: str, total: int, enabled: bool) -> Iterator[Bar]:
    """A rich progress bar counting member-days (a no-op when disabled: no bar, no notes)."""
    if not enabled:
        yield Bar(lambda steps: None, lambda text: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from pawns.engine.compiling import reporting_with

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)

        @contextmanager
        def compiling_line(message: str) -> Iterator[None]:
            # A line of its own, with its elapsed time, while the bar waits for the compiled model.
            line = progress.add_task(message, total=None)
            try:
                yield
            finally:
                progress.remove_task(line)

        with reporting_with(compiling_line):
            yield Bar(lambda steps: progress.advance(task, steps), progress.console.print)


@contextmanager
def status(message: str, enabled: bool) -> Iterator[None]:
    """A spinner with ``message`` on stderr while a step without countable progress runs."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def fmt(value: float | None, digits: int = 0) -> str:
    """Format a number with thousands separators ('—' for missing)."""
    if value is None:
        return "—"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"
