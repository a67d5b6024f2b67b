"""Rasa's REST channel (`POST /webhooks/rest/webhook`), refusing with 400 the bodies on which
Rasa 3.6's own `RestInput` crashes with a 500: a body that is not a JSON object (it calls
`request.json.get`), or a sender, message, input channel or metadata of the wrong type.

Configured in `bot/credentials.yml` by its module path; the channel keeps Rasa's name `rest`,
so its URL and the `input_channel` recorded in trackers are unchanged.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request


def _body(request: Request) -> dict[str, Any]:
    body = request.json  # malformed JSON: Sanic itself answers 400
    if not isinstance(body, dict):
        raise InvalidUsage('expected a JSON object: {"sender": str, "message": str}')
    return body


def _optional(body: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(key)
    if value is not None and not isinstance(value, kind):
        raise InvalidUsage(f"'{key}' has the wrong type")
    return value


class CheckedRestInput(RestInput):
    async def _extract_sender(self, req: Request) -> str | None:
        sender = _optional(_body(req), "sender", (str, int))
        # bool is an int to Python, not a conversation id to anyone.
        if isinstance(sender, bool):
            raise InvalidUsage("'sender' has the wrong type")
        return None if sender is None else str(sender)

    def _extract_message(self, req: Request) -> str | None:
        message: str | None = _optional(_body(req), "message", str)
        return message

    def _extract_input_channel(self, req: Request) -> str:
        channel: str | None = _optional(_body(req), "input_channel", str)
        return channel or self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata: dict[str, Any] | None = _optional(_body(request), "metadata", dict)
        return metadata
