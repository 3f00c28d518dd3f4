"""Observation models: what each observed stream would show, given a model run.

The model knows true casualties, deaths and territory; the observed streams are claims and
counts with their own biases. Each function here maps a batch of members' daily cumulative
series (``BatchResult.daily_series``, or the ``daily_*`` variables of a results dataset) and
their parameter matrix to the stream an observer would report, noise-free:

* ``ua_gs_russian_personnel_cumulative`` = the General Staff's claim on the start date (read
  from the observed series, so the stream continues the claimed total) + reporting factor x
  model casualties (killed + wounded) of the Russian side since the start. The factor absorbs
  the captured, whom the model does not count, and the claimant's bias.
* ``russian_named_dead_cumulative`` = named dead who died before the start month (observed) +
  completeness x Russian nationals' deaths since the start: the named dead by date of death,
  once the lists have caught up. Lists are read before they catch up (recent months fill in
  for about ``named_dead_lag_days``), so calibration leaves out the months that recent.
* ``russian_controlled_area_km2`` = the model's area (Liveuamap's basis, on which the scenarios
  state their area at the start).
* ``russian_occupied_area_km2_deepstate`` = DeepState's area at the start + the model's change of
  area since the start. The level at the start is DeepState's own (last day on or before the
  start), or, for a start before DeepState's series, Liveuamap's plus the median difference of
  the two maps over the days both report (DeepState reads a few hundred km2 lower).
* ``dprk_casualties_cumulative``, ``dprk_killed_cumulative``, ``dprk_wounded_cumulative`` =
  casualties of the foreign contingents fighting for Russia (the DPRK in the built-ins).
* ``dprk_deployed_persons`` = persons of those contingents arrived so far (tranche sizes).
* ``dprk_casualties_weekly`` = their casualties over the last 7 days (since the start in the
  first week): what a claim of casualties "in one week" counts.
* ``dprk_front_strength`` = persons of those contingents with their combat units in their
  sectors, at the front or in in-theatre training (not the wounded in care, nor laborers):
  what a count of troops sent "to Kursk" counts.
* ``ua_held_area_kursk_km2`` = the area Ukraine holds in the sector named ``kursk``: its stake
  at the start less what Russia, its attacker, has taken back (only in scenarios with such a sector).

Noise models (used by the calibration likelihood) are documented in docs/calibration.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from pawns.model.layout import Layout
from pawns.observations.catalog import load_observed

RUSSIA = "RU"  # side key of the belligerent whose losses and territory the streams observe

GS_STREAM = "ua_gs_russian_personnel_cumulative"
AREA_STREAM = "russian_controlled_area_km2"
DEEPSTATE_STREAM = "russian_occupied_area_km2_deepstate"
NAMED_STREAM = "russian_named_dead_cumulative"
DPRK_CASUALTIES = "dprk_casualties_cumulative"
DPRK_KILLED = "dprk_killed_cumulative"
DPRK_WOUNDED = "dprk_wounded_cumulative"
DPRK_DEPLOYED = "dprk_deployed_persons"
DPRK_WEEKLY = "dprk_casualties_weekly"
DPRK_FRONT = "dprk_front_strength"
KURSK_HELD = "ua_held_area_kursk_km2"
KURSK_SECTOR = "kursk"  # the sector whose defender's held area KURSK_HELD observes

OBSERVATION_PARAMETERS = {
    "reporting_factor": "observations.ua_gs_reporting_factor",
    "gs_log_sd": "observations.ua_gs_log_sd",
    "area_sd": "observations.area_sd_km2",
    "completeness": "observations.named_dead_completeness",
    "lag_days": "observations.named_dead_lag_days",
    "claims_log_sd": "observations.claims_log_sd",
}


@dataclass(frozen=True)
class ObservationParams:
    """Observation-model parameters of a batch of members, each an ``(N,)`` array."""

    reporting_factor: np.ndarray
    gs_log_sd: np.ndarray
    area_sd: np.ndarray
    completeness: np.ndarray
    lag_days: np.ndarray
    claims_log_sd: np.ndarray

    @classmethod
    def from_matrix(cls, layout: Layout, matrix: np.ndarray) -> "ObservationParams":
        """Read the ``observations.*`` columns of a parameter matrix."""
        return cls(**{attr: np.asarray(matrix[:, layout.space.index(name)], dtype=float) for attr, name in OBSERVATION_PARAMETERS.items()})


@dataclass(frozen=True)
class StartOffsets:
    """Observed totals at the scenario start that the claimed cumulative streams continue from.

    ``gs_claimed`` is ``None`` when the scenario starts before the General Staff's series: the
    claimed level is then unknown (its changes are still modelled, and calibration uses only those).
    ``deepstate_area`` is ``None`` when neither map reports the area by the start.
    """

    gs_claimed: float | None
    named_dead: float
    deepstate_area: float | None

    @classmethod
    def at(cls, start: dt.date) -> "StartOffsets":
        """The General Staff's last claim on or before ``start``; named dead of the months before it; DeepState's area."""
        import pandas as pd

        gs = load_observed(GS_STREAM)
        named = load_observed("russian_named_dead_monthly")
        stamp = pd.Timestamp(start)
        before = gs.loc[:stamp]
        month = stamp.to_period("M").to_timestamp()
        return cls(None if before.empty else float(before.iloc[-1]), float(named.loc[named.index < month].sum()),
                   deepstate_area_at(start))


def deepstate_area_at(start: dt.date) -> float | None:
    """DeepState's area on ``start``: its own last report by then, else Liveuamap's on its basis (``None`` if neither)."""
    import pandas as pd

    stamp = pd.Timestamp(start)
    deepstate = load_observed(DEEPSTATE_STREAM)
    if deepstate.index[0] <= stamp:
        return float(deepstate.loc[:stamp].iloc[-1])
    liveuamap = load_observed(AREA_STREAM).loc[:stamp]
    basis = deepstate_basis_difference()
    return None if liveuamap.empty or basis is None else float(liveuamap.iloc[-1] + basis)


def deepstate_basis_difference(as_of: dt.date | None = None) -> float | None:
    """Median of DeepState's minus Liveuamap's area over the days both report (as observed by ``as_of``; ``None``: no such day)."""
    import pandas as pd

    both = pd.concat([load_observed(DEEPSTATE_STREAM, as_of), load_observed(AREA_STREAM, as_of)], axis=1, join="inner").dropna()
    return None if both.empty else float((both.iloc[:, 0] - both.iloc[:, 1]).median())


def side_index(layout: Layout) -> int | None:
    """Index of the observed side, or ``None`` when the scenario has no such side."""
    return layout.sides.index(RUSSIA) if RUSSIA in layout.sides else None


def deployed_persons(layout: Layout, matrix: np.ndarray, days: int) -> np.ndarray:
    """``(N, days + 1)`` persons of the observed side's contingents arrived by each day."""
    side = side_index(layout)
    out = np.zeros((matrix.shape[0], days + 1))
    for tranche in layout.tranches:
        if layout.formations[tranche.formation].side != side:
            continue
        arrival = int(np.ceil(tranche.step * layout.dt - 1e-9))
        if arrival <= days:
            out[:, arrival:] += matrix[:, tranche.size_column][:, None]
    return out


def last_week(cumulative: np.ndarray) -> np.ndarray:
    """``(N, H + 1)`` changes of a cumulative series over the 7 days to each day (since day 0 in the first week)."""
    earlier = np.concatenate([np.repeat(cumulative[:, :1], 7, axis=1), cumulative[:, :-7]], axis=1)[:, : cumulative.shape[1]]
    return cumulative - earlier


def kursk_held(layout: Layout, daily: Mapping[str, np.ndarray], matrix: np.ndarray) -> np.ndarray | None:
    """``(N, H + 1)`` area Ukraine holds in the Kursk sector, or ``None`` without a Kursk sector that Russia attacks."""
    if KURSK_SECTOR not in layout.sector_names or "daily_sector_area" not in daily:
        return None
    z = layout.sector_names.index(KURSK_SECTOR)
    if layout.sides[layout.sectors[z].attacker] != RUSSIA:
        return None
    stake = matrix[:, layout.space.index(f"sectors.{KURSK_SECTOR}.area_at_stake_km2")]
    initial = matrix[:, layout.space.index(f"sectors.{KURSK_SECTOR}.initial_area_km2")]
    taken = np.asarray(daily["daily_sector_area"][:, :, z], dtype=float) - initial[:, None]
    return stake[:, None] - taken


def model_streams(layout: Layout, daily: Mapping[str, np.ndarray], matrix: np.ndarray, offsets: StartOffsets) -> dict[str, np.ndarray]:
    """Every observed stream, noise-free, as ``(N, H + 1)`` arrays (day 0 = the start).

    Parameters
    ----------
    layout
        The scenario's layout.
    daily
        Daily cumulative series since the start: ``daily_casualties``, ``daily_killed``,
        ``daily_foreign_casualties``, ``daily_foreign_killed``, ``daily_foreign_deployed`` shaped
        ``(N, H + 1, S)``, ``daily_sector_area`` shaped ``(N, H + 1, Z)`` and ``daily_area``
        shaped ``(N, H + 1)``.
    matrix
        The members' ``(N, D)`` parameter matrix.
    offsets
        Observed totals at the start.
    """
    side = side_index(layout)
    obs = ObservationParams.from_matrix(layout, matrix)
    area = np.asarray(daily["daily_area"], dtype=float)
    streams = {AREA_STREAM: area}
    if offsets.deepstate_area is not None:  # the map's level at the start, moved by the model's advance
        streams[DEEPSTATE_STREAM] = offsets.deepstate_area + (area - area[:, [0]])
    held = kursk_held(layout, daily, matrix)
    if held is not None:
        streams[KURSK_HELD] = held
    if side is None:
        return streams
    casualties = np.asarray(daily["daily_casualties"][:, :, side], dtype=float)
    killed = np.asarray(daily["daily_killed"][:, :, side], dtype=float)
    foreign_casualties = np.asarray(daily["daily_foreign_casualties"][:, :, side], dtype=float)
    foreign_killed = np.asarray(daily["daily_foreign_killed"][:, :, side], dtype=float)
    # Without a claimed level at the start only the changes mean anything; they start from 0.
    level = offsets.gs_claimed if offsets.gs_claimed is not None else 0.0
    streams[GS_STREAM] = level + obs.reporting_factor[:, None] * casualties
    domestic_killed = killed - foreign_killed
    streams[NAMED_STREAM] = offsets.named_dead + obs.completeness[:, None] * domestic_killed
    streams[DPRK_CASUALTIES] = foreign_casualties
    streams[DPRK_KILLED] = foreign_killed
    streams[DPRK_WOUNDED] = foreign_casualties - foreign_killed
    streams[DPRK_DEPLOYED] = deployed_persons(layout, matrix, area.shape[1] - 1)
    streams[DPRK_WEEKLY] = last_week(foreign_casualties)
    if "daily_foreign_deployed" in daily:
        streams[DPRK_FRONT] = np.asarray(daily["daily_foreign_deployed"][:, :, side], dtype=float)
    return streams
