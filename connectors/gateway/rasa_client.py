"""httpx client of Rasa's REST channel (POST /webhooks/rest/webhook), over one or more Rasa
servers that share their tracker and lock stores in Redis."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Sequence
from typing import Any

import httpx

PATH = "/webhooks/rest/webhook"
PROBE_INTERVAL_S = 1.0
PROBE_TIMEOUT_S = 2.0
log = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer in time, answered with an error, or with something unreadable."""


class RasaClient:
    """One instance per gateway process; all turns share its connection pool and timeouts.

    With several servers, a conversation goes to the same one each time (fewer lock waits in
    Redis) and moves to the next only when its server refuses the connection: then the turn
    was certainly not processed, so sending it elsewhere cannot answer it twice. A timeout
    is not retried, as the turn may be under way.

    A server that refused, or timed out and does not answer its root page (no token
    needed), is set aside: the next turns go to the others until the root page answers.
    A restarting Rasa accepts connections minutes before its model is loaded, so without
    this every conversation of that server would wait out the read timeout into an apology
    until it is ready.
    """

    def __init__(
        self,
        base_urls: str | Sequence[str],
        connect_timeout_s: float,
        read_timeout_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
        probe_interval_s: float = PROBE_INTERVAL_S,
    ) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._bases = [url.rstrip("/") for url in urls]
        self._urls = [base + PATH for base in self._bases]
        self._probe_interval_s = probe_interval_s
        self._probes: dict[str, asyncio.Task[None]] = {}  # set-aside URL -> its probe
        self._checks: dict[str, asyncio.Task[None]] = {}  # timed-out URL -> one root check
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=50)
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport)

    async def aclose(self) -> None:
        tasks = [*self._probes.values(), *self._checks.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._http.aclose()

    @property
    def set_aside(self) -> list[str]:
        return [url for url in self._urls if url in self._probes]

    def _order(self, sender: str) -> list[str]:
        """The conversation's own server first; servers set aside last (still tried when
        every server is set aside: better a slow answer than none)."""
        first = zlib.crc32(sender.encode()) % len(self._urls)
        order = self._urls[first:] + self._urls[:first]
        return [u for u in order if u not in self._probes] + [u for u in order if u in self._probes]

    def _set_aside(self, url: str, reason: str) -> None:
        if len(self._urls) > 1 and url not in self._probes:
            log.warning("Rasa server %s set aside (%s) until it answers", url, reason)
            self._probes[url] = asyncio.create_task(self._probe(url))

    def _check_later(self, url: str) -> None:
        """After a timeout: set the server aside only if its root page does not answer
        either. An overloaded Rasa still answers it at once and keeps its conversations
        (moving them all to the other server would overload that one in turn); a Rasa
        loading its model answers nothing."""
        if len(self._urls) > 1 and url not in self._probes and url not in self._checks:
            self._checks[url] = asyncio.create_task(self._check(url))

    async def _check(self, url: str) -> None:
        try:
            if not await self._answers(url):
                self._set_aside(url, "timed out and its root page does not answer")
        finally:
            del self._checks[url]

    async def _answers(self, url: str) -> bool:
        try:
            response = await self._http.get(url[: -len(PATH)] + "/", timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    async def _probe(self, url: str) -> None:
        while True:
            await asyncio.sleep(self._probe_interval_s)
            if await self._answers(url):
                log.info("Rasa server %s answers again", url)
                del self._probes[url]
                return

    async def _post(self, sender: str, body: dict[str, Any]) -> httpx.Response:
        urls = self._order(sender)
        for index, url in enumerate(urls):
            try:
                return await self._http.post(url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                self._set_aside(url, type(err).__name__)
                if index == len(urls) - 1:
                    raise RasaUnavailable(type(err).__name__) from err
            except httpx.TimeoutException as err:
                self._check_later(url)
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
