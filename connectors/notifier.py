"""Tells a conversation that something happened outside it (a queued submission went in).

The event goes into the conversation through Rasa's own API (trigger_intent), so the
tracker records it and the assistant words the message. Rasa's REST channel cannot push,
so the resulting messages are also put on the Redis list of the conversation's push channel
(`outbound:telegram`, `outbound:zalo`), which only gateways serving that channel read, and on
a per-conversation inbox for pull-based clients (kiosk, web chat, REST).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
from redis.asyncio import Redis

# Chat apps the gateway pushes to; one list each, so a gateway without that channel (a
# kiosk-only one) never takes, and loses, another channel's message.
PUSH_CHANNELS = ("telegram", "zalo")


def outbound_key(channel: str) -> str:
    return f"outbound:{channel}"


INBOX_TTL_S = 7 * 24 * 3600


class Notifier:
    def __init__(self, http: httpx.AsyncClient, redis: Redis, rasa_token: str | None) -> None:
        self._http = http
        self._redis = redis
        self._token = rasa_token

    async def trigger(
        self, sender_id: str, intent: str, entities: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Run `intent` in the conversation; returns the assistant's messages."""
        response = await self._http.post(
            # Rasa (Sanic) does not decode %3A in paths: "zalo%3A1" would be another conversation.
            f"/conversations/{quote(sender_id, safe=':')}/trigger_intent",
            json={"name": intent, "entities": entities},
            # Rasa's --auth-token is checked on the `token` query parameter.
            params={"token": self._token} if self._token else {},
        )
        response.raise_for_status()
        messages = response.json().get("messages") or []
        return [m for m in messages if isinstance(m, dict)]

    async def deliver(self, sender_id: str, messages: list[dict[str, Any]]) -> None:
        if not messages:
            return
        record = json.dumps(
            {"conversation_id": sender_id, "messages": messages}, ensure_ascii=False
        )
        inbox = f"inbox:{sender_id}"
        channel = sender_id.partition(":")[0]
        async with self._redis.pipeline(transaction=True) as pipe:
            if channel in PUSH_CHANNELS:
                pipe.rpush(outbound_key(channel), record)
            pipe.rpush(inbox, *[json.dumps(m, ensure_ascii=False) for m in messages])
            pipe.expire(inbox, INBOX_TTL_S)
            await pipe.execute()

    async def notify(self, sender_id: str, intent: str, entities: dict[str, Any]) -> None:
        await self.deliver(sender_id, await self.trigger(sender_id, intent, entities))
