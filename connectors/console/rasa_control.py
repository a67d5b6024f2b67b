"""Pausing and resuming the assistant for one conversation through Rasa's tracker events API
(internal, token-protected: `POST /conversations/{id}/tracker/events?token=`)."""

from __future__ import annotations

from urllib.parse import quote

import httpx


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

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _append(self, conversation_id: str, event: str) -> None:
        if not self._token:
            raise RasaControlError("RASA_AUTH_TOKEN is not set")
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker/events"
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
