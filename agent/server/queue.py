"""The drawing queue: one device draws one picture at a time; a bounded number of requests may wait for it.

Selection never queues (it runs concurrently in worker threads). A draw takes a place when it arrives; when every
place is taken the request is refused at once with 429 and `Retry-After`, rather than held for minutes. A client
that disconnects while waiting gives its place back before it ever draws. On shutdown the queue closes: the draw in
progress finishes, waiting and new draws get 503.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Awaitable, Callable

from agent.server.errors import APIError


class DrawQueue:
    def __init__(self, size: int = 8, workers: int = 1):
        self.size = size  # places for waiting draws, beyond the ones drawing
        self.workers = workers
        self._slots = asyncio.Semaphore(workers)
        self._admitted = 0
        self.closed = False
        self.drawn = 0
        self._mean_s = 10.0  # a first guess for Retry-After, replaced by measured draws

    @property
    def waiting(self) -> int:
        return max(0, self._admitted - self.workers)

    def retry_after(self) -> int:
        return max(1, round(self._mean_s * (self.waiting + 1) / self.workers))

    def close(self) -> None:
        self.closed = True

    def _refuse_closed(self) -> None:
        raise APIError(
            503, "the server is shutting down and takes no new drawings; retry once it is back", code="shutting_down"
        )

    @asynccontextmanager
    async def place(self, disconnected: Callable[[], Awaitable[bool]] | None = None, poll_s: float = 0.25):
        """Hold a drawing place for the body of the `async with`; 429 when the queue is full."""
        if self.closed:
            self._refuse_closed()
        if self._admitted >= self.workers + self.size:
            raise APIError(
                429,
                f"the drawing queue is full ({self.size} waiting); retry in about {self.retry_after()} s",
                code="queue_full",
                headers={"Retry-After": str(self.retry_after())},
            )
        self._admitted += 1
        acquired = False
        try:
            while not acquired:
                try:
                    await asyncio.wait_for(self._slots.acquire(), timeout=poll_s)
                    acquired = True
                except asyncio.TimeoutError:
                    if disconnected is not None and await disconnected():
                        raise APIError(499, "the client went away before its turn", code="client_closed") from None
            if self.closed:
                self._refuse_closed()
            start = time.perf_counter()
            yield
            self.drawn += 1
            self._mean_s = 0.7 * self._mean_s + 0.3 * (time.perf_counter() - start)
        finally:
            self._admitted -= 1
            if acquired:
                self._slots.release()
