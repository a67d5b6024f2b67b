"""Pausing and resuming the assistant for one conversation through Rasa's tracker events API
(internal, token-protected: `POST /conversations/{id}/tracker/events?token=`), and reading
what Rasa understood of a message (the REST channel answers with texts only)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

DOMAIN_TTL_S = 300.0


@dataclass(frozen=True)
class Understood:
    intent: str
    confidence: float | None


class RasaControlError(Exception):
    """Rasa refused or did not answer: the take-over or hand-back did not happen."""


class RasaControl:
    def __init__(
        self, base_url: str, token: str | None, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=httpx.Timeout(5.0, connect=2.0), transport=transport
        )
        self._domain: dict[str, Any] | None = None
        self._domain_at = 0.0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _append(self, conversation_id: str, event: str) -> None:
        # The ':' of "telegram:123" stays as is: Rasa (Sanic) does not decode %3A in the path,
        # so a quoted colon names another, empty conversation.
        if not self._token:
            raise RasaControlError("RASA_AUTH_TOKEN is not set")
        path = f"/conversations/{quote(conversation_id, safe=':')}/tracker/events"
        try:
            response = await self._http.post(
                path, params={"token": self._token}, json={"event": event}
            )
        except httpx.HTTPError as err:
            raise RasaControlError(type(err).__name__) from err
        if response.status_code != 200:
            raise RasaControlError(f"Rasa answered {response.status_code}")

    async def pause(self, conversation_id: str) -> None:
        await self._append(conversation_id, "pause")

    async def resume(self, conversation_id: str) -> None:
        await self._append(conversation_id, "resume")

    async def understood(self, conversation_id: str, sent: set[str]) -> Understood | None:
        """The intent Rasa gave the conversation's latest user message, read from the tracker
        without its events (`include_events=NONE`: Rasa still loads the tracker but sends back
        only `latest_message`). None when it is not the message just sent (e.g. an external
        event came in between) or Rasa does not answer."""
        if not self._token:
            return None
        path = f"/conversations/{quote(conversation_id, safe=':')}/tracker"
        try:
            response = await self._http.get(
                path, params={"token": self._token, "include_events": "NONE"}, timeout=2.0
            )
            if not response.is_success:
                return None
            latest = response.json().get("latest_message") or {}
            intent = latest.get("intent") or {}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        if not intent.get("name") or latest.get("text") not in sent:
            return None
        confidence = intent.get("confidence")
        score = float(confidence) if confidence is not None else None
        return Understood(str(intent["name"]), score)

    async def domain(self) -> dict[str, Any]:
        """Rasa's domain as JSON (intents, responses), cached: it changes only with the model."""
        if self._domain is not None and time.monotonic() - self._domain_at < DOMAIN_TTL_S:
            return self._domain
        if not self._token:
            raise RasaControlError("RASA_AUTH_TOKEN is not set")
        try:
            response = await self._http.get(
                "/domain", params={"token": self._token}, headers={"Accept": "application/json"}
            )
            body = response.json() if response.is_success else None
        except (httpx.HTTPError, ValueError) as err:
            raise RasaControlError(type(err).__name__) from err
        if not isinstance(body, dict):
            raise RasaControlError(f"Rasa answered {response.status_code}")
        self._domain, self._domain_at = body, time.monotonic()
        return body

    async def intents(self) -> list[str]:
        names = []
        for item in (await self.domain()).get("intents", []):
            name = item if isinstance(item, str) else next(iter(item), "")
            if name and not str(name).startswith("EXTERNAL_"):
                names.append(str(name))
        return sorted(names)
