"""``pawns scenarios``, ``pawns show`` and ``pawns validate``."""

from __future__ import annotations

from pathlib import Path

import typer

from pawns.cli.common import user_errors

MIN_DETAIL_WIDTH = 50  # columns left for 'drawn from' and 'source' beside whole keys


def scenarios() -> None:
    """List the built-in scenarios with their titles."""
    _scenarios()


@user_errors
def _scenarios() -> None:
    from rich.console import Console
    from rich.table import Table

    from pawns.evidence import load_scenario
    from pawns.scenario import builtin_names

    table = Table(title="Built-in scenarios")
    table.add_column("name")
    table.add_column("start")
    table.add_column("days")
    table.add_column("title")
    for name in builtin_names():
        sc = load_scenario(name)
        table.add_row(name, str(sc.meta.start_date), str(sc.meta.horizon_days), sc.meta.title)
    Console().print(table)


def show(
    scenario: str = typer.Argument(..., help="Built-in scenario name or path to a scenario TOML file."),
    set_: list[str] = typer.Option(None, "--set", help="Override keys before showing (as in pawns run)."),
    uncertain_only: bool = typer.Option(False, "--uncertain", help="Show only parameters that vary across members."),
) -> None:
    """Print every resolved parameter with its distribution and its source."""
    _show(scenario, set_ or [], uncertain_only)


@user_errors
def _show(name: str, overrides: list[str], uncertain_only: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    sc = load_scenario(name, overrides)
    space = Layout.from_scenario(sc).space
    console = Console()
    meta = sc.meta
    console.print(f"[bold]{meta.name}[/bold] — {meta.title}\nstart {meta.start_date}, horizon {meta.horizon_days} days, step {meta.step_days} day; "
                  f"vantage {meta.vantage_date or '—'}; attacker {sc.combat.attacker}; sides {', '.join(sc.sides)}; "
                  f"contingents {', '.join(sc.contingents) or 'none'}; supporters {', '.join(sc.supporters) or 'none'}")
    calibrated = space.calibrated()
    if calibrated:
        console.print(f"{len(calibrated)} parameters are drawn jointly from the calibrated posterior {meta.posterior} "
                      f"({len(space.posterior.weights)} draws), shown as 'posterior (prior ...)' with the prior the calibration started from.")
    names = [n for n, spec in zip(space.names, space.specs) if not (uncertain_only and spec.is_fixed)]
    title = f"{len(space)} parameters ({len(space.uncertain())} uncertain)"
    rows = [(n, space.drawn_from(n), space.specs[space.index(n)].provenance()) for n in names]
    key_width = max(map(len, names), default=9)
    if console.width >= key_width + MIN_DETAIL_WIDTH:
        table = Table(title=title)
        # Keys are never cut or folded, so each can be copied whole into --set; the other columns give way.
        table.add_column("parameter", no_wrap=True, min_width=key_width)
        table.add_column("drawn from", overflow="fold")
        table.add_column("source", overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:  # too narrow for a table that keeps its keys whole: one block per parameter
        console.print(f"[bold]{title}[/bold]")
        for key, drawn, source in rows:
            console.print(key, soft_wrap=True, highlight=False)
            console.print(f"    drawn from: {drawn}\n    source: {source}", highlight=False)
    for cname, contingent in sc.contingents.items():
        for i, tranche in enumerate(contingent.tranches):
            console.print(f"tranche {cname}.{i}: {tranche.date}, {tranche.size_persons.describe()} persons, role {tranche.role}")


def validate(file: Path = typer.Argument(..., help="Scenario TOML file to check.")) -> None:
    """Check a scenario file: exit 0 and say so if it is valid, else a clear error and exit 2."""
    _validate(file)


@user_errors
def _validate(file: Path) -> None:
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    sc = load_scenario(str(file))
    space = Layout.from_scenario(sc).space
    typer.echo(f"{file}: valid scenario '{sc.meta.name}' ({len(space)} parameters, {len(space.uncertain())} uncertain)")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("scenarios")(scenarios)
    app.command("show")(show)
    app.command("validate")(validate)
