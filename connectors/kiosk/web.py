"""The kiosk's routes: the page, its script and style as files (strict CSP, no inline code)
and the WebSocket the page talks over."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from connectors.kiosk.handler import KioskConnection
from connectors.settings import Settings
from connectors.voice_client import VoiceClient

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    # The page asks for the microphone itself; nothing framed or embedded may.
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=()",
}
FILES = {
    "/kiosk": ("kiosk.html", "text/html; charset=utf-8"),
    "/kiosk/kiosk.js": ("kiosk.js", "text/javascript; charset=utf-8"),
    "/kiosk/kiosk.css": ("kiosk.css", "text/css; charset=utf-8"),
}


def _file(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        del request
        return FileResponse(STATIC / name, media_type=media_type, headers=SECURITY_HEADERS)

    return endpoint


def same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: refuse other sites' pages, so the kiosk
    cannot be used from elsewhere as a free speech service or to talk as a visitor."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser (tests, benchmarks); nothing of a user's to steal
    return urlsplit(origin).netloc == websocket.headers.get("host")


class Kiosk:
    """Owns the kiosk's voice client; the gateway's (console-watched) assistant is read from
    the running gateway for each connection."""

    def __init__(
        self, settings: Settings, voice_transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.voice = VoiceClient(settings.voice, voice_transport)

    async def websocket(self, websocket: WebSocket) -> None:
        if not same_origin(websocket):
            await websocket.close(code=1008)
            return
        gateway = websocket.app.state.gateway
        await KioskConnection(
            websocket, gateway.assistant, self.voice, self.settings.kiosk, gateway.store
        ).run()

    async def aclose(self) -> None:
        await self.voice.aclose()


def kiosk_routes(kiosk: Kiosk) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route(path, _file(name, media), methods=["GET"]) for path, (name, media) in FILES.items()
    ]
    routes.append(WebSocketRoute("/kiosk/ws", kiosk.websocket))
    return routes
