"""Assemble labelled results (xarray) and the files of a run directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pawns import __version__
from pawns.engine.simulate import BatchResult
from pawns.evidence.bindings import ledger_version, parameter_claims
from pawns.model.layout import Layout
from pawns.model.recorded import DAILY, END, POINTS, RECORDED
from pawns.outputs import COMPLETE_MARKER  # noqa: F401  (readers of run directories import it from here)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

RESULTS_FILE = "results.nc"
OUTCOMES_FILE = "outcomes.csv"
SUMMARY_FILE = "summary.json"
SCENARIO_FILE = "scenario.json"
DAILY_QUANTILES_FILE = "daily_quantiles.csv"  # --outcomes-only: daily quantiles from sketches, instead of results.nc


def build_dataset(layout: Layout, batches: list[BatchResult], *, seed: int) -> "xr.Dataset":
    """Labelled results: dims ``member``, ``time``, ``date``, ``formation``, ``side``, ``sector``, ``parameter``."""
    import xarray as xr

    members = np.concatenate([b.members for b in batches])
    dataset = xr.Dataset(member_variables(batches), coords=_coords(layout, batches[0].record_days, members))
    dataset.attrs.update(_global_attrs(layout, seed, members.size))
    return dataset


def member_variables(batches: list[BatchResult]) -> dict[str, tuple]:
    """The per-member variables of batches, in member order: name -> (dims, values, attrs).

    What a chunk of members adds to a results dataset (cheap: no labels are built): every
    variable of :data:`pawns.model.recorded.RECORDED`, with its units and description.
    """
    data_vars: dict[str, tuple] = {}
    for variable in RECORDED:
        if variable.when == POINTS:
            parts = [b.series[variable.name] for b in batches]
        elif variable.when == DAILY:
            parts = [b.daily_series[variable.name] for b in batches]
        elif variable.when == END:
            parts = [getattr(b.final, variable.field) for b in batches]
        else:
            parts = [b.matrix for b in batches]
        data_vars[variable.name] = (variable.dims, np.concatenate(parts), {"units": variable.units, "long_name": variable.description})
    return data_vars


def _coords(layout: Layout, days: np.ndarray, members: np.ndarray) -> dict:
    """Coordinates of a results dataset: labels of members, times, formations, sides, sectors, parameters."""
    import pandas as pd

    meta = layout.scenario.meta
    start = pd.Timestamp(meta.start_date)
    time = start + pd.to_timedelta(days, unit="D")
    specs = layout.space.specs
    coords = {
        "member": members,
        "time": time,
        "day": ("time", days.astype(np.int64), {"units": "day", "long_name": "days since the scenario start"}),
        "date": start + pd.to_timedelta(np.arange(layout.horizon_days + 1), unit="D"),
        "formation": layout.formation_names,
        "formation_side": ("formation", [layout.sides[f.side] for f in layout.formations]),
        "formation_nationality": ("formation", [f.nationality for f in layout.formations]),
        "formation_category": ("formation", [f.category for f in layout.formations]),
        "side": list(layout.sides),
        "sector": layout.sector_names,
        "sector_attacker": ("sector", [layout.sides[z.attacker] for z in layout.sectors]),
        "parameter": list(layout.space.names),
        # what members drew each parameter from: its distribution, or the posterior (with its prior)
        "parameter_distribution": ("parameter", [layout.space.drawn_from(name) for name in layout.space.names]),
        "parameter_source": ("parameter", [s.provenance() for s in specs]),
        "parameter_claims": ("parameter", parameter_claims(specs, meta.vantage_date or meta.start_date)),
    }
    return coords


def _global_attrs(layout: Layout, seed: int, members: int) -> dict:
    meta = layout.scenario.meta
    return dict(
        title=f"pawns results: {meta.name}",
        scenario=meta.name,
        scenario_title=meta.title,
        seed=int(seed),
        members=int(members),
        pawns_version=__version__,
        start_date=str(meta.start_date),
        horizon_days=int(layout.horizon_days),
        evidence_ledger=ledger_version(),
        conventions="dims: member, time (recorded points), date (every day), formation, side, sector, parameter; units in each variable's attrs",
    )


def run_files(*, outcomes: "pd.DataFrame", summary: dict, scenario_json: str,
              extra: "dict[str, str | pd.DataFrame] | None" = None) -> "dict[str, str | pd.DataFrame]":
    """The files of a run directory besides its trajectories: name -> text, or a table for CSV.

    Tables stay tables until written (:func:`write_file`), so a million-row outcome table is
    never also held as one long string.
    """
    return {
        OUTCOMES_FILE: outcomes,
        SUMMARY_FILE: json.dumps(summary, indent=2, sort_keys=False) + "\n",
        SCENARIO_FILE: scenario_json + "\n",
        **(extra or {}),
    }


def write_file(path: Path, content: "str | pd.DataFrame") -> None:
    """Write text as it is, a table as CSV (without its index)."""
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        content.to_csv(path, index=False)
