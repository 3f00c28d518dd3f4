"""Units and descriptions of every recorded variable (attached to the results as attrs)."""

from __future__ import annotations

VARIABLES: dict[str, tuple[str, str]] = {
    "front": ("persons", "strength at the front (M6)"),
    "training": ("persons", "in the training pipeline (M7)"),
    "wounded": ("persons", "wounded in care (M6)"),
    "killed": ("persons", "killed, cumulative, including before the start (M6)"),
    "discharged": ("persons", "permanently disabled and discharged, cumulative (M6)"),
    "deserted": ("persons", "deserted, cumulative"),
    "rotated": ("persons", "rotated home alive, cumulative (M1)"),
    "labor": ("persons", "foreign troops used as laborers (M2)"),
    "casualties": ("persons/day", "killed + wounded per day (M6)"),
    "wounded_total": ("persons", "wounded since the start, cumulative (M6)"),
    "tolerance": ("1", "casualty tolerance index; endurance ends below the threshold (M4)"),
    "shells_fired": ("shells/day", "artillery shells fired per day (M6)"),
    "bonus": ("RUB", "sign-on bonus (M7)"),
    "bonus_spending_rub": ("RUB", "bonus spending, cumulative (M7)"),
    "pool": ("persons", "pool of the willing (M7)"),
    "labor_gap": ("persons", "labor gap: unfilled jobs (M2)"),
    "area": ("km2", "area held by the attacker (M6)"),
    "support": ("1", "external support index of the dynamic supporter, 1 = start (M9)"),
    "gain": ("km2/day", "attacker's territorial gain per day (M6)"),
    "daily_killed": ("persons", "killed since the start, all formations of the side (daily, cumulative)"),
    "daily_casualties": ("persons", "killed + wounded since the start, all formations of the side (daily, cumulative)"),
    "daily_foreign_killed": ("persons", "killed since the start among foreign contingents of the side (daily, cumulative)"),
    "daily_foreign_casualties": ("persons", "killed + wounded since the start among foreign contingents of the side (daily, cumulative)"),
    "daily_area": ("km2", "area held by the attacker (daily)"),
    "end_day": ("day", "day the side's endurance ended; NaN: not by the horizon (M8)"),
    "end_cause": ("1", "cause of the end of endurance: 0 none, 1 manpower, 2 materiel, 3 tolerance (M8)"),
    "abandon_day": ("day", "day the dynamic supporter abandoned its recipient; NaN: not by the horizon (M9, M10)"),
    "parameters": ("mixed (see parameter_unit)", "parameter values drawn for each member"),
}
