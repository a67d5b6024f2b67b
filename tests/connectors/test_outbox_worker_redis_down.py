"""The outbox worker outlives a Redis that is down or restarting."""

from __future__ import annotations

import asyncio

from connectors.outbox_worker import run
from connectors.settings import Settings
from stack.processes import free_port


async def test_the_worker_keeps_polling_while_redis_is_unreachable() -> None:
    settings = Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    stop = asyncio.Event()
    worker = asyncio.create_task(run(settings, 0.05, stop))
    await asyncio.sleep(0.5)  # several claims have failed by now
    assert not worker.done(), worker.exception() if worker.done() else None
    stop.set()
    await asyncio.wait_for(worker, 5)
