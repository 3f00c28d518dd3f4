"""What the DPRK takes home: its ledger by channel (M11) and the Korean balance as indicators (M12).

The indicators are outcome columns of every member (:data:`pawns.model.recorded.OUTCOMES`,
computed by the equations of M11 and M12); this module says which ones make up the section
``dprk_takes_home`` of ``summary.json``, in what unit, from what, and what they cannot say,
and reduces each to its median and 90% interval over the members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pawns.analysis.statistics import interval, share
from pawns.analysis.wording import compact_interval, percent
from pawns.model.layout import Layout
from pawns.scenario.schema import TECHNOLOGIES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

NATIONALITY = "DPRK"
SECTION = "dprk_takes_home"


@dataclass(frozen=True)
class Indicator:
    """One indicator: the outcome column it reads (after ``{contributor}_``), a scale, its unit and what it rests on."""

    key: str
    column: str
    label: str
    unit: str
    driver: str
    scale: float = 1.0
    per_year: bool = False  # divided by the run's length in years


# The ledger: what comes back, by channel, and what it costs in lives.
LEDGER = (
    Indicator("revenue_troops_usd_bn", "revenue_troops_usd", "revenue from troops", "USD bn",
              "contingent's soldier-months times the payment per soldier-month", 1e-9),
    Indicator("revenue_workers_usd_bn", "revenue_workers_usd", "revenue from workers", "USD bn",
              "worker-months times the payment per worker-month (labor channel)", 1e-9),
    Indicator("revenue_munitions_usd_bn", "revenue_munitions_usd", "revenue from munitions sales", "USD bn",
              "shells delivered times the price per shell (shells and payments channels)", 1e-9),
    Indicator("killed", "killed", "soldiers killed", "persons", "the contingent's share of the host's casualties"),
    Indicator("wounded_repatriated", "evacuated", "wounded sent home", "persons", "wounded who leave care without returning to the front"),
)
# The Korean balance: indicators first, no index.
BALANCE = (
    Indicator("veterans_home", "veterans_home", "soldiers home with recent combat experience", "persons",
              "veterans rotated home after a tour plus wounded sent home (troops channel)"),
    Indicator("veterans_per_1000_active", "veterans_per_1000_active", "the same per 1,000 active personnel", "per 1,000",
              "veterans home over the DPRK's active forces (declared range)"),
    Indicator("combat_years_home", "combat_years_home", "drone and electronic-warfare combat experience home", "person-years",
              "combat days of the veterans rotated home (troops channel)"),
    Indicator("shells_delivered_million_per_year", "shells_delivered", "munitions production sold to the host", "million shells/year",
              "shells delivered per year (shells channel): production capacity exercised and paid for", 1e-6, True),
    Indicator("revenue_usd_bn", "revenue_usd", "hard currency gained, all channels", "USD bn", "troops, workers and munitions revenue", 1e-9),
    Indicator("revenue_gdp_share_per_year", "revenue_gdp_share_per_year", "hard currency per year over GDP", "% of GDP per year",
              "revenue per year over the DPRK's estimated GDP (declared range)", 100.0),
    Indicator("revenue_military_share_per_year", "revenue_military_share_per_year", "hard currency per year over military spending",
              "% of military spending per year", "revenue per year over the DPRK's estimated military spending (declared range)", 100.0),
    Indicator("technology_events", "technology_events", "technology transfers received", "events (0 to 4)",
              "uncertain transfers with hazards per year: air defence, space, submarine, drone production"),
)
LIMITS = (
    "Indicators, not a balance: no index weighs veterans, money and technology against each other, for want of a rule the evidence supports.",
    "Combat experience counts persons and days; how much of it is kept, taught on, or fits a war on the peninsula is outside the model.",
    "Revenue is what the host pays at the scenario's rates; how much arrives as cash, goods or forgiven debt, and what it buys, is not modelled.",
    "GDP, military spending and active forces of the DPRK are estimates with wide declared ranges, so the shares are rough.",
    "Technology transfers are events with constant hazards: their price in troops or shells, and their effect on ROK and US forces, are not modelled.",
    "Nothing here changes the war: what the DPRK takes home feeds no equation of the war itself.",
)


def dprk_contributor(layout: Layout) -> str | None:
    """The contributor whose nationality is the DPRK, if the scenario has one."""
    contributors = layout.scenario.contributors
    return next((name for name, c in contributors.items() if c.nationality == NATIONALITY), None)


# Veterans by tranche and cohort (M11): the outcome columns per cohort, in the order the tables show them.
COHORT_MEASURES = (
    ("arrived", "arrived", "persons"),
    ("killed", "killed", "persons"),
    ("veterans_home", "veterans home", "persons"),
    ("wounded_repatriated", "of whom wounded sent home", "persons"),
    ("combat_days_per_veteran", "combat days per veteran rotated home", "days"),
    ("front_person_days", "days at the front", "person-days"),
    ("laborers_home", "laborers home", "persons"),
    ("in_theatre", "still in Russia at the horizon", "persons"),
)


def takes_home(layout: Layout, outcomes: "pd.DataFrame") -> dict:
    """The section ``dprk_takes_home`` of a summary: each indicator's median and 90% interval, with unit and driver."""
    name = dprk_contributor(layout)
    if name is None:
        return {"not_applicable": "this scenario has no contributor of DPRK nationality"}
    years = layout.horizon_days / 365.0
    return {
        "contributor": name,
        "ledger": {i.key: _indicator(i, outcomes, name, years) for i in LEDGER},
        "indicators": {i.key: _indicator(i, outcomes, name, years) for i in BALANCE},
        "technology": {
            tech: {"probability": share(~np.isnan(outcomes[f"{name}_technology_{tech}_day"].to_numpy(dtype=np.float64))),
                   "day_if_received": interval(outcomes[f"{name}_technology_{tech}_day"].to_numpy(dtype=np.float64)),
                   "effect": effect}
            for tech, effect in TECHNOLOGIES.items()
        },
        "cohorts": _cohorts(layout, outcomes, name),
        "limits": list(LIMITS),
    }


def _indicator(indicator: Indicator, outcomes: "pd.DataFrame", name: str, years: float) -> dict:
    column = f"{name}_{indicator.column}"
    if column in outcomes:
        values = outcomes[column].to_numpy(dtype=np.float64) * indicator.scale / (years if indicator.per_year else 1.0)
    else:  # only the contingent's own columns (killed, evacuated) are missing, and only when its troops channel is off: nobody to lose
        values = np.zeros(len(outcomes))
    return {"label": indicator.label, "unit": indicator.unit, "driver": indicator.driver, **interval(values)}


def rows(section: dict) -> list[tuple[str, str, str, str]]:
    """The section as ``(indicator, median (90% range), unit, what drives it)`` rows, as the terminal and the report show it."""
    found = [(i["label"], compact_interval(i, _digits(i)), i["unit"], i["driver"])
             for group in ("ledger", "indicators") for i in section[group].values()]
    return found + [(f"technology received: {tech.replace('_', ' ')}", f"P = {percent(t['probability'])}", "by the horizon", t["effect"])
                    for tech, t in section["technology"].items()]


def _digits(stats: dict) -> int:
    """Two decimals for small figures (USD bn, per 1,000), none for counts in the thousands or whole numbers."""
    values = [stats.get(k) for k in ("median", "q05", "q95")]
    whole = all(v is not None and float(v).is_integer() for v in values)
    return 2 if stats.get("median") is not None and abs(stats["median"]) < 10 and not whole else 0


def _cohorts(layout: Layout, outcomes: "pd.DataFrame", contributor: str) -> dict:
    """Each cohort of the contributor's contingent (its tranches, its replacements by year): median and 90% interval of each measure."""
    found = {}
    for cohort in layout.cohorts:
        formation = layout.formations[cohort.formation].name
        if formation != contributor:
            continue
        found[cohort.key] = {"label": cohort.label, **{
            key: {"label": label, "unit": unit, **interval(outcomes[f"{formation}_{key}_{cohort.key}"].to_numpy(dtype=np.float64))}
            for key, label, unit in COHORT_MEASURES}}
    return found


def cohort_rows(section: dict) -> tuple[list[str], list[list[str]]]:
    """Veterans by tranche and cohort as a table: headings (measure, unit, then one per cohort) and one row per measure."""
    cohorts = list(section.get("cohorts", {}).values())
    columns = ["measure", "unit"] + [cohort["label"] for cohort in cohorts]
    rows = [[label, unit] + [compact_interval(cohort[key], _digits(cohort[key])) for cohort in cohorts]
            for key, label, unit in COHORT_MEASURES]
    return columns, rows
