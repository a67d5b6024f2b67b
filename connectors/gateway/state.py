"""Gateway state that must survive a restart: Redis when REDIS_URL is set, memory otherwise.

Both stores offer the same few primitives, so the features above them (de-duplication,
tokens, reply windows, button payloads) are written once and tested against either.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import LockError

# Gateway keys live apart from Rasa's tracker and lock stores in the same database.
PREFIX = "gw:"
STAFF_UNDELIVERED = "staff:undelivered"  # read by staff tools: unprefixed on purpose


class LockTimeout(Exception):
    """Another holder kept the lock longer than we were willing to wait."""


class Store(Protocol):
    async def set_if_absent(self, key: str, value: str, ttl_s: float) -> bool: ...
    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def incr_if_exists(self, key: str) -> int | None: ...
    async def push(self, key: str, value: str, max_len: int) -> None: ...
    async def list_all(self, key: str) -> list[str]: ...
    def lock(
        self, name: str, hold_s: float, wait_s: float
    ) -> AbstractAsyncContextManager[None]: ...
    async def ping(self) -> bool: ...
    async def aclose(self) -> None: ...


# INCR only while the key exists, so an expired window is never re-opened by a reply.
_INCR_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCR', KEYS[1])
end
return nil
"""


class RedisStore:
    def __init__(self, url: str) -> None:
        self._redis = aioredis.from_url(
            url, decode_responses=True, socket_timeout=5.0, socket_connect_timeout=2.0
        )
        self._incr_if_exists = self._redis.register_script(_INCR_IF_EXISTS)

    async def set_if_absent(self, key: str, value: str, ttl_s: float) -> bool:
        return bool(await self._redis.set(key, value, nx=True, px=int(ttl_s * 1000)))

    async def get(self, key: str) -> str | None:
        value = await self._redis.get(key)
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None:
        await self._redis.set(key, value, px=int(ttl_s * 1000) if ttl_s else None)

    async def delete(self, key: str) -> None:
        await self._redis.delete(key)

    async def incr_if_exists(self, key: str) -> int | None:
        value = await self._incr_if_exists(keys=[key])
        return None if value is None else int(value)

    async def push(self, key: str, value: str, max_len: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, value)
            pipe.ltrim(key, -max_len, -1)
            await pipe.execute()

    async def list_all(self, key: str) -> list[str]:
        return [str(item) for item in await self._redis.lrange(key, 0, -1)]

    @asynccontextmanager
    async def lock(self, name: str, hold_s: float, wait_s: float) -> AsyncIterator[None]:
        # hold_s bounds how long a crashed holder blocks the others (the key expires).
        lock = self._redis.lock(name, timeout=hold_s, blocking_timeout=wait_s, sleep=0.02)
        if not await lock.acquire():
            raise LockTimeout(name)
        try:
            yield
        finally:
            # Expired while held: someone else may own it now, and theirs is not ours to free.
            with contextlib.suppress(LockError):
                await lock.release()

    async def ping(self) -> bool:
        return bool(await self._redis.ping())

    async def aclose(self) -> None:
        await self._redis.close()  # redis-py 4.x: `aclose` came in 5.0


class MemoryStore:
    """Single-process stand-in for development without Redis; loses everything on restart."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._values: dict[str, tuple[str, float | None]] = {}
        self._lists: dict[str, list[str]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _live(self, key: str) -> str | None:
        item = self._values.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= self._clock():
            del self._values[key]
            return None
        return value

    async def set_if_absent(self, key: str, value: str, ttl_s: float) -> bool:
        if self._live(key) is not None:
            return False
        self._values[key] = (value, self._clock() + ttl_s)
        return True

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None:
        self._values[key] = (value, self._clock() + ttl_s if ttl_s else None)

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def incr_if_exists(self, key: str) -> int | None:
        value = self._live(key)
        if value is None:
            return None
        number = int(value) + 1
        self._values[key] = (str(number), self._values[key][1])
        return number

    async def push(self, key: str, value: str, max_len: int) -> None:
        items = self._lists.setdefault(key, [])
        items.append(value)
        del items[:-max_len]

    async def list_all(self, key: str) -> list[str]:
        return list(self._lists.get(key, []))

    @asynccontextmanager
    async def lock(self, name: str, hold_s: float, wait_s: float) -> AsyncIterator[None]:
        lock = self._locks.setdefault(name, asyncio.Lock())
        try:
            await asyncio.wait_for(lock.acquire(), wait_s)
        except asyncio.TimeoutError as err:
            raise LockTimeout(name) from err
        try:
            yield
        finally:
            lock.release()

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        return None


def open_store(redis_url: str | None) -> Store:
    return RedisStore(redis_url) if redis_url else MemoryStore()
