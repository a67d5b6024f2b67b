"""The gateway's hook on every turn: records it for the console and routes held
conversations to staff instead of the assistant."""

from __future__ import annotations

import logging

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
            understood = None
            if self._control is not None and inbound.text:
                sent = {inbound.text, neutralize(inbound.text)}
                understood = await self._control.understood(cid, sent)
            await self._handover.user_said(
                cid,
                inbound.text,
                understood.intent if understood else None,
                understood.confidence if understood else None,
            )
            position = await self._handover.bot_said(cid, [r.text for r in replies if r.text])
            if position is not None:
                queued = self._handover.queue_message(position)
                await self._handover.note(cid, queued)
                replies = [*replies, Reply(text=queued)]
        except Exception:
            log.exception("console: recording replies for %s failed", inbound.channel)
        return replies
