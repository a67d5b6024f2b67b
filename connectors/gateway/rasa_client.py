"""httpx client of Rasa's REST channel (POST /webhooks/rest/webhook), over one or more Rasa
servers that share their tracker and lock stores in Redis."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import httpx

PATH = "/webhooks/rest/webhook"


class RasaUnavailable(Exception):
    """Rasa did not answer in time, answered with an error, or with something unreadable."""


class RasaClient:
    """One instance per gateway process; all turns share its connection pool and timeouts.

    With several servers, a conversation goes to the same one each time (fewer lock waits in
    Redis) and moves to the next only when its server refuses the connection: then the turn
    was certainly not processed, so sending it elsewhere cannot answer it twice. A timeout
    is not retried, as the turn may be under way.
    """

    def __init__(
        self,
        base_urls: str | Sequence[str],
        connect_timeout_s: float,
        read_timeout_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._urls = [url.rstrip("/") + PATH for url in urls]
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=50)
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _order(self, sender: str) -> list[str]:
        first = zlib.crc32(sender.encode()) % len(self._urls)
        return self._urls[first:] + self._urls[:first]

    async def _post(self, sender: str, body: dict[str, Any]) -> httpx.Response:
        urls = self._order(sender)
        for index, url in enumerate(urls):
            try:
                return await self._http.post(url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                if index == len(urls) - 1:
                    raise RasaUnavailable(type(err).__name__) from err
            except httpx.HTTPError as err:
                raise RasaUnavailable(type(err).__name__) from err
        raise AssertionError("unreachable")

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        body = {"sender": sender, "message": message, "metadata": metadata}
        response = await self._post(sender, body)
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        try:
            answer = response.json()
        except ValueError as err:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from err
        if not isinstance(answer, list):
            raise RasaUnavailable("Rasa answered with an unexpected JSON shape")
        return [item for item in answer if isinstance(item, dict)]
