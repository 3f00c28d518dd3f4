"""``pawns report``: a results directory as one self-contained HTML page with PNG figures."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pawns.cli.common import progress_bar, show_progress, user_errors
from pawns.cli.options import QuietOption


def report(
    run_dir: Path = typer.Argument(..., help="Results directory written by `pawns run` or `pawns compare`."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML file to write (default: RUN_DIR/report.html); figures go to NAME-figures/ beside it. An existing page is replaced only if pawns wrote it."),
    explore: Optional[List[Path]] = typer.Option(None, "--explore", help="Output directory of `pawns sensitivity` or `pawns discover` whose charts the report adds (repeatable)."),
    backtest: Optional[List[Path]] = typer.Option(None, "--backtest", help="Output directory of `pawns backtest` whose chart the report adds, with its verdicts (repeatable)."),
    quiet: bool = QuietOption,
) -> None:
    """Write a report a reader understands without pawns: one HTML file that works offline.

    The page answers Q1–Q4 in plain sentences with 90% intervals, then shows the figures (fan
    charts of forces, casualties, tolerance, support, bonuses and territory with observed series
    where they overlap; distributions of endurance and abandonment dates, the race, days bought,
    labor against combat and the contingent's ledger), then every parameter with its
    distribution and source, and how to reproduce the run. Figures are embedded in the page
    and also saved as PNG files beside it. With `--explore DIR`, the charts of `pawns
    sensitivity` and `pawns discover` (Q5: which assumptions drive the answers, and where each
    outcome occurs) are added after the run's own figures. With `--backtest DIR`, the chart of
    `pawns backtest` is added, its caption saying whether the back-test goal is met and where the
    model loses to a naive baseline.

    A run made with `--outcomes-only` kept no trajectories: its report draws casualties (against
    the General Staff's claims too) and territory from the run's quantile sketches, says so, and
    leaves out the fan charts that need every member's series (by formation, tolerance,
    support, bonuses).
    """
    write_report(run_dir, out, quiet, explore=explore or [], backtests=backtest or [])


@user_errors
def write_report(run_dir: Path, out: Path | None, quiet: bool, *, to_stderr: bool = False, explore: list[Path] = (),
                 backtests: list[Path] = ()) -> Path:
    """Build the report with a progress bar and say where it went. Returns the page's path.

    ``to_stderr`` keeps standard output clean for commands that print JSON there.
    """
    from pawns.report.build import figure_folder, figure_makers, report_outputs, report_path, write_report_of
    from pawns.report.rundir import has_trajectories, load_run, read_summary

    from pawns.report.backtest import backtest_figure
    from pawns.report.explore import exploration_figures

    page = report_path(run_dir, out)
    _summary, kind, _version = read_summary(run_dir)  # cheap: a bad directory is refused before any work
    targets = report_outputs(page)  # and a page or folder pawns will not replace
    extra = [figure for directory in explore for figure in exploration_figures(directory)]
    extra += [backtest_figure(directory) for directory in backtests]
    # One step for reading the results (the slow part on large runs), one per figure.
    makers = figure_makers(kind, trajectories=has_trajectories(run_dir))
    with progress_bar("drawing the report", 1 + len(makers), show_progress(quiet)) as advance:
        run = load_run(run_dir)
        advance(1)
        result = write_report_of(run, page, progress=advance, extra_figures=extra, targets=targets)
    typer.echo(f"Report written to {result.page}{targets[0].replaced_note()} ({len(result.figures)} figures, also as PNG files in "
               f"{figure_folder(result.page)}/)", err=to_stderr)
    return result.page


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("report")(report)
