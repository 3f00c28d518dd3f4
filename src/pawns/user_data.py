"""Where a user's newer data live: the user data directory that overrides what pawns ships.

``pawns data update`` writes into it; the observation streams (``pawns.observations.catalog``)
and the evidence ledger (``pawns.evidence.ledger``) read it on top of the package's own files.
Its location, first match wins:

1. a directory set for this process by :func:`using_data_dir` (the ``--data-dir`` option);
2. the environment variable ``PAWNS_DATA_DIR``;
3. the platform's user data directory for ``pawns`` (``~/.local/share/pawns`` on Linux).

An empty or missing directory means "the shipped data only".
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pawns.errors import PawnsError, RunDirectoryError
from pawns.outputs import read_manifest, verify_file

ENV_VAR = "PAWNS_DATA_DIR"
APP_NAME = "pawns"
USER_DATA_KIND = "user-data"  # its kind of output (pawns.outputs): written only by `pawns data update`

_override: list[Path] = []


def data_dir() -> Path:
    """The user data directory in use (it may not exist yet)."""
    if _override:
        return _override[-1]
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


@contextmanager
def using_data_dir(folder: Path | str) -> Iterator[Path]:
    """Read and write user data in ``folder`` inside a ``with`` block."""
    _override.append(Path(folder).expanduser())
    try:
        yield _override[-1]
    finally:
        _override.pop()


def checked_file(folder: Path, path: Path) -> Path:
    """``path``, a file of the user data directory ``folder``, checked against the checksum written with it.

    Raises
    ------
    PawnsError
        One line naming the file, when ``folder`` is not one ``pawns data update`` wrote or the
        file changed since.
    """
    try:
        verify_file(folder, Path(path).relative_to(folder).as_posix(), read_manifest(folder, (USER_DATA_KIND,)))
    except RunDirectoryError as exc:
        raise PawnsError(f"user data: {exc} (import the files again with `pawns data update`, or delete {folder})") from None
    return Path(path)
