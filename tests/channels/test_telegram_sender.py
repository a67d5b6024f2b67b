"""The sender's own RetryAfter loop (after PTB's rate limiter has given up): delayed, never
dropped; other errors are not retried (the message may have been delivered)."""

from __future__ import annotations

from typing import Any

from telegram.error import NetworkError, RetryAfter

from connectors.gateway.replies import Reply
from connectors.gateway.state import MemoryStore
from connectors.telegram.callbacks import CallbackPayloads
from connectors.telegram.sender import TelegramSender, retry_after_seconds


class StubBot:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.attempts: list[dict[str, Any]] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.attempts.append({"chat_id": chat_id, "text": text, **kwargs})
        if self.failures:
            raise self.failures.pop(0)


async def test_flood_limits_are_waited_out_and_the_message_sent() -> None:
    bot = StubBot([RetryAfter(0), RetryAfter(0), RetryAfter(0)])
    await TelegramSender(CallbackPayloads(MemoryStore())).send_replies(
        bot,  # type: ignore[arg-type]
        42,
        [Reply(text="Trạng thái: <đang xử lý>")],
    )
    assert len(bot.attempts) == 4
    assert bot.attempts[-1]["text"] == "Trạng thái: &lt;đang xử lý&gt;"
    assert bot.attempts[-1]["parse_mode"] == "HTML"


async def test_other_errors_are_not_retried() -> None:
    bot = StubBot([NetworkError("reset")])
    await TelegramSender(CallbackPayloads(MemoryStore())).send_text(bot, 42, "x")  # type: ignore[arg-type]
    assert len(bot.attempts) == 1


def test_retry_after_seconds() -> None:
    assert retry_after_seconds(RetryAfter(3)) == 3.0
