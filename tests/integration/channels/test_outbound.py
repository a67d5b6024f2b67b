"""A message that starts outside the citizen's turn (the outbox worker's notification that a
queued submission went in) reaches a Telegram citizen through the gateway."""

from __future__ import annotations

import json

import pytest
import redis

from connectors.notifier import outbound_key
from stack.services import Stack
from tests.fakes.gateway import Gateway
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.integration


def test_a_notification_on_the_outbound_list_reaches_telegram(
    stack: Stack, gateway: Gateway, fake_telegram: FakeTelegram
) -> None:
    chat_id = 777_000_123
    record = {
        "conversation_id": f"telegram:{chat_id}",
        "messages": [
            {"text": "✅ Hồ sơ đã được nộp thành công.\n• Mã hồ sơ: 000.00.01.G06-261204-0001"}
        ],
    }
    client = redis.Redis.from_url(stack.redis_url or "")
    try:
        client.rpush(outbound_key("telegram"), json.dumps(record, ensure_ascii=False))
        [sent] = fake_telegram.wait_sent(chat_id, count=1, timeout_s=20)
        assert "000.00.01.G06-261204-0001" in sent.params["text"]
        assert client.llen(outbound_key("telegram")) == 0
    finally:
        client.close()
