"""The observations a calibration compares with the model, cut to its window [start, until].

Cumulative streams are compared through their changes over consecutive blocks of
``block_days`` (30 by default): a cumulative series repeats every earlier error in every later
value, while block changes carry separate information and make an independent-error
likelihood defensible.

The area is Liveuamap's (the basis the scenarios state their area on) while its series lasts;
blocks after its end take their changes from the DeepState map, so a window reaching past
January 2025 still sees the front move (a change within one block comes from one map only).

That the war went on is an observation too: where the General Staff's daily reports run to the
window's end, neither side's endurance ended inside it (``fought_on``), and the likelihood
weighs each member's hazard of an end against that (pawns.calibration.likelihood).

The data are read as observed by a date (``as_of``; the calibration passes the scenario's end):
data published after it, such as a later compilation of the named dead that has filled in
recent months, never change the calibration of a scenario that is over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pawns.observations.catalog import load_observed
from pawns.observations.claims import DatedClaim, load_claims
from pawns.observations.models import AREA_STREAM, DEEPSTATE_STREAM, GS_STREAM, StartOffsets

BLOCK_DAYS = 30
NO_END = "endurance_no_end"  # the observation that neither side's endurance ended in the window


@dataclass(frozen=True)
class BlockChanges:
    """Observed changes of a cumulative stream over blocks ``[start_days[k], end_days[k]]``."""

    stream: str
    start_days: np.ndarray
    end_days: np.ndarray
    observed: np.ndarray


@dataclass(frozen=True)
class NamedDeadBound:
    """Named dead since the start, by the end of each month old enough to be nearly complete."""

    end_days: np.ndarray
    observed: np.ndarray


@dataclass(frozen=True)
class ClaimPoints:
    """Dated claims inside the window and the day (since the start) each refers to."""

    claims: tuple[DatedClaim, ...]
    days: np.ndarray


@dataclass(frozen=True)
class CalibrationData:
    """Everything observed in a calibration window."""

    start: dt.date
    until: dt.date
    window_days: int
    offsets: StartOffsets
    gs: BlockChanges | None
    area: BlockChanges | None
    named: NamedDeadBound | None
    claims: ClaimPoints
    fought_on: bool = False  # both sides still fighting at the window's end (daily reports run to it)

    def count(self) -> dict[str, int]:
        """Number of observations per stream."""
        return {
            GS_STREAM: 0 if self.gs is None else len(self.gs.observed),
            AREA_STREAM: 0 if self.area is None else len(self.area.observed),
            "russian_named_dead_bound": 0 if self.named is None else len(self.named.observed),
            "claims": len(self.claims.claims),
            NO_END: int(self.fought_on),
        }


def observed_on(series: "object", start: dt.date, days: np.ndarray) -> np.ndarray:
    """Last observed value on or before each ``start + day`` (NaN before the series begins)."""
    import pandas as pd

    stamps = pd.Timestamp(start) + pd.to_timedelta(days, unit="D")
    return series.reindex(series.index.union(stamps)).ffill().reindex(stamps).to_numpy(dtype=float)  # type: ignore[attr-defined]


def block_changes(stream: str, start: dt.date, window_days: int, block_days: int = BLOCK_DAYS,
                  as_of: dt.date | None = None) -> BlockChanges | None:
    """Observed changes of ``stream`` over consecutive blocks inside the window (data as observed by ``as_of``)."""
    series = load_observed(stream, as_of)
    if series.empty:  # nothing observed yet by as_of
        return None
    edges = np.arange(0, window_days + 1, block_days)
    last_day = (series.index[-1].date() - start).days
    edges = edges[edges <= last_day]
    if edges.size < 2:
        return None
    values = observed_on(series, start, edges)
    keep = np.isfinite(values[:-1]) & np.isfinite(values[1:])
    if not keep.any():
        return None
    return BlockChanges(stream, edges[:-1][keep], edges[1:][keep], (values[1:] - values[:-1])[keep])


def area_block_changes(start: dt.date, window_days: int, block_days: int = BLOCK_DAYS,
                       as_of: dt.date | None = None) -> BlockChanges | None:
    """Area changes over the blocks: Liveuamap's, then DeepState's for the blocks after Liveuamap's last one."""
    liveuamap = block_changes(AREA_STREAM, start, window_days, block_days, as_of)
    deepstate = block_changes(DEEPSTATE_STREAM, start, window_days, block_days, as_of)
    if liveuamap is None or deepstate is None:
        return liveuamap if liveuamap is not None else (None if deepstate is None else BlockChanges(AREA_STREAM, *_fields(deepstate)))
    later = deepstate.start_days >= liveuamap.end_days[-1]
    return BlockChanges(AREA_STREAM, *(np.concatenate([a, b[later]]) for a, b in zip(_fields(liveuamap), _fields(deepstate))))


def _fields(blocks: BlockChanges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return blocks.start_days, blocks.end_days, blocks.observed


def named_dead_bound(start: dt.date, until: dt.date, lag_days: float, as_of: dt.date | None = None) -> NamedDeadBound | None:
    """Cumulative named dead since the start month, at month ends at least ``lag_days`` before the data end.

    The data end is that of the months observed by ``as_of`` (all months if ``None``).
    """
    import pandas as pd

    named = load_observed("russian_named_dead_monthly", as_of)
    first = pd.Timestamp(start)
    months = named.loc[named.index >= first]
    ends = (months.index + pd.offsets.MonthBegin(1))
    data_end = named.index[-1] + pd.offsets.MonthBegin(1)
    complete = ends <= min(pd.Timestamp(until), data_end - pd.Timedelta(days=float(lag_days)))
    if not complete.any():
        return None
    cumulative = months.cumsum().to_numpy(dtype=float)[complete]
    days = np.array([(end.date() - start).days for end in ends[complete]])
    return NamedDeadBound(days, cumulative)


def claims_in_window(start: dt.date, until: dt.date, as_of: dt.date | None = None) -> ClaimPoints:
    """Carried claims dated inside the window (and, with ``as_of``, published by then)."""
    inside = tuple(c for c in load_claims() if start < c.as_of <= until
                   and (as_of is None or c.published_by is None or c.published_by <= as_of))
    return ClaimPoints(inside, np.array([(c.as_of - start).days for c in inside], dtype=np.int64))


def fought_on(until: dt.date, as_of: dt.date | None = None) -> bool:
    """Whether the war went on through ``until``: the General Staff reported a day on or after it (as observed by ``as_of``)."""
    reports = load_observed(GS_STREAM, as_of)
    return bool(len(reports)) and reports.index[-1].date() >= until


def build_data(start: dt.date, until: dt.date, named_lag_days: float, block_days: int = BLOCK_DAYS,
               as_of: dt.date | None = None, with_claims: bool = True) -> CalibrationData:
    """Collect the observations of the window ``[start, until]``, as observed by ``as_of`` (default: everything).

    ``with_claims=False`` leaves the dated claims out: a scenario without a foreign contingent
    models nothing they observe.
    """
    window = (until - start).days
    return CalibrationData(
        start, until, window, StartOffsets.at(start),
        block_changes(GS_STREAM, start, window, block_days, as_of),
        area_block_changes(start, window, block_days, as_of),
        named_dead_bound(start, until, named_lag_days, as_of),
        claims_in_window(start, until, as_of) if with_claims else ClaimPoints((), np.zeros(0, dtype=np.int64)),
        fought_on(until, as_of),
    )
