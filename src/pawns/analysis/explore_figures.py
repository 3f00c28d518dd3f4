"""PNG charts of sensitivity indices and discovered boxes, drawn from their JSON-ready dictionaries.

Figures are built on matplotlib's Agg canvas directly (no pyplot state, no display needed), so
they render the same in a terminal session, a test or a report build.
"""

from __future__ import annotations

import io

import numpy as np

DPI = 120


def sensitivity_figure(analysis: dict, outcome: dict, top: int = 15) -> bytes:
    """Horizontal bars of the ``top`` parameters' indices for one outcome, with 95% intervals.

    Parameters
    ----------
    analysis
        A ``sensitivity.json`` dictionary (for the method and scenario).
    outcome
        One entry of its ``outcomes``.
    """
    rows = [r for r in outcome["indices"] if r.get(analysis["ranked_by"]) is not None][:top][::-1]
    fig, canvas = _figure(8.0, 1.2 + 0.32 * max(len(rows), 1))
    ax = fig.add_subplot(1, 1, 1)
    calibrated = len(analysis.get("calibrated_parameters", []))
    # The posterior factor is every calibrated parameter at once: say so on its bar.
    labels = [f"{r['parameter']} ({calibrated} calibrated, together)" if r["parameter"] == "posterior" and calibrated else r["parameter"]
              for r in rows]
    ypos = np.arange(len(rows))
    if analysis["method"] == "sobol":
        height = 0.38
        for offset, key, label in ((height / 2, "ST", "total (ST)"), (-height / 2, "S1", "first order (S1)")):
            values = [r[key] or 0.0 for r in rows]
            errors = [r[f"{key}_conf"] or 0.0 for r in rows]
            ax.barh(ypos + offset, values, height, xerr=errors, label=label, capsize=2)
        ax.set_xlabel("share of the outcome's variance (95% interval)", fontsize=8)
        ax.legend(loc="lower right", fontsize=8)
    else:
        values = np.array([r["mu_star"] for r in rows])
        errors = np.array([r["mu_star_conf"] or 0.0 for r in rows])
        # mu* cannot be negative: the interval's lower arm stops at zero.
        ax.barh(ypos, values, 0.6, xerr=[np.minimum(errors, values), errors], capsize=2)
        unit = f" ({outcome['unit']})" if outcome.get("unit") and outcome.get("kind") != "indicator" else ""
        ax.set_xlabel(f"mu*: mean |change| when the parameter jumps half its quantile range{unit}", fontsize=8)
        ax.set_xlim(left=0)
    ax.set_yticks(ypos)
    ax.set_yticklabels(labels, fontsize=7)
    method = "Sobol'" if analysis["method"] == "sobol" else "Morris"
    ax.set_title(f"{analysis['scenario']}: what drives {outcome['name']} ({method}, {analysis['runs']:,} runs)", fontsize=9)
    if not rows:
        ax.text(0.5, 0.5, outcome.get("note") or "no indices", ha="center", va="center", transform=ax.transAxes, fontsize=8)
    return _png(fig, canvas)


def discovery_figure(discovery: dict, box: dict) -> bytes:
    """Left: the peeling trajectory (coverage against density), the chosen box marked.
    Right: each restricted parameter's bounds as a share of its sampled range."""
    fig, canvas = _figure(10.0, 4.2)
    left = fig.add_subplot(1, 2, 1)
    steps = box["trajectory"]
    coverage = [s["coverage"] for s in steps]
    density = [s["density"] for s in steps]
    dots = left.scatter(coverage, density, c=[s["restricted"] for s in steps], cmap="viridis", s=14)
    fig.colorbar(dots, ax=left, label="parameters restricted")
    left.scatter([box["coverage"]], [box["density"]], s=90, facecolors="none", edgecolors="red", label="chosen box")
    left.set_xlabel("coverage (share of cases inside)")
    left.set_ylabel("density (share of runs inside that are cases)")
    left.set_title(f"box {box['box']}: peeling trajectory", fontsize=9)
    left.legend(fontsize=8)
    right = fig.add_subplot(1, 2, 2)
    limits = box["restrictions"]
    for i, r in enumerate(limits):
        span = (r["sample_high"] - r["sample_low"]) or 1.0
        lo, hi = (r["low"] - r["sample_low"]) / span, (r["high"] - r["sample_low"]) / span
        right.plot([0, 1], [i, i], color="lightgray", linewidth=6, solid_capstyle="butt")
        right.plot([lo, hi], [i, i], color="tab:blue", linewidth=6, solid_capstyle="butt")
        right.text(1.02, i, f"[{short_number(r['low'])}, {short_number(r['high'])}]", va="center", fontsize=7)
    right.set_yticks(range(len(limits)))
    right.set_yticklabels([r["parameter"] for r in limits], fontsize=7)
    right.set_xlim(0, 1.35)
    right.set_xlabel("position within the sampled range")
    right.set_title(f"restricted parameters (coverage {box['coverage']:.0%}, density {box['density']:.0%})", fontsize=9)
    fig.suptitle(f"{discovery['scenario']}: where {discovery['condition']}", fontsize=10)
    return _png(fig, canvas)


def short_number(value: float) -> str:
    """A bound as a reader wants it: 1,500 / 0.0882 / 2.5e-05."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 1 or magnitude == 0:
        return f"{value:.3g}" if magnitude < 100 else f"{value:.0f}"
    return f"{value:.3g}"


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, FigureCanvasAgg(fig)


def _png(fig, canvas) -> bytes:
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()
