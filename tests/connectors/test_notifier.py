"""The notifier against httpx.MockTransport (Rasa) and a real redis-server."""

from __future__ import annotations

import json

import httpx
from redis.asyncio import Redis

from connectors.notifier import Notifier, outbound_key


async def test_the_intent_is_triggered_with_the_token_and_the_messages_delivered(
    redis_url: str,
) -> None:
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"messages": [{"recipient_id": "zalo:1", "text": "Mã hồ sơ: X"}]}
        )

    redis = Redis.from_url(redis_url)
    await redis.delete(outbound_key("zalo"), "inbox:zalo:1")
    async with httpx.AsyncClient(
        base_url="http://rasa.test", transport=httpx.MockTransport(rasa)
    ) as http:
        await Notifier(http, redis, "secret").notify(
            "zalo:1", "EXTERNAL_submission_accepted", {"tracking_code": "X"}
        )
    [request] = seen
    assert request.url.raw_path.decode().startswith("/conversations/zalo:1/trigger_intent?")
    assert request.url.params["token"] == "secret"
    assert json.loads(request.content) == {
        "name": "EXTERNAL_submission_accepted",
        "entities": {"tracking_code": "X"},
    }
    [outbound] = await redis.lrange(outbound_key("zalo"), 0, -1)
    assert json.loads(outbound)["conversation_id"] == "zalo:1"
    assert [json.loads(m)["text"] for m in await redis.lrange("inbox:zalo:1", 0, -1)] == [
        "Mã hồ sơ: X"
    ]
    await redis.close()


async def test_a_kiosk_conversation_is_told_through_its_inbox_only(redis_url: str) -> None:
    """No push list for channels the gateway cannot push to: nothing there for a gateway to
    take and drop."""
    redis = Redis.from_url(redis_url)
    await redis.delete(outbound_key("kiosk"), "inbox:kiosk:abc")
    lists = {key: await redis.llen(key) for key in await redis.keys("outbound:*")}
    await Notifier(httpx.AsyncClient(), redis, None).deliver("kiosk:abc", [{"text": "Đã nộp"}])
    assert await redis.llen("inbox:kiosk:abc") == 1
    assert {key: await redis.llen(key) for key in await redis.keys("outbound:*")} == lists
    await redis.close()
