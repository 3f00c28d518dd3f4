"""``pawns history``: the model's combat law fitted to historical battles."""

from __future__ import annotations

import json
from typing import Optional

import typer

from pawns.cli.common import progress_bar, show_progress, user_errors
from pawns.cli.options import QuietOption
from pawns.errors import PawnsError

BATTLE_CHOICES = ("ardennes", "cdb90", "rubio")


def history(
    battles: str = typer.Option("ardennes", "--battles", help="Data set: ardennes (daily, 1944-45), cdb90 or rubio (many battles)."),
    bootstrap: Optional[int] = typer.Option(None, "--bootstrap", min=0, max=100_000, show_default=False,
                                            help="Resamples for 90% intervals (days for ardennes, battles otherwise; each "
                                                 "battle resample refits the law, so hundreds take minutes); 0 = normal "
                                                 "intervals from the standard errors. Default: 500 for ardennes, 0 for the battle sets."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap's resampling."),
    json_output: bool = typer.Option(False, "--json", help="Print the results as JSON instead of tables."),
    quiet: bool = QuietOption,
) -> None:
    """Fit square, linear, logarithmic and fitted-exponent forms of the combat law to history.

    The law is the model's own (C_s = k_s * F_s'^p * E_s^q, docs/model.md, M6). With --battles
    ardennes it is fitted to the daily casualties of the 1944-45 campaign (least squares on logs);
    with cdb90 or rubio it is integrated over each battle from the initial strengths and fitted to
    the total casualties by maximum likelihood. Laws are compared by AIC, BIC and likelihood-ratio
    tests against the fitted-exponent law. See docs/combat-law-history.md.
    """
    _history(battles, bootstrap, seed, json_output, quiet)


@user_errors
def _history(battles: str, bootstrap: int | None, seed: int, json_output: bool, quiet: bool) -> None:
    from rich.console import Console

    from pawns.history.data import BATTLE_SETS
    from pawns.limits import check_seed

    check_seed(seed)
    if battles not in BATTLE_CHOICES:
        raise PawnsError(f"--battles: expected one of {', '.join(BATTLE_CHOICES)}, got {battles!r}")
    console = Console()
    if battles == "ardennes":
        from pawns.history.daily import ardennes_series, compare_daily
        from pawns.history.data import load_ardennes

        result = compare_daily(ardennes_series(load_ardennes()), bootstrap=500 if bootstrap is None else bootstrap, seed=seed)
    else:
        from pawns.history.battles import Battles, compare_battle_laws
        from pawns.history.data import load_battles

        resamples = bootstrap or 0
        with progress_bar(f"{battles}: bootstrap over battles", resamples, show_progress(quiet) and resamples > 0) as advance:
            result = compare_battle_laws(Battles.from_frame(load_battles(battles)), bootstrap=resamples, seed=seed, progress=advance)
    meta = BATTLE_SETS[battles]
    from pawns.history.report import render_comparison, to_jsonable

    if json_output:
        payload = {"battles": battles, "title": meta.title, "source": meta.source, "caveat": meta.caveat, **result.to_dict()}
        typer.echo(json.dumps(to_jsonable(payload), indent=2, allow_nan=False))
        return
    render_comparison(console, meta, result)


def register(app: typer.Typer) -> None:
    """Add ``pawns history`` to the command line."""
    app.command("history")(history)
