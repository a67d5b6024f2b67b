"""Driving the gateway's webhooks like the platforms do, shared by the channel benchmark and
the reliability load run: payloads built from the reference samples, and waiting for the
reply a fake platform recorded without polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.payloads import load
from tests.fakes.recorder import Call

QUIET_S = 0.15  # a turn is complete once no further message arrives for this long
TURN_TIMEOUT_S = 60.0


def telegram_update(chat_id: int, text: str, update_id: int, message_id: int) -> dict[str, Any]:
    """The reference text update, re-addressed: a private chat, so chat id = user id."""
    update = load("telegram_text.json")
    update["update_id"] = update_id
    update["message"].update(text=text, message_id=message_id)
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = chat_id
    return update


def zalo_event(user_id: str, text: str, msg_id: str) -> dict[str, Any]:
    """The reference user_send_text event, re-addressed (Zalo ids are strings)."""
    event = load("zalo_user_send_text.json")
    event["sender"]["id"] = user_id
    event["message"] = {"text": text, "msg_id": msg_id}
    return event


class Arrivals:
    """Wakes the citizen whose reply a fake just recorded, without polling: the fakes run in
    other threads of this process, and polling many users would compete with them for the GIL."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._events: dict[str, asyncio.Event] = {}

    def event(self, key: str) -> asyncio.Event:
        return self._events.setdefault(key, asyncio.Event())

    def notify(self, call: Call) -> None:  # runs in a fake server's thread
        if call.key is not None and call.key in self._events:
            self._loop.call_soon_threadsafe(self._events[call.key].set)

    async def reply(
        self,
        key: str,
        read: Callable[[], list[Call]],
        before: int,
        timeout_s: float = TURN_TIMEOUT_S,
    ) -> Call:
        """The first message of the turn, once the turn has gone quiet."""
        event = self.event(key)
        deadline = time.monotonic() + timeout_s
        while len(read()) <= before:
            event.clear()
            if len(read()) > before:
                break
            await asyncio.wait_for(event.wait(), max(0.01, deadline - time.monotonic()))
        while True:  # quiet: no further message of this turn for QUIET_S
            event.clear()
            try:
                await asyncio.wait_for(event.wait(), QUIET_S)
            except asyncio.TimeoutError:
                return read()[before]
