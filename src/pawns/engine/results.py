"""Assemble labelled results (xarray) and write them to disk atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pawns import __version__
from pawns.atomic_files import COMPLETE_MARKER, staged_directory
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


def _attrs(name: str) -> dict[str, str]:
    units, description = VARIABLES[name]
    return {"units": units, "long_name": description}


def build_dataset(layout: Layout, batches: list[BatchResult], outcomes: "pd.DataFrame", *, seed: int) -> "xr.Dataset":
    """Labelled results: dims ``member``, ``time``, ``formation``, ``side``, ``parameter``."""
    import pandas as pd
    import xarray as xr

    from pawns.evidence.bindings import ledger_version, parameter_claims

    sc = layout.scenario
    days = batches[0].record_days
    start = pd.Timestamp(sc.scenario.start_date)
    time = start + pd.to_timedelta(days, unit="D")
    members = np.concatenate([b.members for b in batches])
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
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update(
        title=f"pawns results: {sc.scenario.name}",
        scenario=sc.scenario.name,
        scenario_title=sc.scenario.title,
        seed=int(seed),
        members=int(members.size),
        pawns_version=__version__,
        start_date=str(sc.scenario.start_date),
        horizon_days=int(sc.scenario.horizon_days),
        evidence_ledger=ledger_version(),
        conventions="dims: member, time (recorded points), date (every day), formation, side, parameter; units in each variable's attrs",
    )
    return ds


def write_run(out_dir: Path, *, dataset: "xr.Dataset | None", outcomes: "pd.DataFrame", summary: dict, scenario_json: str, extra: dict[str, str] | None = None) -> Path:
    """Write a run directory atomically: everything goes to a temporary sibling first.

    A directory holding ``COMPLETE`` is a finished run; an interrupted write leaves only a
    hidden temporary directory, never a directory that looks complete.
    """
    with staged_directory(Path(out_dir)) as tmp:
        if dataset is not None:
            encoding = {name: {"zlib": True, "complevel": 4} for name, var in dataset.data_vars.items() if var.dtype.kind == "f"}
            dataset.to_netcdf(tmp / RESULTS_FILE, engine="h5netcdf", encoding=encoding)
        outcomes.to_csv(tmp / OUTCOMES_FILE, index=False)
        (tmp / SUMMARY_FILE).write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        (tmp / SCENARIO_FILE).write_text(scenario_json + "\n", encoding="utf-8")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
    return Path(out_dir)
