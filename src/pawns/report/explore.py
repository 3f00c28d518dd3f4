"""Sensitivity and scenario-discovery results as report figures (Q5).

``pawns sensitivity`` and ``pawns discover`` write their charts and a JSON summary into their
own directories; this module turns those into figures the run report embeds, with captions
read from the JSON, so the report can show which assumptions drive its answers.
"""

from __future__ import annotations

from pathlib import Path

from pawns.analysis.explore_results import figure_paths, read_discovery, read_sensitivity
from pawns.analysis.wording import percent
from pawns.errors import RunDirectoryError
from pawns.report.canvas import ReportFigure


def exploration_figures(directory: Path) -> list[ReportFigure]:
    """The figures of a finished sensitivity or discovery directory, with captions.

    Raises
    ------
    RunDirectoryError
        When the directory holds neither a finished sensitivity nor a discovery result.
    """
    directory = Path(directory)
    if (directory / "sensitivity.json").is_file():
        data = read_sensitivity(directory)
        items = [o for o in data.get("outcomes", []) if o.get("figure")]
        method = f"{data.get('method', '')} ({data.get('runs', '?')} runs, seed {data.get('seed', '?')}{_design_words(data)})"
        captions = [f"Which uncertain inputs drive '{o['name']}' ({o.get('description', '')}) in {data.get('scenario', '')}: "
                    f"{method}, ranked by {data.get('ranked_by', 'importance')}. From `pawns sensitivity`; tables in "
                    f"{directory.name}/sensitivity.md." for o in items]
        slug = "sensitivity"
    elif (directory / "discovery.json").is_file():
        data = read_discovery(directory)
        items = [b for b in data.get("boxes", []) if b.get("figure")]
        captions = [f"Where in parameter space '{data.get('condition', data.get('where', ''))}' holds in {data.get('scenario', '')}: "
                    f"box {i + 1} found by PRIM (coverage {percent(b.get('coverage', 0))}, density {percent(b.get('density', 0))}"
                    f"{_design_words(data)}). "
                    f"From `pawns discover`; restricted dimensions in {directory.name}/discovery.md." for i, b in enumerate(items)]
        slug = "discovery"
    else:
        raise RunDirectoryError(f"{directory}: expected the output directory of `pawns sensitivity` or `pawns discover` "
                                "(holding sensitivity.json or discovery.json)")
    figures = []
    for k, (path, caption) in enumerate(zip(figure_paths(directory, data), captions), start=1):
        figures.append(ReportFigure(f"{slug}-{k}", f"{slug.capitalize()}: {path.stem.replace('_', ' ')}", caption, path.read_bytes()))
    return figures


def _design_words(data: dict) -> str:
    """What the members drew their parameters from, as the design names it (nothing for results that predate designs)."""
    return {"posterior": "; calibrated parameters drawn together from posterior particles, as pawns run draws them",
            "prior": "; every parameter from its own distribution, the posterior ignored"}.get(data.get("design", ""), "")
