"""The channel decomposition: what each channel of a contributor's help buys its host, paired.

A contributor (the DPRK) helps its host (Russia) through channels: troops, shells, missiles,
artillery, labor and payments. The scenario runs once as it is and once with each channel
switched off on its own, and once with all of them off, every run with the same members
(common random numbers). For every headline answer, member by member,

    effect of channel c  = answer(scenario) - answer(c off)
    all                  = answer(scenario) - answer(every channel off)
    interaction          = all - sum over c of (effect of c)

so that the singles and the interaction add up to the whole help exactly, member by member.
The interaction is what the channels do only together (guns need shells; shells above the
desired rate are worth more with more guns); it is negative when they overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import numpy as np

from pawns.analysis.effects import abandons_first
from pawns.analysis.outcomes import censored
from pawns.analysis.statistics import effect_interval
from pawns.analysis.variants import switched_off
from pawns.analysis.wording import compact_interval, digits_for, percent, points, signed
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pawns.model.layout import Layout

ALL = "all"
INTERACTION = "interaction"
CHANNELS_FILE = "channels.csv"
CSV_COLUMNS = ("channel", "outcome", "median", "q05", "q95", "p_positive")
LABEL_PREFIX = "off-"
Z90 = 1.6448536269514722  # standard normal quantile for a two-sided 90% interval

# Key -> what the effect of a channel on the headline answer measures, in words ({host}: the side helped).
OUTCOMES: dict[str, str] = {
    "rmst_days_bought": "days longer {host} fights before its end (restricted mean time, from each member's hazard)",
    "tolerance_shift_days": "days by which {host}'s will to fight is held back, at the pace it falls without any channel",
    "endurance_days_bought": "days of {host}'s endurance bought (end of endurance censored at the horizon)",
    "tolerance_days_bought": "days of {host}'s own casualty erosion avoided, at the pace it has without any channel",
    "host_national_casualties_avoided": "{host} nationals killed or wounded avoided",
    "p_abandon_first_change": "change in P(the opponent's supporters abandon it first), percentage points / 100",
    "territory_km2": "attacker's territorial gain (km2)",
}
# Outcomes that are a probability: their row holds the mean change and its 90% sampling interval.
PROBABILITIES = ("p_abandon_first_change",)
HEADINGS = {
    "rmst_days_bought": "days longer before the end",
    "tolerance_shift_days": "days the will to fight is held back",
    "host_national_casualties_avoided": "nationals killed or wounded avoided",
    "p_abandon_first_change": "change in P(abandonment first)",
    "territory_km2": "territory gained, km²",
}
"""The answers the decomposition's tables show (terminal and report), with their headings, in order;
the others (days of endurance censored at the horizon, days of erosion avoided) are in channels.csv
and summary.json."""


def shown(outcomes) -> list[str]:
    """The answers of a decomposition that its tables show (:data:`HEADINGS`), in the headings' order."""
    return [key for key in HEADINGS if key in outcomes]


def cell(outcome: str, stats: dict | None) -> str:
    """One cell of a decomposition table: the median with its 90% range, and how often it is above zero."""
    if not stats or stats.get("median") is None:
        return "—"
    if outcome in PROBABILITIES:
        return f"{points(stats['median'])} ({signed(100 * stats['q05'])} to {signed(100 * stats['q95'])})"
    return f"{compact_interval(stats, digits_for(stats))}, above zero in {percent(stats.get('p_positive'))}"


def channels(scenario: Scenario) -> list[str]:
    """The channels of a scenario's contributors that are switched on, as ``CONTRIBUTOR.CHANNEL``."""
    off = set(scenario.switches.channels_off)
    return [f"{name}.{channel}" for name in scenario.contributors for channel in scenario.channels_of(name)
            if f"{name}.{channel}" not in off]


def label(channel: str) -> str:
    """The ensemble label of the run with ``channel`` off (``ALL``: every channel off): safe in a file name."""
    return LABEL_PREFIX + channel.replace(".", "-")


def channel_variants(scenario: Scenario) -> dict[str, Scenario]:
    """The paired runs the decomposition needs: each channel off, then all of them off (empty without contributors)."""
    found = channels(scenario)
    if not found:
        return {}
    variants = {label(channel): switched_off(scenario, [channel]) for channel in found}
    variants[label(ALL)] = switched_off(scenario, found)
    return variants


def host_of(scenario: Scenario) -> str | None:
    """The side the contributors help (the first contributor's)."""
    return next((c.side for c in scenario.contributors.values()), None)


def host_national_casualties(outcomes: "pd.DataFrame", layout: "Layout", host: str) -> np.ndarray:
    """Per member: killed and wounded over the run among the host's own nationals (its domestic formations)."""
    s = layout.sides.index(host)
    total = np.zeros(len(outcomes))
    for f in layout.formations:
        if f.side == s and not f.foreign and not f.contingent:
            total = total + outcomes[f"{f.name}_killed"].to_numpy(dtype=np.float64) + outcomes[f"{f.name}_wounded"].to_numpy(dtype=np.float64)
    return total


@dataclass(frozen=True)
class Answers:
    """The per-member values of one run that the headline effects are differences of."""

    end_day: np.ndarray  # the host's end of endurance, censored at the horizon
    restricted_days: np.ndarray  # the host's restricted mean time to its end (M8)
    will: np.ndarray  # the host's will to fight at the horizon
    weighted_losses: np.ndarray  # the host's weighted permanent losses at the horizon
    national_casualties: np.ndarray
    abandon_first: np.ndarray | None
    territory: np.ndarray | None

    @classmethod
    def of(cls, outcomes: "pd.DataFrame", layout: "Layout", host: str, horizon: float) -> "Answers":
        return cls(
            end_day=censored(outcomes[f"{host}_end_day"].to_numpy(dtype=np.float64), horizon),
            restricted_days=outcomes[f"{host}_restricted_end_days"].to_numpy(dtype=np.float64),
            will=outcomes[f"{host}_tolerance_end"].to_numpy(dtype=np.float64),
            weighted_losses=outcomes[f"{host}_weighted_losses_end"].to_numpy(dtype=np.float64),
            national_casualties=host_national_casualties(outcomes, layout, host),
            abandon_first=abandons_first(outcomes) if "race" in outcomes else None,
            territory=outcomes["area_change_km2"].to_numpy(dtype=np.float64) if "area_change_km2" in outcomes else None,
        )


def effects(treated: Answers, reference: Answers, pace: np.ndarray, fall: np.ndarray) -> dict[str, np.ndarray]:
    """Per-member effects of ``treated`` against ``reference`` on every headline answer (keys of :data:`OUTCOMES`).

    ``pace`` is the host's weighted losses per day without any channel, ``fall`` the daily
    fall of its will to fight without any channel: one denominator each for every channel,
    so the days of erosion avoided and the shifts add up like the other answers.
    """
    found = {
        "rmst_days_bought": treated.restricted_days - reference.restricted_days,
        "tolerance_shift_days": np.where(fall > 0, (treated.will - reference.will) / np.maximum(fall, 1e-12), 0.0),
        "endurance_days_bought": treated.end_day - reference.end_day,
        "tolerance_days_bought": np.where(pace > 0, (reference.weighted_losses - treated.weighted_losses) / np.maximum(pace, 1e-12), 0.0),
        "host_national_casualties_avoided": reference.national_casualties - treated.national_casualties,
    }
    if treated.abandon_first is not None and reference.abandon_first is not None:
        found["p_abandon_first_change"] = treated.abandon_first - reference.abandon_first
    if treated.territory is not None and reference.territory is not None:
        found["territory_km2"] = treated.territory - reference.territory
    return found


@dataclass(frozen=True)
class Decomposition:
    """Per-member effects of every channel, of all together, and their interaction (``{row: {outcome: values}}``)."""

    host: str
    rows: dict[str, dict[str, np.ndarray]]

    def table(self) -> list[dict]:
        """One row per channel (then ``all`` and ``interaction``) and outcome: median, 90% interval, share positive."""
        return [{"channel": row, "outcome": outcome, **row_statistics(outcome, values)}
                for row, found in self.rows.items() for outcome, values in found.items()]

    def as_dict(self) -> dict:
        """JSON-ready: the host, each outcome's words, and the rows by channel and outcome."""
        table: dict[str, dict] = {}
        for entry in self.table():
            table.setdefault(entry["channel"], {})[entry["outcome"]] = {k: entry[k] for k in ("median", "q05", "q95", "p_positive")}
        words = {key: text.format(host=self.host) for key, text in OUTCOMES.items()}
        return {"host": self.host, "outcomes": {k: v for k, v in words.items() if any(k in r for r in table.values())}, "rows": table}



def channels_csv(section: dict) -> str:
    """``channels.csv`` from a summary's ``channels`` section: one line per channel and outcome, columns :data:`CSV_COLUMNS`."""
    import pandas as pd

    lines = [{"channel": channel, "outcome": outcome, **stats} for channel, found in section["rows"].items() for outcome, stats in found.items()]
    return pd.DataFrame(lines, columns=list(CSV_COLUMNS)).to_csv(index=False, float_format="%.6g")


def row_statistics(outcome: str, values: np.ndarray) -> dict[str, float | None]:
    """Median, q05, q95 and p_positive of a row's per-member effects.

    For a probability (:data:`PROBABILITIES`) the effect is the mean change and the interval its
    90% sampling interval (normal, paired); ``p_positive`` is always the share of members whose
    paired effect is positive.
    """
    values = np.asarray(values, dtype=np.float64)
    if outcome not in PROBABILITIES:
        stats = effect_interval(values)
        return {k: stats[k] for k in ("median", "q05", "q95", "p_positive")}
    mean = float(values.mean())
    half = Z90 * float(values.std(ddof=1)) / np.sqrt(values.size) if values.size > 1 else 0.0
    return {"median": mean, "q05": mean - half, "q95": mean + half, "p_positive": float((values > 0).mean())}


def decompose(scenario: Scenario, layout: "Layout", outcomes: "pd.DataFrame", variants: dict[str, "pd.DataFrame"],
              horizon: float) -> Decomposition | None:
    """The channel decomposition of a run from its outcome table and its channel variants' (None without contributors)."""
    found = channels(scenario)
    host = host_of(scenario)
    if not found or host is None:
        return None
    main = Answers.of(outcomes, layout, host, horizon)
    none = Answers.of(variants[label(ALL)], layout, host, horizon)
    start = outcomes[f"{host}_weighted_losses_start"].to_numpy(dtype=np.float64)
    pace = (none.weighted_losses - start) / horizon
    fall = (outcomes[f"{host}_tolerance_start"].to_numpy(dtype=np.float64) - none.will) / horizon
    rows = {channel: effects(main, Answers.of(variants[label(channel)], layout, host, horizon), pace, fall) for channel in found}
    rows[ALL] = effects(main, none, pace, fall)
    rows[INTERACTION] = {outcome: rows[ALL][outcome] - _sum(rows[channel][outcome] for channel in found) for outcome in rows[ALL]}
    return Decomposition(host, rows)


def _sum(arrays: Iterable[np.ndarray]) -> np.ndarray:
    total = None
    for values in arrays:
        total = values.copy() if total is None else total + values
    return total


def channels_csv_by_scenario(sections: dict[str, dict]) -> str:
    """``channels.csv`` of a comparison: the columns of :data:`CSV_COLUMNS` after a ``scenario`` column."""
    import pandas as pd

    lines = [{"scenario": name, "channel": channel, "outcome": outcome, **stats}
             for name, section in sections.items() for channel, found in section["rows"].items() for outcome, stats in found.items()]
    return pd.DataFrame(lines, columns=["scenario", *CSV_COLUMNS]).to_csv(index=False, float_format="%.6g")
