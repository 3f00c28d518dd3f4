"""A back-test as a report figure: its chart, with the goal and every loss to a baseline in the caption.

``pawns backtest`` writes ``figure.png`` and ``backtest.json`` into its own directory; the run
report embeds the chart (``pawns report RUN --backtest DIR``) with the verdicts read from the
JSON, so a forecast that loses to a trend line says so beside the figure that shows it.
"""

from __future__ import annotations

from pathlib import Path

from pawns.analysis.explore_results import read_backtest
from pawns.outputs import read_manifest, verify_file
from pawns.report.canvas import ReportFigure


def backtest_figure(directory: Path) -> ReportFigure:
    """The back-test chart of ``directory`` with a caption that states the goal's verdict and every loss.

    Raises
    ------
    RunDirectoryError
        When the directory is not a finished back-test, or its files were changed since.
    """
    directory = Path(directory)
    data = read_backtest(directory)
    png = verify_file(directory, "figure.png", read_manifest(directory, ("backtest",))).read_bytes()
    cutoffs = data.get("cutoffs", [])
    losses = [f"{v.get('label', v['stream'])} at {v['horizon']} days: {v['verdict']}" for v in data.get("verdicts", [])
              if str(v.get("verdict", "")).startswith("LOSES")]
    caption = (f"Back-test of {data.get('scenario', '')} from {len(cutoffs)} cut-off(s) ({cutoffs[0] if cutoffs else ''} to "
               f"{cutoffs[-1] if cutoffs else ''}), horizons {', '.join(map(str, data.get('horizons_days', [])))} days: each cut-off's "
               "forecast (median and 90% interval) beside the naive baselines and what was observed. "
               f"{data.get('goal_sentence', '')} ")
    caption += ("The model LOSES to a naive baseline here — " + "; ".join(losses) + ". ") if losses else "It loses to no baseline. "
    caption += f"From `pawns backtest`; the numbers in {directory.name}/table.md."
    return ReportFigure("backtest", "Back-test: forecasts against what was observed", caption, png)
