"""Carry the historical battle data from the shared starter data into the package, normalized.

Usage: python tools/import_battles.py ../shared/data/battles

Reads the starter CSVs and writes three small files to ``src/pawns/history/data/``:

``ardennes_1944_daily.csv``
    ``day, strength_allies, casualties_allies, strength_germans, casualties_germans``: the daily
    Ardennes campaign table (days 2-33) used in Lanchester-fit studies such as Wiper, Pettit &
    Young (2000); via yiyuezhuo/lanchester-model-review.
``rubio_campillo_1620_1905.csv``
    ``battle, year, strength_a, casualties_a, strength_b, casualties_b``: the 1,079 land battles
    of Rubio-Campillo (2016, PLOS ONE), side a = the file's R, side b = its B; via xrubio/lanchester.
``cdb90.csv``
    ``battle, year, name, strength_a, casualties_a, strength_b, casualties_b, duration_days,
    calendar_days, strength_field_a, strength_field_b``: CDB90 (US Army CAA, CDB91 corrections
    applied) via jrnold/CDB90, side a = the attacker. Strength is the initial personnel strength
    ``intst``; where that is missing the total strength ``str`` is used and the field says so.
    ``duration_days`` is the active fighting time (``duration2``), ``calendar_days`` the span from
    first to last day (``duration1``).

Battles without positive strengths and casualties for both sides (or, for CDB90, without a
positive duration) are left out; the script prints how many.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "pawns" / "history" / "data"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str | None) -> float | None:
    """A positive number, or None for blanks, non-numbers and non-positive values."""
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    temporary = TARGET / f".{name}.tmp"
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    temporary.replace(TARGET / name)  # never leave a half-written file behind


def import_ardennes(source: Path) -> None:
    rows = []
    for line, r in enumerate(_read(source / "ardennes_1944_daily.csv"), start=2):
        values = [_number(r[key]) for key in ("ForcesAllies", "CasualtiesAllies", "ForcesGermans", "CasualtiesGermans")]
        if None in values:
            raise SystemExit(f"ardennes_1944_daily.csv: row {line}: expected positive strengths and casualties, got {r}")
        rows.append([int(r["Day"])] + [int(v) for v in values])
    _write("ardennes_1944_daily.csv", ["day", "strength_allies", "casualties_allies", "strength_germans", "casualties_germans"], rows)
    print(f"ardennes: {len(rows)} days")


def import_rubio(source: Path) -> None:
    rows, dropped = [], 0
    for index, r in enumerate(_read(source / "rubio_campillo_1620_1905.csv"), start=1):
        values = [_number(r[key]) for key in ("R0", "Rc", "B0", "Bc")]
        if None in values:
            dropped += 1
            continue
        rows.append([index, int(r["year"])] + [int(v) for v in values])
    _write("rubio_campillo_1620_1905.csv", ["battle", "year", "strength_a", "casualties_a", "strength_b", "casualties_b"], rows)
    print(f"rubio: {len(rows)} battles ({dropped} left out)")


def _cdb90_strength(row: dict[str, str]) -> tuple[float | None, str]:
    initial = _number(row["intst"])
    if initial is not None:
        return initial, "intst"
    return _number(row["str"]), "str"


def import_cdb90(source: Path) -> None:
    names = {r["isqno"]: r["name"] for r in _read(source / "cdb90_battles.csv")}
    durations = {r["isqno"]: r for r in _read(source / "cdb90_battle_durations.csv")}
    sides: dict[str, dict[str, dict[str, str]]] = {}
    for r in _read(source / "cdb90_belligerents.csv"):
        sides.setdefault(r["isqno"], {})["a" if r["attacker"] == "1" else "b"] = r
    rows, dropped = [], 0
    for isqno in sorted(sides, key=int):
        pair, timing = sides[isqno], durations.get(isqno)
        if set(pair) != {"a", "b"} or timing is None:
            dropped += 1
            continue
        strength_a, field_a = _cdb90_strength(pair["a"])
        strength_b, field_b = _cdb90_strength(pair["b"])
        casualties_a, casualties_b = _number(pair["a"]["cas"]), _number(pair["b"]["cas"])
        active, calendar = _number(timing["duration2"]), _number(timing["duration1"])
        if None in (strength_a, strength_b, casualties_a, casualties_b, active, calendar):
            dropped += 1
            continue
        year = int(timing["datetime_min"][:4]) if timing["datetime_min"] else ""
        rows.append([int(isqno), year, names.get(isqno, ""), int(strength_a), int(casualties_a), int(strength_b),
                     int(casualties_b), f"{active:.6g}", f"{calendar:.6g}", field_a, field_b])
    _write("cdb90.csv", ["battle", "year", "name", "strength_a", "casualties_a", "strength_b", "casualties_b",
                         "duration_days", "calendar_days", "strength_field_a", "strength_field_b"], rows)
    print(f"cdb90: {len(rows)} battles ({dropped} left out)")


def main(source: Path) -> None:
    import_ardennes(source)
    import_rubio(source)
    import_cdb90(source)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/battles"))
