"""A fake Zalo: the OA OpenAPI (POST /v3.0/oa/message/cs) and OAuth (POST /v4/oa/access_token).

Like the real service: errors travel as {"error": <negative code>} with HTTP 200, a wrong
or expired access token gives -216, and each refresh token works exactly once.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.settings import ZaloSettings
from tests.fakes.recorder import Call, Recorder
from tests.fakes.server import FakeService, ThreadedServer

TEXT_LIMIT = 2000


class FakeZalo(FakeService):
    def __init__(
        self,
        app_id: str = "3608465249409039",
        app_secret: str = "fake-app-secret",  # noqa: S107
        oa_secret_key: str = "fake-oa-secret-key",  # noqa: S107
        refresh_delay_s: float = 0.05,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.oa_secret_key = oa_secret_key
        self._refresh_delay_s = refresh_delay_s
        self._lock = threading.Lock()
        self._serial = itertools.count(1)
        self.access_token = f"access-{next(self._serial)}-{uuid.uuid4().hex}"
        self.refresh_token = f"refresh-{next(self._serial)}-{uuid.uuid4().hex}"
        self.sends = Recorder()  # every message/cs attempt, accepted or not
        self.refreshes = Recorder()  # every OAuth call
        app = Starlette(
            routes=[
                Route("/v3.0/oa/message/cs", self._send, methods=["POST"]),
                Route("/v4/oa/access_token", self._oauth, methods=["POST"]),
                # Zalo's media CDN (voice-aac-dl.zdn.vn & co.): where audio messages live.
                Route("/cdn/{name:path}", self._cdn, methods=["GET"]),
            ]
        )
        self._media: dict[str, tuple[bytes, str]] = {}
        self.media_requests = Recorder()
        self.server = ThreadedServer(app)

    def settings(self) -> ZaloSettings:
        """The gateway's Zalo settings pointed at this fake."""
        return ZaloSettings(
            app_id=self.app_id,
            oa_secret_key=self.oa_secret_key,
            app_secret=self.app_secret,
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            api_base_url=self.url,
            oauth_url=self.oauth_url,
        )

    @property
    def oauth_url(self) -> str:
        return f"{self.server.url}/v4/oa/access_token"

    def add_media(self, name: str, content: bytes, content_type: str = "audio/aac") -> str:
        """Serves ``content`` on the fake CDN; returns its URL, as a webhook would carry it."""
        with self._lock:
            self._media[name] = (content, content_type)
        return f"{self.server.url}/cdn/{name}"

    def expire_access_token(self) -> None:
        """The current access token stops working; the refresh token still works (once)."""
        with self._lock:
            self.access_token = f"access-{next(self._serial)}-{uuid.uuid4().hex}"

    def delivered_to(self, user_id: str) -> list[Call]:
        return [c for c in self.sends.for_key(user_id) if c.params.get("accepted")]

    def wait_delivered(self, user_id: str, count: int = 1, timeout_s: float = 20.0) -> list[Call]:
        return self.sends.wait(
            lambda c: c.key == user_id and bool(c.params.get("accepted")), count, timeout_s
        )

    # -- webhooks the tests send to the gateway, signed as Zalo signs them ---------------------
    def signed(
        self, event: dict[str, Any], timestamp_ms: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """(raw body, headers) of a webhook delivery: X-ZEvent-Signature over the raw bytes."""
        stamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        body = json.dumps(
            {**event, "app_id": self.app_id, "timestamp": stamp}, ensure_ascii=False
        ).encode()
        mac = hashlib.sha256(
            self.app_id.encode() + body + stamp.encode() + self.oa_secret_key.encode()
        )
        return body, {
            "Content-Type": "application/json",
            "X-ZEvent-Signature": f"mac={mac.hexdigest()}",
        }

    # -- the API -----------------------------------------------------------------------------
    async def _send(self, request: Request) -> Response:
        token = request.headers.get("access_token")
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        user_id = None
        message = None
        if isinstance(body, dict):
            user_id = (body.get("recipient") or {}).get("user_id")
            message = body.get("message")
        with self._lock:
            token_ok = token == self.access_token
        record: dict[str, Any] = {"message": message, "access_token": token, "accepted": False}
        if not token_ok:
            answer = {"error": -216, "message": "Access token is invalid"}
        elif not isinstance(user_id, str) or not isinstance(message, dict):
            answer = {"error": -201, "message": "Parameters are invalid"}
        elif len(str(message.get("text", ""))) > TEXT_LIMIT:
            answer = {"error": -201, "message": "Text is too long"}
        else:
            record["accepted"] = True
            answer = {
                "data": {"message_id": uuid.uuid4().hex, "user_id": user_id},
                "error": 0,
                "message": "Success",
            }
        self.sends.add(Call("message/cs", record, dict(request.headers), user_id))
        return JSONResponse(answer)

    async def _cdn(self, request: Request) -> Response:
        name = request.path_params["name"]
        self.media_requests.add(Call("cdn", {"name": name}, dict(request.headers), name))
        with self._lock:
            found = self._media.get(name)
        if found is None:
            return Response(status_code=404)
        content, content_type = found
        return Response(content, media_type=content_type)

    async def _oauth(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode()).items()}
        self.refreshes.add(Call("access_token", form, dict(request.headers)))
        if request.headers.get("secret_key") != self.app_secret:
            return JSONResponse({"error": -14003, "error_name": "Invalid secret key"})
        if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": -14002, "error_name": "Invalid app id or grant type"})
        # The window between reading and replacing the refresh token is where a second,
        # unserialized refresher would be caught out.
        await asyncio.sleep(self._refresh_delay_s)
        with self._lock:
            if form.get("refresh_token") != self.refresh_token:
                return JSONResponse(
                    {
                        "error": -14014,
                        "error_name": "Invalid refresh token",
                        "error_description": "Refresh token is invalid",
                    }
                )
            self.access_token = f"access-{next(self._serial)}-{uuid.uuid4().hex}"
            self.refresh_token = f"refresh-{next(self._serial)}-{uuid.uuid4().hex}"
            pair = {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            }
        return JSONResponse(pair)
