"""Several Rasa servers: a conversation sticks to one, moves on only when refused."""

from __future__ import annotations

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
