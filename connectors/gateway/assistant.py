"""One turn with the assistant on a citizen's behalf; never silence when Rasa fails."""

from __future__ import annotations

import logging
from typing import Any

from connectors.gateway import texts
from connectors.gateway.inbound import Inbound
from connectors.gateway.rasa_client import RasaClient, RasaUnavailable
from connectors.gateway.replies import Reply, from_rasa

log = logging.getLogger(__name__)


def neutralize(text: str) -> str:
    """Typed text that starts with "/" would be read by Rasa as an intent with entities
    (`/inform{"phone_last4": ...}`); only the gateway's own buttons and commands may do that."""
    return text.lstrip("/").lstrip() if text.startswith("/") else text


class Assistant:
    def __init__(self, rasa: RasaClient) -> None:
        self._rasa = rasa

    async def turn(self, inbound: Inbound) -> list[Reply]:
        metadata: dict[str, Any] = {"channel": inbound.channel}
        if inbound.message_id:
            metadata["message_id"] = inbound.message_id
        if inbound.attachments:
            metadata["attachments"] = [a.as_metadata() for a in inbound.attachments]
        text = inbound.text if inbound.trusted_payload else neutralize(inbound.text)
        try:
            answer = await self._rasa.send(inbound.conversation_id, text, metadata)
        except RasaUnavailable as err:
            log.warning("Rasa failed for %s: %s", inbound.conversation_id, err)
            return [Reply(text=texts.APOLOGY)]
        replies = from_rasa(answer)
        if not replies and inbound.attachments:
            # Rasa may stay silent on a file without words; the citizen still learns it arrived.
            voice = inbound.attachments[0].kind in ("voice", "audio")
            return [Reply(text=texts.VOICE_NOT_UNDERSTOOD if voice else texts.ATTACHMENT_RECEIVED)]
        if not replies:
            # Rasa answers with nothing when a custom action failed (action server down or
            # restarting: "the actions events are lost"); to the citizen that is being ignored.
            log.warning("Rasa answered nothing for %s", inbound.conversation_id)
            return [Reply(text=texts.APOLOGY)]
        return replies
