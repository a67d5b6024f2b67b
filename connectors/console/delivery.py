"""Staff messages to a citizen, in the citizen's own channel."""

from __future__ import annotations

import json
import time
from typing import Any

import redis.asyncio as aioredis

from connectors.gateway.outbound import push

INBOX = "inbox:"
INBOX_MAX = 500


class Delivery:
    """Telegram and Zalo through the gateway's channels; any other channel (REST, web, kiosk)
    through the Redis list `inbox:<conversation_id>` that its client reads."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self._redis = redis

    async def send(self, gateway: Any, channel: str, user_id: str, text: str) -> None:
        if not await push(gateway, channel, user_id, [text]):
            key = f"{INBOX}{channel}:{user_id}"
            entry = json.dumps(
                {"text": text, "from": "staff", "at": time.time()}, ensure_ascii=False
            )
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.rpush(key, entry)
                pipe.ltrim(key, -INBOX_MAX, -1)
                await pipe.execute()
