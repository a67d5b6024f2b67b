"""Staff sessions in Redis: an opaque cookie token, stored only as its SHA-256, with the CSRF
token that every POST of that session must carry."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

import redis.asyncio as aioredis

PREFIX = "console:session:"


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    csrf: str

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


def _key(token: str) -> str:
    return PREFIX + hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, redis: aioredis.Redis, ttl_s: float) -> None:
        self._redis = redis
        self._ttl_ms = int(ttl_s * 1000)

    async def create(self, username: str, role: str) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(username, role, secrets.token_urlsafe(32))
        body = json.dumps({"username": username, "role": role, "csrf": session.csrf})
        await self._redis.set(_key(token), body, px=self._ttl_ms)
        return token, session

    async def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 128:
            return None
        raw = await self._redis.get(_key(token))
        if raw is None:
            return None
        data = json.loads(raw)
        return Session(str(data["username"]), str(data["role"]), str(data["csrf"]))

    async def delete(self, token: str | None) -> None:
        if token:
            await self._redis.delete(_key(token))
