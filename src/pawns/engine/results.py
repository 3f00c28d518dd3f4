"""Assemble labelled results (xarray) and the files of a run directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pawns import __version__
from pawns.outputs import COMPLETE_MARKER  # noqa: F401  (readers of run directories import it from here)
from pawns.engine.metadata import VARIABLES
from pawns.engine.simulate import DAILY_MEMBER_SERIES, DAILY_SIDE_SERIES, FORMATION_SERIES, MEMBER_SERIES, SIDE_SERIES, BatchResult
from pawns.model.layout import Layout

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

RESULTS_FILE = "results.nc"
OUTCOMES_FILE = "outcomes.csv"
SUMMARY_FILE = "summary.json"
SCENARIO_FILE = "scenario.json"
DAILY_QUANTILES_FILE = "daily_quantiles.csv"  # --outcomes-only: daily quantiles from sketches, instead of results.nc


def _attrs(name: str) -> dict[str, str]:
    units, description = VARIABLES[name]
    return {"units": units, "long_name": description}


def build_dataset(layout: Layout, batches: list[BatchResult], *, seed: int) -> "xr.Dataset":
    """Labelled results: dims ``member``, ``time``, ``formation``, ``side``, ``parameter``."""
    import xarray as xr

    members = np.concatenate([b.members for b in batches])
    dataset = xr.Dataset(member_variables(batches), coords=_coords(layout, batches[0].record_days, members))
    dataset.attrs.update(_global_attrs(layout, seed, members.size))
    return dataset


def member_variables(batches: list[BatchResult]) -> dict[str, tuple]:
    """The per-member variables of batches, in member order: name -> (dims, values, attrs).

    What a chunk of members adds to a results dataset (cheap: no labels are built).
    """
    data_vars: dict[str, tuple] = {}
    for name in FORMATION_SERIES:
        data_vars[name] = (("member", "time", "formation"), np.concatenate([b.formation_series[name] for b in batches]), _attrs(name))
    for name in SIDE_SERIES:
        data_vars[name] = (("member", "time", "side"), np.concatenate([b.side_series[name] for b in batches]), _attrs(name))
    for name in MEMBER_SERIES:
        data_vars[name] = (("member", "time"), np.concatenate([b.member_series[name] for b in batches]), _attrs(name))
    for name in DAILY_SIDE_SERIES:
        data_vars[name] = (("member", "date", "side"), np.concatenate([b.daily_series[name] for b in batches]), _attrs(name))
    for name in DAILY_MEMBER_SERIES:
        data_vars[name] = (("member", "date"), np.concatenate([b.daily_series[name] for b in batches]), _attrs(name))
    data_vars["end_day"] = (("member", "side"), np.concatenate([b.final.end_day for b in batches]), _attrs("end_day"))
    data_vars["end_cause"] = (("member", "side"), np.concatenate([b.final.end_cause for b in batches]), _attrs("end_cause"))
    data_vars["abandon_day"] = (("member",), np.concatenate([b.final.abandon_day for b in batches]), _attrs("abandon_day"))
    data_vars["parameters"] = (("member", "parameter"), np.concatenate([b.matrix for b in batches]), _attrs("parameters"))
    return data_vars


def _coords(layout: Layout, days: np.ndarray, members: np.ndarray) -> dict:
    """Coordinates of a results dataset: labels of members, times, formations, sides, parameters."""
    import pandas as pd

    from pawns.evidence.bindings import parameter_claims

    sc = layout.scenario
    start = pd.Timestamp(sc.scenario.start_date)
    time = start + pd.to_timedelta(days, unit="D")
    specs = layout.space.specs
    coords = {
        "member": members,
        "time": time,
        "day": ("time", days.astype(np.int64), {"units": "day", "long_name": "days since the scenario start"}),
        "date": start + pd.to_timedelta(np.arange(sc.scenario.horizon_days + 1), unit="D"),
        "formation": layout.formation_names,
        "formation_side": ("formation", [layout.sides[f.side] for f in layout.formations]),
        "formation_nationality": ("formation", [f.nationality for f in layout.formations]),
        "formation_category": ("formation", [f.category for f in layout.formations]),
        "side": list(layout.sides),
        "parameter": list(layout.space.names),
        "parameter_distribution": ("parameter", [s.describe() for s in specs]),
        "parameter_source": ("parameter", [s.provenance() for s in specs]),
        "parameter_claims": ("parameter", parameter_claims(specs, sc.scenario.vantage_date or sc.scenario.start_date)),
    }
    return coords


def _global_attrs(layout: Layout, seed: int, members: int) -> dict:
    from pawns.evidence.bindings import ledger_version

    sc = layout.scenario
    return dict(
        title=f"pawns results: {sc.scenario.name}",
        scenario=sc.scenario.name,
        scenario_title=sc.scenario.title,
        seed=int(seed),
        members=int(members),
        pawns_version=__version__,
        start_date=str(sc.scenario.start_date),
        horizon_days=int(sc.scenario.horizon_days),
        evidence_ledger=ledger_version(),
        conventions="dims: member, time (recorded points), date (every day), formation, side, parameter; units in each variable's attrs",
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
