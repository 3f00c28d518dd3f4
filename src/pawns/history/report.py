"""Tables and JSON for the law comparisons (used by ``pawns history``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pawns.history.criteria import Estimate

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from pawns.history.battles import BattleComparison
    from pawns.history.daily import DailyComparison
    from pawns.history.data import BattleSet


def to_jsonable(value: Any) -> Any:
    """Nested dicts and lists with NaN and infinities as None and numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _num(value: float, digits: int = 3) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:,.{digits}f}"


def _estimate(e: Estimate, digits: int = 3) -> str:
    if not math.isfinite(e.se) and not math.isfinite(e.low):
        return f"{_num(e.value, digits)} (fixed)"
    return f"{_num(e.value, digits)} ± {_num(e.se, digits)} [{_num(e.low, digits)}, {_num(e.high, digits)}]"


def _pvalue(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.2g}" if value >= 1e-4 else "<1e-4"


def render_comparison(console: "Console", meta: "BattleSet", result: "DailyComparison | BattleComparison") -> None:
    """Print the law comparison and the fitted-exponent estimates as rich tables."""
    from rich import box
    from rich.table import Table

    fits = result.fits
    best_aic = min(f.aic for f in fits.values())
    best_bic = min(f.bic for f in fits.values())
    count = next(iter(fits.values()))
    size = f"{count.observations} daily observations" if hasattr(count, "observations") else f"{count.battles} battles"
    console.print(f"[bold]{meta.title}[/bold] — {size}\nsource: {meta.source}\ncaveat: {meta.caveat}")
    table = Table(title="Combat laws compared (C_s = k_s · F_s'^p · E_s^q, the model's M6 law)", box=box.SIMPLE_HEAD)
    for column in ("law", "p", "q", "logL", "k", "ΔAIC", "w_AIC", "ΔBIC", "P_BIC", "LR p"):
        table.add_column(column, justify="left" if column == "law" else "right")
    for law, fit in fits.items():
        table.add_row(law, _num(fit.parameters["p"].value, 2), _num(fit.parameters["q"].value, 2), _num(fit.loglik, 1),
                      str(fit.free_parameters), _num(fit.aic - best_aic, 1), _num(result.akaike_weights[law], 2),
                      _num(fit.bic - best_bic, 1), _num(result.bic_probabilities[law], 2), _pvalue(result.lr_pvalues.get(law)))
    console.print(table)
    console.print("k: free parameters; ΔAIC, ΔBIC: above the best law; w_AIC: Akaike weight; P_BIC: BIC model "
                  "probability (equal prior odds); LR p: likelihood-ratio test against the fitted-exponent law.")
    fitted = fits["fitted"]
    detail = Table(box=box.SIMPLE_HEAD, title="Fitted-exponent law: estimate ± standard error [90% interval"
                         + (f", bootstrap of {fitted.bootstrap}]" if fitted.bootstrap else ", normal approximation]"))
    detail.add_column("parameter")
    detail.add_column("estimate", justify="right")
    for parameter, estimate in fitted.parameters.items():
        detail.add_row(parameter, _estimate(estimate))
    console.print(detail)
    if hasattr(fitted, "r2"):
        fit_quality = ", ".join(f"{side} {value:.2f}" for side, value in fitted.r2.items())
        console.print(f"fitted law: R² of log casualties {fit_quality} (pooled {fitted.r2_pooled:.2f}); "
                      f"residual sd {fitted.residual_sd:.3f} (log units)")
    if hasattr(result, "ratio_slope"):
        console.print(f"casualty-ratio slope (estimates q - p; square -1, linear 0, logarithmic +1): {_estimate(result.ratio_slope)}")
    console.print(f"best by AIC: {min(fits, key=lambda n: fits[n].aic)}; "
                  f"best named law by AIC: {min((n for n in fits if n != 'fitted'), key=lambda n: fits[n].aic)}")
