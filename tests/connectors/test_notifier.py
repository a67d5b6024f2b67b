"""The notifier against httpx.MockTransport (Rasa) and a real redis-server."""

from __future__ import annotations

import json

import httpx
from redis.asyncio import Redis

from connectors.notifier import OUTBOUND_KEY, Notifier


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
    await redis.delete(OUTBOUND_KEY, "inbox:zalo:1")
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
    [outbound] = await redis.lrange(OUTBOUND_KEY, 0, -1)
    assert json.loads(outbound)["conversation_id"] == "zalo:1"
    assert [json.loads(m)["text"] for m in await redis.lrange("inbox:zalo:1", 0, -1)] == [
        "Mã hồ sơ: X"
    ]
    await redis.close()
