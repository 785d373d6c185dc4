"""Each client's share of the endpoint: queries in flight, and query time per minute.

The Wikidata Query Service gives each client 60 seconds of query time per
minute and answers HTTP 429 with ``Retry-After`` past it; we do the same,
and also bound how many queries one client may have running at once, so
that one client's burst cannot occupy every worker. A client is its address
(``request.client.host``); behind a proxy, the proxy's own limits apply.

>>> limits = ClientLimits(max_in_flight=1, budget=5.0, window=60.0)
>>> ticket = limits.admit("10.0.0.1", now=0.0)
>>> limits.admit("10.0.0.1", now=0.1)
Traceback (most recent call last):
...
kg.fairness.OverShareError: ...
>>> limits.done(ticket, elapsed=6.0, now=6.0)
>>> limits.admit("10.0.0.1", now=7.0)
Traceback (most recent call last):
...
kg.fairness.OverShareError: ...
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from .errors import KgError

#: Defaults: queries one client may have running, and seconds of query time per window.
DEFAULT_MAX_IN_FLIGHT = 4
DEFAULT_BUDGET = 60.0
DEFAULT_WINDOW = 60.0


class OverShareError(KgError):
    """A client over its share; ``retry_after`` is how many seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Ticket:
    """A query admitted for ``client``; hand it back to :meth:`ClientLimits.done`."""

    client: str
    started: float


class ClientLimits:
    """Admit or refuse a client's next query; thread-safe."""

    def __init__(
        self,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        budget: float = DEFAULT_BUDGET,
        window: float = DEFAULT_WINDOW,
    ) -> None:
        self.max_in_flight = max_in_flight
        self.budget = budget
        self.window = window
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = defaultdict(int)
        self._spent: dict[str, deque[tuple[float, float]]] = defaultdict(deque)

    def _forget_old(self, client: str, now: float) -> float:
        """Drop spending older than the window; return what is left in it."""
        spent = self._spent[client]
        while spent and spent[0][0] < now - self.window:
            spent.popleft()
        if not spent:
            self._spent.pop(client, None)
            return 0.0
        return sum(seconds for _, seconds in spent)

    def admit(self, client: str, *, now: float | None = None) -> Ticket:
        """A ticket for one more query of ``client``, or :class:`OverShareError`."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._in_flight[client] >= self.max_in_flight:
                raise OverShareError(
                    f"Too many queries at once from one client (at most "
                    f"{self.max_in_flight}); wait for one to finish.",
                    retry_after=1,
                )
            used = self._forget_old(client, now)
            if used >= self.budget:
                # wait until enough of the oldest spending leaves the window
                over = used - self.budget
                wait = self.window
                for at, seconds in self._spent[client]:
                    over -= seconds
                    if over < 0:
                        wait = at + self.window - now
                        break
                raise OverShareError(
                    f"This client used {used:.0f} s of query time in the last "
                    f"{self.window:.0f} s (the share is {self.budget:.0f} s); try again later.",
                    retry_after=max(1, math.ceil(wait)),
                )
            self._in_flight[client] += 1
            return Ticket(client, now)

    def done(self, ticket: Ticket, *, elapsed: float | None = None,
             now: float | None = None) -> None:
        """Record that the query of ``ticket`` ended after ``elapsed`` seconds."""
        now = time.monotonic() if now is None else now
        seconds = now - ticket.started if elapsed is None else elapsed
        with self._lock:
            left = self._in_flight[ticket.client] - 1
            if left > 0:
                self._in_flight[ticket.client] = left
            else:
                self._in_flight.pop(ticket.client, None)
            self._spent[ticket.client].append((now, seconds))
