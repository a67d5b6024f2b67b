"""Replies the gateway could not deliver, kept for staff to follow up by other means."""

from __future__ import annotations

import json
import time

from connectors.gateway.state import STAFF_UNDELIVERED, Store

MAX_ENTRIES = 10_000


class StaffInbox:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def record(self, channel: str, user_id: str, text: str, reason: str) -> None:
        entry = {
            "channel": channel,
            "user_id": user_id,
            "conversation_id": f"{channel}:{user_id}",
            "text": text,
            "reason": reason,
            "at": time.time(),
        }
        await self._store.push(
            STAFF_UNDELIVERED, json.dumps(entry, ensure_ascii=False), MAX_ENTRIES
        )
