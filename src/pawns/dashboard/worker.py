"""Runs off the page's thread, newest request first: a newer request cancels an older one.

The page hands every request to :meth:`LatestWins.submit` and returns at once. One background
thread runs the latest request; a request submitted while another runs marks the older one
cancelled, and the older one stops at its next check (the run path checks between chunks of
members) and never reaches the page. Only the newest request's progress and result are
delivered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable


class Cancelled(Exception):
    """Raised inside a request's work when a newer request has replaced it."""


@dataclass(frozen=True)
class Ticket:
    """A request's handle inside its work: report progress and learn whether it is still wanted."""

    number: int
    worker: "LatestWins"

    def check(self) -> None:
        """Raise :class:`Cancelled` when a newer request has been submitted (or the worker closed)."""
        if self.worker.superseded(self.number):
            raise Cancelled(f"request {self.number} was replaced by a newer one")

    def progress(self, share: float) -> None:
        """Report the share done (0 to 1) and stop here if the request is no longer wanted."""
        self.check()
        self.worker.on_progress(self.number, share)


Work = Callable[[Any, Ticket], Any]


class LatestWins:
    """A background thread that runs the latest of the requests submitted to it.

    Parameters
    ----------
    work
        ``work(request, ticket)``: does the request, calling ``ticket.progress(share)`` as it goes.
    on_result
        ``on_result(number, result, error)`` with the result (or the exception) of a request that
        was still the newest when it finished; never called for a cancelled one.
    on_progress
        ``on_progress(number, share)`` while the newest request runs.
    """

    def __init__(self, work: Work, on_result: Callable[[int, Any, BaseException | None], None],
                 on_progress: Callable[[int, float], None] = lambda number, share: None) -> None:
        self._work = work
        self._on_result = on_result
        self.on_progress = on_progress
        self._lock = threading.Condition()
        self._latest = 0
        self._pending: tuple[int, Any] | None = None
        self._closed = False
        self.cancelled: list[int] = []  # numbers of the requests stopped by a newer one, in order
        self._thread = threading.Thread(target=self._loop, name="pawns-dashboard-runs", daemon=True)
        self._thread.start()

    def submit(self, request: Any) -> int:
        """Queue ``request`` in place of any older one; returns its number."""
        with self._lock:
            self._latest += 1
            self._pending = (self._latest, request)
            self._lock.notify()
            return self._latest

    def superseded(self, number: int) -> bool:
        with self._lock:
            return self._closed or number != self._latest

    def close(self, timeout: float | None = None) -> None:
        """Stop: the running request ends at its next check, and no further one starts."""
        with self._lock:
            self._closed = True
            self._pending = None
            self._lock.notify()
        self._thread.join(timeout)

    def _next(self) -> tuple[int, Any] | None:
        with self._lock:
            while self._pending is None and not self._closed:
                self._lock.wait()
            if self._closed:
                return None
            job, self._pending = self._pending, None
            return job

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            number, request = job
            ticket = Ticket(number, self)
            try:
                ticket.check()
                result, error = self._work(request, ticket), None
            except Cancelled:
                self.cancelled.append(number)
                continue
            except Exception as exc:  # the page shows it; the worker goes on with the next request
                result, error = None, exc
            if not self.superseded(number):
                self._on_result(number, result, error)
            else:
                self.cancelled.append(number)
