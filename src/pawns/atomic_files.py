"""Atomic output: a result directory is either whole (and marked ``COMPLETE``) or absent.

Everything is written into a hidden temporary sibling first and renamed into place at the
end, so an interrupted run leaves only a ``.NAME.partial-*`` directory, never one that looks
finished, and a previous result is replaced only once the new one is whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pawns import __version__

COMPLETE_MARKER = "COMPLETE"


@contextmanager
def staged_directory(out_dir: Path, *, mark_complete: bool = True, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary directory to fill; on success it replaces ``out_dir``.

    Parameters
    ----------
    out_dir
        The final directory.
    mark_complete
        Write a ``COMPLETE`` marker last (what readers check before trusting a directory).
    mode
        Permissions for the final directory (temporary directories are private).
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        yield tmp
        if mark_complete:
            (tmp / COMPLETE_MARKER).write_text(f"pawns {__version__}\n", encoding="utf-8")
        if mode is not None:
            os.chmod(tmp, mode)
        move_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def move_into_place(finished: Path, out_dir: Path) -> None:
    """Rename the whole directory ``finished`` to ``out_dir``, replacing a previous one only now."""
    if out_dir.exists():
        backup = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(backup)
        finished.rename(out_dir)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        finished.rename(out_dir)


def write_directory(out_dir: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (name -> text or bytes) into ``out_dir`` atomically, marked ``COMPLETE``."""
    with staged_directory(out_dir) as tmp:
        for name, content in files.items():
            if isinstance(content, bytes):
                (tmp / name).write_bytes(content)
            else:
                (tmp / name).write_text(content, encoding="utf-8")
    return Path(out_dir)
