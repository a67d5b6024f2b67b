"""The outbox against a real redis-server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from connectors.outbox import DUE_KEY, STAFF_KEY, Outbox, OutboxJob, backoff_s


@pytest.fixture
async def outbox(redis_url: str) -> AsyncIterator[Outbox]:
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    yield Outbox(redis, lease_s=30, base_delay_s=2, max_delay_s=60, max_attempts=3)
    await redis.close()


def job(key: str = "sub-1") -> OutboxJob:
    return OutboxJob(
        id=key, payload={"procedure_code": "TCDL-01"}, sender_id="u1", procedure_name="Mã vạch"
    )


async def test_a_job_is_claimed_once_and_completed(outbox: Outbox) -> None:
    await outbox.enqueue(job(), now=100)
    claimed = await outbox.claim(now=100)
    assert claimed is not None and claimed.id == "sub-1"
    assert await outbox.claim(now=101) is None  # leased
    await outbox.complete(claimed)
    assert await outbox.pending() == 0
    assert await outbox.claim(now=1000) is None


async def test_enqueueing_the_same_key_twice_keeps_one_job(outbox: Outbox) -> None:
    await outbox.enqueue(job(), now=100)
    await outbox.enqueue(job(), now=200)
    assert await outbox.pending() == 1
    assert await outbox.redis.zscore(DUE_KEY, "sub-1") == 100


async def test_a_dead_workers_job_comes_back_after_the_lease(outbox: Outbox) -> None:
    await outbox.enqueue(job(), now=100)
    assert await outbox.claim(now=100) is not None
    assert await outbox.claim(now=129) is None
    again = await outbox.claim(now=131)
    assert again is not None and again.id == "sub-1"


async def test_retries_back_off_then_go_to_staff(outbox: Outbox) -> None:
    await outbox.enqueue(job(), now=0)
    claimed = await outbox.claim(now=0)
    assert claimed is not None
    assert await outbox.retry_later(claimed, "down", now=0)
    assert await outbox.redis.zscore(DUE_KEY, "sub-1") == 2  # first retry after base delay
    claimed = await outbox.claim(now=2)
    assert claimed is not None and claimed.attempts == 1
    assert await outbox.retry_later(claimed, "down", now=2)
    assert await outbox.redis.zscore(DUE_KEY, "sub-1") == 6
    claimed = await outbox.claim(now=6)
    assert claimed is not None
    assert not await outbox.retry_later(claimed, "still down", now=6)
    assert await outbox.pending() == 0
    [handed] = await outbox.redis.lrange(STAFF_KEY, 0, -1)
    record = json.loads(handed)
    assert record["job"]["id"] == "sub-1" and record["job"]["attempts"] == 3


async def test_concurrent_workers_never_share_a_job(outbox: Outbox) -> None:
    for i in range(20):
        await outbox.enqueue(job(f"sub-{i}"), now=0)
    claims = await asyncio.gather(*(outbox.claim(now=1) for _ in range(40)))
    ids = [c.id for c in claims if c is not None]
    assert len(ids) == 20 and len(set(ids)) == 20


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_s(n, 2, 30) for n in range(1, 7)] == [2, 4, 8, 16, 30, 30]
