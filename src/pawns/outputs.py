"""Where pawns writes, and the one rule for what it may replace there.

Every command that writes results goes through this module (docs/reliability.md):

* A **target** — an output folder, or one file such as a report page — is checked before any
  work. It may be absent, an empty folder, or an earlier pawns output *of the same kind*: a
  folder holding the ``COMPLETE`` marker and the manifest ``pawns-output.json`` (its kind, the
  pawns version, and every file with its size and SHA-256), whose files still match the
  manifest and which holds nothing else but pawns files; or a file pawns recognises as its own
  (a report page, a posterior file). Anything else — a folder with other content, a file, a
  device, a symbolic link, the working or home directory or a folder above them, a mount
  point — is refused with one line naming it, and left untouched.
* An output folder is built in a hidden sibling (``.NAME.partial-*``), its manifest and marker
  are written last, and it is swapped into place with Ctrl-C held off for that moment, so a
  target is at every instant either the earlier output or the new one.
* A lock file beside the target (``.NAME.lock``, removed afterwards) keeps two commands from
  writing one output at the same time.

Readers check what they read back with :func:`read_manifest`, :func:`verify_file` and
:func:`check_table`: a file changed since it was written, or a table that does not match the
columns and types recorded at creation, is one line naming the file (and the column and row).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from pawns import __version__
from pawns.errors import PawnsError, RunDirectoryError, RunInterrupted

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COMPLETE_MARKER = "COMPLETE"
MANIFEST_FILE = "pawns-output.json"
MANIFEST_FORMAT = 1
LOCK_SUFFIX = ".lock"
LOCK_TEXT = "pawns lock"
# Names pawns itself builds beside a target: the lock, and staging folders.
MAX_NAME_BYTES = 200
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
}
_CHUNK_BYTES = 1 << 20


class OutputError(PawnsError):
    """A target pawns will not write to, or could not write to (one line: the path and what to do)."""


# --- interruptions ----------------------------------------------------------------------------

_held: list[list[int]] = []


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C off inside the block; one pressed meanwhile is raised when the block ends.

    Only in the main thread, and only when Ctrl-C is not ignored already (a shell starting a
    command in the background hands it SIGINT ignored). :func:`raise_if_interrupted` lets a
    long block stop early at a point where stopping is safe.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        yield
        return
    pressed: list[int] = []
    _held.append(pressed)
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _held.remove(pressed)
    if pressed:
        raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Inside :func:`interrupts_held`: raise ``KeyboardInterrupt`` now if Ctrl-C was pressed."""
    if _held and _held[-1]:
        _held[-1].clear()
        raise KeyboardInterrupt


# --- checksums and manifests ------------------------------------------------------------------

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
    manifest = _load_manifest(folder)
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


def _load_manifest(folder: Path) -> dict | None:
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

@dataclass
class Output:
    """A checked target: where one output goes, and whether it replaces an earlier one.

    Make one with :func:`folder_output` or :func:`file_output`.

    Attributes
    ----------
    path
        The target (its parent resolved; the name as given).
    kind
        What is written there (a key of ``KIND_WORDS``).
    replaces
        An earlier pawns output of the same kind is there and will be replaced.
    """

    path: Path
    kind: str
    replaces: bool
    recognise: Callable[[Path], bool] | None = None
    _created: list[Path] = field(default_factory=list)

    @property
    def is_file(self) -> bool:
        return self.recognise is not None

    def replaced_note(self) -> str:
        """Words for the command's last line: ``" (replacing the earlier pawns run there)"`` or ``""``."""
        return f" (replacing the earlier pawns {self.kind.replace('-', ' ')} there)" if self.replaces else ""

    def recheck(self) -> None:
        """Apply the rule again right before replacing (the target may have changed meanwhile)."""
        again = (file_output(self.path, self.kind, self.recognise) if self.is_file
                 else folder_output(self.path, self.kind, deep=False))
        self.replaces = again.replaces

    @contextmanager
    def claim(self) -> Iterator["Output"]:
        """Create missing parent folders and hold the lock while writing.

        On failure the parent folders created here are removed again (if still empty), and the
        lock file is always removed: a failed command leaves nothing behind.
        """
        lock = _Lock(self.path)
        try:
            self._create_parents()
            lock.acquire()
            yield self
        except BaseException:
            lock.release()
            self._remove_created_parents()
            raise
        lock.release()

    def _create_parents(self) -> None:
        missing = []
        parent = self.path.parent
        while not os.path.lexists(parent):
            missing.append(parent)
            parent = parent.parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except OSError as exc:
                raise OutputError(f"{folder}: cannot create the folder for {self.path} ({_reason(exc)})") from None
            self._created.append(folder)

    def _remove_created_parents(self) -> None:
        for folder in reversed(self._created):
            try:
                os.rmdir(folder)
            except OSError:
                break
        self._created.clear()

    @contextmanager
    def staged(self) -> Iterator[Path]:
        """A hidden temporary folder to fill; on success it becomes the output (see :meth:`publish`)."""
        tmp = self.staging_folder()
        try:
            yield tmp
            self.publish(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def staging_folder(self) -> Path:
        """A new hidden, private folder beside the target, named after it."""
        try:
            return Path(tempfile.mkdtemp(prefix=f".{self.path.name}.partial-", dir=self.path.parent))
        except OSError as exc:
            raise OutputError(f"{self.path.parent}: cannot write there ({_reason(exc)})") from None

    def publish(self, finished: Path, tables: dict[str, dict] | None = None, *, mode: int | None = 0o755) -> Path:
        """Write the manifest and marker into ``finished`` and swap it into place.

        ``tables`` gives the schema of its CSV tables (:func:`describe_table`); without it every
        ``.csv`` file is read to describe it. The rule is applied again first; the swap itself
        runs with Ctrl-C held off, so the target is always either the earlier output or the new one.
        """
        self.recheck()
        if tables is None:
            tables = {path.relative_to(finished).as_posix(): describe_csv(path) for path in sorted(finished.rglob("*.csv"))}
        write_manifest(finished, self.kind, tables)
        (finished / COMPLETE_MARKER).write_text(f"pawns {__version__}\n", encoding="utf-8")
        if mode is not None:
            os.chmod(finished, mode)  # temporary folders are private; an output is meant to be read
        try:
            with interrupts_held():
                _swap(finished, self.path)
        except KeyboardInterrupt:  # pressed during the swap, raised once it was done
            raise RunInterrupted(f"interrupted as {self.path} was put in place; it is complete") from None
        return self.path

    def write_files(self, files: dict[str, str | bytes]) -> Path:
        """Write an output folder of ``files`` (name -> text or bytes) by :meth:`staged`."""
        with self.staged() as tmp:
            for name, content in files.items():
                if isinstance(content, bytes):
                    (tmp / name).write_bytes(content)
                else:
                    (tmp / name).write_text(content, encoding="utf-8")
        return self.path

    def write_bytes(self, content: bytes, *, mode: int = 0o644) -> Path:
        """Write a single-file output atomically (a temporary file renamed over the target)."""
        handle, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.partial-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.chmod(tmp, mode)
            self.recheck()
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return self.path


def folder_output(target: Path, kind: str, *, deep: bool = True) -> Output:
    """Check that an output folder of ``kind`` may be written at ``target``.

    Parameters
    ----------
    target
        The folder to write.
    kind
        What pawns writes there (a key of ``KIND_WORDS``).
    deep
        Also check that every file an earlier output lists is unchanged (reads them all once).

    Raises
    ------
    OutputError
        One line naming the target, why it is refused and what to do.
    """
    path = _target_path(target)
    info = _lstat(path)
    if info is None:
        _check_parent(path)
        return Output(path, kind, replaces=False)
    what = KIND_WORDS[kind]
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path}: is a symbolic link (to {os.readlink(path)}); pawns replaces only folders it wrote itself: "
                          f"give the real folder, or a new name, as the {what}'s output")
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is {_file_kind(info.st_mode)}, not a folder pawns wrote; it is left as it is: "
                          f"give a new folder's name for the {what}")
    _refuse_special_folder(path)
    try:
        entries = sorted(os.listdir(path))
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({_reason(exc)}); give another folder for the {what}") from None
    if not entries:
        return Output(path, kind, replaces=False)
    manifest = _load_manifest(path) if (path / COMPLETE_MARKER).is_file() else None
    if manifest is None:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise OutputError(f"{path}: holds files pawns did not write ({shown}); it is left as it is: give a new folder for the "
                          f"{what}, or move them away")
    if manifest["kind"] != kind:
        raise OutputError(f"{path}: holds a pawns {KIND_WORDS.get(manifest['kind'], manifest['kind'])}, not a {what}; it is "
                          "left as it is: give another folder")
    _check_entries(path, entries, manifest, deep)
    return Output(path, kind, replaces=True)


def file_output(target: Path, kind: str, recognise: Callable[[Path], bool] | None) -> Output:
    """Check that a single-file output of ``kind`` may be written at ``target``.

    An existing file is replaced only if ``recognise`` says pawns wrote it (as this kind).

    Raises
    ------
    OutputError
        One line naming the target, why it is refused and what to do.
    """
    recognise = recognise or (lambda path: False)
    path = _target_path(target)
    info = _lstat(path)
    if info is None:
        _check_parent(path)
        return Output(path, kind, replaces=False, recognise=recognise)
    what = KIND_WORDS[kind]
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path}: is a symbolic link (to {os.readlink(path)}); pawns replaces only files it wrote itself: "
                          f"give a new file name for the {what}")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path}: is {_file_kind(info.st_mode)}; it is left as it is: give a new file name for the {what}")
    if not recognise(path):
        raise OutputError(f"{path}: is a file pawns did not write as a {what}; it is left as it is: give a new file name, or "
                          "move it away")
    return Output(path, kind, replaces=True, recognise=recognise)


def _target_path(target: Path) -> Path:
    text = os.fspath(target)
    if not text:
        raise OutputError("an empty path was given as the output; give a folder name")
    if "\x00" in text:
        raise OutputError(f"{text!r}: a path cannot hold a NUL character; give another name")
    target = Path(text)
    if target.name in ("", ".", ".."):
        path = target.resolve()
    else:
        if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
            raise OutputError(f"{target}: a name of {len(os.fsencode(target.name))} bytes is too long (at most {MAX_NAME_BYTES}); "
                              "give a shorter one")
        path = target.parent.resolve() / target.name
    return path


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            return None  # reported by _check_parent: a file in the way
        raise OutputError(f"{path}: cannot be examined ({_reason(exc)})") from None


def _check_parent(path: Path) -> None:
    """The nearest existing folder above a new target must be a folder pawns can write in."""
    parent = path.parent
    while not os.path.lexists(parent):
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: cannot be created, {parent} is {_file_kind(os.stat(parent).st_mode)}, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot be created, {parent} is not writable")


def _refuse_special_folder(path: Path) -> None:
    """Never the working or home directory, a folder above them, the root, or a mount point."""
    real = path.resolve()
    folders = (("the working directory", Path.cwd().resolve()), ("the home directory", Path.home().resolve()))
    where = next((name for name, folder in folders if real == folder), None)
    where = where or next((f"a folder above {name}" for name, folder in folders if real in folder.parents), None)
    if where is not None:
        raise OutputError(f"{path}: is {where}; pawns writes its outputs into a folder of their own: give a new folder's name")
    if os.path.ismount(real):
        raise OutputError(f"{path}: is a mount point; pawns writes its outputs into a folder of their own: give a new folder's name")


def _check_entries(path: Path, entries: list[str], manifest: dict, deep: bool) -> None:
    """Every entry of an earlier output must be a file it lists, unchanged, or itself pawns output."""
    listed = {name.split("/", 1)[0] for name in manifest["files"]} | {MANIFEST_FILE, COMPLETE_MARKER}
    for name in entries:
        entry = path / name
        if name in listed or _is_own_addition(entry):
            continue
        raise OutputError(f"{entry}: was not written by pawns (it is not in {path / MANIFEST_FILE}); nothing is replaced: "
                          f"move it out of {path}, or give another folder")
    for name, recorded in manifest["files"].items():
        entry = path / name
        try:
            info = os.lstat(entry)
        except OSError:
            continue  # a file gone from an earlier output loses nothing when it is replaced
        changed = not stat.S_ISREG(info.st_mode) or info.st_size != recorded.get("bytes")
        if not changed and deep:
            changed = file_digest(entry) != recorded.get("sha256")
        if changed:
            raise OutputError(f"{entry}: changed since pawns wrote it; nothing is replaced: move it out of {path}, or give another "
                              "folder")


def _is_own_addition(entry: Path) -> bool:
    """Files pawns adds to an output after it was written: a report page and its figure folder, a stale lock."""
    try:
        info = os.lstat(entry)
    except OSError:
        return False
    if stat.S_ISDIR(info.st_mode):
        return (entry / COMPLETE_MARKER).is_file() and _load_manifest(entry) is not None
    if not stat.S_ISREG(info.st_mode):
        return False
    if entry.name.startswith(".") and entry.name.endswith(LOCK_SUFFIX):
        try:
            return entry.read_text(encoding="utf-8", errors="replace").startswith(LOCK_TEXT)
        except OSError:
            return False
    return entry.suffix.lower() in (".html", ".htm") and is_pawns_page(entry)


def _swap(finished: Path, target: Path) -> None:
    """Rename ``finished`` to ``target``, replacing an earlier output only now."""
    if os.path.lexists(target):
        backup = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, backup)
        try:
            os.rename(finished, target)
        except BaseException:
            os.rename(backup, target)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.rename(finished, target)


def _file_kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class _Lock:
    """An exclusive lock on ``.NAME.lock`` beside a target, removed when released."""

    def __init__(self, target: Path) -> None:
        self.path = target.parent / f".{target.name}{LOCK_SUFFIX}"
        self.target = target
        self.handle: int | None = None

    def acquire(self) -> None:
        import fcntl

        for _ in range(10):
            try:
                handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(f"{self.target}: cannot write in {self.target.parent} ({_reason(exc)})") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(handle)
                raise OutputError(f"{self.target}: another pawns command is writing it now (lock {self.path}); wait for it to "
                                  "finish, or give another output") from None
            try:
                same = os.fstat(handle).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its last holder removed while we opened it
                os.ftruncate(handle, 0)
                os.write(handle, f"{LOCK_TEXT} of process {os.getpid()}\n".encode())
                self.handle = handle
                return
            os.close(handle)
        raise OutputError(f"{self.target}: its lock {self.path} keeps changing; is another pawns command writing it?")

    def release(self) -> None:
        if self.handle is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.handle)
        self.handle = None
