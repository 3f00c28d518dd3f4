"""The ``pawns`` command line.

Each command lives in its own module and imports heavy libraries only when it runs, so
``pawns --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from pawns import __version__
from pawns.cli import (
    calibration_commands,
    dashboard_commands,
    data_commands,
    evidence_commands,
    explore_commands,
    history_commands,
    report_commands,
    run_commands,
    scenario_commands,
    warmup_command,
)
from pawns.cli.common import data_dir_in_use
from pawns.cli.options import DataDirOption

class OneLineErrors(TyperGroup):
    """The command group, with a usage error (an unknown option, a bad value) as one line on stderr, exit code 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        except Exception as exc:
            # typer carries its own copy of click: its usage errors are known by their parts
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":  # `pawns` alone: the manual, as click decides
                typer.echo(exc.format_message())
                sys.exit(exc.exit_code)
            context = getattr(exc, "ctx", None)
            where = f"{context.command_path}: " if context is not None else ""
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            typer.echo(f"error: {where}{' '.join(exc.format_message().split())}{hint}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) and not isinstance(code, bool) else 0)


app = typer.Typer(
    name="pawns",
    cls=OneLineErrors,
    help=(
        "pawns models a war of attrition and the foreign troops that feed it.\n\n"
        "It answers, with numbers and 90% intervals: how many days of endurance a foreign contingent "
        "buys its host (Q1); whether labor or combat buys more, at what cost in lives (Q2); how likely "
        "supporters are to abandon their recipient first (Q3); and how much of the casualty burden shifts "
        "to foreigners and what their country gets back (Q4).\n\n"
        "Start with `pawns run` (the built-in default scenario), `pawns scenarios` (what is built in) and "
        "`pawns show ru-ua-2024` (every parameter with its source). The equations are in docs/model.md. "
        "`pawns data update` brings the observed series and the claims up to date from files you download."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pawns {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """pawns: days, probabilities and sources for a war of attrition."""
    ctx.with_resource(data_dir_in_use(data_dir))


# Registration order is the order of the manual: run and read results first, then inputs,
# then calibration and exploration.
run_commands.register(app)
report_commands.register(app)
scenario_commands.register(app)
evidence_commands.register(app)
data_commands.register(app)
calibration_commands.register(app)
history_commands.register(app)
explore_commands.register(app)
warmup_command.register(app)
dashboard_commands.register(app)
