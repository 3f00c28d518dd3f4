"""Read back what ``pawns sensitivity``, ``pawns discover`` and ``pawns backtest`` wrote, checked, for reports.

A finished output directory holds ``COMPLETE`` and a JSON file whose ``kind`` and
``format_version`` say what it is (formats in docs/sensitivity.md); the charts it names lie
beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pawns.errors import RunDirectoryError
from pawns.outputs import COMPLETE_MARKER, read_manifest, verify_file

SENSITIVITY = ("sensitivity.json", "pawns-sensitivity", "pawns sensitivity")
DISCOVERY = ("discovery.json", "pawns-discovery", "pawns discover")
BACKTEST = ("backtest.json", "pawns-backtest", "pawns backtest")
SUPPORTED_VERSION = 1
# The kind each result's own file names, and the kind of output folder it lies in.
OUTPUT_KINDS = {"pawns-sensitivity": "sensitivity", "pawns-discovery": "discovery", "pawns-backtest": "backtest"}


def read_sensitivity(directory: Path) -> dict:
    """The ``sensitivity.json`` of a finished ``pawns sensitivity`` output directory."""
    return _read(Path(directory), *SENSITIVITY)


def read_discovery(directory: Path) -> dict:
    """The ``discovery.json`` of a finished ``pawns discover`` output directory."""
    return _read(Path(directory), *DISCOVERY)


def read_backtest(directory: Path) -> dict:
    """The ``backtest.json`` of a finished ``pawns backtest`` output directory."""
    return _read(Path(directory), *BACKTEST)


def figure_paths(directory: Path, data: dict) -> list[Path]:
    """The PNG charts a sensitivity or discovery result names, in its order, each checked against the folder's manifest."""
    items = data.get("outcomes") or data.get("boxes") or []
    names = [item["figure"] for item in items if isinstance(item, dict) and isinstance(item.get("figure"), str)]
    manifest = read_manifest(Path(directory))
    return [verify_file(Path(directory), name, manifest) for name in names]


def _read(directory: Path, file_name: str, kind: str, command: str) -> dict:
    if not (directory / COMPLETE_MARKER).is_file():
        raise RunDirectoryError(f"{directory}: expected a finished output directory holding COMPLETE (was the command interrupted?)")
    manifest = read_manifest(directory, (OUTPUT_KINDS[kind],))
    file = directory / file_name
    if not file.is_file():
        raise RunDirectoryError(f"{directory}: expected {file_name} (written by `{command}`), found none")
    verify_file(directory, file_name, manifest)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RunDirectoryError(f"{file}: expected readable JSON ({' '.join(str(exc).split())})") from None
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise RunDirectoryError(f"{file}: expected kind '{kind}', got {data.get('kind') if isinstance(data, dict) else type(data).__name__!r}")
    if data.get("format_version") != SUPPORTED_VERSION:
        raise RunDirectoryError(f"{file}: expected format_version {SUPPORTED_VERSION}, got {data.get('format_version')!r}")
    return data
