"""Conversations as the console sees them, and the staff queue, in Redis.

Every user message and bot reply passing through the gateway updates a small hash per
conversation (channel, last message, state, waiting since, holder) and a bounded transcript;
a version counter tells the live list that something changed. States: `bot` (the assistant
answers), `waiting` (in the staff queue, the assistant still answers), `staff` (an agent holds
it: the assistant is paused and the user's messages go to the console only). Outside working
hours a waiting conversation's messages are kept for staff ("left"), and those conversations
come first in the list.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from connectors.console import texts
from connectors.console.hours import Office, WorkingHours
from connectors.gateway.redaction import redact
from nlu.normalize import match_key

CONV = "console:conv:"
LOG = "console:log:"
# message id → [intent, confidence] of the user messages of one conversation.
UNDERSTOOD = "console:understood:"
UNDERSTOOD_TTL_S = 30 * 24 * 3600
CONVS = "console:convs"
QUEUE = "console:queue"
VERSION = "console:version"
TRANSCRIPT_MAX = 200
LIST_MAX = 200
MAX_TEXT = 4000

# Atomic take-over: nobody else holds it (or the caller already does, or a supervisor
# reassigns). KEYS: conv hash, queue; ARGV: agent, now, cid, may_reassign.
_TAKE = """
local holder = redis.call('HGET', KEYS[1], 'agent')
if holder and holder ~= '' and holder ~= ARGV[1] and ARGV[4] ~= '1' then
  return holder
end
redis.call('HSET', KEYS[1], 'state', 'staff', 'agent', ARGV[1], 'taken_at', ARGV[2])
redis.call('HDEL', KEYS[1], 'left_at')
redis.call('ZREM', KEYS[2], ARGV[3])
return ''
"""

# Hand back only by the holder (or a supervisor). KEYS: conv hash; ARGV: agent, may_override.
_RELEASE = """
local holder = redis.call('HGET', KEYS[1], 'agent')
if holder ~= ARGV[1] and ARGV[2] ~= '1' then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'bot', 'agent', '', 'waiting_since', '', 'fallbacks', '0')
redis.call('HDEL', KEYS[1], 'left_at')
return 1
"""


def conversation_id(channel: str, user_id: str) -> str:
    return f"{channel}:{user_id}"


class Handover:
    def __init__(
        self,
        redis: aioredis.Redis,
        clock: Callable[[], float] = time.time,
        office: Office | None = None,
    ) -> None:
        self._redis = redis
        self._clock = clock
        self.office = office or Office(WorkingHours())
        self._take = redis.register_script(_TAKE)
        self._release = redis.register_script(_RELEASE)

    async def _log(self, cid: str, who: str, text: str, **extra: Any) -> str:
        now = self._clock()
        # The id lets staff point at one message (the "wrong answer" flag).
        item = {"id": secrets.token_hex(6), "from": who, "text": text[:MAX_TEXT], "at": now}
        entry = json.dumps({**item, **extra})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(LOG + cid, entry)
            pipe.ltrim(LOG + cid, -TRANSCRIPT_MAX, -1)
            pipe.hset(
                CONV + cid,
                mapping={"last_text": text[:MAX_TEXT], "last_from": who, "last_at": str(now)},
            )
            pipe.zadd(CONVS, {cid: now})
            pipe.zremrangebyrank(CONVS, 0, -LIST_MAX - 1)
            pipe.incr(VERSION)
            await pipe.execute()
        return str(item["id"])

    async def state(self, cid: str) -> str:
        return str(await self._redis.hget(CONV + cid, "state") or "bot")

    async def route(self, channel: str, user_id: str, text: str) -> str:
        """Where the user's message goes: `staff` (held: recorded for the agent), `left` (waiting
        outside working hours: recorded as a message left for staff), `back` (waiting out of
        hours and asked for the assistant again: out of the queue), else `bot`/`waiting`, and
        then the caller records it with `user_said` once the assistant has understood it."""
        cid = conversation_id(channel, user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hsetnx(CONV + cid, "channel", channel)
            pipe.hsetnx(CONV + cid, "user_id", user_id)
            pipe.hsetnx(CONV + cid, "state", "bot")
            await pipe.execute()
        state = await self.state(cid)
        if state == "staff":
            await self._log(cid, "user", mask_personal(text))
        elif state == "waiting" and not self.office.is_open():
            if match_key(text) in texts.BACK_TO_ASSISTANT_KEYS:
                # Out of the queue, back to the assistant; what was left stays marked.
                await self._redis.hset(CONV + cid, mapping={"state": "bot", "fallbacks": "0"})
                await self._redis.zrem(QUEUE, cid)
                await self._log(cid, "user", mask_personal(text))
                return "back"
            await self._redis.hsetnx(CONV + cid, "left_at", str(self._clock()))
            await self._log(cid, "user", mask_personal(text), left=True)
            return "left"
        return state

    async def user_said(self, cid: str, text: str) -> str:
        """Records a message the assistant answered; returns its id (see `understood`)."""
        return await self._log(cid, "user", mask_personal(text))

    async def understood(
        self, cid: str, message_id: str, intent: str, confidence: float | None
    ) -> None:
        """What the assistant understood of a recorded message, added once Rasa told us (after
        the citizen already has the answer, so the look-up never delays it)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(UNDERSTOOD + cid, message_id, json.dumps([intent, confidence]))
            pipe.expire(UNDERSTOOD + cid, UNDERSTOOD_TTL_S)
            pipe.incr(VERSION)
            await pipe.execute()

    def queue_message(self, position: int) -> str:
        """The place in the queue in working hours; otherwise when staff are back."""
        if self.office.is_open():
            return texts.QUEUED.format(position=position)
        back = self.office.next_opening()
        return texts.CLOSED.format(when=back) if back else texts.CLOSED_NO_DATE

    def left_message_ack(self) -> str:
        back = self.office.next_opening()
        return texts.MESSAGE_LEFT.format(when=back) if back else texts.MESSAGE_LEFT_NO_DATE

    async def bot_said(self, cid: str, replies: list[str]) -> int | None:
        """Records the bot's replies; puts the conversation in the queue when the user asked
        for a person or was not understood twice in a row. Returns the new queue position."""
        for text in replies:
            await self._log(cid, "bot", text)
        if any(t.startswith(texts.REQUEST_HUMAN_PREFIX) for t in replies):
            return await self.enqueue(cid)
        if any(t.startswith(texts.FALLBACK_PREFIX) for t in replies):
            if await self._redis.hincrby(CONV + cid, "fallbacks", 1) >= 2:
                return await self.enqueue(cid)
        elif replies:
            await self._redis.hset(CONV + cid, "fallbacks", "0")
        return None

    async def enqueue(self, cid: str) -> int | None:
        if await self.state(cid) != "bot":
            return await self.position(cid)
        now = self._clock()
        await self._redis.hset(CONV + cid, mapping={"state": "waiting", "waiting_since": str(now)})
        await self._redis.zadd(QUEUE, {cid: now}, nx=True)
        await self._redis.incr(VERSION)
        return await self.position(cid)

    async def position(self, cid: str) -> int | None:
        rank = await self._redis.zrank(QUEUE, cid)
        return None if rank is None else int(rank) + 1

    async def take(self, cid: str, agent: str, may_reassign: bool = False) -> str | None:
        """None when the agent now holds the conversation, else the name of its holder."""
        holder = await self._take(
            keys=[CONV + cid, QUEUE],
            args=[agent, str(self._clock()), cid, "1" if may_reassign else "0"],
        )
        await self._redis.incr(VERSION)
        return str(holder) or None

    async def release(self, cid: str, agent: str, may_override: bool = False) -> bool:
        done = bool(
            await self._release(keys=[CONV + cid], args=[agent, "1" if may_override else "0"])
        )
        await self._redis.zrem(QUEUE, cid)
        await self._redis.incr(VERSION)
        return done

    async def note(self, cid: str, text: str) -> None:
        """A message of the gateway's own (queue place, hand-over notices), shown as the bot's."""
        await self._log(cid, "bot", text)

    async def agent_said(self, cid: str, agent: str, text: str) -> None:
        await self._log(cid, "agent", text, agent=agent)

    async def holder(self, cid: str) -> str | None:
        return str(await self._redis.hget(CONV + cid, "agent") or "") or None

    async def info(self, cid: str) -> dict[str, Any] | None:
        data = await self._redis.hgetall(CONV + cid)
        if not data:
            return None
        return _view(cid, data)

    async def version(self) -> int:
        return int(await self._redis.get(VERSION) or 0)

    async def conversations(self, limit: int = 100) -> list[dict[str, Any]]:
        """Most recent first, except that messages left out of hours come before all others
        (oldest left first: they have waited longest)."""
        ids = [str(c) for c in await self._redis.zrevrange(CONVS, 0, limit - 1)]
        async with self._redis.pipeline(transaction=False) as pipe:
            for cid in ids:
                pipe.hgetall(CONV + cid)
            rows = await pipe.execute()
        views = [_view(cid, row) for cid, row in zip(ids, rows, strict=True) if row]
        left = sorted((v for v in views if v["left_at"]), key=lambda v: v["left_at"])
        return left + [v for v in views if not v["left_at"]]

    async def transcript(self, cid: str) -> list[dict[str, Any]]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.lrange(LOG + cid, 0, -1)
            pipe.hgetall(UNDERSTOOD + cid)
            items, understood = await pipe.execute()
        messages = [json.loads(item) for item in items]
        for message in messages:
            found = understood.get(message.get("id"))
            if found:
                message["intent"], message["confidence"] = json.loads(found)
        return messages

    async def message(self, cid: str, message_id: str) -> dict[str, Any] | None:
        found = [m for m in await self.transcript(cid) if m.get("id") == message_id]
        return found[0] if found else None


def mask_personal(text: str) -> str:
    """Phone and ID numbers never reach the console's store; neither does an answer that is
    just the four last phone digits (the status check's second factor)."""
    return "••••" if text.strip().isdigit() and len(text.strip()) == 4 else redact(text, [])


def _view(cid: str, data: dict[str, Any]) -> dict[str, Any]:
    def number(name: str) -> float | None:
        raw = data.get(name)
        return float(raw) if raw else None

    return {
        "id": cid,
        "channel": data.get("channel", cid.split(":", 1)[0]),
        "state": data.get("state", "bot"),
        "agent": data.get("agent") or None,
        "last_text": data.get("last_text", ""),
        "last_from": data.get("last_from", ""),
        "last_at": number("last_at"),
        "waiting_since": number("waiting_since"),
        "left_at": number("left_at"),
    }
