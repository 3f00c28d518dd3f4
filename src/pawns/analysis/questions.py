"""The answers to Q1–Q4 under stable keys, each with its interval, sign and one-line reason.

Every answer is a paired effect, member by member, of runs that share all draws (the scenario
against its variant without contingents, with every contingent in one role, or at another
size), given as its median, 90% interval (``q05``, ``q95``) and the share of members where it
is positive (``p_positive``), with ``straddles_zero`` and a ``reason``: the feedback loop or
channel with the largest contribution, found by switching each off in paired runs
(:mod:`pawns.analysis.loops`), and a warning when the interval straddles zero.

Keys (``questions.Q1`` ...) are a contract with the report, the terminal and users' scripts:
add keys, never rename them. docs/answers.md explains each measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from pawns.analysis.effects import (
    abandons_first, contingent_killed, end_probability_change, rmst_days_bought, tolerance_shift_days,
)
from pawns.analysis.statistics import effect_interval, finite_mean
from pawns.analysis.survival import TROOP_MONTH_DAYS, TROOP_YEAR_DAYS, per_exposure

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Q1's dose response: variant label -> contingent size relative to the scenario's (1x is the scenario).
DOSES = {"dose-half": 0.5, "dose-2x": 2.0, "dose-5x": 5.0}
DOSE_KEYS = {0.5: "0.5x", 1.0: "1x", 2.0: "2x", 5.0: "5x"}
PER_TROOP_YEARS = 10_000
PER_TROOP_MONTHS = 1_000
END_YEARS = (1, 2, 5)
BOOTSTRAP_REPLICATES = 2_000


def straddles_zero(found: Mapping[str, float | None]) -> bool:
    """Whether a 90% interval holds values of both signs (its sign is not settled)."""
    low, high = found.get("q05"), found.get("q95")
    return low is not None and high is not None and low < 0 < high


def reason(found: Mapping[str, float | None], contributions: Mapping[str, float], unit: str) -> str:
    """One line: the largest contributor to an answer, and whether the answer's sign is settled.

    ``contributions`` maps a loop or channel, in words, to its mean contribution (the answer
    with everything on, minus the answer with that one switched off, in ``unit``).
    """
    parts = []
    known = {label: value for label, value in contributions.items() if value is not None and np.isfinite(value)}
    if known:
        label = max(known, key=lambda key: abs(known[key]))
        parts.append(f"largest contribution: {label} ({known[label]:+.3g} {unit} on average when switched on)")
    else:
        parts.append("no loop or channel was switched off in this run to attribute it")
    if found.get("median") is None:
        parts.append("undefined in every member")
    elif straddles_zero(found):
        parts.append("the 90% interval straddles zero: the sign is not settled")
    return "; ".join(parts)


def answer(values: np.ndarray, contributions: Mapping[str, float], unit: str) -> dict:
    """An answer's median, 90% interval, ``p_positive``, ``straddles_zero`` and ``reason``."""
    found = effect_interval(values)
    return {**found, "unit": unit, "straddles_zero": straddles_zero(found), "reason": reason(found, contributions, unit)}


def bootstrap_difference(treated: np.ndarray, reference: np.ndarray, *, seed: int = 0) -> dict:
    """A difference of two shares over the same members, with a paired bootstrap 90% interval.

    ``median``, ``q05`` and ``q95`` are those of the difference of means over resampled members;
    ``p_positive`` the share of resamples where it is positive. Deterministic for a seed.
    """
    treated, reference = np.asarray(treated, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    paired = treated - reference
    rows = np.random.default_rng(seed).integers(0, paired.size, size=(BOOTSTRAP_REPLICATES, paired.size))
    means = paired[rows].mean(axis=1)
    q05, q50, q95 = np.quantile(means, [0.05, 0.5, 0.95])
    return {"median": float(q50), "q05": float(q05), "q95": float(q95), "mean": float(paired.mean()), "n": int(paired.size),
            "p_positive": float((means > 0).mean())}


def deployed_person_days(outcomes: "pd.DataFrame", contingents: Iterable[str]) -> np.ndarray:
    """Per member: person-days the contingents were deployed (troops, in any role)."""
    total = np.zeros(len(outcomes))
    for name in contingents:
        column = f"{name}_deployed_person_days"
        if column in outcomes:
            total = total + outcomes[column].to_numpy(dtype=np.float64)
    return total


def contingent_casualties(outcomes: "pd.DataFrame", contingents: Iterable[str]) -> np.ndarray:
    """Per member: killed and wounded among the contingents."""
    total = contingent_killed(outcomes, contingents)
    for name in contingents:
        if f"{name}_wounded" in outcomes:
            total = total + outcomes[f"{name}_wounded"].to_numpy(dtype=np.float64)
    return total


def q1(outcomes: "pd.DataFrame", variants: Mapping[str, "pd.DataFrame"], host: str, horizon: float, contingents: list[str],
       contributions: Mapping[str, Mapping[str, float]]) -> dict:
    """Q1: the host's endurance the contingents buy, as restricted mean time, trajectory shift, P(end) and dose response."""
    return {**q1_paired(outcomes, variants["without"], host, horizon, contributions),
            "dose_response": dose_response(outcomes, variants, host, horizon, contingents)}


def q1_paired(outcomes: "pd.DataFrame", without: "pd.DataFrame", host: str, horizon: float,
              contributions: Mapping[str, Mapping[str, float]]) -> dict:
    """Q1 from the one pair with and without the contingents: restricted mean time, trajectory shift and P(end)."""
    found = {
        "rmst_days_bought": answer(rmst_days_bought(outcomes, without, host), contributions.get("rmst_days_bought", {}), "days"),
        "tolerance_shift_days": answer(tolerance_shift_days(outcomes, without, host, horizon),
                                       contributions.get("tolerance_shift_days", {}), "days"),
    }
    changes = {}
    for years in END_YEARS:
        key = f"{years}y"
        if years * 365 > horizon:
            changes[key] = {"not_applicable": f"the horizon ({horizon:g} days) is shorter than {years} years; run with "
                                              f"--set scenario.horizon_days={years * 365}"}
        else:
            # a fall in the host's P(end) is what the contingents buy: report P(with) - P(without)
            changes[key] = answer(end_probability_change(outcomes, without, host, years),
                                  contributions.get(f"p_end_change_{years}y", {}), "probability")
    found["p_end_change"] = changes
    return found


def dose_response(outcomes: "pd.DataFrame", variants: Mapping[str, "pd.DataFrame"], host: str, horizon: float,
                  contingents: list[str]) -> dict:
    """Q1 per 10,000 troop-years at each size of the contingents: days bought and trajectory shift (and absolute)."""
    without = variants["without"]
    sized = {1.0: outcomes, **{factor: variants[label] for label, factor in DOSES.items() if label in variants}}
    found = {}
    for factor in sorted(sized):
        table = sized[factor]
        exposure = deployed_person_days(table, contingents)
        rmst, shift = rmst_days_bought(table, without, host), tolerance_shift_days(table, without, host, horizon)
        found[DOSE_KEYS[factor]] = {
            "troop_years": effect_interval(exposure / TROOP_YEAR_DAYS),
            "rmst_days_bought_per_10k_troop_years": answer(per_exposure(rmst, exposure, TROOP_YEAR_DAYS, PER_TROOP_YEARS), {}, "days"),
            "tolerance_shift_days_per_10k_troop_years": answer(per_exposure(shift, exposure, TROOP_YEAR_DAYS, PER_TROOP_YEARS), {},
                                                               "days"),
            "rmst_days_bought": effect_interval(rmst),
            "tolerance_shift_days": effect_interval(shift),
        }
    return found


def role_measures(role: "pd.DataFrame", without: "pd.DataFrame", host: str, horizon: float,
                  contingents: list[str]) -> dict[str, np.ndarray]:
    """Per member, per 1,000 troop-months of the contingents in one role, against no contingents (Q2)."""
    exposure = deployed_person_days(role, contingents)

    def per(values: np.ndarray) -> np.ndarray:
        return per_exposure(values, exposure, TROOP_MONTH_DAYS, PER_TROOP_MONTHS)

    def column(name: str) -> tuple[np.ndarray, np.ndarray]:
        return role[f"{host}_{name}"].to_numpy(dtype=np.float64), without[f"{host}_{name}"].to_numpy(dtype=np.float64)

    front, front_without = column("national_front_days")
    shells, shells_without = column("shells_produced")
    casualties, casualties_without = column("national_casualties")
    return {
        "freed_host_soldier_days_at_front": per(front - front_without),
        "extra_defence_output_shells": per(shells - shells_without),
        "host_national_casualties_avoided": per(casualties_without - casualties),
        "contingent_killed": per(contingent_killed(role, contingents)),
        "rmst_days_bought": per(rmst_days_bought(role, without, host)),
        "tolerance_shift_days": per(tolerance_shift_days(role, without, host, horizon)),
    }


Q2_UNITS = {"freed_host_soldier_days_at_front": "soldier-days", "extra_defence_output_shells": "shells",
            "host_national_casualties_avoided": "persons", "contingent_killed": "persons", "rmst_days_bought": "days",
            "tolerance_shift_days": "days"}


def q2(variants: Mapping[str, "pd.DataFrame"], host: str, horizon: float, contingents: list[str]) -> dict:
    """Q2: labor against combat, per 1,000 troop-months of the same contingents, side by side."""
    without = variants["without"]
    measures = {role: role_measures(variants[role], without, host, horizon, contingents) for role in ("combat", "labor")}
    found: dict = {"per": f"{PER_TROOP_MONTHS:,} troop-months"}
    for role in ("combat", "labor"):
        found[f"{role}_per_1000_troop_months"] = {
            key: answer(values, {}, Q2_UNITS[key]) for key, values in measures[role].items()
        }
    for key in ("rmst_days_bought", "tolerance_shift_days"):
        difference = measures["combat"][key] - measures["labor"][key]
        mean = finite_mean(difference)
        larger = "neither (undefined in every member)" if np.isnan(mean) else "combat" if mean > 0 else "labor"
        contributions = {f"the {role} use": finite_mean(measures[role][key]) for role in ("combat", "labor")}
        entry = answer(difference, contributions, "days")
        entry["more_per_troop_month"] = larger
        found[f"combat_minus_labor_{key}_per_1000_troop_months"] = entry
    return found


def q3(outcomes: "pd.DataFrame", variants: Mapping[str, "pd.DataFrame"], contributions: Mapping[str, float],
       by_channel: Mapping[str, dict] | None = None) -> dict:
    """Q3: P(supporters abandon before the host ends), with and without the contingents, and by channel."""
    if "race" not in outcomes:
        return {"not_applicable": "this scenario has no supporter whose abandonment races the host's end"}
    with_, without = abandons_first(outcomes), abandons_first(variants["without"])
    change = bootstrap_difference(with_, without)
    change.update(unit="probability", straddles_zero=straddles_zero(change), reason=reason(change, contributions, "probability"))
    found = {"p_abandon_first_with": float(with_.mean()), "p_abandon_first_without": float(without.mean()),
             "p_abandon_first_change": change}
    if by_channel:
        found["by_channel"] = dict(by_channel)
    return found


def q4(outcomes: "pd.DataFrame", without: "pd.DataFrame", host: str, contingents: list[str],
       contributions: Mapping[str, float]) -> dict:
    """Q4: host-national casualties avoided per contingent casualty, and the foreign share of the host's casualties."""
    avoided = without[f"{host}_national_casualties"].to_numpy(dtype=np.float64) - outcomes[f"{host}_national_casualties"].to_numpy(dtype=np.float64)
    casualties = contingent_casualties(outcomes, contingents)
    ratio = np.where(casualties > 0, avoided / np.where(casualties > 0, casualties, 1.0), np.nan)
    return {
        "substitution_ratio": answer(ratio, contributions, "host-national casualties avoided per contingent casualty"),
        "host_national_casualties_avoided": effect_interval(avoided),
        "contingent_casualties": effect_interval(casualties),
    }
