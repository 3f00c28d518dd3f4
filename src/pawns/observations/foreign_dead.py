"""Foreign nationals in Russian service named as dead: a small lower bound on foreign recruits.

Counts by country and year of death, shipped as ``observations/data/named_dead_foreign_nationals.csv``
(written by ``tools/import_observations.py``; names are left out on purpose). The list names
no North Korean: the DPRK contingent is counted by the evidence ledger's claims instead.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FILE = "named_dead_foreign_nationals.csv"
SOURCE = ("Mediazona-based list of Russian military dead identified by name, as copied in the ukrainewarlosses/ukrwarlosses "
          "compilation of 2025-11-08: foreign nationals and residents of breakaway or occupied territories")
CAVEAT = ("A lower bound: only the dead whose names and citizenship were published are counted; 'unknown' is a death "
          "without a year in the list.")
FOREIGN_STATE = "foreign state"
KINDS = (FOREIGN_STATE, "breakaway territory", "Ukraine or occupied Ukraine", "region, country not given")


def load_named_foreign_dead() -> "pd.DataFrame":
    """One row per place and year of death.

    Columns: ``country`` (in English), ``country_ru`` (as the list writes it), ``kind`` (one of
    :data:`KINDS`), ``year_of_death`` (a year, or ``unknown``), ``named_dead`` (persons).
    """
    import pandas as pd

    with (resources.files("pawns.observations") / "data" / FILE).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"year_of_death": str, "named_dead": int})


def named_dead_by_country(kinds: tuple[str, ...] = (FOREIGN_STATE,)) -> "pd.Series":
    """Named dead per country over all years, largest first, for places of the given ``kinds``."""
    table = load_named_foreign_dead()
    totals = table[table["kind"].isin(kinds)].groupby("country")["named_dead"].sum()
    return totals.sort_values(ascending=False, kind="stable")
