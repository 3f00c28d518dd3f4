"""Options shared by the commands that run the engine (same names, same meaning everywhere)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

MembersOption = typer.Option(1000, "--members", "-n", min=1, help="Ensemble size: members drawn from the scenario's distributions.")
SeedOption = typer.Option(0, "--seed", "-s", min=0, help="Seed; the same scenario, seed and members give bit-identical results.")
SetOption = typer.Option(None, "--set", help="Override one scenario key for this run, e.g. --set scenario.horizon_days=365 (repeatable; values are TOML).")
ChunkOption = typer.Option(2000, "--chunk-size", min=1, max=1_000_000_000, help="Members simulated and stored together: bounds memory, and is the unit a resumed run skips; never changes results.")
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar.")
RecordOption = typer.Option(7, "--record-every", min=1, help="Days between recorded points of the trajectories in results.nc.")

ResumeOption = typer.Option(False, "--resume", help="Continue a run that was interrupted (Ctrl-C, a lost worker): only the chunks "
                            "not yet done are simulated, and the result is identical to an uninterrupted run.")
RestartOption = typer.Option(False, "--restart", help="Discard an interrupted run of the same results directory and start over.")
SchedulerOption = typer.Option(None, "--scheduler", help="Spread member chunks over Dask workers: local:N starts N local worker "
                               "processes, tcp://HOST:PORT uses a running scheduler. Results are identical to a single-process run.")

Overrides = Optional[List[str]]
OutDir = Optional[Path]
DataDirOption = typer.Option(None, "--data-dir", help="User data directory to read (and `pawns data update` to write) instead of "
                             "$PAWNS_DATA_DIR or the platform's user data folder.")


def check_scheduler(spec: str | None) -> None:
    """Refuse a malformed --scheduler before any work (nothing is connected or started here)."""
    from pawns.engine.distributed import local_workers

    local_workers(spec)
