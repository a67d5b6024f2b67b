"""Per-user order, cross-user parallelism and bounded queues."""

from __future__ import annotations

import asyncio

import pytest

from connectors.gateway.dispatcher import KeyedDispatcher, Overloaded


async def test_one_users_messages_run_in_order_even_when_the_first_is_slow() -> None:
    dispatcher = KeyedDispatcher(per_key_limit=10, max_pending=100, max_concurrency=10)
    done: list[str] = []

    def job(name: str, delay: float):  # type: ignore[no-untyped-def]
        async def run() -> None:
            await asyncio.sleep(delay)
            done.append(name)

        return run

    dispatcher.submit("zalo:1", job("first", 0.05))
    dispatcher.submit("zalo:1", job("second", 0.0))
    dispatcher.submit("zalo:1", job("third", 0.01))
    assert await dispatcher.drain(2.0)
    assert done == ["first", "second", "third"]
    assert dispatcher.pending == 0


async def test_different_users_run_in_parallel() -> None:
    dispatcher = KeyedDispatcher(per_key_limit=10, max_pending=100, max_concurrency=50)
    running = 0
    peak = 0

    async def job() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1

    for user in range(20):
        dispatcher.submit(f"telegram:{user}", job)
    started = asyncio.get_running_loop().time()
    assert await dispatcher.drain(2.0)
    assert peak == 20
    assert asyncio.get_running_loop().time() - started < 0.5


async def test_concurrency_is_bounded() -> None:
    dispatcher = KeyedDispatcher(per_key_limit=10, max_pending=100, max_concurrency=3)
    running = 0
    peak = 0

    async def job() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    for user in range(12):
        dispatcher.submit(str(user), job)
    assert await dispatcher.drain(2.0)
    assert peak == 3


async def test_full_queues_refuse_and_a_failing_job_does_not_stop_the_next() -> None:
    dispatcher = KeyedDispatcher(per_key_limit=2, max_pending=3, max_concurrency=5)
    done: list[int] = []

    async def boom() -> None:
        raise RuntimeError("bug")

    async def ok() -> None:
        done.append(1)

    dispatcher.submit("a", boom)
    dispatcher.submit("a", ok)
    assert not dispatcher.has_room("a")
    with pytest.raises(Overloaded):
        dispatcher.submit("a", ok)
    dispatcher.submit("b", ok)
    with pytest.raises(Overloaded):  # the gateway-wide bound
        dispatcher.submit("c", ok)
    assert await dispatcher.drain(2.0)
    assert done == [1, 1]
    assert dispatcher.has_room("a") and dispatcher.pending == 0
