"""``pawns warmup``: compile the model for this machine before it is needed."""

from __future__ import annotations

import typer

from pawns.cli.common import show_progress, user_errors
from pawns.cli.options import QuietOption


def warmup(quiet: bool = QuietOption) -> None:
    """Compile the model for this machine now, so that large runs start at once.

    The compiled engine (numba) takes about a minute to compile on 2 cores, once per version of
    pawns on a machine; every checkout, the tests and Dask workers then load it from one cache
    folder (the user cache directory, or NUMBA_CACHE_DIR where set). Until it is compiled, runs
    of up to about 20 million member-days start with the numpy engine, which gives the same
    numbers to the last bit, while pawns run and pawns compare compile it beside them (on
    another core) and go on compiled once it is ready; larger runs wait for the compilation
    with a line that says so.

    scripts/test.sh runs it before the tests. Ctrl-C stops it; nothing is lost but the time
    spent, and the next run compiles instead. Prints where the compiled model is kept.
    """
    _warmup(quiet)


@user_errors
def _warmup(quiet: bool) -> None:
    from contextlib import nullcontext

    from pawns import compile_cache
    from pawns.engine.compiling import message, reporting_with
    from pawns.engine.warmup import is_warm, warm_up

    where = compile_cache.cache_dir()
    if is_warm():
        if not quiet:
            typer.echo(f"the model is compiled for this machine: {where}")
        return
    if show_progress(quiet):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True) as progress:
            progress.add_task(f"{message()} — Ctrl-C to leave it for later", total=None)
            with reporting_with(lambda _: nullcontext()):  # the line above already says it
                seconds = warm_up()
    else:
        seconds = warm_up()
    if not quiet:
        typer.echo(f"compiled the model in {seconds / 60:.1f} min; kept in {where}")


def register(app: typer.Typer) -> None:
    """Add the command of this module to the application."""
    app.command("warmup")(warmup)
