"""Ensembles spread over a Dask cluster: members in chunks, one task per chunk.

Members never interact and every draw depends only on (seed, member), so a chunk computed on
any worker is bit-identical to the same members computed in this process; results are
gathered back in member order. Use it as a context::

    with use_scheduler("local:2"):          # a local cluster of 2 worker processes
        result = run_ensemble(scenario, 100_000, seed=0)

    with use_scheduler("tcp://10.0.0.5:8786"):   # a cluster that is already running
        ...

Workers need pawns installed (the same version) and nothing else: the scenario travels with
each task.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from pawns.errors import PawnsError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

    from pawns.engine.simulate import BatchResult
    from pawns.model.layout import Layout

_ACTIVE: list["Client"] = []
MAX_LOCAL_WORKERS = 1024


class SchedulerError(PawnsError):
    """A scheduler address that cannot be used."""


def active_client() -> "Client | None":
    """The Dask client of the innermost :func:`use_scheduler`, or None (run in this process)."""
    return _ACTIVE[-1] if _ACTIVE else None


def local_workers(spec: str | None) -> int | None:
    """Check a ``--scheduler`` value before any work: N for ``local:N``, None for an address or no scheduler.

    Raises
    ------
    SchedulerError
        For anything but ``local:N`` (1 to 1024 workers), ``tcp://`` or ``tls://`` addresses, or nothing.
    """
    if not spec:
        return None
    if spec.startswith("local:"):
        text = spec.split(":", 1)[1]
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_LOCAL_WORKERS):
            raise SchedulerError(f"--scheduler {spec!r}: expected local:N with N a number of workers from 1 to {MAX_LOCAL_WORKERS}")
        return int(text)
    if spec.startswith(("tcp://", "tls://")) and len(spec) > len("tcp://") and spec.isprintable():
        return None
    raise SchedulerError(f"--scheduler {spec!r}: expected local:N or tcp://HOST:PORT")


@contextmanager
def use_scheduler(spec: str | None) -> Iterator["Client | None"]:
    """Run ensembles on a Dask cluster while the context is open.

    Parameters
    ----------
    spec
        ``"local:N"`` starts a local cluster of N single-threaded worker processes (closed on
        exit); ``"tcp://HOST:PORT"`` connects to a running scheduler; None or ``""`` runs in
        this process.
    """
    workers = local_workers(spec)
    if not spec:
        yield None
        return
    from distributed import Client, LocalCluster

    cluster = None
    if workers is not None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(spec, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"--scheduler {spec!r}: no Dask scheduler answered there ({exc})") from None
    _ACTIVE.append(client)
    try:
        yield client
    finally:
        _ACTIVE.pop()
        client.close()
        if cluster is not None:
            cluster.close()


def _run_chunk(layout: "Layout", chunk: np.ndarray, seed: int, record_every: int, keep_series: bool) -> tuple[dict[str, Any], "BatchResult | None"]:
    """One task: simulate a chunk of members and compute their outcomes (on a worker)."""
    from pawns.analysis.outcomes import member_outcomes
    from pawns.engine.simulate import simulate_batch

    # One thread per task: the cluster already gives each worker a core.
    batch = simulate_batch(layout, chunk, seed=seed, record_every=record_every, keep_series=keep_series, threads=1)
    return member_outcomes(layout, batch.initial, batch.final), (batch if keep_series else None)


def map_chunks(client: "Client", layout: "Layout", chunks: list[np.ndarray], *, seed: int, record_every: int,
               keep_series: bool) -> Iterator[tuple[dict[str, Any], "BatchResult | None"]]:
    """Submit one task per chunk and yield their results in chunk (member) order."""
    scattered = client.scatter(layout, broadcast=True)
    futures = [client.submit(_run_chunk, scattered, chunk, seed, record_every, keep_series, pure=False) for chunk in chunks]
    try:
        for future in futures:
            yield future.result()
    finally:
        client.cancel(futures)
