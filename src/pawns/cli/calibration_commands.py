"""``pawns calibrate`` and ``pawns backtest``."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Optional

import typer

from pawns.cli.common import progress_bar, show_progress, user_errors
from pawns.cli.options import ChunkOption, Overrides, QuietOption, SchedulerOption, SeedOption, SetOption
from pawns.errors import PawnsError
from pawns.limits import check_seed
from pawns.outputs import file_output, folder_output

DEFAULT_OUT = Path("pawns-out")
ParticlesOption = typer.Option(1000, "--particles", "-n", min=10, help="Particles: model runs per generation of the sampler.")
MAX_GENERATIONS = 1000  # tempering reaches temperature 1 in tens of generations; more is a typo
GenerationsOption = typer.Option(15, "--generations", min=1, max=MAX_GENERATIONS,
                                 help="Most tempering generations (each one batch of model runs).")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PawnsError(f"{option} expects an ISO date such as 2024-09-30, got {text!r}") from None


def calibrate(
    scenario: str = typer.Argument(..., help="Built-in scenario name or path to a scenario TOML file (e.g. ru-ua-2023)."),
    until: str = typer.Option(..., "--until", help="Last day of observed data used (ISO date)."),
    particles: int = ParticlesOption,
    generations: int = GenerationsOption,
    seed: int = SeedOption,
    set_: Overrides = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Calibration directory (default: ./pawns-out/calibrate-SCENARIO); an existing one is replaced only if it is an earlier pawns calibration."),
    posterior_out: Optional[Path] = typer.Option(None, "--posterior-out", help="Also write the posterior file here (for `posterior = \"FILE\"` in a scenario); an existing file is replaced only if it is a posterior file."),
    chunk_size: int = ChunkOption,
    scheduler: Optional[str] = SchedulerOption,
    quiet: bool = QuietOption,
) -> None:
    """Calibrate a scenario's uncertain parameters to the observed series up to a date.

    Sequential Monte Carlo with likelihood tempering on the vectorized engine: the General Staff's
    claims and the controlled area (30-day changes), the named dead (a lower bound on deaths) and
    dated DPRK claims inside the window. Writes posterior.csv (the parameters the scenario's
    [calibration] transfer list names, with weights), particles.csv, parameters.csv (prior vs
    posterior), predictive.csv (prior and posterior predictive checks), generations.csv (ESS,
    acceptance) and calibration.json. Warnings say when the result should not be trusted.
    """
    _calibrate(scenario, until, particles, generations, seed, set_ or [], out, posterior_out, quiet, chunk_size, scheduler)


@user_errors
def _calibrate(name: str, until_text: str, particles: int, generations: int, seed: int, overrides: list[str],
               out: Path | None, posterior_out: Path | None, quiet: bool, chunk_size: int = 2000, scheduler: str | None = None) -> None:
    import warnings

    from rich.console import Console

    from pawns.calibration.posterior import is_posterior_file
    from pawns.calibration.run import calibrate as run_calibration, write_calibration
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    until = _date(until_text, "--until")
    scenario = load_scenario(name, overrides)
    output = folder_output(out if out is not None else DEFAULT_OUT / f"calibrate-{scenario.meta.name}", "calibration")
    posterior = file_output(posterior_out, "posterior", is_posterior_file) if posterior_out is not None else None
    _require_memory(scenario, until, particles)
    steps = (until - scenario.meta.start_date).days * int(round(1 / scenario.meta.step_days))
    total = (3 * generations + 3) * particles * max(steps, 1)  # an upper bound: up to 3 moves a generation
    with output.claim(), (posterior.claim() if posterior is not None else nullcontext()):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with use_scheduler(scheduler) as evaluator, \
                    progress_bar(f"calibrating {scenario.meta.name} to {until}", total, show_progress(quiet)) as advance:
                result = run_calibration(scenario, until, particles=particles, seed=seed, generations=generations, progress=advance,
                                         chunk_size=chunk_size, evaluator=evaluator)
        write_calibration(output, result, posterior)
    console = Console()
    _print_calibration(result, console)
    _print_warnings(caught)
    written = f"Calibration written to {output.path}/{output.replaced_note()}"
    console.print(written + (f"; posterior to {posterior.path}{posterior.replaced_note()}" if posterior is not None else ""))


def _require_memory(scenario, until: dt.date, particles: int) -> None:
    """Refuse, before any work, particles x days this machine cannot hold (each generation runs every particle to ``until``)."""
    from pawns.engine.store import ensemble_memory
    from pawns.limits import require_memory

    days = max((until - scenario.meta.start_date).days, 1)
    require_memory(ensemble_memory(particles, 1, scenario, particles, days=days), f"{particles:,} particles x {days:,} days",
                   "use fewer --particles")


def _print_calibration(result: object, console: object) -> None:
    from rich.table import Table

    last = result.generations[-1]  # type: ignore[attr-defined]
    console.print(f"{len(result.generations)} generations, final temperature {last.temperature:.2f}, "  # type: ignore[attr-defined]
                  f"final ESS {last.ess:.0f}, {last.unique} distinct particles, last acceptance {last.acceptance:.0%}")
    table = Table(title="Prior -> posterior (median [90% interval]), most narrowed first")
    for column in ("parameter", "prior", "posterior", "width ratio"):
        table.add_column(column)
    frame = result.parameters.sort_values("interval_ratio").head(15)  # type: ignore[attr-defined]
    for row in frame.itertuples():
        table.add_row(row.parameter, f"{row.prior_q50:.4g} [{row.prior_q05:.4g}, {row.prior_q95:.4g}]",
                      f"{row.posterior_q50:.4g} [{row.posterior_q05:.4g}, {row.posterior_q95:.4g}]", f"{row.interval_ratio:.2f}")
    console.print(table)  # type: ignore[attr-defined]
    checks = Table(title="Predictive checks: share of observations inside the 90% interval; rank of the observed total")
    for column in ("ensemble", "stream", "observations", "coverage 90%", "rank of total"):
        checks.add_column(column)
    for row in result.predictive.itertuples():  # type: ignore[attr-defined]
        coverage = "—" if row.coverage90 != row.coverage90 else f"{row.coverage90:.0%}"
        checks.add_row(row.ensemble, row.stream, str(row.observations), coverage, f"{row.total_rank:.2f}")
    console.print(checks)  # type: ignore[attr-defined]


def _print_warnings(caught: list) -> None:
    seen = set()
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, UserWarning) and text not in seen:
            seen.add(text)
            typer.echo(f"warning: {text}", err=True)


def backtest(
    scenario: str = typer.Argument(..., help="Built-in scenario name or path to a scenario TOML file (e.g. ru-ua-2023)."),
    cutoff: Optional[str] = typer.Option(None, "--cutoff", help="Last day of data the calibration may use (ISO date); not needed with --rolling."),
    horizon: int = typer.Option(90, "--horizon", min=1, max=36500, help="Days forecast after the cut-off (at most 100 years, as a scenario's horizon)."),
    rolling: bool = typer.Option(False, "--rolling", help="Several cut-offs: a year after the start, then every horizon, while data remain."),
    particles: int = typer.Option(500, "--particles", "-n", min=10, help="Particles: model runs per generation of the sampler."),
    generations: int = GenerationsOption,
    seed: int = SeedOption,
    set_: Overrides = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Back-test directory (default: ./pawns-out/backtest-SCENARIO); an existing one is replaced only if it is an earlier pawns back-test."),
    chunk_size: int = ChunkOption,
    scheduler: Optional[str] = SchedulerOption,
    quiet: bool = QuietOption,
) -> None:
    """Calibrate on data before a cut-off, forecast after it, and score against what was observed.

    Scores the change since the cut-off of the General Staff's claims and of the Russian-controlled
    area: CRPS, coverage of the 50% and 90% intervals and the error of the median, beside two naive
    baselines (the last 90 days' daily rate held constant; a linear trend in the daily rate over the
    last year). Writes scores.csv, skill.csv (averages and the model's CRPS skill over each
    baseline), forecasts.csv, figure.png and backtest.json.
    """
    _backtest(scenario, cutoff, horizon, rolling, particles, generations, seed, set_ or [], out, quiet, chunk_size, scheduler)


@user_errors
def _backtest(name: str, cutoff_text: str | None, horizon: int, rolling: bool, particles: int, generations: int, seed: int,
              overrides: list[str], out: Path | None, quiet: bool, chunk_size: int = 2000, scheduler: str | None = None) -> None:
    import json
    import warnings

    from rich.console import Console
    from rich.table import Table

    from pawns.backtest.figure import backtest_figure
    from pawns.backtest.run import backtest as run_backtest, forecasts_frame, rolling_cutoffs, skill_summary
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    if rolling == (cutoff_text is not None):
        raise PawnsError("give either --cutoff DATE or --rolling")
    scenario = load_scenario(name, overrides)
    cutoffs = rolling_cutoffs(scenario, horizon) if rolling else [_date(cutoff_text, "--cutoff")]  # type: ignore[arg-type]
    if not cutoffs:
        raise PawnsError(f"no cut-off fits: a year after {scenario.meta.start_date} plus {horizon} days runs past the data")
    output = folder_output(out if out is not None else DEFAULT_OUT / f"backtest-{scenario.meta.name}", "backtest")
    _require_memory(scenario, max(cutoffs) + dt.timedelta(days=horizon), particles)
    steps = sum((c - scenario.meta.start_date).days for c in cutoffs)
    total = (3 * generations + 3) * particles * max(steps, 1)  # an upper bound: up to 3 moves a generation
    results = []
    with output.claim():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with use_scheduler(scheduler) as evaluator, \
                    progress_bar(f"back-testing {scenario.meta.name} at {len(cutoffs)} cut-off(s)", total, show_progress(quiet)) as advance:
                for cutoff in cutoffs:
                    results.append(run_backtest(scenario, cutoff, horizon, particles=particles, seed=seed, generations=generations,
                                                progress=advance, chunk_size=chunk_size, evaluator=evaluator))
        import pandas as pd

        scores = pd.concat([r.table for r in results], ignore_index=True)
        skill = skill_summary(scores)
        info = {"scenario": scenario.meta.name, "cutoffs": [str(c) for c in cutoffs], "horizon_days": horizon, "seed": seed,
                "particles": particles, "skill": skill.to_dict(orient="records"),
                "warnings": sorted({m for r in results for m in r.warnings})}
        output.write_files({
            "scores.csv": scores.to_csv(index=False, float_format="%.6g"),
            "skill.csv": skill.to_csv(index=False, float_format="%.6g"),
            "forecasts.csv": forecasts_frame(results).to_csv(index=False, float_format="%.6g"),
            "backtest.json": json.dumps(info, indent=2, default=float) + "\n",
            "figure.png": backtest_figure(results),
        })
    console = Console()
    table = Table(title=f"Back-test of {scenario.meta.name}, {horizon}-day horizon, {len(cutoffs)} cut-off(s) (mean over cut-offs)")
    for column in ("stream", "method", "CRPS", "50% cov.", "90% cov.", "|median error|", "model skill"):
        table.add_column(column)
    for row in skill.itertuples():
        def pct(x: float) -> str:
            return "—" if x != x else f"{x:.0%}"
        table.add_row(row.stream, row.method, f"{row.crps:,.0f}", pct(row.coverage50), pct(row.coverage90),
                      f"{row.median_abs_error:,.0f}", "—" if row.model_skill != row.model_skill else f"{row.model_skill:+.2f}")
    console.print(table)
    _print_warnings(caught)
    console.print(f"Back-test written to {output.path}/{output.replaced_note()}")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("calibrate")(calibrate)
    app.command("backtest")(backtest)
