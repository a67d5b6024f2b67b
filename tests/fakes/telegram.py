"""A fake Telegram Bot API: the methods the gateway calls, answered like api.telegram.org.

Point PTB at it with base_url=f"{fake.url}/bot" and base_file_url=f"{fake.url}/file/bot".
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.settings import TelegramSettings
from tests.fakes.recorder import Call, Recorder
from tests.fakes.server import FakeService, ThreadedServer

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Một cửa BộKHCN",
    "username": "motcua_test_bot",
}
# PTB JSON-encodes every non-string parameter of a form-encoded request; strings stay raw.
_JSON_PARAMS = {
    "chat_id",
    "reply_markup",
    "link_preview_options",
    "allowed_updates",
    "commands",
    "offset",
    "timeout",
    "limit",
    "show_alert",
    "cache_time",
    "message_id",
    "drop_pending_updates",
}


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str, **parameters: Any) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


_TAG = re.compile(r"</?([a-zA-Z-]+)[^<>]*>")
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


def html_error(text: str) -> str | None:
    """Telegram's HTML parse mode: a few tags only; "<", ">", "&" otherwise escaped."""
    for match in _TAG.finditer(text):
        if match.group(1).lower() not in _HTML_TAGS:
            return f'Unsupported start tag "{match.group(1)}"'
    outside_tags = _TAG.sub("", text)
    if "<" in outside_tags or ">" in outside_tags:
        return "unescaped < or >"
    if _BARE_AMPERSAND.search(outside_tags):
        return "unescaped &"
    return None


async def _params(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        decoded = json.loads(raw or b"{}")
        return decoded if isinstance(decoded, dict) else {}
    params: dict[str, Any] = {}
    for name, values in parse_qs(raw.decode(), keep_blank_values=True).items():
        value: Any = values[-1]
        if name in _JSON_PARAMS:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[name] = value
    for name, query_value in request.query_params.items():
        params.setdefault(name, query_value)
    return params


class FakeTelegram(FakeService):
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls = Recorder()
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._updates: list[dict[str, Any]] = []
        self._files: dict[str, tuple[str, bytes]] = {}
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(500_000)
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )
        self.server = ThreadedServer(app)

    def settings(self, webhook_secret: str) -> TelegramSettings:
        """The gateway's Telegram settings pointed at this fake."""
        return TelegramSettings(
            bot_token=self.token,
            webhook_secret=webhook_secret,
            api_base_url=self.base_url,
            file_base_url=self.file_base_url,
        )

    @property
    def base_url(self) -> str:
        return f"{self.server.url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.server.url}/file/bot"

    # -- what tests set up -------------------------------------------------------------------
    def fail_next(self, method: str, retry_after: float, times: int = 1) -> None:
        """The next `times` calls of `method` answer 429 Too Many Requests with retry_after."""
        with self._lock:
            self._failures.setdefault(method, []).extend([retry_after] * times)

    def add_file(self, file_id: str, content: bytes, file_path: str) -> None:
        with self._lock:
            self._files[file_id] = (file_path, content)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queues an update for getUpdates (polling mode); numbers it if it has no id."""
        with self._lock:
            update = {**update, "update_id": update.get("update_id", next(self._update_ids))}
            self._updates.append(update)
        return update

    # -- what tests read -----------------------------------------------------------------------
    def sent_to(self, chat_id: int | str) -> list[Call]:
        return [c for c in self.calls.for_key(str(chat_id)) if c.method == "sendMessage"]

    def wait_sent(self, chat_id: int | str, count: int = 1, timeout_s: float = 20.0) -> list[Call]:
        key = str(chat_id)
        return self.calls.wait(
            lambda c: c.method == "sendMessage" and c.key == key, count, timeout_s
        )

    # -- the API -----------------------------------------------------------------------------
    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params = await _params(request)
        chat_id = params.get("chat_id")
        self.calls.add(
            Call(method, params, dict(request.headers), None if chat_id is None else str(chat_id))
        )
        with self._lock:
            pending = self._failures.get(method)
            retry_after = pending.pop(0) if pending else None
        if retry_after is not None:
            return _error(
                429, f"Too Many Requests: retry after {retry_after:g}", retry_after=retry_after
            )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _ok(True)  # setMyCommands, setWebhook, deleteWebhook, answerCallbackQuery…
        result: Response = await handler(params)
        return result

    async def _m_getMe(self, params: dict[str, Any]) -> Response:
        return _ok({**BOT_USER, "can_join_groups": False, "supports_inline_queries": False})

    async def _m_sendMessage(self, params: dict[str, Any]) -> Response:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if params.get("parse_mode") == "HTML" and (problem := html_error(text)):
            return _error(400, f"Bad Request: can't parse entities: {problem}")
        visible = text
        if params.get("parse_mode") == "HTML":
            visible = html.unescape(re.sub(r"<[^>]+>", "", text))
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            return _error(400, "Bad Request: message is too long")
        message = {
            "message_id": next(self._message_ids),
            "from": BOT_USER,
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return _ok(message)

    async def _m_getFile(self, params: dict[str, Any]) -> Response:
        file_id = str(params.get("file_id"))
        with self._lock:
            found = self._files.get(file_id)
        if found is None:
            return _error(400, "Bad Request: invalid file_id")
        path, content = found
        return _ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u{abs(hash(file_id)) % 10**8}",
                "file_size": len(content),
                "file_path": path,
            }
        )

    async def _m_getUpdates(self, params: dict[str, Any]) -> Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:
                ready = [u for u in self._updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return _ok(ready)
            await asyncio.sleep(0.02)

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        wanted = request.path_params["path"]
        with self._lock:
            content = next((c for p, c in self._files.values() if p == wanted), None)
        if content is None:
            return Response(status_code=404)
        return Response(content, media_type="application/octet-stream")
