"""The Telegram channel's lifecycle and webhook endpoint.

The PTB Application runs without its own update loop in webhook mode (`updater=None`): the
gateway verifies each webhook, queues the update behind the same user's earlier ones, and
calls `process_update` from that queue. In polling mode (only a token configured: local
development) PTB's Updater fills `update_queue` and the same queueing takes over from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from connectors.gateway import texts
from connectors.gateway.assistant import Assistant
from connectors.gateway.dedup import Deduplicator, StoreUnavailable
from connectors.gateway.dispatcher import KeyedDispatcher, Overloaded
from connectors.gateway.http import BadJson, BodyTooLarge, json_object, read_body
from connectors.gateway.state import Store
from connectors.gateway.voice import VoiceNotes
from connectors.settings import Settings
from connectors.telegram.callbacks import CallbackPayloads
from connectors.telegram.commands import COMMANDS
from connectors.telegram.compat import fill_required_fields
from connectors.telegram.handlers import TelegramConversations
from connectors.telegram.media import MediaFetcher
from connectors.telegram.sender import TelegramSender

log = logging.getLogger(__name__)
SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 (a header name)
ALLOWED_UPDATES = ["message", "callback_query"]


def secret_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison; bytes, because compare_digest rejects non-ASCII str."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


class TelegramChannel:
    def __init__(
        self,
        settings: Settings,
        assistant: Assistant,
        store: Store,
        dispatcher: KeyedDispatcher,
        dedup: Deduplicator,
        voice: VoiceNotes | None = None,
    ) -> None:
        tg = settings.telegram
        if not tg.bot_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self._settings = tg
        self._max_body = settings.gateway.max_body_bytes
        self._dispatcher = dispatcher
        self._dedup = dedup
        builder = (
            Application.builder()
            .token(tg.bot_token)
            .base_url(tg.api_base_url)
            .base_file_url(tg.file_base_url)
            .rate_limiter(AIORateLimiter(max_retries=tg.rate_limit_retries))
            .connect_timeout(5.0)
            .read_timeout(15.0)
            .write_timeout(15.0)
            .pool_timeout(10.0)
        )
        if not tg.polling:
            builder = builder.updater(None)
        self.application = builder.build()
        payloads = CallbackPayloads(store)
        self._sender = TelegramSender(payloads)
        # Voice notes go to the voice service (VOICE_URL); closed with the channel (a shared
        # voice client stays open for its owner).
        self._voice = voice or VoiceNotes(settings.voice)
        conversations = TelegramConversations(
            assistant,
            self._sender,
            MediaFetcher(Path(settings.gateway.media_dir), settings.gateway.max_attachment_bytes),
            payloads,
            self._voice,
        )
        for handler in conversations.handlers():
            self.application.add_handler(handler)
        self.application.add_error_handler(self._on_error)
        self.ready = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def status(self) -> str:
        return "ready" if self.ready.is_set() else "starting"

    async def start(self) -> None:
        """Returns at once: Telegram being unreachable must not keep the gateway (and Zalo) down."""
        self._tasks.append(asyncio.create_task(self._connect(), name="telegram:connect"))

    async def _connect(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.application.initialize()  # getMe: also checks the token
                break
            except TelegramError as err:
                log.warning("Telegram not reachable yet (%s); retrying in %.0f s", err, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        bot = self.application.bot
        try:
            await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS.items()])
            if self._settings.webhook_url and self._settings.webhook_secret:
                await bot.set_webhook(
                    self._settings.webhook_url,
                    secret_token=self._settings.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
        except TelegramError as err:
            log.warning("registering commands or the webhook with Telegram failed: %s", err)
        if self._settings.polling and self.application.updater is not None:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            self._tasks.append(asyncio.create_task(self._pump(), name="telegram:pump"))
            log.info("Telegram: polling for updates (no webhook secret configured)")
        self.ready.set()

    async def stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.ready.is_set():
            await self.application.shutdown()
        await self._voice.aclose()

    @staticmethod
    def _key(update: Update) -> str | None:
        chat = update.effective_chat
        return f"telegram:{chat.id}" if chat is not None else None

    def _submit(self, key: str, update: Update) -> None:
        self._dispatcher.submit(key, functools.partial(self.application.process_update, update))

    async def _pump(self) -> None:
        """Polling mode: from PTB's update_queue into the per-user queues, waiting when full."""
        queue = self.application.update_queue
        while True:
            update = await queue.get()
            if not isinstance(update, Update) or (key := self._key(update)) is None:
                continue
            while not self._dispatcher.has_room(key):
                await asyncio.sleep(0.1)
            self._submit(key, update)

    async def handle_webhook(self, request: Request) -> Response:
        secret = self._settings.webhook_secret
        if not secret:
            return JSONResponse({"error": "telegram webhook not enabled"}, status_code=404)
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return JSONResponse({"error": "missing secret token"}, status_code=401)
        if not secret_matches(secret, given):
            return JSONResponse({"error": "wrong secret token"}, status_code=403)
        if not self.ready.is_set():
            return JSONResponse({"error": "starting"}, status_code=503)
        try:
            data = json_object(await read_body(request, self._max_body))
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        except BadJson:
            return JSONResponse({"error": "body is not a JSON object"}, status_code=400)
        update_id = data.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return JSONResponse({"error": "update_id missing"}, status_code=400)
        try:
            update = Update.de_json(fill_required_fields(data), self.application.bot)
        except Exception:  # PTB raises assorted errors on malformed objects
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        key = self._key(update)
        if key is None:
            return JSONResponse({"ok": True, "ignored": True})
        if not self._dispatcher.has_room(key):
            return JSONResponse({"error": "busy"}, status_code=503)
        try:
            if not await self._dedup.first_time("telegram", str(update_id)):
                return JSONResponse({"ok": True, "duplicate": True})
        except StoreUnavailable:
            log.error("state store unavailable: webhook refused with 503")
            return JSONResponse({"error": "state store unavailable"}, status_code=503)
        try:
            self._submit(key, update)
        except Overloaded:
            await self._dedup.forget("telegram", str(update_id))
            return JSONResponse({"error": "busy"}, status_code=503)
        return JSONResponse({"ok": True})

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A failure inside a handler: logged with its traceback, and the citizen gets an
        apology rather than silence."""
        log.error("Telegram update failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await self._sender.send_text(context.bot, update.effective_chat.id, texts.APOLOGY)
