"""Back-test of the donor blocs' aid (M9) against the Kiel Institute's totals for 2022-24.

A 2024 scenario sets each donor bloc from claims published by its vantage date: its aid per
year at the start and what it had allocated since the invasion. The Kiel Institute's releases
of 2025 give what the blocs allocated over 2022-24; this compares the two, bloc by bloc:

* **annual aid** — the bloc's aid per year at the start (EUR bn/year, every member's draw)
  against Kiel's aid per year in 2024 and on average over 2022-24 (the total to the end of
  2024 over the 2.85 years since the invasion);
* **total to the end of 2024** — aid allocated by the start plus what the model allocates from
  the start to 31 December 2024 (its fatigue, nuclear threats, bad news and progress included),
  against Kiel's total since the invasion at the end of 2024.

Every Kiel figure is read from the evidence ledger by its claim id, never retyped here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pawns.analysis.outcomes import outcome_tables
from pawns.engine.draws import draw_parameters
from pawns.engine.plan import Ensemble, Evaluator, Plan
from pawns.evidence import load_scenario
from pawns.evidence.ledger import load_ledger
from pawns.model.equations import parameters
from pawns.model.layout import Layout

INVASION = dt.date(2022, 2, 24)
END_OF_2024 = dt.date(2024, 12, 31)


def years_since_invasion(day: dt.date) -> float:
    return (day - INVASION).days / 365.25


@dataclass(frozen=True)
class KielFigure:
    """A Kiel figure a bloc's aid is compared with: what it measures and the claims it comes from."""

    bloc: str
    measure: str  # "annual" (EUR bn/year) or "total" (EUR bn since the invasion, at the end of 2024)
    label: str
    claims: tuple[str, ...]
    per_year_over: float | None = None  # a total turned into a yearly average over this many years

    def values(self) -> tuple[float, float]:
        """The figure's range (low, high) from its claims, as a yearly average when asked."""
        ledger = load_ledger()
        found = [ledger.claim(claim_id) for claim_id in self.claims]
        low, high = min(c.low for c in found), max(c.high for c in found)
        if self.per_year_over:
            low, high = low / self.per_year_over, high / self.per_year_over
        return low, high


# Published in 2025, after the 2024 scenarios' vantage date: an out-of-sample check.
KIEL_FIGURES = (
    KielFigure("US", "annual", "US aid in 2024 (Kiel, 2025)", ("Q6-042",)),
    KielFigure("US", "annual", "US aid per year since the invasion (Kiel total to Dec 2024 over its 2.85 years)", ("Q6-040",),
               years_since_invasion(END_OF_2024)),
    KielFigure("Europe", "annual", "European aid per year since the invasion (Kiel total to Feb 2025 over its 3.0 years)", ("Q6-052",),
               years_since_invasion(dt.date(2025, 2, 28))),
    KielFigure("US", "total", "US aid since the invasion, end of 2024 (Kiel, Feb 2025)", ("Q6-040",)),
    KielFigure("Europe", "total", "European aid since the invasion, end of 2024: Kiel's Oct 2024 and Feb 2025 figures bracket it",
               ("R-034", "Q6-052")),
)


@dataclass(frozen=True)
class AidComparison:
    """One Kiel figure against the model's 90% band."""

    figure: KielFigure
    kiel: tuple[float, float]
    model: tuple[float, float, float]  # q05, median, q95

    @property
    def inside(self) -> bool:
        """Whether the Kiel figure (or range) meets the model's 90% band."""
        return self.kiel[0] <= self.model[2] and self.kiel[1] >= self.model[0]

    def row(self) -> dict:
        q05, median, q95 = self.model
        return {"bloc": self.figure.bloc, "measure": self.figure.measure, "kiel": self.figure.label, "claims": ", ".join(self.figure.claims),
                "kiel_low": self.kiel[0], "kiel_high": self.kiel[1], "model_median": median, "model_q05": q05, "model_q95": q95,
                "inside": self.inside}


def aid_backtest(scenario: str = "ru-ua-2024", members: int = 1000, *, seed: int = 0,
                 evaluator: Evaluator | None = None) -> list[AidComparison]:
    """Compare a scenario's donor blocs with Kiel's totals for 2022-24 (see the module's introduction).

    The scenario runs from its start to the end of 2024 (its horizon cut there); it must start
    in 2024 and have a supporter with blocs named as in :data:`KIEL_FIGURES`.
    """
    loaded = load_scenario(scenario)
    days = (END_OF_2024 - loaded.meta.start_date).days
    if not 0 < days <= loaded.meta.horizon_days:
        raise ValueError(f"{scenario}: the back-test runs to {END_OF_2024}, which must fall within the scenario's run")
    layout = Layout.from_scenario(load_scenario(scenario, [f"scenario.horizon_days={days}"]))
    plan = Plan.of([Ensemble("main", layout)], members, seed=seed)
    outcomes = outcome_tables(plan, evaluator=evaluator)["main"]
    annual = parameters(layout, draw_parameters(layout.space, plan.members, seed=seed)).aid0
    blocs = [b.name for b in layout.blocs]
    found = []
    for figure in KIEL_FIGURES:
        if figure.bloc not in blocs:
            continue
        values = annual[:, blocs.index(figure.bloc)] if figure.measure == "annual" else outcomes[f"{figure.bloc}_aid_allocated_eur_bn"].to_numpy()
        q05, median, q95 = np.quantile(values, [0.05, 0.5, 0.95])
        found.append(AidComparison(figure, figure.values(), (float(q05), float(median), float(q95))))
    return found
