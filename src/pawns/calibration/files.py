"""Write a directory of text files atomically: all of it, or nothing that looks finished."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pawns import __version__

COMPLETE_MARKER = "COMPLETE"


def write_directory(out_dir: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (name -> text or bytes) into ``out_dir`` through a temporary sibling.

    ``COMPLETE`` is written last; an existing ``out_dir`` is replaced only once everything is written.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        for name, content in files.items():
            if isinstance(content, bytes):
                (tmp / name).write_bytes(content)
            else:
                (tmp / name).write_text(content, encoding="utf-8")
        (tmp / COMPLETE_MARKER).write_text(f"pawns {__version__}\n", encoding="utf-8")
        if out_dir.exists():
            backup = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(backup)
            tmp.rename(out_dir)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir
