"""Carry the claims of the shared starter data into the evidence ledger, normalized and graded.

Usage: python tools/import_claims.py [../shared/data/claims_public_reporting.csv] [--accept-changed-ids]

Writes ``src/pawns/evidence/data/claims_public_reporting.csv``. For every claim it
- renames the quantity to the ledger's name and converts the value to the ledger's unit
  (e.g. persons per month -> persons per day), keeping the original fields in ``source_*`` columns;
- reads whether the claim is a point, a range, or only a bound ("at least", "up to");
- decides whether the claimant is a belligerent speaking of its enemy, and grades the claim
  with the documented rule of ``pawns.evidence.grading``;
- writes a short paraphrase of its own, generated from the normalized fields.
Run it again after the shared file changes; review the diff in git.

Scenarios cite claims by id, so an id must keep its meaning from one import to the next. The
importer refuses (and writes nothing) when an id already in the ledger would now stand for a
different claim (another quantity, value, unit, date or address) or would disappear; re-cite or
map the scenarios' citations first, then run it again with ``--accept-changed-ids``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pawns.evidence import units  # noqa: E402
from pawns.evidence.grading import grade_claim  # noqa: E402

TARGET = ROOT / "src" / "pawns" / "evidence" / "data" / "claims_public_reporting.csv"
QUANTITIES = ROOT / "src" / "pawns" / "evidence" / "data" / "quantities.toml"
COLUMNS = ["id", "quantity", "low", "high", "unit", "bound", "as_of", "published", "claimant", "outlet", "url",
           "paraphrase", "about_enemy", "reliability", "credibility", "grade_reason", "notes",
           "source_quantity", "source_value_low", "source_value_high", "source_unit", "source_paraphrase"]

# Shared quantity -> (ledger quantity, unit the shared value is in). Quantities not listed keep
# their name; units not listed in UNIT_NAMES keep theirs.
RENAMES: dict[str, tuple[str, str | None]] = {
    "dprk_killed_wounded": ("dprk_casualties_cumulative", None),
    "dprk_killed_wounded_week": ("dprk_casualties_per_day", "persons_per_week"),
    "dprk_shells_per_year": ("dprk_shells_per_day", None),
    "ru_compensation_air_defense": ("dprk_received_air_defense", None),
    "ru_confirmed_deaths_mediazona": ("ru_named_dead_cumulative", None),
    "ru_contract_recruits_year": ("ru_contract_recruits_ytd", None),
    "ru_killed_excess_mortality_est": ("ru_killed_cumulative", None),
    "ru_killed_us_leak": ("ru_killed_cumulative", None),
    "ru_killed_official": ("ru_killed_cumulative", None),
    "ru_killed_wounded_ratio": ("ru_wounded_per_killed", None),
    "ru_killed_wounded_ratio_us_leak": ("ru_wounded_per_killed", None),
    "ru_wounded_killed_ratio_historic": ("wounded_per_killed_benchmark", None),
    "ru_recruitment_per_month": ("ru_recruits_per_day", None),
    "ru_shell_production_per_year": ("ru_shell_production_per_day", "shells_per_year"),
    "ru_shells_per_day": ("ru_shells_fired_per_day", None),
    "territory_ru_gain_year": ("ru_territory_gain_per_day", "km2_per_year"),
    "territory_ru_gain_ytd": ("ru_territory_gain_ytd", None),
    "ua_killed_named_ualosses": ("ua_killed_cumulative", None),
    "ua_killed_official_certificates": ("ua_killed_certified_per_day", None),
    "ua_mobilization_per_month": ("ua_mobilized_per_day", None),
    # quantities first claimed in 2025
    "dprk_troops_reinforcement": ("dprk_reinforcements", None),
    "dprk_troops_projected_additional": ("dprk_troops_additional_projected", None),
    "dprk_engineers_builders": ("dprk_deminers_and_builders", None),
    "dprk_official_acknowledgement": ("dprk_deployment_acknowledged", None),
    "dprk_casualty_rate": ("dprk_casualty_share", None),
    "dprk_coffins_repatriated": ("dprk_remains_repatriated", None),
    "dprk_official_fallen_disclosed": ("dprk_fallen_named_by_dprk", None),
    "dprk_entries_to_russia": ("dprk_arrivals_per_day", "persons_per_year"),
    "dprk_artillery_systems_to_russia": ("dprk_artillery_to_russia", None),
    "ru_compensation_to_dprk": ("dprk_received_military_technology", None),
    "ru_casualties_per_km2": ("ru_casualties_per_km2_taken", None),
    "ru_casualties_year": ("ru_casualties_per_day", "persons_per_year"),
    "ru_killed_year": ("ru_killed_per_day", "persons_per_year"),
    "ru_killed_per_week": ("ru_killed_per_day", None),
    "ru_killed_kursk": ("ru_killed_in_kursk", None),
    "ru_missing_requests": ("ru_missing_search_requests", None),
    "ru_conscripts_killed_kursk": ("ru_conscripts_killed_in_kursk", None),
    "ru_grouping_growth_per_month": ("ru_grouping_growth_per_day", None),
    "ru_labor_need_2030": ("ru_workers_needed_by_2030", None),
    "territory_ru_gain_month": ("ru_territory_gain_per_day", "km2_per_month"),
    "territory_ru_occupied_share": ("ru_occupied_share_of_ukraine", None),
    "kursk_recaptured_declared": ("ru_kursk_recapture_declared", None),
    "ua_awol_per_month": ("ua_awol_per_day", None),
    "ua_losses_kursk_claimed": ("ua_casualties_in_kursk", None),
    "ua_mobilized_year": ("ua_mobilized_per_day", "persons_per_year"),
    "us_aid_allocated_total": ("us_aid_allocated", None),
    "us_aid_annual_avg": ("us_aid_per_year", "eur_billion_per_year"),
    "us_aid_pause": ("us_aid_paused", None),
    "us_aid_pause_value": ("us_aid_withheld", None),
    "us_intel_sharing_pause": ("us_intel_sharing_paused", None),
    "west_aid_annual_allocation": ("west_aid_per_year", "eur_billion_per_year"),
    "west_aid_europe_total": ("europe_aid_allocated", None),
    "west_military_aid_total": ("west_military_aid_allocated", None),
}
# Figures for part of a calendar year (notes say "year-to-date"), by shared quantity: the
# ledger quantity that holds them (whole-year figures of the same shared quantity are rates).
YEAR_TO_DATE = {"ru_casualties_year": "ru_casualties_ytd"}
UNIT_NAMES = {"rubles": "rub", "rubles_per_month": "rub_per_month", "ratio_wounded_per_killed": "ratio",
              "meters_per_day": "m_per_day", "percent_of_ukraine": "percent",
              "coffins": "persons"}  # one coffin, one soldier's remains
# Claims whose figure is a total over a stated number of days: the ledger quantity (a rate)
# and the days; the total is divided by them.
PER_DAYS: dict[str, tuple[str, float]] = {
    "Q2-012": ("dprk_casualties_per_day", 3),
    "Q3-026": ("ru_casualties_per_day", 31),  # January 2025
    "Q4-016": ("ru_recruits_per_day", 91),  # April-June 2024
    "Q4-017": ("ru_recruits_per_day", 91),  # April-June 2025
    "Q4-035": ("ru_military_personnel_spending_per_month", 181),  # January-June 2025
    "Q6-057": ("europe_military_aid_per_year", 61.5),  # two-month totals (July-August, September-October 2025)
    "Q8-011": ("ru_territory_gain_per_day", (dt.date(2025, 6, 5) - dt.date(2024, 1, 1)).days),  # since January 2024
}
# Quantities whose every claim is a lower bound (named-dead lists only grow).
LOWER_BOUND_QUANTITIES = {"ru_confirmed_deaths_mediazona", "ua_killed_named_ualosses", "dprk_official_fallen_disclosed"}
# Claims read by hand where the wording alone would mislead (reason in the comment).
BOUND_BY_HAND = {
    "Q3-083": "lower",  # Russia's last official death toll (Sept 2022): an undercount
    "Q3-038": "lower",  # "more than 1,200 a day"
    "Q2-013": "lower",  # "over 3,000", noted as a lower bound
    "Q2-005": "lower",  # "at least 100"
    "Q4-019": "estimate",  # the decree's amount; "more than double" compares it with 2022
    "Q10-017": "upper",  # "up to 20,000 of at least 40,000": the killed are the upper bound
    "Q1-020": "estimate",  # "about 10,000"; the "at least" is about the dead
    "Q2-011": "estimate",  # "about 2,000"; the "at least" is April's figure
    "Q2-014": "estimate",  # "losses over 4,000" (a rounded estimate); the "up to" is about the troops deployed
    "Q3-050": "estimate",  # "more than" compares 2024 with 2022-23
    "Q3-090": "estimate",  # "more than" compares 2024 with 2022-23
    "Q6-052": "estimate",  # "more than" compares Europe with the US
    "Q6-060": "estimate",  # "more than" compares the US with Europe
}
_LOWER = re.compile(r"\b(at least|more than|lower bound|bare minimum)\b", re.IGNORECASE)
_UPPER = re.compile(r"\b(up to|at most|upper bound)\b", re.IGNORECASE)


def read_quantities() -> dict[str, dict]:
    return tomllib.loads(QUANTITIES.read_text(encoding="utf-8"))["quantity"]


def ledger_unit(row: dict[str, str], quantity: str, shared_unit: str | None, quantities: dict[str, dict]) -> tuple[str, float]:
    """The ledger unit of a claim and the factor that converts its value to it."""
    given = shared_unit or UNIT_NAMES.get(row["unit"], row["unit"])
    target = quantities[quantity]["unit"]
    if given == "percent" and target == "fraction":
        return target, 0.01
    if row["id"] in PER_DAYS:
        return target, units.rate_factor(given, PER_DAYS[row["id"]][1], target)
    return target, units.convert(1.0, given, target)


def ledger_quantity(row: dict[str, str]) -> tuple[str, str | None]:
    """The ledger quantity of a shared claim, and the unit its value is in when the shared one misleads."""
    if row["id"] in PER_DAYS:
        return PER_DAYS[row["id"]][0], None
    if row["quantity"] in YEAR_TO_DATE and "year-to-date" in row["notes"]:
        return YEAR_TO_DATE[row["quantity"]], None
    return RENAMES.get(row["quantity"], (row["quantity"], None))


def bound_of(row: dict[str, str], source_quantity: str) -> str:
    if row["id"] in BOUND_BY_HAND:
        return BOUND_BY_HAND[row["id"]]
    if source_quantity in LOWER_BOUND_QUANTITIES or _LOWER.search(row["notes"]) or _LOWER.search(row["quote_paraphrase"]):
        return "lower"
    if _UPPER.search(row["quote_paraphrase"]) and row["value_low"] == row["value_high"]:
        return "upper"
    return "estimate"


def paraphrase(claimant: str, description: str, bound: str, low: float, high: float, unit: str, as_of: str) -> str:
    """A short paraphrase in the project's words: who put what at how much, when."""
    who = re.sub(r"\s*\([^)]*\)", "", claimant).strip() or claimant
    if unit == "event":
        return f"{who} reported: {description} (as of {as_of})."
    value = _fmt(low) if low == high else f"{_fmt(low)} to {_fmt(high)}"
    hedge = {"lower": "at least ", "upper": "at most "}.get(bound, "")
    return f"{who}: {description}, {hedge}{value} {units.label(unit)} (as of {as_of})."


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def convert_row(row: dict[str, str], quantities: dict[str, dict]) -> dict[str, str]:
    quantity, shared_unit = ledger_quantity(row)
    unit, factor = ledger_unit(row, quantity, shared_unit, quantities)
    low, high = float(row["value_low"]) * factor, float(row["value_high"]) * factor
    subject = quantities[quantity].get("subject", "")
    bound = bound_of(row, row["quantity"])
    side = grade_claim(row["claimant"], row["notes"], False).side
    about_enemy = bool(side) and bool(subject) and side != subject
    grade = grade_claim(row["claimant"], row["notes"], about_enemy)
    return {
        "id": row["id"], "quantity": quantity, "low": f"{low:.6g}", "high": f"{high:.6g}", "unit": unit, "bound": bound,
        "as_of": row["as_of_date"], "published": row["published_date"], "claimant": row["claimant"], "outlet": row["outlet"],
        "url": row["url"],
        "paraphrase": paraphrase(row["claimant"], quantities[quantity]["description"], bound, low, high, unit, row["as_of_date"]),
        "about_enemy": "yes" if about_enemy else "no", "reliability": grade.reliability, "credibility": grade.credibility,
        "grade_reason": grade.reason, "notes": row["notes"], "source_quantity": row["quantity"],
        "source_value_low": row["value_low"], "source_value_high": row["value_high"], "source_unit": row["unit"],
        "source_paraphrase": row["quote_paraphrase"],
    }


# What a claim id stands for: the shared table's own fields, before normalization.
IDENTITY = ("source_quantity", "source_value_low", "source_value_high", "source_unit", "as_of", "published", "url")


def changed_ids(previous: list[dict[str, str]], current: list[dict[str, str]]) -> list[str]:
    """Ids of ``previous`` (the ledger as it is) that ``current`` drops or gives another meaning, each with why."""
    now = {row["id"]: row for row in current}
    problems = []
    for row in previous:
        new = now.get(row["id"])
        if new is None:
            problems.append(f"{row['id']}: no longer in the shared table")
            continue
        differ = [f"{key} {row[key]!r} -> {new[key]!r}" for key in IDENTITY if row[key] != new[key]]
        if differ:
            problems.append(f"{row['id']}: " + "; ".join(differ))
    return problems


def main(source: Path, accept_changed_ids: bool = False) -> None:
    quantities = read_quantities()
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = [convert_row(row, quantities) for row in rows]
    previous = list(csv.DictReader(TARGET.read_text(encoding="utf-8").splitlines())) if TARGET.is_file() else []
    changed = changed_ids(previous, out)
    if changed and not accept_changed_ids:
        raise SystemExit(f"{len(changed)} claim id(s) would change meaning; scenarios cite ids, so re-cite or map them, "
                         "then run again with --accept-changed-ids:\n  " + "\n  ".join(changed))
    with open(TARGET, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    bounds = {kind: sum(r["bound"] == kind for r in out) for kind in ("estimate", "lower", "upper")}
    print(f"{len(out)} claims -> {TARGET.relative_to(ROOT)} ({bounds}); "
          f"{sum(r['about_enemy'] == 'yes' for r in out)} by a belligerent about its enemy")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--accept-changed-ids"]
    main(Path(arguments[0] if arguments else ROOT.parent / "shared" / "data" / "claims_public_reporting.csv"),
         accept_changed_ids="--accept-changed-ids" in sys.argv[1:])
