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
    claims and the controlled area (30-day changes), the named dead (a lower bound on deaths),
    dated DPRK claims inside the window, and the war going on (each member's chance of no end of
    either side's endurance in the window). The drifts' innovations inside the window are
    calibrated with the rest. Writes posterior.csv (the parameters the scenario's [calibration]
    transfer list names, then the start parameters its start_state list carries from each
    particle's state on the last day, with weights), particles.csv, parameters.csv (prior vs
    posterior), predictive.csv (prior and posterior predictive checks), generations.csv (ESS,
    acceptance) and calibration.json. Warnings say when the result should not be trusted.

    A scenario that starts after its data names its run-up ([calibration] run_up): calibrating
    it to the day before its start calibrates the run-up, and the posterior is its start.

    Example: pawns calibrate ru-ua-2026 --until 2025-12-31 --seed 2025 --posterior-out start.csv
    """
    _calibrate(scenario, until, particles, generations, seed, set_ or [], out, posterior_out, quiet, chunk_size, scheduler)


@user_errors
def _calibrate(name: str, until_text: str, particles: int, generations: int, seed: int, overrides: list[str],
               out: Path | None, posterior_out: Path | None, quiet: bool, chunk_size: int = 2000, scheduler: str | None = None) -> None:
    import warnings

    from rich.console import Console

    from pawns.calibration.posterior import is_posterior_file
    from pawns.calibration.run import calibrate as run_calibration, calibrated_scenario, write_calibration
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    until = _date(until_text, "--until")
    named = load_scenario(name, overrides)
    scenario = calibrated_scenario(named, until)
    if scenario is not named and not quiet:
        Console(stderr=True).print(f"{named.meta.name} starts on {named.meta.start_date}: calibrating its run-up {scenario.meta.name} "
                                   f"to {until}; the posterior carries the state on that day as {named.meta.name}'s start")
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
    origins: Optional[str] = typer.Option(None, "--origins", help="Cut-offs: monthly:YYYY-MM..YYYY-MM (a forecast at the start of each month: "
                                          "cut-offs on the last day of the month before) or ISO dates separated by commas."),
    cutoff: Optional[str] = typer.Option(None, "--cutoff", help="One cut-off: the last day of data the forecast may use (ISO date); or use --origins."),
    horizons: Optional[str] = typer.Option(None, "--horizons", help="Days forecast after each cut-off, separated by commas (e.g. 30,90,180,365)."),
    horizon: Optional[int] = typer.Option(None, "--horizon", min=1, max=36500, help="One horizon in days (default 90); or use --horizons."),
    particles: int = typer.Option(500, "--particles", "-n", min=10, help="Particles: model runs per generation of the sampler, and forecast members."),
    generations: int = GenerationsOption,
    seed: int = SeedOption,
    set_: Overrides = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Back-test directory (default: ./pawns-out/backtest-SCENARIO); an existing one is replaced only if it is an earlier pawns back-test."),
    chunk_size: int = ChunkOption,
    scheduler: Optional[str] = SchedulerOption,
    quiet: bool = QuietOption,
) -> None:
    """Calibrate on the data known at each cut-off, forecast after it, and score against what was observed.

    At each cut-off the scenario takes the cut-off as its vantage date (ledger priors from claims
    published by then), is calibrated on the data as observed by then, and its posterior particles
    run from the scenario's start through the window (so each reaches the cut-off in the state its
    fit gives it) to the longest horizon. Scored at each horizon: the change of the General Staff's
    claims and of the DeepState and Liveuamap areas, the named dead as a lower bound on deaths
    (one-sided), and DPRK casualty claims when the scenario sends a contingent. Each with CRPS and
    90% interval coverage, beside three baselines: the last-90-day linear trend and a random walk
    with drift, fitted to the data known at the cut-off, and the model without filtering (the
    scenario as shipped, nothing refitted). A forecast that loses to a baseline says so next to its
    numbers. Writes scores.csv
    (every target and method), table.csv (means per stream, horizon and method, with the verdict),
    figure.png and backtest.json (settings, the goal and whether it is met, warnings).

    Example: pawns backtest ru-ua-2023 --origins monthly:2024-01..2025-12 --horizons 30,90,180,365
    """
    _backtest(scenario, origins, cutoff, horizons, horizon, particles, generations, seed, set_ or [], out, quiet, chunk_size, scheduler)


@user_errors
def _backtest(name: str, origins_text: str | None, cutoff_text: str | None, horizons_text: str | None, horizon: int | None, particles: int,
              generations: int, seed: int, overrides: list[str], out: Path | None, quiet: bool, chunk_size: int = 2000,
              scheduler: str | None = None) -> None:
    import json
    import warnings

    from rich.console import Console

    from pawns.backtest.figure import backtest_figure
    from pawns.backtest.origins import parse_horizons, parse_origins
    from pawns.backtest.run import backtest as run_backtest, member_days, scores_frame
    from pawns.backtest.table import goal, goal_sentence, label, markdown_table, summary_table
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    if (origins_text is None) == (cutoff_text is None):
        raise PawnsError("give either --origins SPEC or --cutoff DATE")
    if horizons_text is not None and horizon is not None:
        raise PawnsError("give either --horizons LIST or --horizon DAYS")
    cutoffs = parse_origins(origins_text) if origins_text is not None else [_date(cutoff_text, "--cutoff")]  # type: ignore[arg-type]
    days = parse_horizons(horizons_text) if horizons_text is not None else [horizon or 90]
    scenario = load_scenario(name, overrides)

    def as_of(cutoff: dt.date):  # the scenario as it could be written at the cut-off: claims published by then
        return load_scenario(name, [*overrides, f"scenario.vantage_date={cutoff.isoformat()}"])

    output = folder_output(out if out is not None else DEFAULT_OUT / f"backtest-{scenario.meta.name}", "backtest")
    _require_memory(scenario, max(cutoffs) + dt.timedelta(days=max(days)), particles)
    total = member_days(scenario, cutoffs, days, particles, generations)
    with output.claim():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with use_scheduler(scheduler) as evaluator, \
                    progress_bar(f"back-testing {scenario.meta.name} at {len(cutoffs)} cut-off(s)", total, show_progress(quiet)) as advance:
                results = run_backtest(as_of, cutoffs, days, particles=particles, seed=seed, generations=generations,
                                       chunk_size=chunk_size, evaluator=evaluator, progress=advance)
        scores = scores_frame(results)
        if scores.empty:
            raise PawnsError(f"no observation falls within {max(days)} days after any cut-off: nothing to score")
        table = summary_table(scores)
        verdict = goal(table)
        notes = _backtest_notes(results)
        info = {"kind": "pawns-backtest", "format_version": 1, "scenario": scenario.meta.name, "cutoffs": [str(c) for c in cutoffs], "horizons_days": days, "seed": seed,
                "particles": particles, "generations": generations, "goal": verdict, "goal_sentence": goal_sentence(verdict),
                "verdicts": [{"stream": r.stream, "label": label(r.stream), "horizon": int(r.horizon), "method": r.method, "verdict": r.verdict}
                             for r in table.itertuples() if r.verdict],
                "later_claims": {str(r.cutoff): r.later_claims for r in results if r.later_claims},
                "warnings": notes + sorted({m for r in results for m in r.warnings})}
        output.write_files({
            "scores.csv": scores.to_csv(index=False, float_format="%.6g"),
            "table.csv": table.to_csv(index=False, float_format="%.6g"),
            "table.md": markdown_table(table),
            "backtest.json": json.dumps(info, indent=2, default=float) + "\n",
            "figure.png": backtest_figure(scores, table),
        })
    console = Console()
    console.print(_backtest_table(scenario.meta.name, len(cutoffs), table))
    _print_verdicts(console, table)
    console.print(goal_sentence(verdict))
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
    _print_warnings(caught)
    console.print(f"Back-test written to {output.path}/{output.replaced_note()}")


def _backtest_notes(results: list) -> list[str]:
    """What the user must know about the honesty of the cut-offs: priors that cite later claims."""
    later = [r for r in results if r.later_claims]
    if not later:
        return []
    first = later[0]
    return [f"at {len(later)} of {len(results)} cut-offs the scenario's hand-set priors cite claims published after the cut-off "
            f"({len(first.later_claims)} parameters at {first.cutoff}, e.g. {first.later_claims[0]}); they cannot be re-derived "
            "for an earlier vantage, so those forecasts know somewhat more than their date (listed in backtest.json)"]


def _backtest_table(name: str, cutoffs: int, table: object) -> object:
    from rich.table import Table

    from pawns.backtest.table import label, wide_table

    wide = wide_table(table)
    methods = [c[:-6] for c in wide.columns if c.endswith(": CRPS")]  # type: ignore[attr-defined]
    out = Table(title=f"Back-test of {name} from {cutoffs} cut-off(s): mean CRPS / 90% interval coverage")
    for column in ["stream", "days", "n", *methods, "CRPS / best"]:
        out.add_column(column, overflow="fold")
    for row in wide.to_dict(orient="records"):  # type: ignore[attr-defined]
        cells = []
        for m in methods:
            crps, cover = row.get(f"{m}: CRPS"), row.get(f"{m}: coverage90")
            cells.append("—" if crps is None or crps != crps else f"{crps:,.0f} / " + ("—" if cover != cover else f"{cover:.0%}"))
        ratio = row["CRPS / best baseline"]
        style = "bold red" if row["verdict"].startswith("LOSES") else None
        out.add_row(label(row["stream"]), str(row["horizon"]), str(row["cutoffs"]), *cells, "" if ratio != ratio else f"{ratio:.2f}", style=style)
    return out


def _print_verdicts(console: object, table: object) -> None:
    """The candidate's verdict per stream and horizon, right under the numbers (in red where it loses)."""
    from rich.markup import escape

    from pawns.backtest.table import label

    for row in table.itertuples():  # type: ignore[attr-defined]
        if row.verdict:
            style = "bold red" if row.verdict.startswith("LOSES") else "default"
            console.print(f"[{style}]{escape(label(row.stream))}, {row.horizon} days: {escape(row.method)} {escape(row.verdict)}[/]")  # type: ignore[attr-defined]


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("calibrate")(calibrate)
    app.command("backtest")(backtest)
