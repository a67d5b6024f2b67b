"""`POST /webchat/messages`: the web chat's path through the gateway, so web conversations go
through the same watched assistant as Telegram and Zalo and appear in the staff console.

Anonymous by nature: a conversation is named by an unguessable session id the server gives
out (or a client-made one of the same strength), requests are small JSON, and both the
session and the client address are rate-limited in Redis. Messages pushed to a web
conversation (staff replies, connectors/console/delivery.py; the assistant's notices,
connectors/notifier.py) wait on `inbox:web:<session>` and come back as `pushed` with the next
request or `GET /webchat/messages?session=…`.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.console import texts
from connectors.console.delivery import INBOX
from connectors.console.service import Console
from connectors.console.throttle import FixedWindow
from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.replies import Reply

CHANNEL = "web"
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
# 1000 characters of Vietnamese as \uXXXX escapes, with room for the rest of the body.
MAX_BODY_BYTES = 8192
MAX_TEXT = 1000
# Fixed one-minute windows: a person types far less; a script is slowed down.
PER_SESSION_PER_MINUTE = 20
PER_ADDRESS_PER_MINUTE = 60
BUTTONS_TTL_S = 3600
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=HEADERS)


class WebChat:
    def __init__(self, console: Console) -> None:
        self.c = console
        self._messages = FixedWindow(console.redis, "webchat:rate:", 60.0)

    def _assistant(self, request: Request) -> Assistant:
        """The gateway's assistant, behind the console's watch as for the other channels."""
        assistant: Assistant = request.app.state.gateway.assistant
        return assistant

    async def _pushed(self, session: str) -> list[str]:
        key = f"{INBOX}{CHANNEL}:{session}"
        async with self.c.redis.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            raw, _ = await pipe.execute()
        return [str(json.loads(item).get("text", "")) for item in raw]

    async def _limited(self, request: Request, session: str) -> bool:
        address = request.client.host if request.client else "unknown"
        return await self._messages.add("a:" + address) > PER_ADDRESS_PER_MINUTE or (
            await self._messages.add("s:" + session) > PER_SESSION_PER_MINUTE
        )

    async def post(self, request: Request) -> Response:
        if "application/json" not in request.headers.get("content-type", ""):
            return _error(415, texts.WEBCHAT_NOT_JSON)
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return _error(413, texts.WEBCHAT_TOO_LONG.format(limit=MAX_TEXT))
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, texts.WEBCHAT_NOT_JSON)
        if not isinstance(body, dict):
            return _error(400, texts.WEBCHAT_NOT_JSON)
        session = str(body.get("session") or secrets.token_urlsafe(24))
        if not SESSION_RE.match(session):
            return _error(422, texts.WEBCHAT_BAD_SESSION)
        text, payload = body.get("text"), body.get("payload")
        trusted = False
        if isinstance(payload, str) and payload:
            # A button press: only a payload this session was offered is passed on as one.
            key = f"webchat:buttons:{session}"
            if not await self.c.redis.sismember(key, payload):
                return _error(422, texts.WEBCHAT_BAD_BUTTON)
            text, trusted = payload, True
        if not isinstance(text, str) or not text.strip():
            return _error(422, texts.WEBCHAT_EMPTY)
        if len(text) > MAX_TEXT:
            return _error(422, texts.WEBCHAT_TOO_LONG.format(limit=MAX_TEXT))
        if await self._limited(request, session):
            return _error(429, texts.WEBCHAT_SLOW_DOWN)
        inbound = Inbound(CHANNEL, session, text.strip(), trusted_payload=trusted)
        replies = await self._assistant(request).turn(inbound)
        await self._remember_buttons(session, replies)
        return JSONResponse(
            {
                "session": session,
                "replies": [_as_json(r) for r in replies],
                "pushed": await self._pushed(session),
            },
            headers=HEADERS,
        )

    async def poll(self, request: Request) -> Response:
        session = request.query_params.get("session", "")
        if not SESSION_RE.match(session):
            return _error(422, texts.WEBCHAT_BAD_SESSION)
        if await self._limited(request, session):
            return _error(429, texts.WEBCHAT_SLOW_DOWN)
        return JSONResponse(
            {"session": session, "pushed": await self._pushed(session)}, headers=HEADERS
        )

    async def _remember_buttons(self, session: str, replies: list[Reply]) -> None:
        payloads = [b.payload for r in replies for b in r.buttons]
        if payloads:
            key = f"webchat:buttons:{session}"
            async with self.c.redis.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                pipe.sadd(key, *payloads)
                pipe.expire(key, BUTTONS_TTL_S)
                await pipe.execute()


def _as_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
    }


def webchat_routes(console: Console | None) -> list[Route]:
    """The gateway's hook: the web chat needs the console's Redis (rate limits, staff inbox)."""
    if console is None:
        return []
    chat = WebChat(console)
    return [
        Route("/webchat/messages", chat.post, methods=["POST"]),
        Route("/webchat/messages", chat.poll, methods=["GET"]),
    ]
