"""Read and check a results directory before anything is drawn from it.

A report must never be a broken page: every file the report needs is opened and checked here,
and any problem becomes one :class:`~pawns.errors.RunDirectoryError` naming the directory, the
file and what was expected. Two kinds of directory are understood:

* a **run** (``pawns run``): ``results.nc`` with trajectories, ``outcomes.csv`` and the paired
  variants ``outcomes_<without|combat|labor>.csv`` (when the scenario has contingents); a run
  made with ``--outcomes-only`` has ``daily_quantiles.csv`` (quantiles of the daily series from
  streamed sketches) instead of ``results.nc``;
* a **comparison** (``pawns compare``): ``outcomes.csv`` of the baseline and
  ``outcomes_<scenario>.csv`` of each compared scenario, no trajectories.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from pawns.analysis.effects import PairedEffects, paired_effects
from pawns.analysis.summary import variant_effects
from pawns.engine.results import COMPLETE_MARKER, DAILY_QUANTILES_FILE, OUTCOMES_FILE, RESULTS_FILE, SCENARIO_FILE, SUMMARY_FILE
from pawns.engine.streaming import daily_columns
from pawns.errors import RunDirectoryError
from pawns.model.recorded import RECORDED
from pawns.observations.forecast import COLUMNS
from pawns.outputs import MANIFEST_FILE, check_table, read_manifest, verify_file
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd
    import xarray as xr

RUN = "run"
COMPARISON = "comparison"
MARKER_TEXT = re.compile(r"pawns [0-9A-Za-z.+-]+\n")
VARIANTS = ("without", "combat", "labor")

# A run's results.nc holds every recorded variable (pawns.model.recorded.RECORDED) with these labels.
REQUIRED_VARIABLES = tuple(variable.name for variable in RECORDED)
REQUIRED_COORDS = ("formation_side", "formation_nationality", "parameter_distribution", "parameter_source")


@dataclass
class RunData:
    """Everything a report is drawn from, checked and loaded into memory.

    Attributes
    ----------
    path
        The results directory.
    kind
        ``"run"`` or ``"comparison"``.
    summary
        ``summary.json`` as a dictionary.
    scenarios
        The resolved scenarios: one for a run, the baseline first for a comparison.
    outcomes
        Per-member outcomes by label: ``"baseline"`` (``outcomes.csv``) plus the variant labels of
        a run (``without``, ``combat``, ``labor``) or the compared scenarios' names.
    dataset
        The trajectories of a run (``None`` for a comparison and an ``--outcomes-only`` run).
    daily_quantiles
        An ``--outcomes-only`` run's daily quantiles: one row per day and series, columns
        ``date``, ``series`` and the quantiles ``q05`` to ``q95`` (``None`` otherwise).
    version
        The pawns version that wrote the directory (from ``COMPLETE``).
    effects
        Paired effects, each pair computed once: a run's ``"with"`` (against the variant
        without contingents), ``"combat"``, ``"labor"`` and ``"combat_vs_labor"``; a
        comparison's, by compared scenario, against the baseline.
    """

    path: Path
    kind: str
    summary: dict
    scenarios: list["Scenario"]
    outcomes: dict[str, "pd.DataFrame"]
    dataset: "xr.Dataset | None" = None
    version: str = "unknown"
    daily_quantiles: "pd.DataFrame | None" = None
    effects: dict[str, PairedEffects] = field(default_factory=dict)

    @property
    def scenario(self) -> "Scenario":
        """The run's scenario (the baseline of a comparison)."""
        return self.scenarios[0]

    @property
    def horizon(self) -> float:
        return float(self.summary["horizon_days"])

    @property
    def outcomes_only(self) -> bool:
        """A run that kept no trajectories (``pawns run --outcomes-only``)."""
        return self.kind == RUN and self.dataset is None

    def dates(self) -> "np.ndarray":
        """The run's days, start date to horizon (``datetime64[ns]``)."""
        if self.dataset is not None:
            return self.dataset["date"].values
        import numpy as np

        start = np.datetime64(str(self.scenario.meta.start_date), "D")
        return (start + np.arange(int(self.horizon) + 1)).astype("datetime64[ns]")

    def sketched(self, series: str) -> "np.ndarray":
        """The daily quantiles of ``series`` (e.g. ``daily_area``) of an outcomes-only run, shape ``(5, days)``."""
        rows = self.daily_quantiles[self.daily_quantiles["series"] == series]
        return rows[_quantile_columns()].to_numpy(dtype=float).T


def read_summary(path: Path) -> tuple[dict, str, str]:
    """Check that ``path`` is a finished results directory and read its summary.

    Returns
    -------
    tuple
        ``(summary, kind, version)``: the summary, ``"run"`` or ``"comparison"``, and the pawns
        version that wrote the directory.

    Raises
    ------
    RunDirectoryError
        When the directory is missing or unfinished, or its summary is missing or malformed.
    """
    summary, kind, version, _manifest = _read_summary(Path(path))
    return summary, kind, version


def _read_summary(path: Path) -> tuple[dict, str, str, dict]:
    """:func:`read_summary`, and the directory's manifest (what every other file is checked against)."""
    if not path.exists():
        raise RunDirectoryError(f"{path}: no such directory (expected a results directory written by `pawns run` or `pawns compare`)")
    if not path.is_dir():
        raise RunDirectoryError(f"{path}: not a directory (expected a results directory written by `pawns run` or `pawns compare`)")
    marker = path / COMPLETE_MARKER
    if not marker.is_file():
        raise RunDirectoryError(f"{path}: not a finished run (no {COMPLETE_MARKER} marker); it was interrupted or is not a pawns results "
                                "directory: run it again")
    manifest = read_manifest(path, (RUN, COMPARISON))
    try:
        written = marker.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RunDirectoryError(f"{marker}: unreadable ({exc.strerror})") from None
    if not MARKER_TEXT.fullmatch(written):
        raise RunDirectoryError(f"{marker}: expected the line 'pawns VERSION' pawns writes there, got {written[:40]!r}")
    version = written.strip().removeprefix("pawns ")
    summary = _read_json(path / SUMMARY_FILE, manifest)
    if not isinstance(summary, dict):
        raise RunDirectoryError(f"{path / SUMMARY_FILE}: expected a JSON object, got {type(summary).__name__}")
    kind = _kind(path / SUMMARY_FILE, summary)
    if kind != manifest["kind"]:
        raise RunDirectoryError(f"{path / SUMMARY_FILE}: the summary of a {kind}, but {MANIFEST_FILE} says a {manifest['kind']}")
    if kind == RUN:
        _require_keys(path / SUMMARY_FILE, summary, ("scenario", "start_date", "horizon_days", "members", "seed", "endurance", "questions"))
    else:
        _require_keys(path / SUMMARY_FILE, summary, ("baseline", "members", "seed", "horizon_days", "against"))
        if not isinstance(summary["against"], list):
            raise RunDirectoryError(f"{path / SUMMARY_FILE}: key 'against': expected a list of compared scenarios")
    if not isinstance(summary["members"], int) or isinstance(summary["members"], bool) or summary["members"] < 1:
        raise RunDirectoryError(f"{path / SUMMARY_FILE}: key 'members': expected a whole number of members, got {summary['members']!r}")
    if not isinstance(summary["horizon_days"], int) or isinstance(summary["horizon_days"], bool) or summary["horizon_days"] < 1:
        raise RunDirectoryError(f"{path / SUMMARY_FILE}: key 'horizon_days': expected a whole number of days, "
                                f"got {summary['horizon_days']!r}")
    return summary, kind, version, manifest


def load_run(path: Path) -> RunData:
    """Check a results directory and load what the report needs.

    Raises
    ------
    RunDirectoryError
        When the directory is missing, unfinished, or any file in it is missing or malformed.
    """
    path = Path(path)
    summary, kind, version, manifest = _read_summary(path)
    scenarios = _scenarios(path / SCENARIO_FILE, kind, manifest)
    dataset = daily = None
    outcomes = {"baseline": _read_outcomes(path / OUTCOMES_FILE, summary, path / SUMMARY_FILE, manifest)}
    if kind == RUN:
        if scenarios[0].contingents:
            for label in VARIANTS:
                outcomes[label] = _read_outcomes(path / f"outcomes_{label}.csv", summary, path / SUMMARY_FILE, manifest)
        if has_trajectories(path):
            dataset = _read_dataset(path / RESULTS_FILE, int(summary["members"]), manifest)
        else:
            daily = _read_daily_quantiles(path / DAILY_QUANTILES_FILE, int(summary["horizon_days"]), scenarios[0], manifest)
    else:
        for entry in summary["against"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("scenario"), str) or "effects" not in entry:
                raise RunDirectoryError(f"{path / SUMMARY_FILE}: key 'against': expected entries with 'scenario' and 'effects'")
            name = entry["scenario"]
            outcomes[name] = _read_outcomes(path / f"outcomes_{name}.csv", summary, path / SUMMARY_FILE, manifest)
        if len(scenarios) != 1 + len(summary["against"]):
            raise RunDirectoryError(f"{path / SCENARIO_FILE}: expected {1 + len(summary['against'])} scenarios (the baseline and each compared one), "
                                    f"got {len(scenarios)}")
    read = {SUMMARY_FILE, SCENARIO_FILE, RESULTS_FILE, DAILY_QUANTILES_FILE} | {f"outcomes_{label}.csv" for label in outcomes}
    for name in sorted(set(manifest["files"]) - read - {OUTCOMES_FILE}):
        verify_file(path, name, manifest)  # the files the report does not read are whole too (observables.csv)
    return RunData(path=path, kind=kind, summary=summary, scenarios=scenarios, outcomes=outcomes, dataset=dataset, version=version,
                   daily_quantiles=daily, effects=_effects(kind, summary, scenarios, outcomes))


def _effects(kind: str, summary: dict, scenarios: list["Scenario"], outcomes: dict[str, "pd.DataFrame"]) -> dict[str, PairedEffects]:
    """The paired effects of a run's variants, or of each compared scenario against the baseline."""
    sides, horizon = list(scenarios[0].sides), float(summary["horizon_days"])
    contingents = list(dict.fromkeys(name for scenario in scenarios for name in scenario.contingents))
    if kind == RUN:
        variants = {label: outcomes[label] for label in VARIANTS if label in outcomes}
        return variant_effects(outcomes["baseline"], variants, sides, horizon, contingents) if len(variants) == len(VARIANTS) else {}
    return {entry["scenario"]: paired_effects(outcomes[entry["scenario"]], outcomes["baseline"], sides=sides, horizon=horizon,
                                              contingents=contingents) for entry in summary["against"]}


def has_trajectories(path: Path) -> bool:
    """Whether a run directory holds trajectories (``results.nc``) rather than only sketched quantiles."""
    path = Path(path)
    return (path / RESULTS_FILE).is_file() or not (path / DAILY_QUANTILES_FILE).is_file()


def _read_json(file: Path, manifest: dict) -> object:
    if not file.is_file():
        raise RunDirectoryError(f"{file}: missing (every finished results directory has it)")
    verify_file(file.parent, file.name, manifest)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RunDirectoryError(f"{file}: not valid JSON ({' '.join(str(exc).split())})") from None


def _kind(file: Path, summary: dict) -> str:
    if "questions" in summary:
        return RUN
    if "against" in summary:
        return COMPARISON
    raise RunDirectoryError(f"{file}: expected the key 'questions' (a run) or 'against' (a comparison), got keys {sorted(summary)}")


def _require_keys(file: Path, data: dict, keys: tuple[str, ...]) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise RunDirectoryError(f"{file}: missing key(s) {', '.join(repr(k) for k in missing)}")


def _scenarios(file: Path, kind: str, manifest: dict) -> list[Scenario]:
    data = _read_json(file, manifest)
    items = data if kind == COMPARISON else [data]
    if not isinstance(items, list) or not items:
        raise RunDirectoryError(f"{file}: expected {'a list of resolved scenarios' if kind == COMPARISON else 'one resolved scenario'}")
    scenarios = []
    for i, item in enumerate(items):
        try:
            scenarios.append(Scenario.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            prefix = f"[{i}]." if kind == COMPARISON else ""
            raise RunDirectoryError(f"{file}: key '{prefix}{where}': {first.get('msg', 'invalid')}") from None
    return scenarios


def _read_table(file: Path, manifest: dict) -> "pd.DataFrame":
    """A CSV table of the directory, checked against the schema and checksum recorded when it was written."""
    import pandas as pd

    if not file.is_file():
        raise RunDirectoryError(f"{file}: missing (written with every finished run; run it again)")
    try:
        frame = pd.read_csv(file)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise RunDirectoryError(f"{file}: not a readable CSV table ({' '.join(str(exc).split())})") from None
    check_table(frame, manifest["tables"].get(file.name), file)
    verify_file(file.parent, file.name, manifest)
    return frame


def _read_outcomes(file: Path, summary: dict, summary_file: Path, manifest: dict) -> "pd.DataFrame":
    frame = _read_table(file, manifest)
    if "member" not in frame.columns:
        raise RunDirectoryError(f"{file}: missing column 'member' (expected one row per member)")
    members = summary.get("members")
    if members is not None and len(frame) != int(members):
        raise RunDirectoryError(f"{file}: expected {members} rows (one per member, as in {summary_file.name}), got {len(frame)}")
    return frame


def _read_dataset(file: Path, members: int, manifest: dict) -> "xr.Dataset":
    import xarray as xr

    if not file.is_file():
        raise RunDirectoryError(f"{file}: missing (a run directory holds its trajectories there)")
    verify_file(file.parent, file.name, manifest)
    try:
        with xr.open_dataset(file, engine="h5netcdf") as handle:
            dataset = handle.load()
    except Exception as exc:  # h5py/xarray raise many types for damaged files; all mean "unreadable"
        raise RunDirectoryError(f"{file}: not a readable NetCDF results file ({type(exc).__name__}: {exc})") from None
    missing = [v for v in REQUIRED_VARIABLES if v not in dataset.data_vars]
    missing += [c for c in REQUIRED_COORDS if c not in dataset.coords]
    if missing:
        raise RunDirectoryError(f"{file}: missing variable(s) {', '.join(missing)} (written by pawns run; run it again)")
    if dataset.sizes.get("member") != members:
        raise RunDirectoryError(f"{file}: expected {members} members as in summary.json, got {dataset.sizes.get('member')}")
    return dataset


def _read_daily_quantiles(file: Path, horizon_days: int, scenario: Scenario, manifest: dict) -> "pd.DataFrame":
    """An outcomes-only run's ``daily_quantiles.csv``, checked: columns, one row per day of each series."""
    import pandas as pd

    frame = _read_table(file, manifest)
    quantiles = _quantile_columns()
    expected_columns = ["date", "series", *quantiles]
    missing = [c for c in expected_columns if c not in frame.columns]
    if missing:
        raise RunDirectoryError(f"{file}: missing column(s) {', '.join(missing)} (expected {', '.join(expected_columns)})")
    if not all(pd.api.types.is_numeric_dtype(frame[c]) for c in quantiles):
        raise RunDirectoryError(f"{file}: columns {', '.join(quantiles)}: expected numbers")
    counts = frame["series"].value_counts()
    formations = [name for side in scenario.sides.values() for name in side.formations] + list(scenario.contingents)
    expected = [name for name, _, _ in daily_columns(list(scenario.sides), formations, scenario.sector_names)]
    for series in expected:
        if counts.get(series, 0) != horizon_days + 1:
            raise RunDirectoryError(f"{file}: series '{series}': expected {horizon_days + 1} rows (one per day, as in summary.json), "
                                    f"got {counts.get(series, 0)}")
    return frame


def _quantile_columns() -> list[str]:
    """The quantile columns of the daily tables, as ``pawns.observations.forecast`` writes them."""
    return list(COLUMNS[2:])
