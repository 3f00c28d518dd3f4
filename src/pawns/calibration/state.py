"""The state at the end of a calibration window, carried as the start of the scenario that follows.

A forecast should start from what was observed, not from a hand-set state. A run-up scenario
(``ru-ua-2025`` for ``ru-ua-2026``) is calibrated to the data up to the end of its window; every
posterior particle's state on that day is read off its own run and written to the posterior file
as the *start* parameters of the scenario that begins the next day, beside the structural
parameters the calibration transfers. The next scenario's start then carries what the data say
about the state, with the particles' spread as its uncertainty, and stays consistent with each
particle's structural parameters (a particle's forces and losses come from its own combat law).

The run-up lists what it carries in ``[calibration] start_state``; each name must match one of
:data:`CARRIED`, whose readings say exactly what is carried and what is lost (the next scenario
has no pipelines at its start: recruits in training are counted at the front, the wounded in
care who will return likewise, and the others as discharged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from pawns.errors import ScenarioError
from pawns.model.layout import Layout
from pawns.model.parameter_table import Parameters, fill
from pawns.model.state import State

STATE_PREFIX = "state:"  # the calibration's per-particle extras that hold carried values


@dataclass(frozen=True)
class Reading:
    """What a run-up gives a carried parameter: its layout, its parameters as the step reads them, its first and last state."""

    layout: Layout
    p: Parameters
    initial: State
    final: State

    def formation(self, side: str, name: str) -> int:
        f = self.layout.formation_names.index(name)
        if self.layout.sides[self.layout.formations[f].side] != side:
            raise KeyError(f"formation {name} of side {side}")
        return f

    def side(self, name: str) -> int:
        return self.layout.sides.index(name)

    def sector(self, name: str) -> int:
        return self.layout.sector_names.index(name)

    def bloc(self, name: str) -> int:
        return [b.name for b in self.layout.blocs].index(name)

    def returning(self, f: int) -> np.ndarray:
        """Wounded in care of formation ``f`` who will return to the front (its own return fraction, a contingent's included)."""
        return self.final.wounded[:, f] * self.p.wounded_return_fraction[:, f]

    def gained(self, z: int) -> np.ndarray:
        """Ground the attacker of sector ``z`` gained over the window."""
        return self.final.sector_area[:, z] - self.initial.sector_area[:, z]


_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")  # a placeholder such as {side}, once re.escape has escaped its braces


@dataclass(frozen=True)
class Carried:
    """A start parameter the run-up's end state sets: its name's pattern, unit, meaning and reading."""

    pattern: str  # dotted name with {side}, {formation}, {sector}, {supporter}, {bloc} or {contingent}
    unit: str
    meaning: str
    read: Callable[[Reading, dict[str, str]], np.ndarray]

    def match(self, name: str) -> dict[str, str] | None:
        """The placeholders' values if ``name`` has this pattern, else ``None``."""
        found = re.fullmatch(_PLACEHOLDER.sub(r"(?P<\1>[^.]+)", re.escape(self.pattern)), name)
        return None if found is None else found.groupdict()


def _front(r: Reading, k: dict[str, str]) -> np.ndarray:
    f = r.formation(k["side"], k["formation"])
    return r.final.front[:, f] + r.final.training[:, f] + r.returning(f)


def _killed(r: Reading, k: dict[str, str]) -> np.ndarray:
    return r.final.killed[:, r.formation(k["side"], k["formation"])]


def _discharged(r: Reading, k: dict[str, str]) -> np.ndarray:
    f = r.formation(k["side"], k["formation"])
    return r.final.discharged[:, f] + r.final.wounded[:, f] - r.returning(f)


def _casualties(r: Reading, k: dict[str, str]) -> np.ndarray:
    s = r.side(k["side"])
    return sum(r.final.casualties[:, f] for f, formation in enumerate(r.layout.formations) if formation.side == s)


def _stake(r: Reading, k: dict[str, str]) -> np.ndarray:
    z = r.sector(k["sector"])
    return np.maximum(r.p.stake[:, z] - r.gained(z), 1.0)


def _depth(r: Reading, k: dict[str, str]) -> np.ndarray:
    z = r.sector(k["sector"])
    return r.p.defended_depth[:, z] + np.maximum(r.gained(z), 0.0)


def _contingent(r: Reading, k: dict[str, str]) -> np.ndarray:
    f = r.layout.formation_names.index(k["contingent"])
    return r.final.front[:, f] + r.final.training[:, f] + r.final.labor[:, f] + r.returning(f)


CARRIED: tuple[Carried, ...] = (
    Carried("sides.{side}.formations.{formation}.front_persons", "persons",
            "at the front, in training, or wounded in care and due to return, at the window's end", _front),
    Carried("sides.{side}.formations.{formation}.initial_killed_persons", "persons", "killed by the window's end", _killed),
    Carried("sides.{side}.formations.{formation}.initial_discharged_persons", "persons",
            "permanently disabled by the window's end, with the wounded in care who will not return", _discharged),
    Carried("sides.{side}.casualties_per_day_at_start", "persons/day", "killed and wounded per day on the window's last day, "
            "foreign contingents included", _casualties),
    Carried("sides.{side}.recruitment.bonus_rub", "RUB", "the enlistment bonus at the window's end",
            lambda r, k: r.final.bonus[:, r.side(k["side"])]),
    Carried("sides.{side}.recruitment.pool_of_willing_persons", "persons", "the pool of the willing left at the window's end",
            lambda r, k: r.final.pool[:, r.side(k["side"])]),
    Carried("sides.{side}.materiel.shells_stock", "shells", "shells in stock at the window's end",
            lambda r, k: r.final.shells[:, r.side(k["side"])]),
    Carried("supporters.{supporter}.blocs.{bloc}.aid_allocated_eur_bn_at_start", "EUR bn", "aid the bloc allocated since the war "
            "began, at the window's end", lambda r, k: r.final.aid_allocated_eur_bn[:, r.bloc(k["bloc"])]),
    Carried("sectors.{sector}.gain_km2_per_day_at_start", "km2/day", "the attacker's gain per day on the window's last day",
            lambda r, k: r.final.sector_gain[:, r.sector(k["sector"])]),
    Carried("sectors.{sector}.area_at_stake_km2", "km2", "what was at stake less what was gained in the window", _stake),
    Carried("sectors.{sector}.defended_depth_km2", "km2", "the defended depth plus the ground gained in the window, so the "
            "advance keeps slowing as it did (the halving counts from the window's start)", _depth),
    Carried("contingents.{contingent}.tranches.0.size_persons", "persons", "the contingent in theatre at the window's end "
            "(front, training, labor, and wounded due to return), arriving on the next scenario's first day", _contingent),
)


def carried(name: str) -> tuple[Carried, dict[str, str]] | None:
    """The reading of start parameter ``name`` and the names it matched, or ``None`` if none matches."""
    for entry in CARRIED:
        found = entry.match(name)
        if found is not None:
            return entry, found
    return None


def check_start_state(scenario_name: str, names: list[str], layout: Layout) -> None:
    """Every name is a carried parameter of the run-up whose side, formation, sector, bloc or contingent exists in it."""
    patterns = ", ".join(c.pattern for c in CARRIED)
    for name in names:
        match = carried(name)
        if match is None:
            raise ScenarioError(scenario_name, "calibration.start_state", f"parameters carried from the window's end, one of: {patterns}", name)
        if name not in layout.space.names:
            raise ScenarioError(scenario_name, "calibration.start_state", "a parameter of the scenario itself (see `pawns show`)", name)


def read_start_state(names: list[str], layout: Layout, matrix: np.ndarray, initial: State, final: State) -> dict[str, np.ndarray]:
    """``{STATE_PREFIX + name: (N,) values}`` of each carried parameter, read off a batch's end state."""
    if not names:
        return {}
    reading = Reading(layout, fill(layout, matrix), initial, final)
    out: dict[str, np.ndarray] = {}
    for name in names:
        entry, keys = carried(name)  # type: ignore[misc]  # checked by check_start_state
        out[STATE_PREFIX + name] = np.asarray(entry.read(reading, keys), dtype=np.float64)
    return out
