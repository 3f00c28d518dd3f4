"""How numbers and names are written for a reader, in the terminal and in the report alike.

One format per kind of number, so a probability reads the same wherever it appears: a share
of members is a whole percentage (one decimal below 1%), a count has thousands separators, a
negative number a true minus sign.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pawns.scenario.schema import Scenario

MINUS = "\u2212"


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
        text = MINUS + text[1:]
    return text


def signed(value: float | None, digits: int = 0) -> str:
    """A change with its sign always written (``+8``, ``−3``, ``0``)."""
    text = number(value, digits)
    return text if text in ("0", "—") or text.startswith(MINUS) else f"+{text}"


def percent(share: float | None) -> str:
    """A share as a whole percentage (``0.225`` -> ``"23%"``; one decimal below 1%, e.g. ``"0.4%"``)."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return "—"
    value = 100 * share
    return f"{value:.1f}%" if 0 < abs(value) < 1 else f"{value:.0f}%"


def points(difference: float | None) -> str:
    """A difference of two probabilities in percentage points, signed (``+8 points``)."""
    if difference is None:
        return "—"
    value = 100 * difference
    return f"{signed(value, 1 if 0 < abs(value) < 1 else 0)} points"


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


def range_text(stat: dict | None, digits: int = 0, scale: float = 1.0) -> str:
    """The 90% range alone, ``"−27 to 28"``."""
    if not stat or stat.get("q05") is None:
        return "—"
    return f"{number(stat['q05'] * scale, digits)} to {number(stat['q95'] * scale, digits)}"


def compact_interval(stat: dict | None, digits: int = 0, scale: float = 1.0) -> str:
    """The median with the 90% range in brackets, ``"615 (422 to 649)"``, for table cells."""
    if not stat or stat.get("median") is None:
        return "—"
    return f"{number(stat['median'] * scale, digits)} ({range_text(stat, digits, scale)})"


def money(value: float | None) -> str:
    """US dollars in millions (``158e6`` -> ``"$158 M"``)."""
    return "—" if value is None else f"${number(value / 1e6)} M"


def digits_for(stat: dict | None) -> int:
    """Decimals that show an interval's figures: one for small numbers unless all three are whole."""
    if not stat or stat.get("median") is None:
        return 0
    values = [stat.get(k) for k in ("median", "q05", "q95")]
    whole = all(v is not None and float(v).is_integer() for v in values)
    return 1 if abs(stat["median"]) < 10 and not whole else 0
