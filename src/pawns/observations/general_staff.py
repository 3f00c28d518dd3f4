"""Ukraine's General Staff loss claims as the public dataset publishes them (a JSON file).

PetroIvaniuk/2022-Ukraine-Russia-War-Dataset updates ``data/russia_losses_personnel.json``
daily: a JSON list of objects, each with ``date`` (YYYY-MM-DD) and ``personnel`` (the claimed
cumulative Russian personnel losses), and optional keys (``day``, ``personnel*``, ``POW``)
that pawns does not use.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pawns.errors import PawnsError
from pawns.observations.plausibility import FIRST_DAY

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd



class PersonnelFileError(PawnsError):
    """A General Staff losses file cannot be read (one line naming the file)."""


def read_personnel_json(path: Path, *, today: dt.date | None = None) -> "pd.Series":
    """The cumulative personnel claims of ``path`` as a Series indexed by date (persons).

    Raises
    ------
    PersonnelFileError
        If the file is not a JSON list of records, a record lacks ``date`` or ``personnel``, a
        date is malformed, repeated, before the invasion or after ``today``, or a count is not a
        whole number of persons.
    """
    import pandas as pd

    records = _read_list(path)
    today = today or dt.date.today()
    values: dict[dt.date, int] = {}
    for index, record in enumerate(records):
        where = f"{path}: record {index}"
        if not isinstance(record, dict):
            raise PersonnelFileError(f"{where}: expected an object with 'date' and 'personnel', got {type(record).__name__}")
        day = _day(record.get("date"), where)
        where = f"{path}: record {index} ({day})"
        if day in values:
            raise PersonnelFileError(f"{where}: key 'date': expected each day once, got {day} again")
        if not FIRST_DAY <= day <= today:
            raise PersonnelFileError(f"{where}: key 'date': expected a day from {FIRST_DAY} to today ({today}), got {day}")
        values[day] = _persons(record.get("personnel"), where)
    series = pd.Series(values, dtype=float).sort_index()
    series.index = pd.to_datetime(series.index)
    return series


def _read_list(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PersonnelFileError(f"{path}: expected a readable JSON file, got {exc}") from None
    if not isinstance(data, list) or not data:
        raise PersonnelFileError(f"{path}: expected a non-empty JSON list of daily records, got {type(data).__name__}")
    return data


def _day(value: object, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_day(value, where)
    except ValueError:
        return _bad_day(value, where)


def _bad_day(value: object, where: str) -> dt.date:
    raise PersonnelFileError(f"{where}: key 'date': expected a day written YYYY-MM-DD, got {value!r}")


def _persons(value: object, where: str) -> int:
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or value < 0:  # type: ignore[operator]
        raise PersonnelFileError(f"{where}: key 'personnel': expected a whole number of persons (>= 0), got {value!r}")
    return int(value)  # type: ignore[arg-type]
