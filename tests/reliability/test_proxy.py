"""The fault proxy in front of the core API: passes, delays, fails, recovers on open
connections (httpx keeps them alive)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from reliability.proxy import FaultProxy
from tests.fakes.server import ThreadedServer


async def echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.url.path)


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    with ThreadedServer(Starlette(routes=[Route("/{p:path}", echo)])) as upstream:
        running = FaultProxy(upstream.port).start()
        yield running
        running.stop()


def test_modes_switch_on_a_kept_alive_connection(proxy: FaultProxy) -> None:
    with httpx.Client(base_url=proxy.url, timeout=5.0) as http:
        assert http.get("/a").text == "/a"
        proxy.set("slow", 0.4)
        started = time.perf_counter()
        assert http.get("/b").text == "/b"
        assert time.perf_counter() - started >= 0.4
        proxy.set("fail")
        failed = http.get("/c")
        assert failed.status_code == 503 and failed.json() == {"error": "injected fault"}
        proxy.set("pass")
        assert http.get("/d").text == "/d"


def test_an_upstream_that_is_down_closes_the_connection() -> None:
    broken = FaultProxy(upstream_port=1).start()  # nothing listens on port 1
    try:
        with pytest.raises(httpx.TransportError):
            httpx.get(broken.url, timeout=5.0)
    finally:
        broken.stop()
