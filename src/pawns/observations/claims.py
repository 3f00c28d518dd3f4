"""Dated claims that calibration compares with the model (DPRK casualties and deployments).

Carried into the package by ``tools/import_calibration_claims.py`` from the shared claims table,
with their claim ids; each names the model stream it observes (see
:mod:`pawns.observations.models`).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class DatedClaim:
    """A claimed value of a model stream on a date, and the last day it may have been published."""

    id: str
    stream: str
    value: float
    as_of: dt.date
    claimant: str
    published_by: dt.date | None = None


def load_claims() -> list[DatedClaim]:
    """The carried claims, in file order."""
    with (resources.files("pawns.observations") / "data" / "claims.csv").open("r", encoding="utf-8", newline="") as handle:
        return [
            DatedClaim(row["id"], row["stream"], float(row["value"]), dt.date.fromisoformat(row["as_of_date"]), row["claimant"],
                       dt.date.fromisoformat(row["published_by"]))
            for row in csv.DictReader(handle)
        ]
