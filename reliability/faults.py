"""The faults injected during the load, each a script of what to break and when to mend it.

Every step is written to the phase's timeline, so the report can say how long each fault
lasted and when the first turn succeeded again.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable

from reliability.harness import Harness

Mark = Callable[[str], None]
Fault = Callable[[Harness, Mark], Awaitable[None]]
REDIS_DOWN_S = 5.0
SLOW_S, SLOW_FOR_S, FAIL_FOR_S = 3.0, 15.0, 15.0


async def kill_rasa(h: Harness, mark: Mark) -> None:
    """kill -9 the second Rasa server, then start a replacement on its port (what a restart
    policy does); REST clients pointed at it fail until it is back."""
    assert h.rasa_b is not None and h.rasa_b.process is not None and h.rasa_b_url
    os.killpg(h.rasa_b.process.pid, signal.SIGKILL)
    await asyncio.to_thread(h.rasa_b.process.wait)
    mark("second Rasa server killed with SIGKILL")
    h.rasa_b.start()
    mark("replacement Rasa server starting on the same port")
    await asyncio.to_thread(h.rasa_b.wait_http, h.rasa_status_url(h.rasa_b_url), 600)
    mark("replacement Rasa server answering")


async def restart_actions(h: Harness, mark: Mark) -> None:
    actions = h.stack.actions
    await asyncio.to_thread(actions.stop)
    mark("action server stopped (SIGTERM)")
    actions.start()
    await asyncio.to_thread(actions.wait_http, f"{h.stack.actions_url}/health", 300)
    mark("action server answering again")


async def restart_redis(h: Harness, mark: Mark) -> None:
    """A clean restart (SIGTERM: redis-server flushes its append-only file), down for a few
    seconds as under a service manager's restart delay."""
    redis = h.stack.redis
    await asyncio.to_thread(redis.stop)
    mark("redis-server stopped (SIGTERM, append-only file on)")
    await asyncio.sleep(REDIS_DOWN_S)
    redis.start()
    await asyncio.to_thread(redis.wait_tcp, h.stack.config.redis_port, 60)
    mark("redis-server listening again")


async def core_api(h: Harness, mark: Mark) -> None:
    h.proxy.set("slow", SLOW_S)
    mark(f"core API answers {SLOW_S:g} s late (every request)")
    await asyncio.sleep(SLOW_FOR_S)
    h.proxy.set("fail")
    mark("core API fails (503, connection closed)")
    await asyncio.sleep(FAIL_FOR_S)
    h.proxy.set("pass")
    mark("core API healthy again")


FAULTS: dict[str, Fault | None] = {
    "steady": None,
    "kill-rasa": kill_rasa,
    "restart-actions": restart_actions,
    "restart-redis": restart_redis,
    "core-api": core_api,
}
