"""Named per-member outcomes that sensitivity analysis and scenario discovery work on.

An outcome is a number (or a yes/no indicator, or a category) per member, computed from the
member outcomes of a run (:func:`pawns.analysis.outcomes.member_outcomes`) and, for *paired*
outcomes such as the days of endurance a contingent buys, from the outcomes of the same members
without the contingents (:func:`pawns.analysis.variants.without_contingents`).

Event days are censored at the horizon: an event that did not happen by the horizon counts as
the horizon (the restricted-mean convention of :func:`pawns.analysis.outcomes.censored`), so
every numeric outcome is finite and has a variance to decompose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal, Sequence

import numpy as np

from pawns.analysis.effects import abandons_first, endurance_days_bought, rmst_days_bought, tolerance_days_bought, tolerance_shift_days
from pawns.analysis.outcomes import censored, outcome_columns
from pawns.analysis.variants import host_side
from pawns.errors import PawnsError
from pawns.model import recorded
from pawns.model.equations import CAUSES
from pawns.model.layout import Layout
from pawns.model.recorded import RACES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Kind = Literal["number", "indicator", "category"]
PAIRED_NAMES = ("endurance_days_bought", "tolerance_days_bought", "rmst_days_bought", "tolerance_shift_days", "abandon_first_change")
Compute = Callable[["pd.DataFrame", "pd.DataFrame | None"], np.ndarray]
# What `pawns sensitivity` analyses by default, in this order: outcomes that spread across members,
# so there is a variance to attribute. Not endurance_days_bought nor a side's end day: the host's
# endurance rarely ends within the horizon, so they are one value (0, or the horizon) in nearly
# every member. A new answer worth attributing is one more name here.
DEFAULT_OUTPUTS = ("tolerance_shift_days", "rmst_days_bought", "abandon_before_{opponent}_end", "area_change_km2")


class UnknownOutcomeError(PawnsError):
    """An outcome name is not one the scenario defines; the message lists the valid names."""

    def __init__(self, name: str, valid: Sequence[str], where: str = "") -> None:
        self.name = name
        self.valid = list(valid)
        hint = ""
        if name in PAIRED_NAMES:
            hint = " (it compares runs with and without foreign contingents, so the scenario needs contingents)"
        located = f" {where}" if where else ""
        super().__init__(f"unknown outcome '{name}'{located}{hint}; valid names: {', '.join(self.valid)}")


@dataclass(frozen=True)
class Outcome:
    """One named outcome.

    Attributes
    ----------
    name
        The name used on the command line (``--output``, ``--where``).
    description
        What it measures, in words.
    unit
        Its unit (``"days"``, ``"persons"``, ``"0/1"`` ...).
    kind
        ``"number"``, ``"indicator"`` (0/1) or ``"category"`` (strings; usable in ``--where`` only).
    paired
        Whether it needs the same members run without the foreign contingents.
    compute
        ``compute(outcomes, without)`` -> one value per member (``without`` is ``None`` unless paired).
    categories
        The values a category outcome can take.
    """

    name: str
    description: str
    unit: str
    kind: Kind
    paired: bool
    compute: Compute
    categories: tuple[str, ...] = ()

    def values(self, outcomes: "pd.DataFrame", without: "pd.DataFrame | None") -> np.ndarray:
        """Evaluate the outcome for every member."""
        if self.paired and without is None:
            raise ValueError(f"outcome '{self.name}' needs the paired run without contingents")
        values = self.compute(outcomes, without)
        return np.asarray(values, dtype=object if self.kind == "category" else np.float64)


class OutcomeRegistry:
    """The outcomes one scenario defines, by name, in a stable order."""

    def __init__(self, outcomes: Sequence[Outcome]) -> None:
        self._outcomes = {o.name: o for o in outcomes}

    def __contains__(self, name: object) -> bool:
        return name in self._outcomes

    def __iter__(self):
        return iter(self._outcomes.values())

    @property
    def names(self) -> list[str]:
        """Every outcome name, in registry order."""
        return list(self._outcomes)

    def get(self, name: str) -> Outcome:
        """The outcome called ``name``; an :class:`UnknownOutcomeError` listing the valid names otherwise."""
        try:
            return self._outcomes[name]
        except KeyError:
            raise UnknownOutcomeError(name, self.names) from None

    def numeric(self, names: Sequence[str]) -> list[Outcome]:
        """Resolve names of outcomes that have a variance (numbers and indicators, not categories)."""
        resolved = [self.get(name) for name in names]
        for outcome in resolved:
            if outcome.kind == "category":
                valid = [o.name for o in self if o.kind != "category"]
                raise PawnsError(f"outcome '{outcome.name}' is a category ({', '.join(outcome.categories)}), not a number; "
                                 f"use it in a --where condition, or pick one of: {', '.join(valid)}")
        return resolved


def outcome_registry(layout: Layout) -> OutcomeRegistry:
    """Every outcome the scenario of ``layout`` defines.

    Derived outcomes come first (days bought, censored event days, the race, indicators), then
    every other numeric column of :func:`~pawns.analysis.outcomes.member_outcomes`, described
    as :data:`pawns.model.recorded.OUTCOMES` describes it.
    """
    scenario = layout.scenario
    horizon = float(layout.horizon_days)
    outcomes: list[Outcome] = []
    host = host_side(scenario)
    opponent = layout.sides[1 - layout.supported_side] if layout.supported_side is not None else None
    if host is not None:
        outcomes += _paired_outcomes(host, opponent, horizon)
    for side in layout.sides:
        outcomes += _side_outcomes(side, horizon)
    if layout.supported_side is not None:
        outcomes += _abandonment_outcomes(str(opponent), horizon)
    taken = {o.name for o in outcomes} | {"abandon_day"}
    for column, outcome, index in outcome_columns(layout):
        if column not in taken and outcome.kind == "number":
            outcomes.append(_raw_outcome(column, outcome, _owner(layout, outcome, index)))
    return OutcomeRegistry(outcomes)


def default_outputs(registry: OutcomeRegistry, layout: Layout) -> list[str]:
    """The outcomes sensitivity analyses by default: those of :data:`DEFAULT_OUTPUTS` the scenario defines.

    A scenario that defines none of them (no contingents, no supporters, no territory) gets each
    side's end of endurance.
    """
    opponent = layout.sides[1 - layout.supported_side] if layout.supported_side is not None else ""
    wanted = [name.format(opponent=opponent) for name in DEFAULT_OUTPUTS]
    found = [name for name in wanted if name in registry]
    return found or [f"{side}_end_day" for side in layout.sides]


def evaluate(outcomes: Sequence[Outcome], frame: "pd.DataFrame", without: "pd.DataFrame | None") -> dict[str, np.ndarray]:
    """Values of several outcomes for every member, by name."""
    return {o.name: o.values(frame, without) for o in outcomes}


# -- the outcomes ------------------------------------------------------------------------------
def _paired_outcomes(host: str, opponent: str | None, horizon: float) -> list[Outcome]:
    found = [
        Outcome("endurance_days_bought", f"days of {host} endurance bought by the contingents (end day with minus without, censored at the horizon)",
                "days", "number", True, lambda o, w: endurance_days_bought(o, w, host, horizon)),
        Outcome("tolerance_days_bought", f"days of {host}'s own casualty erosion the contingents absorbed", "days", "number", True,
                lambda o, w: tolerance_days_bought(o, w, host, horizon)),
        Outcome("rmst_days_bought", f"restricted mean days to {host}'s end gained with the contingents (from each member's hazard)",
                "days", "number", True, lambda o, w: rmst_days_bought(o, w, host)),
        Outcome("tolerance_shift_days", f"days by which the contingents hold back {host}'s will to fight (shift of its trajectory)",
                "days", "number", True, lambda o, w: tolerance_shift_days(o, w, host, horizon)),
    ]
    if opponent is not None:
        found.append(Outcome("abandon_first_change", "abandonment-first indicator with contingents minus without (-1, 0 or 1)",
                             "change of 0/1", "number", True, lambda o, w: abandons_first(o) - abandons_first(w)))
    return found


def _side_outcomes(side: str, horizon: float) -> list[Outcome]:
    column = f"{side}_end_day"
    return [
        Outcome(column, f"day {side}'s endurance ends (censored at the horizon)", "days", "number", False,
                lambda o, w: censored(o[column].to_numpy(), horizon)),
        Outcome(f"{side}_ended", f"1 if {side}'s endurance ends by the horizon", "0/1", "indicator", False,
                lambda o, w: (~np.isnan(o[column].to_numpy(dtype=np.float64))).astype(np.float64)),
        Outcome(f"{side}_end_cause", f"why {side}'s endurance ended ('none' if it did not)", "category", "category", False,
                lambda o, w: o[f"{side}_end_cause"].to_numpy(), tuple(CAUSES.values())),
    ]


def _abandonment_outcomes(opponent: str, horizon: float) -> list[Outcome]:
    return [
        Outcome("abandon_day", "day supporters abandon their recipient (censored at the horizon)", "days", "number", False,
                lambda o, w: censored(o["abandon_day"].to_numpy(), horizon)),
        Outcome("abandoned", "1 if supporters abandon their recipient by the horizon", "0/1", "indicator", False,
                lambda o, w: (~np.isnan(o["abandon_day"].to_numpy(dtype=np.float64))).astype(np.float64)),
        Outcome(f"abandon_before_{opponent}_end", f"1 if supporters abandon their recipient before {opponent}'s endurance ends",
                "0/1", "indicator", False, lambda o, w: abandons_first(o)),
        Outcome("race", "which came first: abandonment, the opponent's end of endurance, or neither", "category", "category", False,
                lambda o, w: o["race"].to_numpy(), RACES),
    ]


def _raw_outcome(column: str, outcome: recorded.Outcome, owner: str) -> Outcome:
    text = f"{owner} {outcome.description}" if owner else outcome.description
    return Outcome(column, text, outcome.units, "number", False, lambda o, w: o[column].to_numpy(dtype=np.float64))


def _owner(layout: Layout, outcome: recorded.Outcome, index: int | tuple[int, int]) -> str:
    """The side, formation, formation and sector, or cohort an outcome column belongs to ("" for one per member)."""
    if isinstance(index, tuple):
        return f"{layout.formations[index[0]].name} in {layout.sector_names[index[1]]}:"
    if outcome.per == "side":
        return layout.sides[index]
    if outcome.per == "contributor":
        return layout.contributors[index].name
    if outcome.per == "bloc":
        return layout.blocs[index].name
    if outcome.per == "cohort":
        cohort = layout.cohorts[index]
        return f"{layout.formations[cohort.formation].name}, {cohort.label}:"
    return layout.formations[index].name if outcome.per in ("formation", "contingent") else ""
