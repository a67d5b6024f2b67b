"""Token refresh (httpx.MockTransport): one refresh for many concurrent -216s, the new pair
persisted before use, and a refused refresh turned into a send error."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

import httpx
import pytest

from connectors.gateway.state import MemoryStore
from connectors.settings import ZaloSettings
from connectors.zalo.client import ZaloApiError, ZaloClient
from connectors.zalo.tokens import PAIR_KEY, TokenManager

SETTINGS = ZaloSettings(
    app_id="app",
    oa_secret_key="oa",
    app_secret="app-secret",
    access_token="old-access",
    refresh_token="refresh-1",
    api_base_url="http://zalo.test",
    oauth_url="http://oauth.test/v4/oa/access_token",
)


class FakeZaloApi:
    def __init__(self) -> None:
        self.valid_access = "new-access-0"  # the seeded "old-access" is already expired
        self.valid_refresh = "refresh-1"
        self.refreshes = 0
        self.sent: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "oauth.test":
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            assert request.headers["secret_key"] == "app-secret"
            assert form["app_id"] == "app" and form["grant_type"] == "refresh_token"
            await asyncio.sleep(0.02)
            if form["refresh_token"] != self.valid_refresh:
                return httpx.Response(
                    200, json={"error": -14014, "error_name": "Invalid refresh token"}
                )
            self.refreshes += 1
            self.valid_access = f"new-access-{self.refreshes}"
            self.valid_refresh = f"refresh-{self.refreshes + 1}"
            return httpx.Response(
                200,
                json={
                    "access_token": self.valid_access,
                    "refresh_token": self.valid_refresh,
                    "expires_in": "90000",
                },
            )
        body = json.loads(request.content)
        if request.headers.get("access_token") != self.valid_access:
            return httpx.Response(200, json={"error": -216, "message": "Access token is invalid"})
        self.sent.append(body["message"]["text"])
        return httpx.Response(
            200, json={"error": 0, "message": "Success", "data": {"message_id": "m"}}
        )


def client_for(api: FakeZaloApi, store: MemoryStore) -> ZaloClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    return ZaloClient(SETTINGS.api_base_url, TokenManager(SETTINGS, store, http), http)


async def test_twenty_concurrent_sends_with_an_expired_token_refresh_once() -> None:
    api, store = FakeZaloApi(), MemoryStore()
    client = client_for(api, store)
    await asyncio.gather(*(client.send(f"user-{i}", {"text": f"tin {i}"}) for i in range(20)))
    assert api.refreshes == 1
    assert sorted(api.sent) == sorted(f"tin {i}" for i in range(20))
    stored = json.loads(await store.get(PAIR_KEY) or "{}")
    assert stored["access_token"] == "new-access-1" and stored["refresh_token"] == "refresh-2"


async def test_two_processes_sharing_the_store_refresh_once() -> None:
    api, store = FakeZaloApi(), MemoryStore()
    first, second = client_for(api, store), client_for(api, store)
    await asyncio.gather(first.send("a", {"text": "1"}), second.send("b", {"text": "2"}))
    assert api.refreshes == 1


async def test_the_persisted_pair_wins_over_the_environment_seed() -> None:
    api, store = FakeZaloApi(), MemoryStore()
    await client_for(api, store).send("a", {"text": "1"})
    # A restarted process still has the spent refresh token in its environment.
    await client_for(api, store).send("a", {"text": "2"})
    assert api.refreshes == 1 and api.sent == ["1", "2"]


async def test_a_refused_refresh_is_a_send_error() -> None:
    api, store = FakeZaloApi(), MemoryStore()
    api.valid_refresh = "someone-else-used-it"
    with pytest.raises(ZaloApiError) as caught:
        await client_for(api, store).send("a", {"text": "1"})
    assert caught.value.code == -216 and api.sent == []


async def test_a_token_cached_before_another_process_refreshed_costs_no_second_refresh() -> None:
    api, store = FakeZaloApi(), MemoryStore()
    first, second = client_for(api, store), client_for(api, store)
    await first.send("a", {"text": "1"})  # refreshes: new-access-1, cached by `first`
    api.valid_access = "rotated"  # as if expired again…
    await second.send("b", {"text": "2"})  # …`second` refreshes: new-access-2
    await first.send("a", {"text": "3"})  # stale cache: -216, re-read, no OAuth call
    assert api.refreshes == 2 and api.sent == ["1", "2", "3"]
