"""The gateway's ASGI app: webhooks of each configured channel and a health endpoint."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.console.service import Console
from connectors.console.web import console_routes
from connectors.console.webchat import webchat_routes
from connectors.gateway.assistant import Assistant
from connectors.gateway.dedup import Deduplicator
from connectors.gateway.dispatcher import KeyedDispatcher
from connectors.gateway.outbound import run_outbound
from connectors.gateway.rasa_client import RasaClient
from connectors.gateway.state import Store, open_store
from connectors.gateway.voice import VoiceNotes
from connectors.kiosk.web import Kiosk, kiosk_routes
from connectors.settings import Settings
from connectors.telegram.channel import TelegramChannel
from connectors.voice_client import VoiceClient
from connectors.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)
DRAIN_TIMEOUT_S = 15.0


@dataclass
class Gateway:
    """Everything the endpoints share; built at startup, closed at shutdown."""

    store: Store
    rasa: RasaClient
    dispatcher: KeyedDispatcher
    assistant: Assistant | None = None  # the kiosk's turns go through it too
    telegram: TelegramChannel | None = None
    zalo: ZaloChannel | None = None


def build_gateway(
    settings: Settings,
    *,
    console: Console | None = None,
    voice: VoiceClient | None = None,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
    zalo_transport: httpx.AsyncBaseTransport | None = None,
) -> Gateway:
    """`voice`: the process's one client of the voice service (the kiosk's), shared by the
    channels' voice notes; without it each channel opens its own."""
    g = settings.gateway
    store = open_store(settings.redis_url)
    rasa = RasaClient(
        g.rasa_servers, g.rasa_connect_timeout_s, g.rasa_read_timeout_s, rasa_transport
    )
    assistant = Assistant(rasa)
    if console is not None:  # console hook: records every turn, routes held chats to staff
        assistant = console.watch(assistant)
    dispatcher = KeyedDispatcher(g.user_queue_size, g.max_pending, g.max_concurrent_users)
    dedup = Deduplicator(store, g.dedup_ttl_s)
    gateway = Gateway(store=store, rasa=rasa, dispatcher=dispatcher, assistant=assistant)
    if settings.telegram.enabled:
        gateway.telegram = TelegramChannel(
            settings, assistant, store, dispatcher, dedup,
            voice=VoiceNotes(settings.voice, client=voice),
        )  # fmt: skip
    if settings.zalo.enabled:
        gateway.zalo = ZaloChannel(
            settings, assistant, store, dispatcher, dedup,
            voice=VoiceNotes(settings.voice, client=voice), transport=zalo_transport,
        )  # fmt: skip
    return gateway


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


async def health(request: Request) -> Response:
    gateway = _gateway(request)
    try:
        store_ok = await gateway.store.ping()
    except Exception:  # Redis down: report it, do not crash the probe
        store_ok = False
    channels = {
        name: channel.status
        for name, channel in (("telegram", gateway.telegram), ("zalo", gateway.zalo))
        if channel is not None
    }
    body = {
        "status": "ok" if store_ok else "degraded",
        "store": "ok" if store_ok else "unreachable",
        "channels": channels,
        "pending": gateway.dispatcher.pending,
    }
    return JSONResponse(body, status_code=200 if store_ok else 503)


async def telegram_webhook(request: Request) -> Response:
    channel = _gateway(request).telegram
    if channel is None:
        return JSONResponse({"error": "telegram channel not configured"}, status_code=404)
    return await channel.handle_webhook(request)


async def zalo_webhook(request: Request) -> Response:
    channel = _gateway(request).zalo
    if channel is None:
        return JSONResponse({"error": "zalo channel not configured"}, status_code=404)
    return await channel.handle_webhook(request)


def create_app(settings: Settings, **transports: httpx.AsyncBaseTransport | None) -> Starlette:
    console = Console.from_settings(settings)  # console hook (connectors/console)
    kiosk = Kiosk(settings)  # kiosk hook (connectors/kiosk)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        gateway = build_gateway(settings, console=console, voice=kiosk.voice, **transports)
        app.state.gateway = gateway
        channels = [c for c in (gateway.telegram, gateway.zalo) if c is not None]
        for channel in channels:
            await channel.start()
        log.info(
            "gateway ready: channels %s, state in %s",
            [type(c).__name__ for c in channels] or "none",
            "Redis" if settings.redis_url else "memory (lost on restart)",
        )
        stop_outbound = asyncio.Event()
        outbound = (
            asyncio.create_task(run_outbound(gateway, settings.redis_url, stop_outbound))
            if settings.redis_url
            else None
        )
        try:
            yield
        finally:
            stop_outbound.set()
            if outbound is not None:
                await outbound
            if not await gateway.dispatcher.drain(DRAIN_TIMEOUT_S):
                log.warning("shutdown: some messages were still being processed")
            for channel in channels:
                await channel.stop()
            await kiosk.aclose()  # after the channels: their voice notes use its client
            await gateway.rasa.aclose()
            await gateway.store.aclose()

    routes: list[BaseRoute] = [
        Route("/health", health, methods=["GET"]),
        Route("/webhooks/telegram", telegram_webhook, methods=["POST"]),
        Route("/webhooks/zalo", zalo_webhook, methods=["POST"]),
    ]
    routes += console_routes(console)  # console hook: staff pages and API under /console
    routes += kiosk_routes(kiosk)  # kiosk hook: the reception page and its WebSocket
    routes += webchat_routes(console)  # console hook: web chat through the watched assistant
    return Starlette(routes=routes, lifespan=lifespan)
