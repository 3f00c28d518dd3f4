"""What the DPRK takes home, as the report shows it: the numbers of ``summary.json`` (``dprk_takes_home``).

The page, the terminal and ``summary.json`` say the same: each indicator's median and 90%
interval, its unit and what drives it, then each technology's probability and declared effect,
then the veterans tranche by tranche (and replacements year by year).
"""

from __future__ import annotations

from dataclasses import dataclass

from pawns.analysis.takes_home import cohort_rows, rows as takes_home_rows
from pawns.report.rundir import COMPARISON, RunData

HEADING = "What the DPRK takes home"
NOTE = ("The DPRK's ledger by channel and the indicators of the Korean balance, per member of the ensemble: "
        "median (5th to 95th percentile). Indicators first: no index weighs them against each other.")


@dataclass(frozen=True)
class TakesHomeTable:
    """The section as rows of text."""

    columns: list[str]
    rows: list[list[str]]
    limits: list[str]
    cohort_columns: list[str]
    cohort_rows: list[list[str]]
    note: str = NOTE
    cohort_heading: str = "Veterans by tranche and cohort"


def takes_home_table(run: RunData) -> TakesHomeTable | None:
    """The section of a run whose scenario has a DPRK contributor; ``None`` otherwise (and for comparisons)."""
    section = run.summary.get("dprk_takes_home") if run.kind != COMPARISON else None
    if not section or "contributor" not in section:
        return None
    rows = [list(row) for row in takes_home_rows(section)]
    columns, by_cohort = cohort_rows(section)
    return TakesHomeTable(["indicator", "median (90% range)", "unit", "from"], rows, list(section["limits"]), columns, by_cohort)
