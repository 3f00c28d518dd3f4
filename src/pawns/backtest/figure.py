"""The back-test figure: per stream and horizon, each cut-off's forecast beside what was observed.

Each panel's title carries the candidate model's verdict (:func:`pawns.backtest.table.verdict`),
so a forecast that loses to a baseline says so on the figure too.
"""

from __future__ import annotations

import io

from pawns.backtest.baselines import RANDOM_WALK, TREND
from pawns.backtest.run import CANDIDATE, UNFILTERED
from pawns.backtest.table import label
from pawns.backtest.targets import CLAIM


def backtest_figure(scores: "object", table: "object") -> bytes:
    """A PNG with one row per stream scored at several cut-offs and one column per horizon."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    shown = scores[scores["kind"] != CLAIM]  # type: ignore[index]
    streams = list(dict.fromkeys(shown["stream"]))
    horizons = sorted(set(shown["horizon"]))
    fig, axes = plt.subplots(max(len(streams), 1), max(len(horizons), 1), figsize=(4.2 * max(len(horizons), 1), 3.0 * max(len(streams), 1)),
                             squeeze=False)
    for r, stream in enumerate(streams):
        for c, horizon in enumerate(horizons):
            ax = axes[r][c]
            part = shown[(shown["stream"] == stream) & (shown["horizon"] == horizon)]
            if part.empty:
                ax.axis("off")
                continue
            model = part[part["method"] == CANDIDATE]
            dates = pd.to_datetime(model["cutoff"])
            ax.errorbar(dates, model["q50"], yerr=[model["q50"] - model["q05"], model["q95"] - model["q50"]], fmt="o", color="tab:blue",
                        markersize=3, capsize=2, linewidth=1, label=f"{CANDIDATE}: median, 90%")
            for method, marker in ((TREND, "x"), (RANDOM_WALK, "+"), (UNFILTERED, "^")):
                base = part[part["method"] == method]
                ax.plot(pd.to_datetime(base["cutoff"]), base["q50"], marker, color="tab:gray", markersize=5, label=method)
            observed = model.drop_duplicates("cutoff")
            ax.plot(pd.to_datetime(observed["cutoff"]), observed["observed"], "s", color="black", markersize=3, label="observed")
            at = table[(table["stream"] == stream) & (table["horizon"] == horizon) & (table["method"] == CANDIDATE)]  # type: ignore[index]
            note = at["verdict"].iloc[0] if not at.empty else ""
            ax.set_title(f"{label(stream)}, {horizon} days\n{_wrap(note)}", fontsize=7)
            ax.tick_params(axis="x", labelrotation=30, labelsize=6)
            ax.tick_params(axis="y", labelsize=6)
            ax.set_xlabel("cut-off", fontsize=6)
    if streams:
        axes[0][0].legend(fontsize=5, loc="best")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if text else ""
