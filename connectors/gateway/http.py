"""Small HTTP helpers shared by the webhook endpoints."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request


class BodyTooLarge(Exception):
    pass


class BadJson(Exception):
    pass


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, refused past max_bytes without reading it all into memory first."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadJson from err
    if not isinstance(value, dict):
        raise BadJson
    return value
