"""Answering each platform delivery once, although platforms redeliver (Zalo retries a webhook
for hours; Telegram retries when an answer is slow)."""

from __future__ import annotations

from connectors.gateway.state import PREFIX, Store


class StoreUnavailable(Exception):
    """The state store did not answer; the webhook answers 503 and the platform redelivers."""


class Deduplicator:
    def __init__(self, store: Store, ttl_s: float) -> None:
        self._store = store
        self._ttl_s = ttl_s

    @staticmethod
    def _key(channel: str, delivery_id: str) -> str:
        return f"{PREFIX}dedup:{channel}:{delivery_id}"

    async def first_time(self, channel: str, delivery_id: str) -> bool:
        """True for the first delivery of this id; an atomic SET NX, so also across processes."""
        try:
            return await self._store.set_if_absent(
                self._key(channel, delivery_id), "1", self._ttl_s
            )
        except Exception as err:  # Redis down or slow: refuse now rather than answer twice
            raise StoreUnavailable(type(err).__name__) from err

    async def forget(self, channel: str, delivery_id: str) -> None:
        """Undo first_time when the delivery was refused, so the platform's retry is accepted."""
        await self._store.delete(self._key(channel, delivery_id))
