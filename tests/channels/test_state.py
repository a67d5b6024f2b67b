"""De-duplication, the Zalo reply window and the memory store's expiry (the Redis store is
exercised by the integration tests against a real redis-server)."""

from __future__ import annotations

import asyncio
import json

import pytest

from connectors.gateway.dedup import Deduplicator, StoreUnavailable
from connectors.gateway.staff import StaffInbox
from connectors.gateway.state import STAFF_UNDELIVERED, LockTimeout, MemoryStore
from connectors.zalo.window import ReplyWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_delivery_is_new_once_until_its_ttl_passes() -> None:
    clock = Clock()
    dedup = Deduplicator(MemoryStore(clock), ttl_s=60)
    assert await dedup.first_time("zalo", "msg-1")
    assert not await dedup.first_time("zalo", "msg-1")
    assert await dedup.first_time("telegram", "msg-1")  # channels do not collide
    clock.now += 61
    assert await dedup.first_time("zalo", "msg-1")
    await dedup.forget("zalo", "msg-1")
    assert await dedup.first_time("zalo", "msg-1")


async def test_reply_window_allows_eight_then_closes() -> None:
    clock = Clock()
    window = ReplyWindow(MemoryStore(clock), window_s=48 * 3600, max_replies=8)
    assert not await window.take("u1")  # never wrote: no window
    await window.open("u1")
    assert [await window.take("u1") for _ in range(9)] == [True] * 8 + [False]
    await window.open("u1")  # the user writes again: a fresh budget
    assert await window.take("u1")
    clock.now += 48 * 3600 + 1
    assert not await window.take("u1")


async def test_reply_window_lets_the_answer_out_when_the_store_is_down() -> None:
    class Down(MemoryStore):
        async def incr_if_exists(self, key: str) -> int | None:
            raise ConnectionError("redis restarting")

    assert await ReplyWindow(Down(), window_s=48 * 3600, max_replies=8).take("u1")


async def test_staff_inbox_keeps_what_was_not_sent() -> None:
    store = MemoryStore()
    await StaffInbox(store).record("zalo", "42", "Trạng thái: đang xử lý", "outside_window")
    [entry] = [json.loads(e) for e in await store.list_all(STAFF_UNDELIVERED)]
    assert entry["conversation_id"] == "zalo:42"
    assert entry["text"] == "Trạng thái: đang xử lý" and entry["reason"] == "outside_window"


async def test_memory_lock_serializes_and_times_out() -> None:
    store = MemoryStore()
    async with store.lock("x", hold_s=1, wait_s=1):
        with pytest.raises(LockTimeout):
            async with store.lock("x", hold_s=1, wait_s=0.05):
                pass
    async with store.lock("x", hold_s=1, wait_s=0.05):
        pass
    await asyncio.sleep(0)


async def test_a_store_failure_refuses_the_delivery_instead_of_guessing() -> None:
    class DownStore(MemoryStore):
        async def set_if_absent(self, key: str, value: str, ttl_s: float) -> bool:
            raise ConnectionError("redis down")

    with pytest.raises(StoreUnavailable):
        await Deduplicator(DownStore(), ttl_s=60).first_time("zalo", "m")
