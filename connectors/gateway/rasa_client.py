"""httpx client of Rasa's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer in time, answered with an error, or with something unreadable."""


class RasaClient:
    """One instance per gateway process; all turns share its connection pool and timeouts."""

    def __init__(
        self,
        base_url: str,
        connect_timeout_s: float,
        read_timeout_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=50)
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, limits=limits, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        body = {"sender": sender, "message": message, "metadata": metadata}
        try:
            response = await self._http.post("/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as err:
            raise RasaUnavailable(type(err).__name__) from err
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        try:
            answer = response.json()
        except ValueError as err:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from err
        if not isinstance(answer, list):
            raise RasaUnavailable("Rasa answered with an unexpected JSON shape")
        return [item for item in answer if isinstance(item, dict)]
