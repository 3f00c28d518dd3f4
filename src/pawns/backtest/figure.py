"""The back-test figure: forecast fan, observed change and baselines, per cut-off and stream."""

from __future__ import annotations

import io

from pawns.backtest.baselines import BASELINES
from pawns.backtest.run import BacktestResult

TITLES = {
    "ua_gs_russian_personnel_cumulative": "General Staff claim of Russian losses: change since cut-off (persons)",
    "russian_controlled_area_km2": "Russian-controlled area: change since cut-off (km²)",
}


def backtest_figure(results: list[BacktestResult]) -> bytes:
    """A PNG with one row per cut-off and one column per scored stream."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, cols = len(results), len(results[0].forecasts)
    fig, axes = plt.subplots(rows, cols, figsize=(6.5 * cols, 3.2 * rows), squeeze=False)
    for r, result in enumerate(results):
        for c, f in enumerate(result.forecasts):
            ax = axes[r][c]
            q = np.quantile(f.ensemble, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
            ax.fill_between(f.dates, q[0], q[4], color="tab:blue", alpha=0.2, label="model 90%")
            ax.fill_between(f.dates, q[1], q[3], color="tab:blue", alpha=0.35, label="model 50%")
            ax.plot(f.dates, q[2], color="tab:blue", label="model median")
            for name, style in zip(BASELINES, ("--", ":")):
                ax.plot(f.dates, f.baselines[name], style, color="tab:gray", label=name)
            ax.plot(f.dates, f.observed, color="black", linewidth=1.5, label="observed")
            ax.set_title(f"{TITLES.get(f.stream, f.stream)}\ncut-off {result.cutoff}", fontsize=9)
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
