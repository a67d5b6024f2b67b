"""The gateway's Redis store against a real redis-server: it answers, and closes cleanly
(redis-py 4.x has no `aclose`; calling it crashed every gateway's shutdown)."""

from __future__ import annotations

from connectors.gateway.state import open_store


async def test_the_redis_store_pings_and_closes(redis_url: str) -> None:
    store = open_store(redis_url)
    assert await store.ping()
    await store.aclose()
