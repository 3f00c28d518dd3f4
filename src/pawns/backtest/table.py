"""The back-test table: scores per stream, horizon and method, each model's standing, and the goal.

For every stream and horizon, each method's mean CRPS over the targets, the share of targets
inside its 90% interval (a point forecast has none; for the named dead, the share of cut-offs
whose later names stay at or below the 95th percentile of forecast deaths), and for the
candidate model its CRPS as a multiple of each baseline's over the targets both scored.

A forecast that loses to a baseline says so in its ``verdict``, wherever the table is shown.

The goal (issue 17): at 90 and 180 days, for the General Staff's claims and the DeepState area,
the candidate's CRPS at most 0.8 times the best baseline's and its 90% interval covering between
80% and 95% of the observations.
"""

from __future__ import annotations

import numpy as np

from pawns.backtest.run import CANDIDATE
from pawns.backtest.targets import BOUND, NAMED_BOUND
from pawns.observations.models import AREA_STREAM, DEEPSTATE_STREAM, DPRK_CASUALTIES, DPRK_KILLED, DPRK_WOUNDED, GS_STREAM

LABELS = {
    GS_STREAM: "General Staff claims (change)",
    DEEPSTATE_STREAM: "DeepState area (change, km²)",
    AREA_STREAM: "Liveuamap area (change, km²)",
    NAMED_BOUND: "named dead (lower bound on deaths)",
    DPRK_CASUALTIES: "DPRK casualties (claims)",
    DPRK_KILLED: "DPRK killed (claims)",
    DPRK_WOUNDED: "DPRK wounded (claims)",
}
GOAL_STREAMS = (GS_STREAM, DEEPSTATE_STREAM)
GOAL_HORIZONS = (90, 180)
GOAL_RATIO = 0.8
GOAL_COVERAGE = (0.80, 0.95)
KEYS = ["stream", "horizon", "method"]
MIN_JUDGED = 5  # fewer observations say little about an interval's coverage


def summary_table(scores: "object") -> "object":
    """One row per stream, horizon and method: targets, cut-offs, mean CRPS, coverage; the candidate's ratios and verdict."""
    import pandas as pd

    frame = scores.groupby(KEYS, sort=False).agg(  # type: ignore[attr-defined]
        kind=("kind", "first"), targets=("crps", "size"), cutoffs=("cutoff", "nunique"), crps=("crps", "mean"),
        coverage90=("covered90", "mean")).reset_index()
    frame["crps_ratio_best"] = np.nan
    frame["verdict"] = ""
    for (stream, horizon), group in scores.groupby(["stream", "horizon"], sort=False):  # type: ignore[attr-defined]
        ratios = candidate_ratios(group)
        at = (frame["stream"] == stream) & (frame["horizon"] == horizon) & (frame["method"] == CANDIDATE)
        if not at.any():
            continue
        row = frame[at].iloc[0]
        if ratios:
            frame.loc[at, "crps_ratio_best"] = max(ratios.values())
        frame.loc[at, "verdict"] = verdict(ratios, row["coverage90"], row["kind"] == BOUND, int(row["targets"]))
        for method, ratio in ratios.items():
            frame.loc[at, f"crps_ratio_{method.replace(' ', '_').replace('-', '_')}"] = ratio
    order = {stream: i for i, stream in enumerate(LABELS)}
    frame["_order"] = [order.get(s, len(order)) for s in frame["stream"]]
    return pd.DataFrame(frame).sort_values(["_order", "horizon"], kind="stable").drop(columns="_order").reset_index(drop=True)


def candidate_ratios(group: "object") -> dict[str, float]:
    """The candidate's mean CRPS over each other method's, on the targets both scored."""
    pivot = group.pivot_table(index=["cutoff", "target"], columns="method", values="crps", aggfunc="first")  # type: ignore[attr-defined]
    if CANDIDATE not in pivot.columns:
        return {}
    ratios = {}
    for method in pivot.columns:
        if method == CANDIDATE:
            continue
        both = pivot[[CANDIDATE, method]].dropna()
        if len(both) and both[method].mean() > 0:
            ratios[method] = float(both[CANDIDATE].mean() / both[method].mean())
    return ratios


def verdict(ratios: dict[str, float], coverage: float, bound: bool, targets: int) -> str:
    """Plain words next to the candidate's numbers: whom it loses to, how its interval fares."""
    parts = []
    losses = {m: r for m, r in ratios.items() if r > 1}
    if losses:
        parts.append("LOSES to " + " and ".join(f"the {m} (CRPS {r:.2f}x)" for m, r in sorted(losses.items(), key=lambda x: -x[1])))
    elif ratios:
        best = max(ratios.values())
        parts.append(f"beats every baseline (CRPS {best:.2f}x the best)" + ("" if best <= GOAL_RATIO else f", not by the goal's {GOAL_RATIO}x"))
    if targets < MIN_JUDGED:
        parts.append(f"only {targets} observation{'s' if targets != 1 else ''}: coverage not judged")
    elif coverage == coverage:
        if bound:
            parts.append("its deaths stay above the later names at every cut-off" if coverage == 1 else
                         f"later names exceed its 95th percentile of deaths at {1 - coverage:.0%} of the cut-offs")
        elif coverage < GOAL_COVERAGE[0]:
            parts.append(f"90% interval too narrow (covers {coverage:.0%})")
        elif coverage > GOAL_COVERAGE[1]:
            parts.append(f"90% interval too wide (covers {coverage:.0%})")
    return "; ".join(parts)


def goal(table: "object") -> dict:
    """The goal, checked stream by stream and horizon by horizon: met only where every part is measured and met."""
    checks = []
    for stream in GOAL_STREAMS:
        for horizon in GOAL_HORIZONS:
            at = table[(table["stream"] == stream) & (table["horizon"] == horizon) & (table["method"] == CANDIDATE)]  # type: ignore[index]
            if at.empty:
                checks.append({"stream": stream, "horizon": horizon, "measured": False, "met": False})
                continue
            row = at.iloc[0]
            ratio, coverage = float(row["crps_ratio_best"]), float(row["coverage90"])
            met = bool(ratio <= GOAL_RATIO and GOAL_COVERAGE[0] <= coverage <= GOAL_COVERAGE[1])
            checks.append({"stream": stream, "horizon": horizon, "measured": True, "cutoffs": int(row["cutoffs"]),
                           "crps_ratio_best": ratio, "coverage90": coverage, "met": met})
    return {"rule": f"CRPS <= {GOAL_RATIO}x the best baseline and 90% coverage in [{GOAL_COVERAGE[0]:.0%}, {GOAL_COVERAGE[1]:.0%}] "
                    f"at {' and '.join(map(str, GOAL_HORIZONS))} days for the General Staff claims and the DeepState area",
            "met": all(c["met"] for c in checks), "checks": checks}


def wide_table(table: "object") -> "object":
    """One row per stream and horizon: each method's CRPS and coverage side by side, the candidate's ratio and verdict."""
    import pandas as pd

    rows = []
    for (stream, horizon), group in table.groupby(["stream", "horizon"], sort=False):  # type: ignore[attr-defined]
        row: dict = {"stream": stream, "horizon": int(horizon), "cutoffs": int(group["cutoffs"].max())}
        for method in group["method"]:
            at = group[group["method"] == method].iloc[0]
            row[f"{method}: CRPS"] = at["crps"]
            row[f"{method}: coverage90"] = at["coverage90"]
        candidate = group[group["method"] == CANDIDATE]
        row["CRPS / best baseline"] = candidate["crps_ratio_best"].iloc[0] if not candidate.empty else np.nan
        row["verdict"] = candidate["verdict"].iloc[0] if not candidate.empty else ""
        rows.append(row)
    return pd.DataFrame(rows)


def markdown_table(table: "object") -> str:
    """The wide table in Markdown, as docs/calibration.md shows it (CRPS rounded, coverage in %)."""
    wide = wide_table(table)
    methods = [c[:-6] for c in wide.columns if c.endswith(": CRPS")]  # type: ignore[attr-defined]
    header = ["Stream", "Days", "Cut-offs"] + [f"{m} CRPS / 90% cov." for m in methods] + ["CRPS / best baseline", "Verdict"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in wide.to_dict(orient="records"):  # type: ignore[attr-defined]
        cells = [label(row["stream"]), str(row["horizon"]), str(row["cutoffs"])]
        for m in methods:
            crps, cover = row.get(f"{m}: CRPS", np.nan), row.get(f"{m}: coverage90", np.nan)
            cells.append("—" if crps != crps else f"{crps:,.0f} / " + ("—" if cover != cover else f"{cover:.0%}"))
        ratio = row["CRPS / best baseline"]
        cells += ["—" if ratio != ratio else f"{ratio:.2f}", row["verdict"] or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def label(stream: str) -> str:
    """A stream's name for people."""
    return LABELS.get(stream, stream)


def goal_sentence(result: dict) -> str:
    """The goal's verdict in one sentence."""
    if result["met"]:
        return f"Goal met: {result['rule']}."
    missed = [c for c in result["checks"] if not c["met"]]
    details = "; ".join(f"{label(c['stream'])} at {c['horizon']} days: " + (
        f"CRPS {c['crps_ratio_best']:.2f}x the best baseline, coverage {c['coverage90']:.0%}" if c["measured"] else "not measured")
        for c in missed)
    return f"Goal NOT met ({result['rule']}): {details}."
