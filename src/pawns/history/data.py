"""Historical battle data carried into the package (by ``tools/import_battles.py``), with sources.

Three data sets test the combat law against what happened:

* ``ardennes``: the Ardennes campaign 1944-45, daily strengths and casualties of both sides;
* ``cdb90``: 652 battles 1600-1982 with initial strengths, casualties and durations;
* ``rubio``: 1,079 land battles 1620-1905 with initial strengths and casualties.

Every loader returns a pandas DataFrame with one row per day (Ardennes) or battle.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from pawns.errors import PawnsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

BATTLE_COLUMNS = ("battle", "year", "strength_a", "casualties_a", "strength_b", "casualties_b", "duration_days")
ARDENNES_COLUMNS = ("day", "strength_allies", "casualties_allies", "strength_germans", "casualties_germans")


class HistoryDataError(PawnsError):
    """A packaged history file is missing a column or holds a value that is not a positive number."""


@dataclass(frozen=True)
class BattleSet:
    """A historical data set and its provenance."""

    name: str
    title: str
    file: str
    source: str
    sides: tuple[str, str]
    caveat: str


BATTLE_SETS: dict[str, BattleSet] = {
    "ardennes": BattleSet(
        "ardennes", "Ardennes campaign 1944-45, days 2-33 (daily)", "ardennes_1944_daily.csv",
        "Daily table used in Lanchester-fit studies (e.g. Wiper, Pettit & Young 2000, Naval Research Logistics 47(7)); "
        "via yiyuezhuo/lanchester-model-review",
        ("Allies", "Germans"),
        "Strengths are of whole forces in the theatre, not of units in contact; casualties are killed, wounded and missing.",
    ),
    "cdb90": BattleSet(
        "cdb90", "CDB90 battles 1600-1982 (initial strengths, casualties, durations)", "cdb90.csv",
        "US Army Concepts Analysis Agency, Database of Battles 1990 (CDB91 corrections applied); via jrnold/CDB90",
        ("attacker", "defender"),
        "Initial strength where recorded, else total strength (reinforcements included); duration is active fighting time.",
    ),
    "rubio": BattleSet(
        "rubio", "Rubio-Campillo's 1,079 land battles 1620-1905 (initial strengths, casualties)", "rubio_campillo_1620_1905.csv",
        "Rubio-Campillo (2016), PLOS ONE; via xrubio/lanchester",
        ("R", "B"),
        "No durations: every battle is taken to last one day (most battles of the period were fought within a day), "
        "so the law's coefficient absorbs the time scale.",
    ),
}


def _read(name: str, columns: tuple[str, ...]) -> "pd.DataFrame":
    import pandas as pd

    file = BATTLE_SETS[name].file
    with (resources.files("pawns.history") / "data" / file).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise HistoryDataError(f"history/data/{file}: expected columns {missing}, got {list(frame.columns)}")
    for column in columns[1:]:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = ~(values > 0)
        if column != "year" and bad.any():
            row = int(bad.to_numpy().argmax()) + 2
            raise HistoryDataError(f"history/data/{file}: row {row}, column '{column}': expected a positive number, "
                                   f"got {frame[column].iloc[row - 2]!r}")
    return frame


def load_ardennes() -> "pd.DataFrame":
    """The Ardennes daily table: ``day, strength_allies, casualties_allies, strength_germans, casualties_germans``."""
    return _read("ardennes", ARDENNES_COLUMNS)


def load_battles(name: str) -> "pd.DataFrame":
    """One row per battle with columns :data:`BATTLE_COLUMNS` (side a and side b as in :data:`BATTLE_SETS`).

    Parameters
    ----------
    name
        ``"cdb90"`` or ``"rubio"``. Rubio-Campillo's battles carry no durations: they get
        ``duration_days = 1`` (see the data set's caveat).
    """
    if name not in ("cdb90", "rubio"):
        raise HistoryDataError(f"unknown battle set {name!r}: expected 'cdb90' or 'rubio'")
    if name == "rubio":
        frame = _read(name, BATTLE_COLUMNS[:-1])
        frame["duration_days"] = 1.0
        return frame
    return _read(name, BATTLE_COLUMNS)
