"""Background processing: one user's messages strictly in order, different users in parallel.

A webhook only submits a job and returns, so it answers within milliseconds however slow Rasa
is. Every key (one conversation) has its own FIFO served by one task at a time; a semaphore
bounds how many conversations run at once, and both queues are bounded so a flood turns
into 503s (the platform redelivers later) instead of unbounded memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)


class Overloaded(Exception):
    """The user's queue or the whole gateway is full; the webhook answers 503."""


class KeyedDispatcher:
    def __init__(self, per_key_limit: int, max_pending: int, max_concurrency: int) -> None:
        self._per_key_limit = per_key_limit
        self._max_pending = max_pending
        self._slots = asyncio.Semaphore(max_concurrency)
        self._queues: dict[str, deque[Job]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._pending = 0

    @property
    def pending(self) -> int:
        return self._pending

    def has_room(self, key: str) -> bool:
        queue = self._queues.get(key)
        return self._pending < self._max_pending and (
            queue is None or len(queue) < self._per_key_limit
        )

    def submit(self, key: str, job: Job) -> None:
        if not self.has_room(key):
            raise Overloaded(key)
        self._pending += 1
        queue = self._queues.get(key)
        if queue is not None:  # a worker is already serving this key: it will get there
            queue.append(job)
            return
        self._queues[key] = deque([job])
        worker = asyncio.create_task(self._serve(key), name=f"gateway:{key}")
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _serve(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                job = queue[0]
                try:
                    async with self._slots:
                        await job()
                except Exception:  # one failed message must not stop the user's next ones
                    log.exception("processing a message of %s failed", key)
                finally:
                    queue.popleft()
                    self._pending -= 1
        finally:
            # No await between the last check and this: a submit cannot slip in between.
            self._pending -= len(queue)
            del self._queues[key]

    async def drain(self, timeout_s: float) -> bool:
        """Wait for the queued work (on shutdown); True if everything finished in time."""
        if not self._workers:
            return True
        _, still_running = await asyncio.wait(set(self._workers), timeout=timeout_s)
        for worker in still_running:
            worker.cancel()
        return not still_running
