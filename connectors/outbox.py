"""A durable outbox of submissions in Redis, for when the core API is down.

Jobs live in a hash (`outbox:jobs`) and are scheduled in a sorted set (`outbox:due`, score =
time of the next attempt). A worker claims a due job by pushing its score one lease into the
future in the same atomic script, so two workers never take the same job, and a worker that
dies mid-attempt only delays the job by one lease: it is retried with the same
Idempotency-Key, and the core API returns the application it already made.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from redis.asyncio import Redis

JOBS_KEY = "outbox:jobs"
DUE_KEY = "outbox:due"
STAFF_KEY = "staff:handover"

_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #ids == 0 then return nil end
redis.call('ZADD', KEYS[1], ARGV[2], ids[1])
return {ids[1], redis.call('HGET', KEYS[2], ids[1])}
"""


@dataclass
class OutboxJob:
    """One submission waiting for the core API. `id` is its Idempotency-Key."""

    id: str
    payload: dict[str, Any]
    sender_id: str
    procedure_name: str
    attempts: int = 0
    created_at: float = field(default_factory=time.time)
    last_error: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> OutboxJob:
        return cls(**json.loads(raw))


def backoff_s(attempts: int, base_s: float, cap_s: float) -> float:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    return float(min(cap_s, base_s * (2 ** max(0, attempts - 1))))


class Outbox:
    def __init__(
        self,
        redis: Redis,
        lease_s: float = 60.0,
        base_delay_s: float = 2.0,
        max_delay_s: float = 300.0,
        max_attempts: int = 20,
    ) -> None:
        self.redis = redis
        self.lease_s = lease_s
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.max_attempts = max_attempts
        self._claim = redis.register_script(_CLAIM)

    async def enqueue(self, job: OutboxJob, now: float | None = None) -> None:
        """Store the job and make it due now; enqueueing the same id twice keeps one job."""
        due = time.time() if now is None else now
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hsetnx(JOBS_KEY, job.id, job.to_json())
            pipe.zadd(DUE_KEY, {job.id: due}, nx=True)
            await pipe.execute()

    async def claim(self, now: float | None = None) -> OutboxJob | None:
        current = time.time() if now is None else now
        found = await self._claim(keys=[DUE_KEY, JOBS_KEY], args=[current, current + self.lease_s])
        if not found or found[1] is None:
            if found:  # a schedule entry without a job: drop it
                await self.redis.zrem(DUE_KEY, found[0])
            return None
        return OutboxJob.from_json(found[1])

    async def complete(self, job: OutboxJob) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(JOBS_KEY, job.id)
            pipe.zrem(DUE_KEY, job.id)
            await pipe.execute()

    async def retry_later(self, job: OutboxJob, error: str, now: float | None = None) -> bool:
        """Count the failed attempt; False when the job has now been handed to staff."""
        current = time.time() if now is None else now
        job.attempts += 1
        job.last_error = error[:200]
        if job.attempts >= self.max_attempts:
            await self.hand_to_staff(job, error)
            return False
        delay = backoff_s(job.attempts, self.base_delay_s, self.max_delay_s)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(JOBS_KEY, job.id, job.to_json())
            pipe.zadd(DUE_KEY, {job.id: current + delay})
            await pipe.execute()
        return True

    async def hand_to_staff(self, job: OutboxJob, reason: str) -> None:
        record = {"kind": "submission", "reason": reason[:200], "job": asdict(job)}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(STAFF_KEY, json.dumps(record, ensure_ascii=False))
            pipe.hdel(JOBS_KEY, job.id)
            pipe.zrem(DUE_KEY, job.id)
            await pipe.execute()

    async def pending(self) -> int:
        return int(await self.redis.hlen(JOBS_KEY))
