"""The model's layout: which formations, sectors and supporters exist, on which side, and when.

:class:`Layout` is the structure of a scenario (sides, formations, sectors, supporters,
tranches, the calendar), fixed for all members, and the feedback loops a variant cuts
(:data:`LOOPS`). The members' parameter values are laid out on it by
:mod:`pawns.model.parameter_table`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
import datetime

import numpy as np

from pawns.model.space import ParameterSpace
from pawns.scenario.posterior import scenario_posterior
from pawns.scenario.schema import LOOPS, Scenario, drift_blocks

# The feedback loops (:data:`pawns.scenario.schema.LOOPS`): a scenario cuts some with
# `switches.loops_off`, a paired variant more with `Layout.with_loops_cut`. A loop's index in
# that tuple is its place in the step's `loop_cut` flags; the equations name each index once
# (`pawns.model.equations.LOOP_*`).


def step_count(scenario: Scenario) -> int:
    """Steps of ``dt`` over the scenario's horizon."""
    return int(round(scenario.meta.horizon_days / scenario.meta.step_days))


@dataclass(frozen=True)
class FormationInfo:
    """A formation: a domestic formation of a side, or a foreign contingent attached to it."""

    name: str
    side: int
    nationality: str
    category: str
    contingent: bool
    foreign: bool
    training_stages: int = 1  # stages of the training delay (1: first order)
    tour_stages: int = 1  # stages of the tour at the front (1: first order)
    replenish_steps: tuple[int, int] | None = None  # first and last step of a contingent's replacements


@dataclass(frozen=True)
class SectorInfo:
    """A front sector: its name and the side attacking in it (sector 0 is ``main``)."""

    name: str
    attacker: int


@dataclass(frozen=True)
class SupporterInfo:
    """An external supporter: the side it supplies, and whether its support has dynamics (M9)."""

    name: str
    recipient: int
    dynamic: bool


@dataclass(frozen=True)
class TrancheInfo:
    """A tranche's arrival step and the parameter columns of its size and combat share."""

    step: int
    formation: int
    size_column: int
    role: str
    share_column: int | None


@dataclass(frozen=True)
class CohortInfo:
    """Persons of a contingent who arrived together: one tranche, or one calendar year of replacements (M11).

    ``tranche`` is the tranche's index in :attr:`Layout.tranches` (-1 for replacements);
    replacements sent in steps ``first`` to ``last`` (inclusive) belong to a replacement cohort.
    """

    key: str  # in outcome columns: ``tranche1``, ``replacements2025``
    label: str
    formation: int
    tranche: int = -1
    first: int = -1
    last: int = -2


@dataclass(frozen=True)
class ContributorInfo:
    """A contributor: the side it helps, and the channels it has that are switched on."""

    name: str
    side: int
    channels: tuple[str, ...]
    paid: bool  # its payments channel is on: the host pays it (M11)


@dataclass(frozen=True)
class DeliveryInfo:
    """Shells a contributor delivers at a daily rate over steps ``first`` to ``last`` (inclusive)."""

    contributor: int
    side: int
    first: int
    last: int
    rate_column: int


@dataclass(frozen=True)
class CountInfo:
    """A dated arrival of a contributor's missiles, artillery systems or workers: its step and the column of its count."""

    contributor: int
    step: int
    column: int


@dataclass(frozen=True)
class BlocInfo:
    """A donor bloc of the supporter with dynamics, and the step its policy-change hazard starts."""

    name: str
    policy_step: int


@dataclass(frozen=True)
class Layout:
    """The structure of a scenario, the same for every member."""

    scenario: Scenario
    space: ParameterSpace
    sides: tuple[str, ...]
    formations: tuple[FormationInfo, ...]
    tranches: tuple[TrancheInfo, ...]
    attacker: int
    steps: int
    dt: float
    horizon_days: int
    supporters: tuple[SupporterInfo, ...]
    dynamic_supporter: str | None
    supported_side: int | None
    has_territory: bool
    freed_targets: tuple[tuple[int, int], ...] = field(default=())
    sectors: tuple[SectorInfo, ...] = field(default=())
    contributors: tuple[ContributorInfo, ...] = field(default=())
    shell_deliveries: tuple[DeliveryInfo, ...] = field(default=())
    missile_tranches: tuple[CountInfo, ...] = field(default=())
    artillery_tranches: tuple[CountInfo, ...] = field(default=())
    worker_tranches: tuple[CountInfo, ...] = field(default=())
    blocs: tuple[BlocInfo, ...] = field(default=())
    cut_loops: frozenset[str] = field(default=frozenset())
    drift_blocks: int = 1  # blocks of the drifts' random walks over the horizon (M6); 1: no drift
    drift_block_steps: int = 0  # steps per block; 0: no drift
    cohorts: tuple[CohortInfo, ...] = field(default=())  # every contingent's arrivals, tranche by tranche and year by year (M11)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> "Layout":
        """Lay out ``scenario``: number its sides and formations, place its tranches in time.

        The posterior draws the scenario names, if any, are read and checked here and handed
        to its parameter space.
        """
        space = ParameterSpace.from_scenario(scenario, scenario_posterior(scenario))
        sides = tuple(scenario.sides)
        off = set(scenario.switches.channels_off)
        contingents = {name: c for name, c in scenario.contingents.items() if f"{name}.troops" not in off}
        formations: list[FormationInfo] = []
        for s, (side_name, side) in enumerate(scenario.sides.items()):
            for name, formation in side.formations.items():
                formations.append(FormationInfo(name, s, side.nationality, formation.category, False, False))
        dt = scenario.meta.step_days
        steps = step_count(scenario)
        for name, contingent in contingents.items():
            s = sides.index(contingent.side)
            foreign = contingent.nationality != scenario.sides[contingent.side].nationality
            category = "foreign" if foreign else "contract"
            window = None
            if contingent.replenishment is not None:
                first, last = (int(round((day - scenario.meta.start_date).days / dt))
                               for day in (contingent.replenishment.start_date, contingent.replenishment.end_date))
                window = (first, last + int(round(1.0 / dt)) - 1)  # through the end of its last day
            formations.append(FormationInfo(name, s, contingent.nationality, category, True, foreign,
                                            contingent.training_stages, contingent.tour_stages, window))
        names = [f.name for f in formations]
        tranches = []
        cohorts = []
        freed = []
        for name, contingent in contingents.items():
            f = names.index(name)
            if contingent.freed_to is not None:
                freed.append((f, names.index(contingent.freed_to)))
            for i, tranche in enumerate(contingent.tranches):
                offset_days = (tranche.date - scenario.meta.start_date).days
                step = int(round(offset_days / dt))
                if step >= steps:
                    continue
                prefix = f"contingents.{name}.tranches.{i}"
                share = space.index(f"{prefix}.combat_share") if tranche.combat_share is not None else None
                role = contingent.role or tranche.role
                share = share if role == "split" else None
                cohorts.append(CohortInfo(f"tranche{i + 1}", f"tranche {i + 1} ({tranche.date})", f, tranche=len(tranches)))
                tranches.append(TrancheInfo(step, f, space.index(f"{prefix}.size_persons"), role, share))
            cohorts.extend(_replacement_cohorts(scenario, f, formations[f].replenish_steps, steps))
        supporters = tuple(SupporterInfo(name, sides.index(supporter.recipient), supporter.dynamics is not None)
                           for name, supporter in scenario.supporters.items())
        dynamic = scenario.dynamic_supporter()
        supported = sides.index(scenario.supporters[dynamic].recipient) if dynamic else None
        blocs = tuple(BlocInfo(name, _step(scenario, bloc.policy_change_from) if bloc.policy_change_from else 0)
                      for name, bloc in (scenario.supporters[dynamic].blocs.items() if dynamic else ()))
        channels = _channels(scenario, space, sides, off, steps)
        return cls(
            scenario=scenario,
            space=space,
            sides=sides,
            formations=tuple(formations),
            tranches=tuple(tranches),
            attacker=sides.index(scenario.combat.attacker),
            steps=steps,
            dt=dt,
            horizon_days=scenario.meta.horizon_days,
            supporters=supporters,
            dynamic_supporter=dynamic,
            supported_side=supported,
            has_territory=bool(scenario.sectors),
            freed_targets=tuple(freed),
            sectors=tuple(SectorInfo(name, sides.index(scenario.sector_attacker(name))) for name in scenario.sector_names),
            blocs=blocs,
            cut_loops=frozenset(scenario.switches.loops_off),
            cohorts=tuple(cohorts),
            **_drift(scenario, dt),
            **channels,
        )

    def with_loops_cut(self, *loops: str) -> "Layout":
        """The same layout with the feedback ``loops`` cut (names from :data:`LOOPS`), for a paired variant."""
        unknown = sorted(set(loops) - set(LOOPS))
        if unknown:
            raise ValueError(f"unknown feedback loops {unknown}; known: {list(LOOPS)}")
        return replace(self, cut_loops=self.cut_loops | frozenset(loops))

    @property
    def sector_names(self) -> list[str]:
        return [z.name for z in self.sectors]

    @property
    def contributor_names(self) -> list[str]:
        return [c.name for c in self.contributors]

    @property
    def channel_columns(self) -> set[int]:
        """Parameter columns of the channels' dated deliveries (read through the layout, not the table)."""
        counts = (*self.missile_tranches, *self.artillery_tranches, *self.worker_tranches)
        return {d.rate_column for d in self.shell_deliveries} | {t.column for t in counts}

    @property
    def formation_names(self) -> list[str]:
        return [f.name for f in self.formations]

    @property
    def formation_side(self) -> np.ndarray:
        """Side index of each formation, shape ``(F,)``."""
        return np.array([f.side for f in self.formations], dtype=np.int64)

    @property
    def foreign(self) -> np.ndarray:
        """Whether each formation is foreign to its side, shape ``(F,)``."""
        return np.array([f.foreign for f in self.formations], dtype=bool)


def _drift(scenario: Scenario, dt: float) -> dict[str, int]:
    """Blocks of the drifts over the horizon and steps per block (one block and none without a ``[drift]`` table)."""
    if scenario.drift is None:
        return {"drift_blocks": 1, "drift_block_steps": 0}
    return {"drift_blocks": drift_blocks(scenario.meta.horizon_days, scenario.drift.block_days),
            "drift_block_steps": max(int(round(scenario.drift.block_days / dt)), 1)}


def _replacement_cohorts(scenario: Scenario, formation: int, window: tuple[int, int] | None, steps: int) -> list[CohortInfo]:
    """A contingent's replacements within the horizon, one cohort per calendar year they are sent in."""
    if window is None or window[0] >= steps:
        return []
    first, last = max(window[0], 0), min(window[1], steps - 1)
    dt = scenario.meta.step_days
    cohorts = []
    while first <= last:
        year = (scenario.meta.start_date + datetime.timedelta(days=int(first * dt))).year
        next_year = int(np.ceil((datetime.date(year + 1, 1, 1) - scenario.meta.start_date).days / dt))
        end = min(last, next_year - 1)
        cohorts.append(CohortInfo(f"replacements{year}", f"replacements sent in {year}", formation, first=first, last=end))
        first = end + 1
    return cohorts


def _step(scenario: Scenario, date) -> int:
    """The step a date falls on, counted from the scenario's start."""
    return int(round((date - scenario.meta.start_date).days / scenario.meta.step_days))


def _channels(scenario: Scenario, space: ParameterSpace, sides: tuple[str, ...], off: set[str], steps: int) -> dict:
    """The contributors and the dated arrivals of their switched-on channels, as :class:`Layout` fields."""
    contributors, deliveries, missiles, artillery, workers = [], [], [], [], []
    for c, (name, contributor) in enumerate(scenario.contributors.items()):
        on = tuple(channel for channel in scenario.channels_of(name) if f"{name}.{channel}" not in off)
        side = sides.index(contributor.side)
        contributors.append(ContributorInfo(name, side, on, "payments" in on))
        prefix = f"contributors.{name}"
        if "shells" in on:
            for k, d in enumerate(contributor.shells.deliveries):
                last = steps - 1 if d.end_date is None else min(_step(scenario, d.end_date), steps - 1)
                deliveries.append(DeliveryInfo(c, side, _step(scenario, d.start_date), last,
                                               space.index(f"{prefix}.shells.deliveries.{k}.shells_per_day")))
        for channel, listing, key, out in (("missiles", "deliveries", "missiles", missiles), ("artillery", "deliveries", "systems", artillery),
                                           ("labor", "tranches", "size_persons", workers)):
            if channel in on:
                for k, tranche in enumerate(getattr(getattr(contributor, channel), listing)):
                    step = _step(scenario, tranche.date)
                    if step < steps:
                        out.append(CountInfo(c, step, space.index(f"{prefix}.{channel}.{listing}.{k}.{key}")))
    return dict(contributors=tuple(contributors), shell_deliveries=tuple(deliveries), missile_tranches=tuple(missiles),
                artillery_tranches=tuple(artillery), worker_tranches=tuple(workers))
