"""Plans spread over a Dask cluster: one task per chunk of members.

Members never interact and every draw depends only on (seed, member), so a chunk computed on
any worker is bit-identical to the same members computed in this process; results are
gathered back in member order. :func:`use_scheduler` gives the evaluator that
:func:`pawns.engine.plan.run_plan` hands its chunks to::

    with use_scheduler("local:2") as evaluator:       # a local cluster of 2 worker processes
        result = run_ensemble(scenario, 100_000, seed=0, evaluator=evaluator)

    with use_scheduler("tcp://10.0.0.5:8786") as evaluator:   # a cluster that is already running
        ...

Workers need pawns installed (the same version) and nothing else: the scenario travels with
the tasks.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator

from pawns.engine.plan import Evaluator, InProcess
from pawns.errors import PawnsError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client


MAX_LOCAL_WORKERS = 1024


class SchedulerError(PawnsError):
    """A scheduler address that cannot be used."""


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


class DaskCluster:
    """Runs tasks on a Dask cluster's workers, one thread each (the cluster gives each worker a core).

    What the tasks share is sent to every worker once; results come back in task order.
    """

    threads = 1

    def __init__(self, client: "Client") -> None:
        self.client = client

    def map(self, function: Callable[[Any, Any], Any], shared: Any, tasks: list[Any]) -> Generator[Any, None, None]:
        # A key of its own (hash=False): two maps of equal shared data (a calibration's generations)
        # must not share it, or cancelling one's tasks would release the other's data.
        scattered = self.client.scatter(shared, broadcast=True, hash=False)
        futures = [self.client.submit(function, scattered, task, pure=False) for task in tasks]
        try:
            for future in futures:
                yield future.result()
        finally:
            self.client.cancel(futures)


@contextmanager
def use_scheduler(spec: str | None) -> Iterator[Evaluator]:
    """The evaluator that runs chunks where ``spec`` says, for as long as the context is open.

    Parameters
    ----------
    spec
        ``"local:N"`` starts a local cluster of N single-threaded worker processes (closed on
        exit); ``"tcp://HOST:PORT"`` connects to a running scheduler; None or ``""`` runs in
        this process.
    """
    workers = local_workers(spec)
    if not spec:
        yield InProcess()
        return
    from distributed import Client, LocalCluster  # Dask starts slowly: only runs that ask for it load it

    cluster = None
    if workers is not None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(spec, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"--scheduler {spec!r}: no Dask scheduler answered there ({exc})") from None
    try:
        yield DaskCluster(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
