"""Build a report from a results directory: check it, draw the figures, write the page.

Everything is computed in memory first; only then are the files written, each atomically
(figures to a temporary folder renamed into place, the page to a temporary file renamed over
the target), so a failed report leaves nothing half-written behind. Both obey the rule of
:mod:`pawns.outputs`: an existing page is replaced only if pawns wrote it (it names pawns as
its generator), an existing figure folder only if it is one pawns wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pawns.errors import RunDirectoryError
from pawns.outputs import Output, file_output, folder_output, is_pawns_page
from pawns.report import figures_outcomes, figures_series, figures_sketched, observed
from pawns.report.answers import answers, figures_table, overview
from pawns.report.assumptions import claim_links, drawn_values, parameter_rows, parameter_source, reproduction
from pawns.report.canvas import ReportFigure
from pawns.report.channels import channel_tables
from pawns.report.takes_home import takes_home_table
from pawns.report.page import PageContent, ParameterTable, render
from pawns.report.rundir import COMPARISON, RunData, load_run

REPORT_FILE = "report.html"
FigureMaker = Callable[[RunData], "ReportFigure | None"]

RUN_FIGURES: tuple[FigureMaker, ...] = (
    figures_series.front_strength,
    figures_series.sectors,
    figures_series.casualties_by_nationality,
    figures_series.casualties_by_formation,
    observed.casualties_against_claims,
    observed.named_dead_against_killed,
    figures_series.tolerance,
    figures_series.support,
    figures_series.bonus,
    figures_series.territory,
    figures_outcomes.endurance_dates,
    figures_outcomes.abandonment_dates,
    figures_outcomes.race,
    figures_outcomes.days_bought,
    figures_outcomes.labor_against_combat,
    figures_outcomes.cost_per_day,
    figures_outcomes.ledger,
)
# A run with --outcomes-only: the daily series' sketched quantiles, then the same outcome figures.
SKETCHED_RUN_FIGURES: tuple[FigureMaker, ...] = (
    figures_sketched.casualties_by_side,
    observed.casualties_against_claims,
    figures_sketched.territory,
    *RUN_FIGURES[RUN_FIGURES.index(figures_outcomes.endurance_dates):],
)
COMPARISON_FIGURES: tuple[FigureMaker, ...] = (
    figures_outcomes.days_bought,
    figures_outcomes.cost_per_day,
    figures_outcomes.endurance_dates,
    figures_outcomes.abandonment_dates,
    figures_outcomes.race,
    figures_outcomes.ledger,
)


@dataclass(frozen=True)
class Report:
    """What was written: the page and the PNG file of every figure."""

    page: Path
    figures: list[Path]


def figure_makers(kind: str, trajectories: bool = True) -> tuple[FigureMaker, ...]:
    """The figures a results directory gets, in page order.

    ``kind`` is ``"run"`` or ``"comparison"``; ``trajectories`` is False for a run made with
    ``--outcomes-only`` (see :func:`pawns.report.rundir.has_trajectories`).
    """
    if kind == COMPARISON:
        return COMPARISON_FIGURES
    return RUN_FIGURES if trajectories else SKETCHED_RUN_FIGURES


def report_path(run_dir: Path, out: Path | None) -> Path:
    """Where the page goes: ``out`` (a file, or a folder to hold report.html), else inside the run directory."""
    if out is None:
        return Path(run_dir) / REPORT_FILE
    out = Path(out)
    if out.is_dir():
        return out / REPORT_FILE
    if out.suffix.lower() not in (".html", ".htm"):
        raise RunDirectoryError(f"{out}: expected a file name ending in .html (or an existing folder) for the report")
    return out


def figure_folder(page: Path) -> Path:
    """The folder beside the page that holds its PNG figures (``report.html`` -> ``report-figures``)."""
    return page.with_name(f"{page.stem}-figures")


def report_outputs(page: Path) -> tuple[Output, Output]:
    """The page and its figure folder, checked by the output rule before anything is drawn.

    Raises
    ------
    OutputError
        When either is something pawns will not replace.
    """
    return file_output(page, "report", is_pawns_page), folder_output(figure_folder(Path(page)), "report-figures")


def build_report(run_dir: Path, out: Path | None = None, *, progress: Callable[[int], None] | None = None) -> Report:
    """Write the HTML report of a results directory and the PNG of each figure beside it.

    Parameters
    ----------
    run_dir
        A directory written by ``pawns run`` or ``pawns compare``.
    out
        The page to write (default: ``report.html`` inside ``run_dir``).
    progress
        Called with 1 after each figure is drawn (for a progress bar).

    Raises
    ------
    RunDirectoryError
        When ``run_dir`` is missing, unfinished or malformed; nothing is written then.
    """
    page = report_path(run_dir, out)
    targets = report_outputs(page)
    return write_report_of(load_run(Path(run_dir)), page, progress=progress, targets=targets)


def write_report_of(run: RunData, page: Path, *, progress: Callable[[int], None] | None = None,
                    extra_figures: list[ReportFigure] = (), targets: tuple[Output, Output] | None = None) -> Report:
    """Draw and write the report of an already loaded results directory to ``page``.

    ``extra_figures`` (e.g. sensitivity and discovery charts) follow the run's own figures;
    ``targets`` are the page and figure folder as checked by :func:`report_outputs` (checked
    here if not given).
    """
    targets = targets or report_outputs(page)
    figures = []
    for make in figure_makers(run.kind, trajectories=not run.outcomes_only):
        figure = make(run)
        if figure is not None:
            figures.append(figure)
        if progress is not None:
            progress(1)
    figures += list(extra_figures)
    content = _content(run, figures, figure_folder(page).name)
    return _write(*targets, render(content), figures)


def _content(run: RunData, figures: list[ReportFigure], folder: str) -> PageContent:
    links = claim_links()
    s = run.summary
    if run.kind == COMPARISON:
        names = [sc.meta.name for sc in run.scenarios]
        title = f"pawns comparison: {' vs '.join(names[1:])} against {names[0]}"
        meta = f"{s['members']:,} paired members · seed {s['seed']} · {s['horizon_days']} days from {run.scenario.meta.start_date} · pawns {run.version}"
    else:
        title = f"pawns report: {run.scenario.meta.title}"
        meta = (f"scenario {s['scenario']} · {s['members']:,} members · seed {s['seed']} · {s['horizon_days']} days from {s['start_date']} "
                f"· pawns {run.version}")
        if run.outcomes_only:
            meta += " · outcomes only: no trajectories kept; series drawn from streamed quantile sketches"
    return PageContent(
        title=title, meta=meta, overview=overview(run), answers=answers(run), key_figures=figures_table(run), figures=figures, figure_folder=folder,
        overlaps=observed.overlaps(run),
        scenario_notes=_scenario_notes(run), parameter_tables=_parameter_tables(run, links), reproduction=reproduction(run),
        link_problem=links.problem, footer=f"Generated by pawns report from the results directory {run.path.name}.",
        channel_tables=channel_tables(run), takes_home=takes_home_table(run))


def _scenario_notes(run: RunData) -> list[str]:
    notes = []
    for sc in run.scenarios:
        meta = sc.meta
        text = (f"Scenario {meta.name}: {meta.title}. {meta.description or ''} Starts {meta.start_date}, {meta.horizon_days} days in steps of "
                f"{meta.step_days:g} day; sides {', '.join(sc.sides)}; attacker {sc.combat.attacker}; "
                f"contingents {', '.join(sc.contingents) or 'none'}; supporters {', '.join(sc.supporters) or 'none'}.")
        for name, contingent in sc.contingents.items():
            tranches = "; ".join(f"{t.date}: {t.size_persons.describe()} persons, role {t.role}" for t in contingent.tranches)
            text += f" {name} tranches: {tranches}."
        notes.append(" ".join(text.split()))
    return notes


def _parameter_tables(run: RunData, links) -> list[ParameterTable]:
    base = run.scenarios[0]
    base_source = parameter_source(base)
    base_rows = parameter_rows(base, links, drawn_values(run), base_source)
    note = ("Every parameter of the model: what members draw it from (its distribution, or the calibrated posterior), the values "
            "actually drawn, and its source.")
    tables = [ParameterTable(f"Parameters of {base.meta.name} ({len(base_rows)})", " ".join(filter(None, [note, base_source.note])),
                             base_rows)]
    known = {(r.name, r.drawn_from, r.source_html) for r in base_rows}
    base_names = {r.name for r in base_rows}
    for sc in run.scenarios[1:]:
        source = parameter_source(sc)
        rows = parameter_rows(sc, links, source=source)
        changed = [r for r in rows if (r.name, r.drawn_from, r.source_html) not in known]
        removed = sorted(base_names - {r.name for r in rows})
        note = "Only the parameters that differ from the baseline."
        if removed:
            note += f" Not in this scenario: {', '.join(removed)}."
        if source.note and source.note != base_source.note:
            note += f" {source.note}"
        tables.append(ParameterTable(f"Parameters of {sc.meta.name} that differ ({len(changed)})", note, changed))
    return tables


def _write(page: Output, folder: Output, text: str, figures: list[ReportFigure]) -> Report:
    """Write the figure folder, then the page (each atomically, under the lock of each)."""
    written = []
    with page.claim(), folder.claim():
        with folder.staged() as tmp:
            for i, figure in enumerate(figures, start=1):
                name = f"{i:02d}-{figure.slug}.png"
                (tmp / name).write_bytes(figure.png)
                written.append(folder.path / name)
        page.write_bytes(text.encode("utf-8"))
    return Report(page.path, written)
