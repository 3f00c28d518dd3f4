"""The one rule for what pawns may replace, and the writing of an output by it (see the package)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pawns import __version__
from pawns.errors import OutputError, RunInterrupted
from pawns.outputs.interrupts import interrupts_held
from pawns.outputs.lock import LOCK_SUFFIX, LOCK_TEXT, Lock, os_reason
from pawns.outputs.manifest import (
    COMPLETE_MARKER, KIND_WORDS, MANIFEST_FILE, describe_csv, file_digest, is_pawns_page, load_manifest, write_manifest,
)

# Names pawns itself builds beside a target: the lock, and staging folders.
MAX_NAME_BYTES = 200


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
        lock = Lock(self.path)
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
                raise OutputError(f"{folder}: cannot create the folder for {self.path} ({os_reason(exc)})") from None
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
            raise OutputError(f"{self.path.parent}: cannot write there ({os_reason(exc)})") from None

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
        raise OutputError(f"{path}: cannot be read ({os_reason(exc)}); give another folder for the {what}") from None
    if not entries:
        return Output(path, kind, replaces=False)
    manifest = load_manifest(path) if (path / COMPLETE_MARKER).is_file() else None
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
        raise OutputError(f"{path}: cannot be examined ({os_reason(exc)})") from None


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
        return (entry / COMPLETE_MARKER).is_file() and load_manifest(entry) is not None
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
