"""Button payloads as Telegram callback_data, which holds at most 64 bytes.

Short payloads travel inline ("p:<payload>"); longer ones (Rasa payloads with entities
easily pass 64 bytes) are stored and referenced by a digest ("r:<digest>"). Data without
either prefix did not come from this gateway's keyboards and is not passed to Rasa.
"""

from __future__ import annotations

import hashlib

from connectors.gateway.state import PREFIX, Store

MAX_CALLBACK_BYTES = 64
TTL_S = 30 * 24 * 3600.0


class CallbackPayloads:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def encode(self, payload: str) -> str:
        inline = f"p:{payload}"
        if len(inline.encode()) <= MAX_CALLBACK_BYTES:
            return inline
        digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
        await self._store.set(f"{PREFIX}tg:button:{digest}", payload, ttl_s=TTL_S)
        return f"r:{digest}"

    async def decode(self, data: str) -> str | None:
        if data.startswith("p:"):
            return data[2:] or None
        if data.startswith("r:"):
            return await self._store.get(f"{PREFIX}tg:button:{data[2:]}")
        return None
