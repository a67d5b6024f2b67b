"""Sending replies to a chat: delayed by flood limits, never dropped for them."""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from connectors.gateway.replies import Reply
from connectors.telegram.callbacks import CallbackPayloads
from connectors.telegram.render import OutgoingMessage, render

log = logging.getLogger(__name__)

# PTB's AIORateLimiter already retries a 429 several times; past that this loop keeps waiting
# as Telegram asks, up to this many extra rounds (about 10 minutes at Telegram's usual waits).
MAX_EXTRA_ROUNDS = 20
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def retry_after_seconds(err: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form will become a timedelta
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    def __init__(self, payloads: CallbackPayloads) -> None:
        self._payloads = payloads

    async def send_replies(self, bot: Bot, chat_id: int, replies: list[Reply]) -> None:
        for reply in replies:
            for message in await render(reply, self._payloads):
                await self._send(bot, chat_id, message)

    async def send_text(self, bot: Bot, chat_id: int, text: str) -> None:
        await self.send_replies(bot, chat_id, [Reply(text=text)])

    async def _send(self, bot: Bot, chat_id: int, message: OutgoingMessage) -> None:
        for _ in range(MAX_EXTRA_ROUNDS + 1):
            try:
                await bot.send_message(
                    chat_id,
                    message.html_text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=message.keyboard,
                    link_preview_options=_NO_PREVIEW,
                )
                return
            except RetryAfter as err:
                seconds = retry_after_seconds(err)
                log.info("Telegram flood limit for chat %s: waiting %.1f s", chat_id, seconds)
                await asyncio.sleep(seconds + 0.1)
            except TelegramError as err:
                # Not retried: after a timeout the message may already have been delivered.
                log.warning("sending to Telegram chat %s failed: %s", chat_id, err)
                return
        log.error("gave up sending to Telegram chat %s after repeated flood limits", chat_id)
