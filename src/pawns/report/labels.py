"""Words for the reader: side, formation and nationality names, and number formatting."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pawns.scenario.schema import Scenario


def side_name(scenario: "Scenario", side: str) -> str:
    """The side's name as written in the scenario (``"Russia"``), or its key."""
    entry = scenario.sides.get(side)
    return entry.name if entry is not None and getattr(entry, "name", None) else side


def supporter_name(supporter: str) -> str:
    """A readable name for a supporter key (``"west"`` -> ``"Western"``)."""
    return {"west": "Western"}.get(supporter, supporter.replace("_", " "))


def number(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators and a true minus sign; ``"—"`` when missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if float(text.replace(",", "")) == 0:  # "-0" or "0.0" reads as a sign or a precision that is not there
        return "0"
    if text.startswith("-"):
        text = "\u2212" + text[1:]
    return text


def percent(share: float | None) -> str:
    """A share as a whole percentage (``0.225`` -> ``"23%"``; one decimal below 1%)."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return "—"
    value = 100 * share
    return f"{value:.1f}%" if 0 < abs(value) < 1 else f"{value:.0f}%"


def interval_text(stat: dict | None, unit: str = "", digits: int = 0, scale: float = 1.0) -> str:
    """``"1,830 (90% interval 1,069 to 2,916)"`` from a statistics dictionary."""
    if not stat or stat.get("median") is None:
        return "not available"
    if unit == "%":
        return (f"{number(stat['median'] * scale, digits)}% (90% interval {number(stat['q05'] * scale, digits)}% "
                f"to {number(stat['q95'] * scale, digits)}%)")
    suffix = f" {unit}" if unit else ""
    return (f"{number(stat['median'] * scale, digits)}{suffix} (90% interval {number(stat['q05'] * scale, digits)} "
            f"to {number(stat['q95'] * scale, digits)})")


def money(value: float | None) -> str:
    """US dollars in millions (``158e6`` -> ``"$158 M"``)."""
    return "—" if value is None else f"${number(value / 1e6)} M"
