"""What pawns records of every output it writes, and the checks of what it reads back.

Each output folder holds ``COMPLETE`` and the manifest ``pawns-output.json``: its kind, the
pawns version, every file with its size and SHA-256, and the schema of its tables. Readers call
:func:`read_manifest`, :func:`verify_file` and :func:`check_table`: a file changed since it was
written, or a table that does not match the columns and types recorded at creation, is one line
naming the file (and the column and row).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pawns import __version__
from pawns.errors import RunDirectoryError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COMPLETE_MARKER = "COMPLETE"
MANIFEST_FILE = "pawns-output.json"
MANIFEST_FORMAT = 1
# A report page says who wrote it in its head; pawns recognises its own pages by this line.
PAGE_GENERATOR = '<meta name="generator" content="pawns report">'

KIND_WORDS = {
    "run": "run (pawns run)",
    "comparison": "comparison (pawns compare)",
    "sensitivity": "sensitivity analysis (pawns sensitivity)",
    "discovery": "scenario discovery (pawns discover)",
    "calibration": "calibration (pawns calibrate)",
    "backtest": "back-test (pawns backtest)",
    "report-figures": "report's figure folder (pawns report)",
    "report": "report page (pawns report)",
    "posterior": "posterior file (pawns calibrate --posterior-out)",
    "user-data": "user data directory (pawns data update)",
    "dashboard-export": "dashboard export (pawns dashboard)",
}
_CHUNK_BYTES = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_table(frame: "pd.DataFrame") -> dict:
    """The schema of a table as written: its rows, and each column's name and kind of value."""
    columns = []
    for name, dtype in frame.dtypes.items():
        kind = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}.get(dtype.kind, "text")
        columns.append([str(name), kind])
    return {"rows": int(len(frame)), "columns": columns}


def describe_csv(path: Path) -> dict:
    """The schema of a CSV table as pandas reads it back."""
    import pandas as pd

    return describe_table(pd.read_csv(path))


def write_manifest(folder: Path, kind: str, tables: dict[str, dict] | None = None) -> dict:
    """Record every file of ``folder`` (size and SHA-256) and the schema of its tables."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in (MANIFEST_FILE, COMPLETE_MARKER):
            files[relative] = {"bytes": path.stat().st_size, "sha256": file_digest(path)}
    manifest = {"pawns_output": MANIFEST_FORMAT, "kind": kind, "pawns_version": __version__, "files": files,
                "tables": dict(tables or {})}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path, kinds: tuple[str, ...] | None = None) -> dict:
    """The manifest of a finished pawns output folder, checked.

    Raises
    ------
    RunDirectoryError
        When ``folder`` is not a finished pawns output (of one of ``kinds``, if given).
    """
    folder = Path(folder)
    what = " or ".join(KIND_WORDS.get(k, k) for k in kinds) if kinds else "pawns output"
    if not folder.is_dir():
        state = "no such folder" if not folder.exists() else "not a folder"
        raise RunDirectoryError(f"{folder}: {state} (expected the output folder of a {what})")
    if not (folder / COMPLETE_MARKER).is_file():
        raise RunDirectoryError(f"{folder}: not a finished pawns output (no {COMPLETE_MARKER} marker): it was interrupted or "
                                "is not a pawns output; run the command again")
    manifest = load_manifest(folder)
    if manifest is None:
        raise RunDirectoryError(f"{folder}: no readable {MANIFEST_FILE} (written by every finished pawns output since 0.1; "
                                "an older or damaged output): run the command again")
    if kinds and manifest["kind"] not in kinds:
        raise RunDirectoryError(f"{folder}: a pawns {KIND_WORDS.get(manifest['kind'], manifest['kind'])}, expected a {what}")
    return manifest


def verify_file(folder: Path, name: str, manifest: dict) -> Path:
    """Check that ``folder/name`` is there and unchanged since pawns wrote it; its path.

    Raises
    ------
    RunDirectoryError
        Naming the file, when it is missing, not in the manifest, or changed.
    """
    path = Path(folder) / name
    entry = manifest["files"].get(name)
    if entry is None:
        raise RunDirectoryError(f"{path}: not listed in {MANIFEST_FILE} (pawns did not write it there)")
    if not path.is_file() or path.is_symlink():
        raise RunDirectoryError(f"{path}: missing (listed in {MANIFEST_FILE}); run the command again")
    size = path.stat().st_size
    if size != entry.get("bytes") or file_digest(path) != entry.get("sha256"):
        change = f"{entry.get('bytes')} bytes when written, {size} now" if size != entry.get("bytes") else "same size, other content"
        raise RunDirectoryError(f"{path}: changed since pawns wrote it ({change}; its SHA-256 no longer matches {MANIFEST_FILE}); "
                                "run the command again")
    return path


def check_table(frame: "pd.DataFrame", schema: dict | None, file: Path) -> None:
    """Check a table read back against the schema recorded when it was written.

    Raises
    ------
    RunDirectoryError
        One line naming the file, the column and the first row that does not match.
    """
    import pandas as pd

    if schema is None:
        raise RunDirectoryError(f"{file}: no schema recorded for it in {MANIFEST_FILE}; run the command again")
    expected = [name for name, _ in schema["columns"]]
    found = [str(c) for c in frame.columns]
    if found != expected:
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        detail = (f"column '{missing[0]}' is missing" if missing else f"column '{extra[0]}' is not one pawns wrote" if extra
                  else "columns in another order")
        raise RunDirectoryError(f"{file}: {detail} (expected columns {', '.join(expected)})")
    if len(frame) != schema["rows"]:
        raise RunDirectoryError(f"{file}: expected {schema['rows']} rows as written, got {len(frame)}")
    for name, kind in schema["columns"]:
        column = frame[name]
        row = _first_mismatch(column, kind, pd)
        if row is not None:
            words = {"integer": "an integer", "number": "a number", "boolean": "True or False"}[kind]
            raise RunDirectoryError(f"{file}: column '{name}', row {row + 1}: expected {words}, got {column.iloc[row]!r}")


def _first_mismatch(column: "pd.Series", kind: str, pd) -> int | None:
    """Position of the first value that is not of ``kind`` (None when all are)."""
    import numpy as np

    if kind == "text":
        return None
    if kind == "boolean":
        if pd.api.types.is_bool_dtype(column):
            return None
        bad = ~column.isin([True, False])
    else:
        if pd.api.types.is_bool_dtype(column):
            return 0
        numbers = pd.to_numeric(column, errors="coerce")
        bad = numbers.isna() & column.notna()
        if kind == "integer":
            values = numbers.to_numpy(dtype=float)
            bad = bad | numbers.isna() | ~np.isfinite(values) | (values != np.round(values))
    positions = np.flatnonzero(np.asarray(bad))
    return int(positions[0]) if positions.size else None


def load_manifest(folder: Path) -> dict | None:
    """The manifest of ``folder`` if it is one pawns wrote, else None."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and data.get("pawns_output") == MANIFEST_FORMAT and isinstance(data.get("kind"), str)
            and isinstance(data.get("files"), dict) and isinstance(data.get("tables", {}), dict)):
        return None
    if not all(isinstance(entry, dict) for entry in data["files"].values()):
        return None
    return data


def is_pawns_page(path: Path) -> bool:
    """Whether ``path`` is an HTML page ``pawns report`` wrote (it names pawns as its generator)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return PAGE_GENERATOR.encode() in head


# --- the rule ---------------------------------------------------------------------------------
