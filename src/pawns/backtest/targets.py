"""What a back-test scores: the observations after a cut-off, and what was known of them by it.

Four kinds of stream, each scored its own way:

* **changes** of a daily cumulative stream (the General Staff's claims, the DeepState and
  Liveuamap areas): the change from the cut-off to ``horizon`` days after it. The model's level at
  the cut-off need not equal the observed level, and the baselines forecast changes too.
* **a lower bound** (the named dead): names of the whole months after the cut-off (the horizon
  rounded to months) bound the deaths of Russian nationals over those days from below. Recent
  months fill in as names are confirmed, so a bound read from a later compilation is only higher.
* **dated claims** (DPRK casualties, killed, wounded): each claim dated within the horizon, scored
  against the model's level on its date.

The baselines' history is read as observed by the cut-off (``as_of``); the targets from all the
data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pawns.observations.catalog import load_observed
from pawns.observations.claims import load_claims
from pawns.observations.models import (
    AREA_STREAM, DEEPSTATE_STREAM, DPRK_CASUALTIES, DPRK_KILLED, DPRK_WOUNDED, GS_STREAM, deepstate_basis_difference,
)

CHANGE, BOUND, CLAIM = "change", "lower bound", "claim"
NAMED_BOUND = "russian_named_dead_bound"
NAMED_MONTHLY = "russian_named_dead_monthly"
DEATHS = "russian_deaths"  # the model's deaths of Russian nationals, which the named dead bound from below
CHANGE_STREAMS = (GS_STREAM, DEEPSTATE_STREAM, AREA_STREAM)
CLAIM_STREAMS = (DPRK_CASUALTIES, DPRK_KILLED, DPRK_WOUNDED)
HISTORY_DAYS = 400  # observed days before the cut-off the baselines may use (their windows are 90 and 365)
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Target:
    """One observation to forecast from a cut-off.

    Attributes
    ----------
    stream
        The scored stream (a row of the table).
    kind
        ``"change"``, ``"lower bound"`` or ``"claim"``.
    horizon
        The horizon (days) it belongs to.
    day
        Days after the cut-off at which the model's stream is read.
    observed
        The observed change, bound or claimed value.
    model_stream
        The model stream it is compared with.
    label
        What it is (a claim id, the months of a bound).
    """

    stream: str
    kind: str
    horizon: int
    day: int
    observed: float
    model_stream: str
    label: str = ""


def change_targets(stream: str, cutoff: dt.date, horizons: list[int]) -> list[Target]:
    """The observed change of ``stream`` from the cut-off to each horizon the data reach."""
    series = load_observed(stream)
    first, last = series.index[0].date(), series.index[-1].date()
    if cutoff < first:
        return []
    at_cutoff = value_on(series, cutoff)
    return [Target(stream, CHANGE, h, h, value_on(series, cutoff + dt.timedelta(days=h)) - at_cutoff, stream)
            for h in horizons if cutoff + dt.timedelta(days=h) <= last]


def value_on(series: "object", day: dt.date) -> float:
    """The last observed value on or before ``day``."""
    import pandas as pd

    return float(series.loc[:pd.Timestamp(day)].iloc[-1])  # type: ignore[attr-defined]


def months_ahead(horizon: int) -> int:
    """A horizon in whole months (30 days: 1, 90: 3, 180: 6, 365: 12)."""
    return max(1, int(round(horizon / DAYS_PER_MONTH)))


def named_dead_targets(cutoff: dt.date, horizons: list[int]) -> list[Target]:
    """Names of the whole months after the cut-off, a lower bound on the deaths until those months end."""
    import pandas as pd

    named = load_observed(NAMED_MONTHLY)
    first = (pd.Timestamp(cutoff) + pd.offsets.MonthBegin(1))  # the first month that starts after the cut-off
    out = []
    for h in horizons:
        months = pd.date_range(first, periods=months_ahead(h), freq="MS")
        if months[-1] > named.index[-1]:
            continue
        end = (months[-1] + pd.offsets.MonthEnd(0)).date()
        label = f"{months[0]:%Y-%m}..{months[-1]:%Y-%m}"
        out.append(Target(NAMED_BOUND, BOUND, h, (end - cutoff).days, float(named.loc[months].sum()), DEATHS, label))
    return out


def claim_targets(cutoff: dt.date, horizons: list[int]) -> list[Target]:
    """Each DPRK casualty claim dated within a horizon after the cut-off, by horizon."""
    claims = [c for c in load_claims() if c.stream in CLAIM_STREAMS and c.as_of > cutoff]
    return [Target(c.stream, CLAIM, h, (c.as_of - cutoff).days, c.value, c.stream, c.id)
            for h in horizons for c in claims if (c.as_of - cutoff).days <= h]


def targets_after(cutoff: dt.date, horizons: list[int], *, claims: bool) -> list[Target]:
    """Every target of a cut-off: changes, the named-dead bound, and (``claims``) the DPRK claims."""
    out = [t for stream in CHANGE_STREAMS for t in change_targets(stream, cutoff, horizons)]
    out += named_dead_targets(cutoff, horizons)
    return out + (claim_targets(cutoff, horizons) if claims else [])


def history(stream: str, cutoff: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(t, y)`` the baselines of ``stream`` may fit: observed by the cut-off, ``t`` days relative to it.

    DeepState's series begins on 2024-07-08; before that its history is Liveuamap's, moved onto
    DeepState's basis by the median difference of the two maps over the days both reported by the
    cut-off. A claim stream's history is its claims dated and published by the cut-off.
    """
    from pawns.backtest.baselines import points_before

    if stream in CLAIM_STREAMS:
        import pandas as pd

        known = [c for c in load_claims() if c.stream == stream and c.as_of <= cutoff and (c.published_by is None or c.published_by <= cutoff)]
        series = pd.Series([c.value for c in known], index=pd.to_datetime([c.as_of for c in known]), dtype=float).sort_index()
        return points_before(series, cutoff, HISTORY_DAYS)
    series = load_observed(stream, as_of=cutoff)
    if stream == DEEPSTATE_STREAM:
        series = _with_liveuamap_before(series, cutoff)
    return points_before(series, cutoff, HISTORY_DAYS)


def _with_liveuamap_before(deepstate: "object", cutoff: dt.date) -> "object":
    import pandas as pd

    liveuamap = load_observed(AREA_STREAM, as_of=cutoff)
    basis = deepstate_basis_difference(as_of=cutoff)
    if basis is None or deepstate.empty:  # type: ignore[attr-defined]
        return deepstate
    before = liveuamap[liveuamap.index < deepstate.index[0]] + basis  # type: ignore[attr-defined, index]
    return pd.concat([before, deepstate])
