"""The console's pages and JSON/SSE endpoints under /console; anonymous requests are refused
(401 for the API, a redirect to sign-in for pages) and every POST needs the CSRF token."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from connectors.console import pages, texts
from connectors.console.accounts import Outcome
from connectors.console.panel import PanelError
from connectors.console.rasa_control import RasaControlError
from connectors.console.review import INTENT_RE, export_nlu
from connectors.console.service import Console
from connectors.console.sessions import Session

log = logging.getLogger(__name__)
COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
CSRF_HEADER = "x-csrf-token"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
TRACKING_RE = re.compile(r"^[A-Za-z0-9.\-]{6,40}$")
JOB_ID_RE = re.compile(r"^[A-Za-z0-9:_.\-]{1,128}$")
MAX_REPLY = 2000
MAX_QUESTION = 300
SSE_TICK_S = 0.5
MAX_FORM_BYTES = 4096

Handler = Callable[[Request, Session], Awaitable[Response]]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=SECURITY_HEADERS)


class ConsoleWeb:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.secure_always = console.settings.console.secure_cookies

    def _secure(self, request: Request) -> bool:
        """`Secure` when configured (behind a TLS proxy) or when the request itself came over
        HTTPS (uvicorn's proxy headers make the scheme https behind a trusted proxy)."""
        return self.secure_always or request.url.scheme == "https"

    # -- guards -------------------------------------------------------------

    async def _session(self, request: Request) -> Session | None:
        return await self.c.sessions.get(request.cookies.get(COOKIE))

    def api(self, handler: Handler, *, supervisor: bool = False) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            session = await self._session(request)
            if session is None:
                return _error(401, texts.NOT_SIGNED_IN)
            if request.method == "POST" and not session.csrf_ok(request.headers.get(CSRF_HEADER)):
                return _error(403, texts.CSRF_FAILED)
            if supervisor and not session.supervisor:
                return _error(403, texts.FORBIDDEN)
            return await handler(request, session)

        return endpoint

    def page(self, body: str, media_type: str = "text/html") -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            if await self._session(request) is None:
                return RedirectResponse("/console/login", status_code=303)
            return Response(body, media_type=media_type, headers=SECURITY_HEADERS)

        return endpoint

    # -- sign-in ------------------------------------------------------------

    async def login_form(self, request: Request, message: str = "", status: int = 200) -> Response:
        token = secrets.token_urlsafe(24)
        response = HTMLResponse(
            pages.login(token, message), status_code=status, headers=SECURITY_HEADERS
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            max_age=1800,
            path="/console/login",
            httponly=True,
            samesite="strict",
            secure=self._secure(request),
        )
        return response

    async def login(self, request: Request) -> Response:
        form = await _form(request)
        given, expected = form.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
            return HTMLResponse(texts.CSRF_FAILED, status_code=403, headers=SECURITY_HEADERS)
        username = form.get("username", "").strip().lower()[:64]
        password = form.get("password", "")
        address = request.client.host if request.client else "unknown"
        if await self.c.address_throttle.blocked(address):
            log.warning("console: sign-in refused, too many failures from one address")
            return await self.login_form(request, texts.LOGIN_THROTTLED, 429)
        result = await asyncio.to_thread(self.c.accounts.sign_in, username, password)
        if result.outcome is not Outcome.OK:
            await self.c.address_throttle.failed(address)
        if result.outcome is Outcome.LOCKED:
            log.warning("console: sign-in refused, account locked")
            return await self.login_form(request, texts.LOGIN_LOCKED, 429)
        if result.outcome is Outcome.BAD or result.role is None:
            return await self.login_form(request, texts.LOGIN_FAILED, 401)
        token, _ = await self.c.sessions.create(username, result.role)
        response = RedirectResponse("/console", status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.c.settings.console.session_ttl_s),
            path="/console",
            httponly=True,
            samesite="strict",
            secure=self._secure(request),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console/login")
        return response

    async def logout(self, request: Request, session: Session) -> Response:
        await self.c.sessions.delete(request.cookies.get(COOKIE))
        response = _json({"ok": True})
        response.delete_cookie(COOKIE, path="/console")
        return response

    # -- API ----------------------------------------------------------------

    async def me(self, request: Request, session: Session) -> Response:
        return _json({"username": session.username, "role": session.role, "csrf": session.csrf})

    async def _snapshot(self) -> dict[str, Any]:
        await self.c.submissions.sync()
        return {
            "server_time": time.time(),
            "open": self.c.handover.office.is_open(),
            "conversations": await self.c.handover.conversations(),
            "submissions": await self.c.submissions.items(),
        }

    async def conversations(self, request: Request, session: Session) -> Response:
        return _json(await self._snapshot())

    async def stream(self, request: Request, session: Session) -> Response:
        token = request.cookies.get(COOKIE)

        async def events() -> AsyncIterator[str]:
            seen, ticks = -1, 0
            while True:
                await self.c.submissions.sync()  # a handed submission bumps the version
                version = await self.c.handover.version()
                if version != seen:
                    seen = version
                    yield f"data: {json.dumps(await self._snapshot(), ensure_ascii=False)}\n\n"
                elif ticks % 30 == 0:
                    yield ": ping\n\n"
                ticks += 1
                if ticks % 10 == 0 and await self.c.sessions.get(token) is None:
                    return  # signed out or expired: the stream ends with the session
                await asyncio.sleep(SSE_TICK_S)

        headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    async def messages(self, request: Request, session: Session) -> Response:
        cid = request.path_params["cid"]
        info = await self.c.handover.info(cid)
        if info is None:
            return _error(404, "Không có cuộc trò chuyện này.")
        return _json({"conversation": info, "messages": await self.c.handover.transcript(cid)})

    async def take(self, request: Request, session: Session) -> Response:
        cid = request.path_params["cid"]
        info = await self.c.handover.info(cid)
        if info is None:
            return _error(404, "Không có cuộc trò chuyện này.")
        holder = await self.c.handover.take(cid, session.username, session.supervisor)
        if holder is not None:
            return _error(409, texts.HELD_BY_OTHER)
        try:
            await self.c.rasa.pause(cid)
        except RasaControlError as err:
            log.warning("console: pausing the assistant failed: %s", err)
            await self.c.handover.release(cid, session.username)
            return _error(502, texts.RASA_FAILED)
        await self._send(request, info, texts.TAKEN_OVER.format(agent=session.username))
        return _json({"ok": True})

    async def release(self, request: Request, session: Session) -> Response:
        cid = request.path_params["cid"]
        info = await self.c.handover.info(cid)
        if info is None or info["state"] != "staff":
            return _error(409, texts.NOT_HELD)
        if info["agent"] != session.username and not session.supervisor:
            return _error(403, texts.HELD_BY_OTHER)
        try:
            await self.c.rasa.resume(cid)
        except RasaControlError as err:
            log.warning("console: resuming the assistant failed: %s", err)
            return _error(502, texts.RASA_FAILED)
        await self.c.handover.release(cid, session.username, session.supervisor)
        await self._send(request, info, texts.HANDED_BACK)
        return _json({"ok": True})

    async def reply(self, request: Request, session: Session) -> Response:
        cid = request.path_params["cid"]
        body = await _body(request)
        text = str(body.get("text", "")).strip()
        if not text or len(text) > MAX_REPLY:
            return _error(422, f"Nội dung trả lời từ 1 đến {MAX_REPLY} ký tự.")
        info = await self.c.handover.info(cid)
        if info is None or info["state"] != "staff" or info["agent"] != session.username:
            return _error(409, texts.NOT_HELD)
        await self._send(request, info, text, agent=session.username)
        return _json({"ok": True})

    async def _send(
        self, request: Request, info: dict[str, Any], text: str, agent: str | None = None
    ) -> None:
        cid, channel = info["id"], info["channel"]
        user_id = cid.split(":", 1)[1]
        gateway = getattr(request.app.state, "gateway", None)
        await self.c.delivery.send(gateway, channel, user_id, text)
        if agent:
            await self.c.handover.agent_said(cid, agent, text)
        else:
            await self.c.handover.note(cid, text)

    async def status(self, request: Request, session: Session) -> Response:
        code = str((await _body(request)).get("code", "")).strip()
        if not TRACKING_RE.match(code):
            return _error(422, "Mã hồ sơ chưa đúng định dạng.")
        try:
            return _json(await self.c.lookup.status(code, session.username))
        except PanelError as err:
            return _error(err.status, err.reason)

    async def audit(self, request: Request, session: Session) -> Response:
        try:
            return _json(await self.c.lookup.audit(session.username))
        except PanelError as err:
            return _error(err.status, err.reason)

    # -- "wrong answer" review ------------------------------------------------

    async def intents(self, request: Request, session: Session) -> Response:
        try:
            return _json({"intents": await self.c.rasa.intents()})
        except RasaControlError as err:
            log.warning("console: reading Rasa's domain failed: %s", err)
            return _error(502, texts.RASA_DOWN)

    async def flag(self, request: Request, session: Session) -> Response:
        cid = request.path_params["cid"]
        body = await _body(request)
        message_id, intent = str(body.get("message_id", "")), str(body.get("intent", ""))
        if not INTENT_RE.match(intent):
            return _error(422, texts.BAD_INTENT)
        message = await self.c.handover.message(cid, message_id) if message_id else None
        if message is None or message.get("from") != "user":
            return _error(404, texts.NO_MESSAGE)
        try:
            known = await self.c.rasa.intents()
        except RasaControlError:
            return _error(502, texts.RASA_DOWN)
        if intent not in known:
            return _error(422, texts.BAD_INTENT)
        await self.c.review.flag(message, cid, intent, session.username)
        return _json({"ok": True})

    async def review(self, request: Request, session: Session) -> Response:
        return _json({"items": await self.c.review.items()})

    async def review_export(self, request: Request, session: Session) -> Response:
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": 'attachment; filename="nlu-review.yml"',
        }
        body = export_nlu(await self.c.review.items())
        return Response(body, media_type="application/x-yaml", headers=headers)

    # -- assistant panel: procedures, handed submissions ---------------------

    async def ask(self, request: Request, session: Session) -> Response:
        question = " ".join(str((await _body(request)).get("question", "")).split())
        if not question or len(question) > MAX_QUESTION:
            return _error(422, f"Câu hỏi từ 1 đến {MAX_QUESTION} ký tự.")
        try:
            return _json(await self.c.procedures.answer(question))
        except PanelError as err:
            return _error(err.status, err.reason)

    async def submissions(self, request: Request, session: Session) -> Response:
        await self.c.submissions.sync()
        return _json({"items": await self.c.submissions.items()})

    async def handled(self, request: Request, session: Session) -> Response:
        job_id = request.path_params["job_id"]
        if not JOB_ID_RE.match(job_id):
            return _error(422, texts.NO_SUBMISSION)
        if not await self.c.submissions.mark_handled(job_id, session.username):
            return _error(404, texts.NO_SUBMISSION)
        return _json({"ok": True})

    def routes(self) -> list[Route]:
        api = self.api
        conv = "/console/api/conversations/{cid:str}"
        return [
            Route("/console/login", self.login_form, methods=["GET"]),
            Route("/console/login", self.login, methods=["POST"]),
            Route("/console", self.page(pages.CONSOLE_HTML), methods=["GET"]),
            Route(
                "/console/console.js",
                self.page(pages.CONSOLE_JS, "text/javascript"),
                methods=["GET"],
            ),
            Route("/console/api/logout", api(self.logout), methods=["POST"]),
            Route("/console/api/me", api(self.me), methods=["GET"]),
            Route("/console/api/conversations", api(self.conversations), methods=["GET"]),
            Route("/console/api/stream", api(self.stream), methods=["GET"]),
            Route(conv + "/messages", api(self.messages), methods=["GET"]),
            Route(conv + "/take", api(self.take), methods=["POST"]),
            Route(conv + "/release", api(self.release), methods=["POST"]),
            Route(conv + "/reply", api(self.reply), methods=["POST"]),
            Route("/console/api/status", api(self.status), methods=["POST"]),
            Route("/console/api/audit", api(self.audit, supervisor=True), methods=["GET"]),
            Route("/console/api/intents", api(self.intents), methods=["GET"]),
            Route(conv + "/flag", api(self.flag), methods=["POST"]),
            Route("/console/api/review", api(self.review, supervisor=True), methods=["GET"]),
            Route(
                "/console/api/review/export",
                api(self.review_export, supervisor=True),
                methods=["GET"],
            ),
            Route("/console/api/ask", api(self.ask), methods=["POST"]),
            Route("/console/api/submissions", api(self.submissions), methods=["GET"]),
            Route(
                "/console/api/submissions/{job_id:str}/handled",
                api(self.handled),
                methods=["POST"],
            ),
        ]


async def _form(request: Request) -> dict[str, str]:
    """The sign-in form (urlencoded, small); parsed here rather than with python-multipart."""
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return {}
    fields = parse_qs(raw.decode("utf-8", "replace"), max_num_fields=10)
    return {name: values[0] for name, values in fields.items()}


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def console_routes(console: Console | None) -> list[Route]:
    """The gateway's hook: no routes without Redis (the console needs shared state)."""
    return ConsoleWeb(console).routes() if console is not None else []
