"""Compile the model for this machine ahead of need (``pawns warmup``), or beside a run.

A run that the numpy engine answers quickly does not wait for numba: the model compiles in a
child process on another core (:class:`BackgroundCompile`) while the run answers with numpy,
and runs that let the engine be chosen chunk by chunk (``engine="auto"``) switch to the
compiled engine once the child has filled the cache. Both engines give the same numbers to the
last bit, so the switch changes only how soon the answer comes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import numpy as np

from pawns import compile_cache

# What the child runs: `pawns warmup` without the command line.
_CHILD = "from pawns.engine.warmup import warm_up\nwarm_up()\n"


def warm_up(scenario: str = "ru-ua-2024") -> float:
    """Compile (or load) the compiled engine and the shared elementwise functions; returns the seconds taken.

    Runs two members of ``scenario`` for two days with each engine, which compiles every function
    a run of any built-in scenario needs (their types do not depend on the scenario's size).
    """
    from pawns.engine.simulate import simulate_batch
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    started = time.perf_counter()
    layout = Layout.from_scenario(load_scenario(scenario, ["scenario.horizon_days=2"]))
    for engine in ("numpy", "compiled"):
        simulate_batch(layout, np.arange(2), seed=0, engine=engine, threads=1)
    return time.perf_counter() - started


def is_warm() -> bool:
    """Whether this version's compiled model is already in this machine's cache."""
    return compile_cache.is_compiled()


class BackgroundCompile:
    """The model compiling in a child process while this process runs with numpy.

    The child's output is kept (``error``) so that a failed compile can say why; the run it
    accompanies goes on with numpy either way.
    """

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or [sys.executable, "-c", _CHILD]
        self.process: subprocess.Popen | None = None
        self.error = ""

    @staticmethod
    def worthwhile(member_steps: int) -> bool:
        """Whether a run of ``member_steps`` answers with numpy only because the model is not compiled yet, with a core to spare."""
        from pawns.engine.simulate import compiled_engine_available, choose_engine

        if not compiled_engine_available() or choose_engine(member_steps) != "numpy":
            return False
        from pawns.engine.kernel import default_threads

        return default_threads() >= 2

    def start(self) -> None:
        """Start the child (once); its error output goes to a temporary file, read by :meth:`wait`."""
        if self.process is None:
            self._errors = tempfile.TemporaryFile(mode="w+")
            self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=self._errors)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait(self) -> bool:
        """Wait for the child to finish; returns whether it succeeded (its error output is kept in ``error``)."""
        if self.process is None:
            return False
        self.process.wait()
        if not self._errors.closed:  # read once: waiting again (after Ctrl-C, say) finds it kept
            self._errors.seek(0)
            self.error = self._errors.read()
            self._errors.close()
        return self.process.returncode == 0

    def stop(self) -> None:
        """Stop the child if it still runs (what it compiled so far is lost; the next large run compiles first)."""
        if self.running:
            self.process.terminate()
        if self.process is not None:
            self.wait()
