"""Messages that start outside a citizen's turn (a queued submission went in) reach them in
their own chat app.

The outbox worker's notifier puts `{"conversation_id": "telegram:123", "messages": [...]}` on
the Redis list of that channel (`outbound:telegram`, `outbound:zalo`); every gateway process
serving the channel takes items from it (BLPOP hands each to one process) and sends them.
Channels without push (REST, kiosk, web chat) read their `inbox:<conversation_id>` instead,
which the notifier fills itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import redis.asyncio as aioredis

from connectors.gateway.replies import Reply
from connectors.notifier import outbound_key

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def served_channels(gateway: Any) -> list[str]:
    return [name for name in ("telegram", "zalo") if getattr(gateway, name, None) is not None]


async def push(gateway: Any, channel: str, user_id: str, texts: list[str]) -> bool:
    """Send texts to a citizen in their chat app; False when this gateway does not serve that
    channel (the caller keeps them elsewhere). Plain text, no parse mode: shown as written."""
    telegram, zalo = getattr(gateway, "telegram", None), getattr(gateway, "zalo", None)
    if channel == "telegram" and telegram is not None:
        for text in texts:
            await telegram.application.bot.send_message(int(user_id), text)
        return True
    if channel == "zalo" and zalo is not None:
        await zalo.deliver(user_id, [Reply(text=text) for text in texts])
        return True
    return False


async def deliver_one(gateway: Any, record: dict[str, Any]) -> bool:
    """Send one record of an outbound list; False when its channel is not served here."""
    channel, _, user_id = str(record.get("conversation_id", "")).partition(":")
    texts = [str(m.get("text")) for m in record.get("messages", []) if m.get("text")]
    return await push(gateway, channel, user_id, texts)


async def run_outbound(gateway: Any, redis_url: str, stop: asyncio.Event) -> None:
    keys = [outbound_key(channel) for channel in served_channels(gateway)]
    if not keys:
        return  # nothing to push to: leave the lists to gateways that serve those channels
    redis = aioredis.from_url(redis_url, socket_timeout=5.0)
    try:
        while not stop.is_set():
            try:
                item = await redis.blpop(keys, timeout=1)
            except (OSError, ConnectionError, aioredis.RedisError) as err:
                log.warning("outbound queue unavailable: %s", type(err).__name__)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=2.0)
                continue
            if item is None:
                continue
            record = json.loads(item[1])
            try:
                if not await deliver_one(gateway, record):
                    log.info("outbound message for a channel this gateway does not serve")
            except Exception as err:  # a channel API failure: retry a few times, then give up
                record["attempts"] = int(record.get("attempts", 0)) + 1
                log.warning(
                    "outbound delivery failed (%s), attempt %d",
                    type(err).__name__,
                    record["attempts"],
                )
                if record["attempts"] < MAX_ATTEMPTS:
                    await redis.rpush(item[0], json.dumps(record, ensure_ascii=False))
    finally:
        await redis.close()
