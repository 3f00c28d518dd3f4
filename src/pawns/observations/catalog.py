"""The observed streams pawns knows: where each comes from, what it measures, how far to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class ObservedStream:
    """An observed series and its provenance."""

    name: str
    title: str
    units: str
    frequency: str
    source: str
    caveat: str


CATALOG: dict[str, ObservedStream] = {
    "ua_gs_russian_personnel_cumulative": ObservedStream(
        "ua_gs_russian_personnel_cumulative",
        "Russian personnel losses claimed by Ukraine's General Staff (cumulative)",
        "persons", "daily",
        "Ministry of Defence of Ukraine, compiled in PetroIvaniuk/2022-Ukraine-Russia-War-Dataset (2022-02-25 to 2024-12-31)",
        "A claim by one belligerent about the other: killed, wounded and captured together; needs a reporting factor. No reports 2022-03-07..14.",
    ),
    "russian_controlled_area_km2": ObservedStream(
        "russian_controlled_area_km2",
        "Area of Ukraine under Russian control",
        "km2", "daily",
        "Liveuamap maps, computed by conflict-investigations/liveuamap-analysis (2022-02-20 to 2024-12-31)",
        "Includes Crimea and areas held before 2022; early-2022 values swing widely, stable from 2023.",
    ),
    "russian_named_dead_monthly": ObservedStream(
        "russian_named_dead_monthly",
        "Russian military dead identified by name, per month",
        "persons/month", "monthly",
        "Open-source name lists aggregated by ukrainewarlosses/ukrwarlosses (2022-02 to 2024-12)",
        "A lower bound on deaths, and a lagging one: recent months fill in as names are confirmed.",
    ),
}


def load_observed(name: str) -> "pd.Series":
    """Load an observed stream as a pandas Series indexed by date.

    Parameters
    ----------
    name
        A key of :data:`CATALOG`.
    """
    import pandas as pd

    if name not in CATALOG:
        raise KeyError(f"unknown observed stream {name!r}; known: {sorted(CATALOG)}")
    with (resources.files("pawns.observations") / "data" / f"{name}.csv").open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, parse_dates=["date"])
    series = frame.set_index("date")["value"].astype(float)
    series.name = name
    return series
