"""HTTP plumbing: JSON errors, bounded JSON bodies, and an access log without personal data."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseapi.config import MAX_BODY_BYTES
from caseapi.tracking import TRACKING_CODE_RE

log = logging.getLogger("caseapi.access")
error_log = logging.getLogger("caseapi")

# A too-large body is still read (and dropped) up to this size so the client gets
# the 413 instead of a reset connection; beyond it the connection is cut short.
DRAIN_LIMIT = 16 * MAX_BODY_BYTES

STATUS_SLUGS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error answered as ``{"error": code, ...extra}``."""

    def __init__(
        self,
        status: int,
        code: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.headers = headers or {}
        self.extra = extra


def error_response(
    status: int, code: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"error": code, **extra}, status_code=status, headers=headers)


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.headers, **exc.extra)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    slug = STATUS_SLUGS.get(exc.status_code, "error")
    return error_response(exc.status_code, slug, dict(exc.headers or {}))


async def server_error_handler(request: Request, exc: Exception) -> Response:
    error_log.error(
        "unhandled %s on %s %s",
        type(exc).__name__,
        request.method,
        safe_path(request.url.path),
        exc_info=exc,
    )
    return error_response(500, "internal_error")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def read_json(request: Request) -> Any:
    """The request's JSON body, at most MAX_BODY_BYTES; ApiError 413 or 400 otherwise."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > DRAIN_LIMIT:
        raise ApiError(413, "payload_too_large", max_bytes=MAX_BODY_BYTES)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT:
            break
    if size > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", max_bytes=MAX_BODY_BYTES)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(
            400, "malformed_json", message="Request body is not valid UTF-8 JSON."
        ) from None


_STATIC_SEGMENTS = frozenset(
    {"health", "openapi.yaml", "procedures", "applications", "transitions", "audit"}
)
_CATALOGUE_CODE_RE = re.compile(r"^[A-Za-z]{1,8}-\d{1,3}$")


def safe_path(path: str) -> str:
    """The path with any segment that is not a known word or code replaced by ``{…}``.

    Users sometimes type a phone or ID number where a tracking code belongs; such
    input must not reach the logs.
    """
    parts = []
    for segment in path.split("/"):
        if (
            not segment
            or segment in _STATIC_SEGMENTS
            or TRACKING_CODE_RE.match(segment.strip().upper())
            or _CATALOGUE_CODE_RE.match(segment)
        ):
            parts.append(segment.strip())
        else:
            parts.append("{…}")
    return "/".join(parts)


class AccessLogMiddleware:
    """Logs method, sanitised path, status and duration; never the query or body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                safe_path(scope["path"]),
                status,
                (time.perf_counter() - start) * 1000,
            )
