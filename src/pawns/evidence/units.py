"""Units of the evidence ledger and the conversions between them.

Every unit belongs to a dimension (e.g. persons per day). A claim may be written in any unit of
its quantity's dimension; reconciliation converts it to the quantity's unit first. The factors
are plain calendar arithmetic: a month is 365.25 / 12 days, a year 365.25 days.
"""

from __future__ import annotations

from dataclasses import dataclass

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


@dataclass(frozen=True)
class Unit:
    """A unit: its dimension and the factor that takes a value in it to the dimension's base."""

    name: str
    dimension: str
    to_base: float
    label: str


_UNITS = [
    Unit("persons", "persons", 1.0, "persons"),
    Unit("persons_per_day", "persons/time", 1.0, "persons/day"),
    Unit("persons_per_month", "persons/time", 1.0 / DAYS_PER_MONTH, "persons/month"),
    Unit("persons_per_year", "persons/time", 1.0 / DAYS_PER_YEAR, "persons/year"),
    Unit("persons_per_6_months", "persons/time", 2.0 / DAYS_PER_YEAR, "persons/6 months"),
    Unit("persons_per_week", "persons/time", 1.0 / 7, "persons/week"),
    Unit("persons_per_km2", "persons/area", 1.0, "persons/km²"),
    Unit("shells", "shells", 1.0, "shells"),
    Unit("shells_per_day", "shells/time", 1.0, "shells/day"),
    Unit("shells_per_year", "shells/time", 1.0 / DAYS_PER_YEAR, "shells/year"),
    Unit("km2", "area", 1.0, "km²"),
    Unit("km2_per_day", "area/time", 1.0, "km²/day"),
    Unit("km2_per_month", "area/time", 1.0 / DAYS_PER_MONTH, "km²/month"),
    Unit("km2_per_year", "area/time", 1.0 / DAYS_PER_YEAR, "km²/year"),
    Unit("m_per_day", "length/time", 1.0, "m/day"),
    Unit("fraction", "share", 1.0, "fraction"),
    Unit("percent", "share", 0.01, "%"),
    Unit("fraction_per_year", "share/time", 1.0 / DAYS_PER_YEAR, "fraction/year"),
    Unit("fraction_per_day", "share/time", 1.0, "fraction/day"),
    Unit("ratio", "ratio", 1.0, "ratio"),
    Unit("rub", "rub", 1.0, "RUB"),
    Unit("rub_per_month", "rub/time", 1.0 / DAYS_PER_MONTH, "RUB/month"),
    Unit("eur", "eur", 1.0, "EUR"),
    Unit("eur_billion", "eur", 1e9, "EUR bn"),
    Unit("eur_per_year", "eur/time", 1.0 / DAYS_PER_YEAR, "EUR/year"),
    Unit("eur_billion_per_year", "eur/time", 1e9 / DAYS_PER_YEAR, "EUR bn/year"),
    Unit("usd", "usd", 1.0, "USD"),
    Unit("usd_billion", "usd", 1e9, "USD bn"),
    Unit("cases", "cases", 1.0, "cases"),
    Unit("containers", "containers", 1.0, "containers"),
    Unit("missiles", "missiles", 1.0, "missiles"),
    Unit("systems", "systems", 1.0, "systems"),
    Unit("barrels", "barrels", 1.0, "barrels"),
    Unit("years", "duration", DAYS_PER_YEAR, "years"),
    Unit("days", "duration", 1.0, "days"),
    Unit("event", "event", 1.0, "event"),
]

UNITS: dict[str, Unit] = {unit.name: unit for unit in _UNITS}


def is_known(name: str) -> bool:
    """Whether ``name`` is a unit of the ledger."""
    return name in UNITS


def compatible(a: str, b: str) -> bool:
    """Whether values in unit ``a`` can be converted to unit ``b``."""
    return a in UNITS and b in UNITS and UNITS[a].dimension == UNITS[b].dimension


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from ``from_unit`` to ``to_unit`` (same dimension).

    Raises
    ------
    ValueError
        If either unit is unknown or the dimensions differ.
    """
    if not compatible(from_unit, to_unit):
        raise ValueError(f"cannot convert {from_unit!r} to {to_unit!r}")
    return value * UNITS[from_unit].to_base / UNITS[to_unit].to_base


def rate_factor(total_unit: str, days: float, rate_unit: str) -> float:
    """The factor that turns a total in ``total_unit``, gathered over ``days`` days, into a rate in ``rate_unit``.

    E.g. ``rate_factor("persons", 91, "persons_per_day")`` is 1/91: a quarter's recruits as a daily rate.

    Raises
    ------
    ValueError
        If either unit is unknown, or ``rate_unit`` is not a rate of ``total_unit``'s dimension.
    """
    if total_unit not in UNITS or rate_unit not in UNITS or UNITS[rate_unit].dimension != f"{UNITS[total_unit].dimension}/time":
        raise ValueError(f"{rate_unit!r} is not a rate of {total_unit!r}")
    # The base unit of every "<dimension>/time" is per day (see _UNITS).
    return UNITS[total_unit].to_base / days / UNITS[rate_unit].to_base


def label(name: str) -> str:
    """A short display label for a unit (the name itself if unknown)."""
    return UNITS[name].label if name in UNITS else name
