"""The gateway's hook on every turn: records it for the console and routes held
conversations to staff instead of the assistant."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from connectors.console.handover import Handover
from connectors.console.rasa_control import RasaControl
from connectors.console.texts import BACK_TO_ASSISTANT as BACK
from connectors.gateway.assistant import Assistant, neutralize
from connectors.gateway.inbound import Inbound
from connectors.gateway.replies import Reply

log = logging.getLogger(__name__)


class WatchedAssistant(Assistant):
    """Wraps the gateway's Assistant; a console failure never costs the citizen an answer."""

    def __init__(
        self, inner: Assistant, handover: Handover, rasa: RasaControl | None = None
    ) -> None:
        self._inner = inner
        self._handover = handover
        self._control = rasa
        self._background: set[asyncio.Task[None]] = set()

    async def turn(self, inbound: Inbound) -> list[Reply]:
        cid = inbound.conversation_id
        try:
            state = await self._handover.route(inbound.channel, inbound.user_id, inbound.text)
            if state == "staff":
                return []  # the agent holding the conversation answers from the console
            if state in ("left", "back"):  # out of hours: kept for staff, acknowledged
                ack = self._handover.left_message_ack() if state == "left" else BACK
                await self._handover.note(cid, ack)
                return [Reply(text=ack)]
        except Exception:  # Redis trouble: the assistant still answers
            log.exception("console: recording a message of %s failed", inbound.channel)
            return await self._inner.turn(inbound)
        replies = await self._inner.turn(inbound)
        try:
            message_id = await self._handover.user_said(cid, inbound.text)
            if self._control is not None and inbound.text:
                # Reading the tracker costs about as much as a parse: done after the citizen
                # has the answer, not before.
                self._spawn(self._record_understanding(cid, message_id, inbound.text))
            position = await self._handover.bot_said(cid, [r.text for r in replies if r.text])
            if position is not None:
                queued = self._handover.queue_message(position)
                await self._handover.note(cid, queued)
                replies = [*replies, Reply(text=queued)]
        except Exception:
            log.exception("console: recording replies for %s failed", inbound.channel)
        return replies

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)  # a reference, so the task is not collected mid-way
        task.add_done_callback(self._background.discard)

    async def _record_understanding(self, cid: str, message_id: str, text: str) -> None:
        assert self._control is not None
        try:
            understood = await self._control.understood(cid, {text, neutralize(text)})
            if understood is not None:
                await self._handover.understood(
                    cid, message_id, understood.intent, understood.confidence
                )
        except Exception:  # only the console's intent column misses it
            log.exception("console: reading what Rasa understood in %s failed", cid)

    async def settled(self) -> None:
        """Waits for the intent look-ups still running (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)
