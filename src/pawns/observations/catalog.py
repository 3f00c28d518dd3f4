"""The observed streams pawns knows: where each comes from, what it measures, how far to trust it.

Each stream ships with the package (``observations/data/<stream>.csv``, columns ``date,value``,
written by ``tools/import_observations.py``). Rows a user imported with ``pawns data update``
(``<user data dir>/observations/<stream>.csv``, same columns) override the shipped rows of the
same dates and extend the series; :func:`load_observed` returns the two merged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pawns.user_data import checked_file, data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

USER_FOLDER = "observations"  # inside the user data directory


@dataclass(frozen=True)
class ObservedStream:
    """An observed series and its provenance."""

    name: str
    title: str
    units: str
    frequency: str
    source: str
    caveat: str
    cumulative: bool = False


CATALOG: dict[str, ObservedStream] = {
    "ua_gs_russian_personnel_cumulative": ObservedStream(
        "ua_gs_russian_personnel_cumulative",
        "Russian personnel losses claimed by Ukraine's General Staff (cumulative)",
        "persons", "daily",
        "Ministry of Defence of Ukraine, compiled in PetroIvaniuk/2022-Ukraine-Russia-War-Dataset (2022-02-25 to 2025-12-31)",
        "A claim by one belligerent about the other: killed, wounded and captured together; needs a reporting factor. No reports 2022-03-07..14.",
        cumulative=True,
    ),
    "russian_controlled_area_km2": ObservedStream(
        "russian_controlled_area_km2",
        "Area of Ukraine under Russian control",
        "km2", "daily",
        "Liveuamap maps, computed by conflict-investigations/liveuamap-analysis (2022-02-20 to 2025-01-16, where the public series stops)",
        "Includes Crimea and areas held before 2022; early-2022 values swing widely, stable from 2023.",
    ),
    "russian_occupied_area_km2_deepstate": ObservedStream(
        "russian_occupied_area_km2_deepstate",
        "Area of Ukraine occupied by Russia on the DeepState map",
        "km2", "daily",
        "DeepState map snapshots archived by cyterat/deepstate-map-data; geodesic (WGS84) area of the union of each day's "
        "occupied polygons (2024-07-08 to 2025-12-31)",
        "Includes Crimea and areas held before 2022. A Ukrainian volunteer map; reads a few hundred km2 below Liveuamap "
        "(2024-10-01: 110,256 against 110,404). A few days have no snapshot.",
    ),
    "russian_named_dead_monthly": ObservedStream(
        "russian_named_dead_monthly",
        "Russian military dead identified by name, per month",
        "persons/month", "monthly",
        "Open-source name lists aggregated by ukrainewarlosses/ukrwarlosses (compilation of 2025-11-08; 2022-02 to 2025-10)",
        "A lower bound on deaths, and a lagging one: recent months fill in as names are confirmed (the last six or so are "
        "far from complete; 2025-10 is a partial month).",
    ),
}


def user_file(name: str) -> Path:
    """Where ``pawns data update`` keeps the user's rows of stream ``name``."""
    return data_dir() / USER_FOLDER / f"{name}.csv"


def load_shipped(name: str) -> "pd.Series":
    """Stream ``name`` as shipped with the package (no user rows)."""
    _known(name)
    with (resources.files("pawns.observations") / "data" / f"{name}.csv").open("r", encoding="utf-8") as handle:
        return _series(handle, name)


def load_user_rows(name: str) -> "pd.Series | None":
    """The rows of ``name`` imported into the user data directory (``None`` if there are none)."""
    _known(name)
    path = user_file(name)
    if not path.is_file():
        return None
    checked_file(data_dir(), path)
    with open(path, encoding="utf-8") as handle:
        return _series(handle, name)


def load_observed(name: str, as_of: dt.date | None = None) -> "pd.Series":
    """Load an observed stream as a pandas Series indexed by date.

    Parameters
    ----------
    name
        A key of :data:`CATALOG`.
    as_of
        Keep only what was observed by this day: daily values dated on or before it, monthly
        values of months that ended on or before it. ``None``: everything.
    """
    series = merge(load_shipped(name), load_user_rows(name))
    if as_of is not None:
        series = series[_observed_by(series.index, CATALOG[name].frequency, as_of)]
    return series


def merge(shipped: "pd.Series", user: "pd.Series | None") -> "pd.Series":
    """The shipped series with the user's rows laid over it (the user's value wins on a shared date)."""
    if user is None or user.empty:
        return shipped
    merged = user.combine_first(shipped).sort_index()
    merged.name = shipped.name
    return merged


def _known(name: str) -> None:
    if name not in CATALOG:
        raise KeyError(f"unknown observed stream {name!r}; known: {sorted(CATALOG)}")


def _series(handle: object, name: str) -> "pd.Series":
    import pandas as pd

    frame = pd.read_csv(handle, parse_dates=["date"])  # type: ignore[call-overload]
    series = frame.set_index("date")["value"].astype(float)
    series.name = name
    return series


def _observed_by(index: "pd.DatetimeIndex", frequency: str, as_of: dt.date) -> "object":
    import pandas as pd

    stamp = pd.Timestamp(as_of)
    if frequency == "monthly":  # a month's count exists once the month is over
        return (index + pd.offsets.MonthBegin(1)) <= stamp + pd.Timedelta(days=1)
    return index <= stamp
