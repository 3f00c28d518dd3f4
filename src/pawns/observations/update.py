"""``pawns data update``: bring newer public data into the user data directory.

Three kinds of file, told apart by their content:

- the General Staff losses JSON of PetroIvaniuk/2022-Ukraine-Russia-War-Dataset
  (``data/russia_losses_personnel.json``) -> stream ``ua_gs_russian_personnel_cumulative``;
- DeepState snapshots archived by cyterat/deepstate-map-data
  (``data/deepstatemap_data_YYYYMMDD.geojson``, any number of them) -> stream
  ``russian_occupied_area_km2_deepstate``, one day per file;
- claims in the evidence ledger's CSV columns -> the ledger (:mod:`pawns.evidence.user_claims`).

Everything is checked before anything is written: units and dates, cumulative counts that never
decrease, areas and daily changes within plausible bounds. The first problem is one line naming
the file, and the user data directory is left as it was. Otherwise the directory is rewritten as
a whole by the rule of :mod:`pawns.outputs` (staged beside it, then renamed into place, with a
manifest of every file's checksum that readers check; a directory holding anything else is never
replaced), with a line per file in ``imports.csv`` saying what was imported when, from which
file (and its SHA-256).

A stream's user rows override the shipped rows of the same dates and extend the series; only
rows that differ from the shipped ones are kept (see :func:`pawns.observations.catalog.load_observed`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pawns.errors import PawnsError
from pawns.evidence.ledger import USER_CLAIMS_FOLDER
from pawns.evidence.user_claims import USER_CLAIMS_FILE, ClaimsUpdate, plan_claims, read_user_claims
from pawns.observations.catalog import CATALOG, USER_FOLDER, load_shipped, load_user_rows, merge
from pawns.observations.deepstate import occupied_area_km2, snapshot_date
from pawns.observations.general_staff import read_personnel_json
from pawns.observations.plausibility import AREA_RANGE_KM2, FIRST_DAY, MAX_AREA_CHANGE_KM2_PER_DAY, MAX_PERSONS_PER_DAY
from pawns.outputs import Output, folder_output
from pawns.user_data import USER_DATA_KIND, data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

GENERAL_STAFF, DEEPSTATE, CLAIMS = "General Staff losses (JSON)", "DeepState snapshot (GeoJSON)", "ledger claims (CSV)"
GS_STREAM = "ua_gs_russian_personnel_cumulative"
DEEPSTATE_STREAM = "russian_occupied_area_km2_deepstate"
CLAIMS_LABEL = "evidence ledger claims"
IMPORTS_FILE = "imports.csv"

AREA_DECIMALS = 1  # as the shipped series is written


class DataUpdateError(PawnsError):
    """An input file is malformed or inconsistent with the data; nothing was written."""


@dataclass(frozen=True)
class Change:
    """What an update does to one stream (or to the ledger's claims)."""

    target: str
    files: tuple[str, ...]
    added: int
    changed: int
    unchanged: int
    first: dt.date | None
    last: dt.date | None
    ends: dt.date | None  # last date of the stream after the update (None for claims)


@dataclass
class UpdatePlan:
    """A checked update, ready to write.

    Attributes
    ----------
    folder
        The user data directory it writes.
    changes
        One :class:`Change` per stream (and for the claims) the files touch.
    rows
        The user's rows of each touched stream after the update (dates and values).
    claims
        The user's claims after the update, if claims files were given.
    sources
        Each input file and its kind.
    """

    folder: Path
    changes: list[Change]
    rows: dict[str, "pd.Series"] = field(default_factory=dict)
    claims: ClaimsUpdate | None = None
    sources: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        """Whether writing the plan would change the user data."""
        return any(c.added or c.changed for c in self.changes)


def plan_update(files: list[Path], *, today: dt.date | None = None) -> UpdatePlan:
    """Read and check ``files``; say what importing them would change, writing nothing.

    Raises
    ------
    DataUpdateError
        (or another :class:`~pawns.errors.PawnsError`) naming the first file that is missing,
        of no known kind, malformed, or inconsistent with the data already there.
    """
    today = today or dt.date.today()
    folder = data_dir()
    _check_folder(folder)
    sources = [(Path(f), kind_of(Path(f))) for f in files]
    if not sources:
        raise DataUpdateError("expected at least one file to import")
    plan = UpdatePlan(folder, [], sources=sources)
    personnel = [p for p, kind in sources if kind == GENERAL_STAFF]
    snapshots = [p for p, kind in sources if kind == DEEPSTATE]
    claims = [p for p, kind in sources if kind == CLAIMS]
    if personnel:
        imported, origin = _general_staff(personnel, today)
        _add_stream(plan, GS_STREAM, imported, origin)
    if snapshots:
        imported, origin = _deepstate(snapshots, today)
        _add_stream(plan, DEEPSTATE_STREAM, imported, origin)
    if claims:
        update = plan_claims(claims, read_user_claims(folder), today=today)
        plan.claims = update
        plan.changes.append(Change(CLAIMS_LABEL, tuple(str(p) for p in claims), update.added, update.changed,
                                   update.unchanged, update.first, update.last, None))
    return plan


def apply_update(plan: UpdatePlan, *, now: dt.datetime | None = None) -> None:
    """Write ``plan`` into its user data directory, all of it or (on any failure) none of it."""
    output = _check_folder(plan.folder)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    with output.claim(), output.staged() as tmp:
        if plan.folder.is_dir():
            shutil.copytree(plan.folder, tmp, dirs_exist_ok=True)
        for stream, rows in plan.rows.items():
            _write_rows(tmp / USER_FOLDER / f"{stream}.csv", rows)
        if plan.claims is not None:
            target = tmp / USER_CLAIMS_FOLDER / USER_CLAIMS_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(plan.claims.text(), encoding="utf-8")
        _log_imports(tmp / IMPORTS_FILE, plan, stamp)


def kind_of(path: Path) -> str:
    """Which kind of input ``path`` is, from its content (claims: from its ``.csv`` name)."""
    if not path.is_file():
        raise DataUpdateError(f"{path}: expected a file to import, got none there")
    if path.suffix.lower() == ".csv":
        return CLAIMS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataUpdateError(f"{path}: expected a General Staff losses JSON, a DeepState GeoJSON snapshot or a claims CSV, "
                              f"got a file that is none of these ({exc})") from None
    if isinstance(data, list):
        return GENERAL_STAFF
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return DEEPSTATE
    got = f"an object of type {data.get('type')!r}" if isinstance(data, dict) else f"a JSON {type(data).__name__}"
    raise DataUpdateError(f"{path}: expected a JSON list of daily losses or a GeoJSON FeatureCollection, got {got}")


# -- reading the inputs ---------------------------------------------------------------------------
def _general_staff(files: list[Path], today: dt.date) -> tuple["pd.Series", dict]:
    combined: "pd.Series | None" = None
    origin: dict = {}
    for path in files:
        series = read_personnel_json(path, today=today)
        if combined is not None:
            shared = series.index.intersection(combined.index)
            clash = shared[series[shared].to_numpy() != combined[shared].to_numpy()]
            if len(clash):
                day = clash[0]
                raise DataUpdateError(f"{path}: {day.date()}: expected the same count as {origin[day]} "
                                      f"({combined[day]:,.0f}), got {series[day]:,.0f}")
        origin.update({stamp: path for stamp in series.index if stamp not in origin})
        combined = series if combined is None else combined.combine_first(series)
    assert combined is not None
    return combined.sort_index(), origin


def _deepstate(files: list[Path], today: dt.date) -> tuple["pd.Series", dict]:
    import pandas as pd

    values: dict = {}
    origin: dict = {}
    for path in files:
        day = snapshot_date(path)
        if not FIRST_DAY <= day <= today:
            raise DataUpdateError(f"{path}: expected a snapshot dated from {FIRST_DAY} to today ({today}), got {day}")
        area = round(occupied_area_km2(path), AREA_DECIMALS)
        stamp = pd.Timestamp(day)
        if stamp in values and values[stamp] != area:
            raise DataUpdateError(f"{path}: expected the same area as {origin[stamp]} for {day} ({values[stamp]:,.1f} km2), got {area:,.1f} km2")
        values[stamp], origin[stamp] = area, path
    series = pd.Series(values, dtype=float).sort_index()
    return series, origin


# -- merging and checking a stream ----------------------------------------------------------------
def _add_stream(plan: UpdatePlan, stream: str, imported: "pd.Series", origin: dict) -> None:
    shipped, user = load_shipped(stream), load_user_rows(stream)
    current = merge(shipped, user)
    merged = imported.combine_first(current).sort_index()
    if CATALOG[stream].cumulative:
        _check_cumulative(stream, merged, imported, origin)
    else:
        _check_area(stream, merged, imported, origin)
    known = imported.index.isin(current.index)
    same = known & (imported.to_numpy() == current.reindex(imported.index).to_numpy())
    rows = imported if user is None else imported.combine_first(user)
    differs = ~rows.index.isin(shipped.index) | (rows.to_numpy() != shipped.reindex(rows.index).to_numpy())
    plan.rows[stream] = rows[differs].sort_index()
    files = tuple(dict.fromkeys(str(p) for p in origin.values()))
    plan.changes.append(Change(stream, files, int((~known).sum()), int((known & ~same).sum()), int(same.sum()),
                               imported.index[0].date(), imported.index[-1].date(), merged.index[-1].date()))


def _neighbours(merged: "pd.Series", imported: "pd.Series") -> list[tuple]:
    """Consecutive dates of ``merged`` of which at least one was imported: (earlier, later)."""
    dates = list(merged.index)
    mine = set(imported.index)
    return [(a, b) for a, b in zip(dates, dates[1:]) if a in mine or b in mine]


def _check_cumulative(stream: str, merged: "pd.Series", imported: "pd.Series", origin: dict) -> None:
    for earlier, later in _neighbours(merged, imported):
        before, after = float(merged[earlier]), float(merged[later])
        path = origin.get(later) or origin.get(earlier)
        days = (later - earlier).days
        if after < before:
            raise DataUpdateError(f"{path}: {stream} on {later.date()} ({after:,.0f}) is below {earlier.date()}'s ({before:,.0f}): "
                                  "expected a cumulative count that never decreases")
        if (after - before) / days > MAX_PERSONS_PER_DAY:
            raise DataUpdateError(f"{path}: {stream} rises by {after - before:,.0f} from {earlier.date()} to {later.date()}: "
                                  f"expected at most {MAX_PERSONS_PER_DAY:,} persons a day (is the count in persons?)")


def _check_area(stream: str, merged: "pd.Series", imported: "pd.Series", origin: dict) -> None:
    low, high = AREA_RANGE_KM2
    for stamp, value in imported.items():
        if not low <= value <= high:
            raise DataUpdateError(f"{origin[stamp]}: {stream} on {stamp.date()}: expected an occupied area from {low:,.0f} to "
                                  f"{high:,.0f} km2 (Crimea included, Ukraine's whole area at most), got {value:,.1f} km2")
    for earlier, later in _neighbours(merged, imported):
        change = float(merged[later]) - float(merged[earlier])
        days = (later - earlier).days
        if abs(change) / days > MAX_AREA_CHANGE_KM2_PER_DAY:
            path = origin.get(later) or origin.get(earlier)
            raise DataUpdateError(f"{path}: {stream} moves by {change:+,.1f} km2 from {earlier.date()} to {later.date()}: "
                                  f"expected at most {MAX_AREA_CHANGE_KM2_PER_DAY:,.0f} km2 a day (is it the occupied-area layer?)")


# -- writing ----------------------------------------------------------------------------------------
def _check_folder(folder: Path) -> Output:
    """The user data directory must be pawns's own (the rule of :mod:`pawns.outputs`): it is replaced as a whole when written."""
    return folder_output(folder, USER_DATA_KIND)


def _write_rows(path: Path, rows: "pd.Series") -> None:
    if rows.empty:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "value"])
        for stamp, value in rows.items():
            writer.writerow([stamp.date().isoformat(), f"{value:.10g}"])


def _log_imports(path: Path, plan: UpdatePlan, stamp: str) -> None:
    new = not path.is_file()
    by_file = {f: c for c in plan.changes for f in c.files}
    with open(path, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new:
            writer.writerow(["imported_at", "file", "sha256", "kind", "target", "added", "changed"])
        for source, kind in plan.sources:
            change = by_file.get(str(source))
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            writer.writerow([stamp, str(source.resolve()), digest, kind, change.target if change else "",
                             change.added if change else 0, change.changed if change else 0])
