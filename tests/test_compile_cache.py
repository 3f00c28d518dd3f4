"""The compiled model is kept once per machine and version, and a cold machine answers at once.

A run with the numpy engine on an empty compile cache compiles only the shared elementwise
functions and writes exactly what a run with the compiled engine writes (the switch from one to
the other part way through a run: tests/test_compile_beside.py); the cache folder is named by
the compiled sources, not by where the checkout lies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pawns import compile_cache
from pawns.model import elementwise

SMALL_RUN = ["run", "-n", "24", "--seed", "5", "--set", "scenario.horizon_days=60", "--quiet", "--answers", "core"]


def _pawns(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pawns", *arguments], env=env, capture_output=True, text=True, timeout=900)


def test_cache_folder_is_under_numba_cache_dir_and_named_by_the_sources(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    folder = compile_cache.cache_dir()
    assert folder.parent == tmp_path
    assert "pawns" in folder.name and "numba" in folder.name
    # Another copy of a compiled module with one byte changed gives another folder.
    edited = tmp_path / "equations.py"
    edited.write_bytes(compile_cache._module_file("pawns.model.equations").read_bytes() + b"\n# edited\n")
    original = compile_cache._module_file
    monkeypatch.setattr(compile_cache, "_module_file",
                        lambda name: edited if name == "pawns.model.equations" else original(name))
    assert compile_cache.cache_dir() != folder


def test_a_cold_cache_answers_with_numpy_and_writes_what_the_compiled_engine_writes(tmp_path) -> None:
    cold_env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "empty-cache")}
    cold = _pawns(*SMALL_RUN, "--engine", "numpy", "--out", str(tmp_path / "cold"), env=cold_env)
    assert cold.returncode == 0, cold.stderr
    cold_folder = next((tmp_path / "empty-cache").iterdir())
    # Only the five shared elementwise functions were compiled, not the kernel.
    assert not list(cold_folder.glob("kernel.*")), sorted(p.name for p in cold_folder.iterdir())
    assert len(list(cold_folder.glob("portable_math.*.nbi"))) == len(elementwise.SCALAR)
    assert _pawns("warmup", "--quiet", env=dict(os.environ)).returncode == 0  # the machine's cache: compiled from here on
    warm = _pawns(*SMALL_RUN, "--out", str(tmp_path / "warm"), env=dict(os.environ))
    assert warm.returncode == 0, warm.stderr
    for name in ("outcomes.csv", "summary.json", "observables.csv"):
        assert (tmp_path / "cold" / name).read_bytes() == (tmp_path / "warm" / name).read_bytes(), name


def test_warmup_on_a_compiled_machine_says_where_the_model_is(tmp_path) -> None:
    done = _pawns("warmup", env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert str(compile_cache.cache_dir()) in done.stdout
    assert compile_cache.is_compiled()
