"""Sign-in throttling per client address, on top of the per-account lockout: one address
guessing across many accounts is slowed down even though no single account locks."""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis

PREFIX = "console:login-ip:"


def _key(address: str) -> str:
    # Only a hash of the address is stored: it is personal data and needs no reading back.
    return PREFIX + hashlib.sha256(address.encode()).hexdigest()[:32]


class AddressThrottle:
    """A fixed window per address: `max_failures` failed sign-ins, then refused until the
    window (started by the first failure) ends."""

    def __init__(self, redis: aioredis.Redis, max_failures: int, window_s: float) -> None:
        self._redis = redis
        self._max = max_failures
        self._window_ms = int(window_s * 1000)

    async def blocked(self, address: str) -> bool:
        return int(await self._redis.get(_key(address)) or 0) >= self._max

    async def failed(self, address: str) -> None:
        key = _key(address)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.pexpire(key, self._window_ms, nx=True)
            await pipe.execute()
