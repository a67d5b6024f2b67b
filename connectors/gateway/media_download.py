"""Bounded download of a file a platform hands over by URL (Zalo voice messages on its CDN).

The URL arrives inside a webhook, so it is treated as untrusted: only http(s), every hop's
host must resolve to public addresses (no fetching the gateway's own network on a forged
event), redirects are followed by hand so each hop is checked, and both size and total time
are bounded. Tests serve the audio from a local fake and allow private hosts explicitly.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

MAX_REDIRECTS = 3


class DownloadFailed(Exception):
    """The file could not be fetched: bad URL, refused host, error status, timeout."""


class DownloadTooLarge(DownloadFailed):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"over {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


async def _check_host(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadFailed("only http(s) URLs with a host are fetched")
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM,
        )  # fmt: skip
    except OSError as err:
        raise DownloadFailed("the host does not resolve") from err
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise DownloadFailed("the host resolves to a private address")


class MediaDownloader:
    """Fetches at most ``max_bytes`` within ``timeout_s``; returns (content, content type)."""

    def __init__(
        self,
        max_bytes: int,
        timeout_s: float,
        *,
        allow_private: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self.allow_private = allow_private
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(3.0, timeout_s)),
            follow_redirects=False,
            transport=transport,
        )

    async def fetch(self, url: str) -> tuple[bytes, str | None]:
        try:
            return await asyncio.wait_for(self._fetch(url), self.timeout_s)
        except asyncio.TimeoutError as err:
            raise DownloadFailed("the download took too long") from err
        except httpx.HTTPError as err:
            raise DownloadFailed(f"the download failed: {type(err).__name__}") from err

    async def _fetch(self, url: str) -> tuple[bytes, str | None]:
        for _ in range(MAX_REDIRECTS + 1):
            await _check_host(url, self.allow_private)
            async with self._http.stream("GET", url) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise DownloadFailed(f"the host answered {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise DownloadTooLarge(self.max_bytes)
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise DownloadTooLarge(self.max_bytes)
                    chunks.append(chunk)
                content_type = response.headers.get("content-type")
                return b"".join(chunks), content_type
        raise DownloadFailed("too many redirects")

    async def aclose(self) -> None:
        await self._http.aclose()
