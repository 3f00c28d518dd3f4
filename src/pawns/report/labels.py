"""Words for the reader: side, formation and nationality names (numbers are written by :mod:`pawns.analysis.wording`)."""

from __future__ import annotations

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
