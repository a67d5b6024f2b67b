"""Fixed-window counters in Redis: sign-in failures per client address (on top of the
per-account lockout: one address guessing across many accounts is slowed down even though no
single account locks) and the web chat's messages per address and per session."""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis

PREFIX = "console:login-ip:"


class FixedWindow:
    """Counts events per name in a window started by the first event. Only a hash of the
    name is stored: an address or a session id is not needed back."""

    def __init__(self, redis: aioredis.Redis, prefix: str, window_s: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self._window_ms = int(window_s * 1000)

    def _key(self, name: str) -> str:
        return self._prefix + hashlib.sha256(name.encode()).hexdigest()[:32]

    async def count(self, name: str) -> int:
        return int(await self._redis.get(self._key(name)) or 0)

    async def add(self, name: str) -> int:
        """Counts one more event; returns the window's count with it."""
        key = self._key(name)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.pexpire(key, self._window_ms, nx=True)
            count, _ = await pipe.execute()
        return int(count)


class AddressThrottle:
    """`max_failures` failed sign-ins from one address, then refused until the window (started
    by the first failure) ends."""

    def __init__(self, redis: aioredis.Redis, max_failures: int, window_s: float) -> None:
        self._failures = FixedWindow(redis, PREFIX, window_s)
        self._max = max_failures

    async def blocked(self, address: str) -> bool:
        return await self._failures.count(address) >= self._max

    async def failed(self, address: str) -> None:
        await self._failures.add(address)
