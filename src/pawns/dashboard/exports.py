"""What the dashboard writes: the current settings as a scenario file, and the report of the current run.

Both go into one folder, ``OUT/NAME/``, an output of the kind ``dashboard-export`` under the
rule of :mod:`pawns.outputs` (built in a hidden sibling, swapped into place, an earlier export
of the same name replaced only if pawns wrote it). ``NAME`` must be a scenario name — a short
slug, never a path — so no input can reach outside the output directory.
"""

from __future__ import annotations

from pathlib import Path

from pawns.dashboard.settings import check_name
from pawns.outputs import folder_output
from pawns.report.build import REPORT_FILE, write_report_of
from pawns.report.rundir import RunData

EXPORT_KIND = "dashboard-export"


def export_run(out_dir: Path, name: str, scenario_text: str, run: RunData) -> Path:
    """Write ``OUT/NAME/NAME.toml`` (the settings) and ``OUT/NAME/report.html`` with its figures.

    Raises
    ------
    PawnsError
        When the name is not a slug, or the folder is something pawns will not replace.
    """
    name = check_name(name)
    target = folder_output(Path(out_dir) / name, EXPORT_KIND)
    with target.claim(), target.staged() as folder:
        (folder / f"{name}.toml").write_text(scenario_text, encoding="utf-8")
        write_report_of(run, folder / REPORT_FILE)
    return target.path
