"""Carry the observed series from the shared starter data into the package, normalized.

Usage: python tools/import_observations.py ../shared/data

Reads the starter CSVs and writes ``src/pawns/observations/data/<stream>.csv`` with columns
``date,value`` (ISO dates, daily or month-start) so the package never depends on files
outside it. Sources and caveats live in ``pawns.observations.catalog``.

It also writes ``named_dead_foreign_nationals.csv``: the foreign nationals in Russian service
named as dead, by country and year of death, with the country in English and the kind of place
it is (see ``pawns.observations.foreign_dead``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "pawns" / "observations" / "data"

STREAMS = {
    "ua_gs_russian_personnel_cumulative": ("ua_gs_russian_personnel_cumulative.csv", "date", "personnel_cumulative"),
    "russian_controlled_area_km2": ("russian_controlled_area_km2_liveuamap.csv", "date", "area_km2"),
    "russian_occupied_area_km2_deepstate": ("russian_occupied_area_km2_deepstate.csv", "date", "area_km2"),
    "russian_named_dead_monthly": ("russian_named_dead_monthly.csv", "month", "named_dead"),
}

FOREIGN_DEAD = "russian_named_dead_foreign_nationals.csv"
# The list's place names (in Russian) -> (English name, kind of place).
COUNTRY, BREAKAWAY, UKRAINE, REGION = "foreign state", "breakaway territory", "Ukraine or occupied Ukraine", "region, country not given"
PLACES = {
    "Абхазия": ("Abkhazia", BREAKAWAY), "Азербайджан": ("Azerbaijan", COUNTRY), "Армения": ("Armenia", COUNTRY),
    "Африка": ("Africa", REGION), "Беларусь": ("Belarus", COUNTRY), "Вьетнам": ("Vietnam", COUNTRY),
    "Грузия": ("Georgia", COUNTRY), "Египет": ("Egypt", COUNTRY), "Запорожская область": ("Zaporizhzhia oblast", UKRAINE),
    "Индия": ("India", COUNTRY), "Ирак": ("Iraq", COUNTRY), "Йемен": ("Yemen", COUNTRY), "Казахстан": ("Kazakhstan", COUNTRY),
    "Китай": ("China", COUNTRY), "Куба": ("Cuba", COUNTRY), "Кыргызстан": ("Kyrgyzstan", COUNTRY), "Молдова": ("Moldova", COUNTRY),
    "Непал": ("Nepal", COUNTRY), "Польша": ("Poland", COUNTRY), "Приднестровье": ("Transnistria", BREAKAWAY),
    "США": ("United States", COUNTRY), "Сербия": ("Serbia", COUNTRY), "Таджикистан": ("Tajikistan", COUNTRY),
    "Туркменистан": ("Turkmenistan", COUNTRY), "Узбекистан": ("Uzbekistan", COUNTRY), "Украина": ("Ukraine", UKRAINE),
    "Херсонская область": ("Kherson oblast", UKRAINE), "Шри-Ланка": ("Sri Lanka", COUNTRY), "Южная Осетия": ("South Ossetia", BREAKAWAY),
}


def import_foreign_dead(source: Path) -> None:
    with open(source / FOREIGN_DEAD, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    unknown = sorted({r["country_ru"] for r in rows} - set(PLACES))
    if unknown:
        raise SystemExit(f"{FOREIGN_DEAD}: places without an English name in PLACES: {unknown}")
    with open(TARGET / "named_dead_foreign_nationals.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "country_ru", "kind", "year_of_death", "named_dead"])
        for r in rows:
            country, kind = PLACES[r["country_ru"]]
            writer.writerow([country, r["country_ru"], kind, r["year_of_death"], int(r["named_dead"])])
    print(f"named_dead_foreign_nationals: {len(rows)} rows, {sum(int(r['named_dead']) for r in rows)} named dead")


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
    import_foreign_dead(source)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
