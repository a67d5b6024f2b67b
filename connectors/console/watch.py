"""The gateway's hook on every turn: records it for the console and routes held
conversations to staff instead of the assistant."""

from __future__ import annotations

import logging

from connectors.console import texts
from connectors.console.handover import Handover
from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.replies import Reply

log = logging.getLogger(__name__)


class WatchedAssistant(Assistant):
    """Wraps the gateway's Assistant; a console failure never costs the citizen an answer."""

    def __init__(self, inner: Assistant, handover: Handover) -> None:
        self._inner = inner
        self._handover = handover

    async def turn(self, inbound: Inbound) -> list[Reply]:
        cid = inbound.conversation_id
        try:
            state = await self._handover.user_said(inbound.channel, inbound.user_id, inbound.text)
        except Exception:  # Redis trouble: the assistant still answers
            log.exception("console: recording a message of %s failed", inbound.channel)
            return await self._inner.turn(inbound)
        if state == "staff":
            return []  # the agent holding the conversation answers from the console
        replies = await self._inner.turn(inbound)
        try:
            position = await self._handover.bot_said(cid, [r.text for r in replies if r.text])
            if position is not None:
                queued = texts.QUEUED.format(position=position)
                await self._handover.note(cid, queued)
                replies = [*replies, Reply(text=queued)]
        except Exception:
            log.exception("console: recording replies for %s failed", inbound.channel)
        return replies
