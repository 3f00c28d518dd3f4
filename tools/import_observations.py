"""Carry the observed series from the shared starter data into the package, normalized.

Usage: python tools/import_observations.py ../shared/data

Reads the starter CSVs and writes ``src/pawns/observations/data/<stream>.csv`` with columns
``date,value`` (ISO dates, daily or month-start) so the package never depends on files
outside it. Sources and caveats live in ``pawns.observations.catalog``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "pawns" / "observations" / "data"

STREAMS = {
    "ua_gs_russian_personnel_cumulative": ("ua_gs_russian_personnel_cumulative.csv", "date", "personnel_cumulative"),
    "russian_controlled_area_km2": ("russian_controlled_area_km2_liveuamap.csv", "date", "area_km2"),
    "russian_named_dead_monthly": ("russian_named_dead_monthly.csv", "month", "named_dead"),
}


def main(source: Path) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for stream, (filename, date_column, value_column) in STREAMS.items():
        with open(source / filename, newline="", encoding="utf-8") as handle:
            rows = [(r[date_column], float(r[value_column])) for r in csv.DictReader(handle)]
        with open(TARGET / f"{stream}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", "value"])
            for date, value in rows:
                writer.writerow([date if len(date) == 10 else f"{date}-01", f"{value:.10g}"])
        print(f"{stream}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
