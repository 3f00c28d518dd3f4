"""Carry the claims of the shared starter data into the evidence ledger, normalized and graded.

Usage: python tools/import_claims.py [../shared/data/claims_public_reporting.csv]

Writes ``src/pawns/evidence/data/claims_public_reporting.csv``. For every claim it
- renames the quantity to the ledger's name and converts the value to the ledger's unit
  (e.g. persons per month -> persons per day), keeping the original fields in ``source_*`` columns;
- reads whether the claim is a point, a range, or only a bound ("at least", "up to");
- decides whether the claimant is a belligerent speaking of its enemy, and grades the claim
  with the documented rule of ``pawns.evidence.grading``;
- writes a short paraphrase of its own, generated from the normalized fields.
Run it again after the shared file changes; review the diff in git.
"""

from __future__ import annotations

import csv
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
}
UNIT_NAMES = {"rubles": "rub", "rubles_per_month": "rub_per_month", "ratio_wounded_per_killed": "ratio"}
# Claims whose figure covers a stated number of days: divided by it to give a daily rate.
PER_DAYS = {"Q2-012": ("dprk_casualties_per_day", 3)}
# Quantities whose every claim is a lower bound (named-dead lists only grow).
LOWER_BOUND_QUANTITIES = {"ru_confirmed_deaths_mediazona", "ua_killed_named_ualosses"}
# Claims read by hand where the wording alone would mislead (reason in the comment).
BOUND_BY_HAND = {
    "Q3-083": "lower",  # Russia's last official death toll (Sept 2022): an undercount
    "Q3-038": "lower",  # "more than 1,200 a day"
    "Q2-013": "lower",  # "over 3,000", noted as a lower bound
    "Q2-005": "lower",  # "at least 100"
    "Q4-019": "estimate",  # the decree's amount; "more than double" compares it with 2022
    "Q10-017": "upper",  # "up to 20,000 of at least 40,000": the killed are the upper bound
}
_LOWER = re.compile(r"\b(at least|more than|lower bound|bare minimum)\b", re.IGNORECASE)
_UPPER = re.compile(r"\b(up to|at most|upper bound)\b", re.IGNORECASE)


def read_quantities() -> dict[str, dict]:
    return tomllib.loads(QUANTITIES.read_text(encoding="utf-8"))["quantity"]


def ledger_unit(row: dict[str, str], quantity: str, shared_unit: str | None, quantities: dict[str, dict]) -> tuple[str, float]:
    """The ledger unit of a claim and the factor that converts its value to it."""
    given = shared_unit or UNIT_NAMES.get(row["unit"], row["unit"])
    if given == "persons_per_week":  # only the weekly DPRK tally uses it
        return "persons_per_day", 1 / 7
    target = quantities[quantity]["unit"]
    if given == "percent" and target == "fraction":
        return target, 0.01
    return target, units.convert(1.0, given, target)


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
    quantity, shared_unit = RENAMES.get(row["quantity"], (row["quantity"], None))
    factor_days = 1.0
    if row["id"] in PER_DAYS:
        quantity, days = PER_DAYS[row["id"]]
        factor_days, shared_unit = 1.0 / days, "persons_per_day"
    unit, factor = ledger_unit(row, quantity, shared_unit, quantities)
    low, high = float(row["value_low"]) * factor * factor_days, float(row["value_high"]) * factor * factor_days
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


def main(source: Path) -> None:
    quantities = read_quantities()
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = [convert_row(row, quantities) for row in rows]
    with open(TARGET, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    bounds = {kind: sum(r["bound"] == kind for r in out) for kind in ("estimate", "lower", "upper")}
    print(f"{len(out)} claims -> {TARGET.relative_to(ROOT)} ({bounds}); "
          f"{sum(r['about_enemy'] == 'yes' for r in out)} by a belligerent about its enemy")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "claims_public_reporting.csv"))
