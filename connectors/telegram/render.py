"""Replies as Telegram messages: HTML-escaped text chunks and inline keyboards."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from connectors.gateway.replies import Reply
from connectors.gateway.splitting import split_text, utf16_len
from connectors.telegram.callbacks import CallbackPayloads

# Telegram's limit is 4096 UTF-16 units of visible text; splitting the raw text before
# escaping keeps every chunk under it (entities like &lt; count as one visible character)
# and never cuts an escape sequence in two.
MESSAGE_LIMIT = 4096
MAX_BUTTON_TITLE = 64


@dataclass(frozen=True)
class OutgoingMessage:
    html_text: str
    keyboard: InlineKeyboardMarkup | None = None


async def render(reply: Reply, payloads: CallbackPayloads) -> list[OutgoingMessage]:
    text = reply.text
    if reply.image:
        text = f"{text}\n{reply.image}".strip()
    chunks = split_text(text, MESSAGE_LIMIT, utf16_len) if text else []
    keyboard = None
    if reply.buttons:
        rows = [
            [
                InlineKeyboardButton(
                    button.title[:MAX_BUTTON_TITLE],
                    callback_data=await payloads.encode(button.payload),
                )
            ]
            for button in reply.buttons
        ]
        keyboard = InlineKeyboardMarkup(rows)
        if not chunks:  # Telegram cannot send a keyboard without text
            chunks = ["Bạn chọn một trong các mục sau:"]
    messages = [OutgoingMessage(html.escape(chunk, quote=False)) for chunk in chunks]
    if keyboard and messages:
        messages[-1] = OutgoingMessage(messages[-1].html_text, keyboard)
    return messages
