"""Several Rasa servers: a conversation sticks to one, moves on only when refused."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from connectors.gateway.rasa_client import RasaClient, RasaUnavailable
from connectors.settings import Settings

SERVERS = ["http://rasa-1:5005", "http://rasa-2:5005/"]


async def test_a_conversation_sticks_to_one_server() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        assert request.url.path == "/webhooks/rest/webhook"
        return httpx.Response(200, json=[{"text": "ok"}])

    client = RasaClient(SERVERS, 1.0, 1.0, transport=httpx.MockTransport(handler))
    for sender in ("zalo:1", "zalo:1", "telegram:2", "telegram:2", "zalo:3"):
        await client.send(sender, "hi", {})
    assert hosts[0] == hosts[1] and hosts[2] == hosts[3]
    assert set(hosts) <= {"rasa-1", "rasa-2"}


async def test_a_refused_connection_moves_to_the_next_server_but_a_timeout_does_not() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-1":
            raise httpx.ConnectError("refused", request=request)
        if request.content and b"slow" in request.content:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json=[{"text": request.url.host}])

    client = RasaClient(SERVERS, 1.0, 1.0, transport=httpx.MockTransport(handler))
    for sender in (f"zalo:{i}" for i in range(6)):
        assert await client.send(sender, "hi", {}) == [{"text": "rasa-2"}]
    with pytest.raises(RasaUnavailable):
        await client.send("zalo:1", "slow", {})
    only_one = RasaClient(SERVERS[:1], 1.0, 1.0, transport=httpx.MockTransport(handler))
    with pytest.raises(RasaUnavailable):
        await only_one.send("zalo:1", "hi", {})
    await client.aclose()
    await only_one.aclose()


def home_of(client: RasaClient, host: str) -> str:
    """A sender whose conversation belongs to `host` while every server is up."""
    return next(s for s in (f"zalo:{i}" for i in range(100)) if host in client._order(s)[0])


async def test_a_refused_server_is_set_aside_until_its_probe_answers() -> None:
    up = {"rasa-1": False}
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host == "rasa-1" and not up[host]:
            raise httpx.ConnectError("refused", request=request)
        if request.method == "GET":
            assert request.url.path == "/"  # Rasa's root page: no token needed
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        posts.append(host)
        return httpx.Response(200, json=[{"text": host}])

    client = RasaClient(SERVERS, 1.0, 1.0, httpx.MockTransport(handler), probe_interval_s=0.01)
    sender = home_of(client, "rasa-1")
    assert await client.send(sender, "hi", {}) == [{"text": "rasa-2"}]
    assert client.set_aside == ["http://rasa-1:5005/webhooks/rest/webhook"]
    await asyncio.sleep(0.05)  # probes keep failing: still aside, turns go elsewhere
    assert await client.send(sender, "hi", {}) == [{"text": "rasa-2"}]
    up["rasa-1"] = True
    for _ in range(100):
        if not client.set_aside:
            break
        await asyncio.sleep(0.01)
    assert client.set_aside == []
    assert await client.send(sender, "hi", {}) == [{"text": "rasa-1"}]
    assert posts == ["rasa-2", "rasa-2", "rasa-1"]
    await client.aclose()


async def test_a_timeout_sets_the_server_aside_but_the_turn_is_not_sent_twice() -> None:
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            raise httpx.ReadTimeout("still loading its model", request=request)
        posts.append(request.url.host)
        if request.url.host == "rasa-1":
            raise httpx.ReadTimeout("still loading its model", request=request)
        return httpx.Response(200, json=[{"text": "ok"}])

    client = RasaClient(SERVERS, 1.0, 1.0, httpx.MockTransport(handler), probe_interval_s=0.01)
    sender = home_of(client, "rasa-1")
    with pytest.raises(RasaUnavailable):
        await client.send(sender, "first", {})
    assert posts == ["rasa-1"]  # may be under way there: not retried elsewhere
    await asyncio.sleep(0.05)  # the root-page check fails: set aside
    assert await client.send(sender, "second", {}) == [{"text": "ok"}]
    assert posts == ["rasa-1", "rasa-2"]
    await client.aclose()


async def test_a_slow_server_that_still_answers_its_root_page_keeps_its_conversations() -> None:
    """Overload, not a restart: moving every conversation away would overload the other."""
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        posts.append(request.url.host)
        if request.content and b"slow" in request.content:
            raise httpx.ReadTimeout("busy", request=request)
        return httpx.Response(200, json=[{"text": "ok"}])

    client = RasaClient(SERVERS, 1.0, 1.0, httpx.MockTransport(handler), probe_interval_s=0.01)
    sender = home_of(client, "rasa-1")
    with pytest.raises(RasaUnavailable):
        await client.send(sender, "slow", {})
    await asyncio.sleep(0.05)
    assert client.set_aside == []
    assert await client.send(sender, "next", {}) == [{"text": "ok"}]
    assert posts == ["rasa-1", "rasa-1"]
    await client.aclose()


async def test_with_every_server_set_aside_they_are_still_tried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = RasaClient(SERVERS, 1.0, 1.0, httpx.MockTransport(handler), probe_interval_s=0.01)
    for _ in range(2):
        with pytest.raises(RasaUnavailable):
            await client.send("zalo:1", "hi", {})
    assert len(client.set_aside) == 2
    await client.aclose()


def test_rasa_urls_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://one:5005/")
    monkeypatch.delenv("RASA_URLS", raising=False)
    assert Settings.from_env().gateway.rasa_servers == ("http://one:5005",)
    monkeypatch.setenv("RASA_URLS", "http://rasa-1:5005, http://rasa-2:5005/,")
    assert Settings.from_env().gateway.rasa_servers == ("http://rasa-1:5005", "http://rasa-2:5005")


def test_secrets_never_show_in_a_printed_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:secret-token-value")
    monkeypatch.setenv("ZALO_APP_SECRET", "zalo-app-secret-value")
    settings = Settings.from_env()
    assert "secret-token-value" not in repr(settings)
    assert "zalo-app-secret-value" not in repr(settings)
    assert "123456:secret-token-value" in settings.secrets()
