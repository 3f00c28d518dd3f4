"""Where the compiled model is kept: one cache per machine and version, outside the checkout.

numba keeps a compiled function beside its source file by default, so every checkout, every
virtual environment and every fresh clone compiled the model again (minutes on two cores).
pawns keeps it instead in one folder per machine, named by the version of pawns, of numba and
of Python, and by a hash of every module whose code the compiled engine runs — so a change to
any of them never loads a stale step, and the command line, the tests and Dask workers on the
machine share one compilation. The folder's root, first match wins:

1. the environment variable ``NUMBA_CACHE_DIR`` (numba's own setting, honoured);
2. the platform's user cache directory for ``pawns`` (``~/.cache/pawns`` on Linux).

Nothing here imports numba until :func:`install_locator` is called by the compiled code itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.util import find_spec
from pathlib import Path

APP_NAME = "pawns"
ENV_VAR = "NUMBA_CACHE_DIR"

# Every module whose code numba compiles into the engine (the step inlines the equations, reads
# the state and parameter tuples, records what the registry lists and draws counter-based
# uniforms), and the one that changes how its tuples are lowered; a change to any of them must
# compile again.
COMPILED_MODULES = (
    "pawns.model.equations",
    "pawns.model.elementwise",
    "pawns.model.portable_math",
    "pawns.model.state",
    "pawns.model.parameter_table",
    "pawns.model.recorded",
    "pawns.engine.rng",
    "pawns.engine.recording",
    "pawns.engine.kernel",
    "pawns.engine.tuple_values",
)
_TIMING_FILE = "compile-seconds.json"


def cache_root() -> Path:
    """The folder that holds every version's compiled model on this machine."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def _module_file(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or spec.origin is None:  # pragma: no cover - the modules ship with pawns
        raise ImportError(f"cannot find the module {name}")
    return Path(spec.origin)


def source_digest() -> str:
    """A short hash of the sources of :data:`COMPILED_MODULES`."""
    digest = hashlib.sha256()
    for name in COMPILED_MODULES:
        digest.update(name.encode())
        digest.update(_module_file(name).read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """This version's folder: pawns, numba and Python versions, and the compiled sources' hash."""
    from importlib.metadata import version

    from pawns import __version__

    tag = f"pawns{__version__}-numba{version('numba')}-py{sys.version_info.major}{sys.version_info.minor}"
    return cache_root() / f"{tag}-{source_digest()}"


def is_compiled(function_name: str = "_run_members") -> bool:
    """Whether the compiled function of the kernel named ``function_name`` is in this version's cache."""
    folder = cache_dir()
    return folder.is_dir() and any(folder.glob(f"kernel.{function_name}-*.nbi"))


def last_compile_seconds() -> float | None:
    """How long the last full compilation took on this machine (any version), or None."""
    try:
        return float(json.loads((cache_root() / _TIMING_FILE).read_text())["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_compile_seconds(seconds: float) -> None:
    """Keep how long a full compilation took, to tell the next person how long to wait."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        partial = root / f".{_TIMING_FILE}.{os.getpid()}"
        partial.write_text(json.dumps({"seconds": round(float(seconds), 1)}))
        partial.replace(root / _TIMING_FILE)
    except OSError:  # a read-only cache only loses the estimate
        pass


_installed = False


def install_locator() -> None:
    """Make numba keep the functions compiled from pawns' modules in :func:`cache_dir`.

    numba finds a cached function through the first "locator" class that accepts its source
    file; this one accepts the files of pawns and names no path of the checkout, so identical
    sources anywhere on the machine find the same compiled code. numba still checks each entry
    against a hash of the file that defines the function.
    """
    global _installed
    if _installed:
        return
    from numba.core import caching

    folder = str(cache_dir())
    package = str(Path(__file__).resolve().parent)

    class PawnsCacheLocator(caching.UserProvidedCacheLocator):
        def __init__(self, py_func, py_file):
            super().__init__(py_func, py_file)
            self._cache_path = folder

        @classmethod
        def from_function(cls, py_func, py_file):
            if not str(Path(py_file).resolve()).startswith(package + os.sep):
                return None
            # Skip UserProvidedCacheLocator's own test (is NUMBA_CACHE_DIR set?): this folder is always used.
            return super(caching.UserProvidedCacheLocator, cls).from_function(py_func, py_file)

    caching.CacheImpl._locator_classes.insert(0, PawnsCacheLocator)
    _installed = True
