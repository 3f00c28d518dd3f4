"""Carry the dated claims that calibration compares with the model into the package.

Usage: python tools/import_calibration_claims.py ../shared/data

Reads ``claims_public_reporting.csv`` and writes ``src/pawns/observations/data/claims.csv``
with the claims listed in ``CLAIMS`` below (DPRK casualties, deployments and strength in Kursk),
then those of ``REFERENCE`` from the project's own ledger (Ukraine's area in Kursk): claim id, the
model stream it observes, the claimed value (middle of a range), its as-of date, claimant, and
the last day it may have been published (``published_by``: a calibration as of a date uses only
claims published by then). Only claims with a day-precise as-of date are carried: the
observation model compares a claim with the model on that day.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pawns.evidence.claims import FuzzyDate  # noqa: E402
from pawns.evidence.ledger import load_ledger  # noqa: E402

TARGET = Path(__file__).resolve().parents[1] / "src" / "pawns" / "observations" / "data" / "claims.csv"

# claim id -> model stream it observes (see pawns.observations.claims)
CLAIMS = {
    "Q1-009": "dprk_deployed_persons",
    "Q1-010": "dprk_deployed_persons",
    "Q1-012": "dprk_deployed_persons",
    "Q1-013": "dprk_deployed_persons",
    "Q1-015": "dprk_deployed_persons",
    "Q1-016": "dprk_deployed_persons",
    "Q2-005": "dprk_killed_cumulative",
    "Q2-025": "dprk_wounded_cumulative",
    "Q2-013": "dprk_casualties_cumulative",
    "Q1-007": "dprk_front_strength",
    "Q2-023": "dprk_casualties_weekly",
    # 2025: the two deployments, and the casualty counts of January to September
    "Q1-018": "dprk_deployed_persons",
    "Q2-006": "dprk_killed_cumulative",
    "Q2-008": "dprk_killed_cumulative",
    "Q2-010": "dprk_killed_cumulative",
    "Q2-011": "dprk_killed_cumulative",
    "Q2-026": "dprk_wounded_cumulative",
    "Q2-027": "dprk_wounded_cumulative",
    "Q2-017": "dprk_casualties_cumulative",
    "Q2-019": "dprk_casualties_cumulative",
    "Q2-022": "dprk_casualties_cumulative",
}

# claim id of the project's ledger (claims_reference.toml) -> model stream it observes
REFERENCE = {
    "R-040": "ua_held_area_kursk_km2",
}


def main(source: Path) -> None:
    with open(source / "claims_public_reporting.csv", newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    missing = sorted(set(CLAIMS) - set(rows))
    if missing:
        raise SystemExit(f"claims not found in the source: {missing}")
    with open(TARGET, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "stream", "value", "as_of_date", "claimant", "published_by"])
        for claim_id, stream in CLAIMS.items():
            row = rows[claim_id]
            if len(row["as_of_date"]) != 10:
                raise SystemExit(f"{claim_id}: as_of_date {row['as_of_date']!r} is not a day")
            value = (float(row["value_low"]) + float(row["value_high"])) / 2
            published_by = FuzzyDate.parse(row["published_date"]).latest
            writer.writerow([claim_id, stream, f"{value:.10g}", row["as_of_date"], row["claimant"], published_by.isoformat()])
        ledger = load_ledger()
        for claim_id, stream in REFERENCE.items():
            claim = ledger.claim(claim_id)
            if claim is None or claim.as_of.earliest != claim.as_of.latest:
                raise SystemExit(f"{claim_id}: not in the ledger, or its as-of date is not a day")
            value = (claim.low + claim.high) / 2
            writer.writerow([claim_id, stream, f"{value:.10g}", claim.as_of.earliest.isoformat(), claim.claimant,
                             claim.published.latest.isoformat()])
    print(f"{TARGET.name}: {len(CLAIMS) + len(REFERENCE)} claims")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
