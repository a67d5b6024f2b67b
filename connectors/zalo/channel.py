"""The Zalo channel: the webhook endpoint and the background handling of each event."""

from __future__ import annotations

import functools
import logging
import time

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from connectors.gateway import texts
from connectors.gateway.assistant import Assistant
from connectors.gateway.dedup import Deduplicator, StoreUnavailable
from connectors.gateway.dispatcher import KeyedDispatcher, Overloaded
from connectors.gateway.http import BadJson, BodyTooLarge, json_object, read_body
from connectors.gateway.inbound import Inbound
from connectors.gateway.replies import Button, Reply
from connectors.gateway.staff import StaffInbox
from connectors.gateway.state import Store
from connectors.gateway.voice import VoiceNotes
from connectors.settings import Settings
from connectors.zalo.buttons import ButtonMemory
from connectors.zalo.client import ZaloApiError, ZaloClient
from connectors.zalo.events import UNREADABLE_EVENTS, ZaloEvent, parse_event
from connectors.zalo.render import render
from connectors.zalo.signature import HEADER, signature_valid, timestamp_fresh
from connectors.zalo.tokens import TokenManager
from connectors.zalo.window import ReplyWindow

log = logging.getLogger(__name__)
CHANNEL = "zalo"


class ZaloChannel:
    def __init__(
        self,
        settings: Settings,
        assistant: Assistant,
        store: Store,
        dispatcher: KeyedDispatcher,
        dedup: Deduplicator,
        transport: httpx.AsyncBaseTransport | None = None,
        voice: VoiceNotes | None = None,
    ) -> None:
        z = settings.zalo
        if not z.app_id or not z.oa_secret_key:
            raise ValueError("ZALO_APP_ID and ZALO_OA_SECRET_KEY must be set")
        self._app_id = z.app_id
        self._oa_secret_key = z.oa_secret_key
        self._max_age_s = z.signature_max_age_s
        self._max_body = settings.gateway.max_body_bytes
        self._max_attachment = settings.gateway.max_attachment_bytes
        self._assistant = assistant
        self._dispatcher = dispatcher
        self._dedup = dedup
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(z.timeout_s, connect=min(2.0, z.timeout_s)),
            limits=httpx.Limits(max_connections=50),
            transport=transport,
        )
        self.tokens = TokenManager(z, store, self._http)
        self._client = ZaloClient(z.api_base_url, self.tokens, self._http)
        self._window = ReplyWindow(store, z.reply_window_s, z.reply_window_max)
        self._buttons = ButtonMemory(store, z.reply_window_s)
        self._staff = StaffInbox(store)
        # Audio messages are fetched from Zalo's CDN and transcribed by the voice service.
        self._voice = voice or VoiceNotes(settings.voice)

    status = "ready"

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._http.aclose()
        await self._voice.aclose()

    async def handle_webhook(self, request: Request) -> Response:
        try:
            raw = await read_body(request, self._max_body)
            data = json_object(raw)
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        except BadJson:
            return JSONResponse({"error": "body is not a JSON object"}, status_code=400)
        timestamp = data.get("timestamp")
        timestamp = str(timestamp) if isinstance(timestamp, str | int) else ""
        header = request.headers.get(HEADER)
        if not signature_valid(header, self._app_id, raw, timestamp, self._oa_secret_key):
            return JSONResponse({"error": "bad signature"}, status_code=401)
        if not timestamp_fresh(timestamp, time.time(), self._max_age_s):
            return JSONResponse({"error": "stale event"}, status_code=401)
        event = parse_event(data)
        if event is None:
            return JSONResponse({"ok": True, "ignored": True})
        key = f"{CHANNEL}:{event.user_id}"
        if not self._dispatcher.has_room(key):
            return JSONResponse({"error": "busy"}, status_code=503)
        try:
            if not await self._dedup.first_time(CHANNEL, event.delivery_id):
                return JSONResponse({"ok": True, "duplicate": True})
        except StoreUnavailable:
            log.error("state store unavailable: webhook refused with 503")
            return JSONResponse({"error": "state store unavailable"}, status_code=503)
        try:
            self._dispatcher.submit(key, functools.partial(self.process, event))
        except Overloaded:
            await self._dedup.forget(CHANNEL, event.delivery_id)
            return JSONResponse({"error": "busy"}, status_code=503)
        return JSONResponse({"ok": True})

    async def process(self, event: ZaloEvent) -> None:
        """One event, in order with the same user's others."""
        user = event.user_id
        if event.name == "unfollow":
            await self._buttons.forget(user)
            return
        await self._window.open(user)
        if event.name == "follow":
            inbound = Inbound(CHANNEL, user, "/greet", trusted_payload=True)
        elif event.name in UNREADABLE_EVENTS:
            await self.deliver(user, [Reply(text=texts.UNSUPPORTED_KIND)])
            return
        elif any(a.size and a.size > self._max_attachment for a in event.attachments):
            limit_mb = max(1, self._max_attachment // (1024 * 1024))
            await self.deliver(user, [Reply(text=texts.FILE_TOO_LARGE.format(limit_mb=limit_mb))])
            return
        elif not event.text and any(a.kind == "voice" for a in event.attachments):
            voice = next(a for a in event.attachments if a.kind == "voice")
            note = await self._voice.transcribe(voice)
            if note.text is None:
                await self.deliver(user, list(note.replies))
                return
            # The echo and the answer go out together: one delivery, buttons remembered once.
            inbound = Inbound(CHANNEL, user, note.text, event.attachments, message_id=event.msg_id)
            await self.deliver(user, [*note.replies, *await self._assistant.turn(inbound)])
            return
        else:
            inbound = await self._inbound(event)
        await self.deliver(user, await self._assistant.turn(inbound))

    async def _inbound(self, event: ZaloEvent) -> Inbound:
        text, trusted = event.text, False
        payload = await self._buttons.resolve(event.user_id, text) if text else None
        if payload is not None:
            text, trusted = payload, True
        return Inbound(
            CHANNEL,
            event.user_id,
            text,
            event.attachments,
            trusted_payload=trusted,
            message_id=event.msg_id,
        )

    async def deliver(self, user_id: str, replies: list[Reply]) -> None:
        """Sends within the reply window; whatever cannot be sent is recorded for staff."""
        offered: list[tuple[str, Button]] = []
        for reply in replies:
            for message in render(reply):
                offered += message.buttons
                if not await self._window.take(user_id):
                    await self._staff.record(CHANNEL, user_id, message.text, "outside_window")
                    continue
                try:
                    await self._client.send(user_id, message.body)
                except ZaloApiError as err:
                    log.warning("sending to Zalo user %s failed: %s", user_id, err.code)
                    await self._staff.record(
                        CHANNEL, user_id, message.text, f"send_failed:{err.code}"
                    )
        if offered:
            await self._buttons.remember(user_id, offered)
