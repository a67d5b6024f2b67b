"""Replies as Zalo consultation messages: plain text chunks and query buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.gateway.replies import Button, Reply
from connectors.gateway.splitting import split_text

TEXT_LIMIT = 2000
MAX_BUTTONS = 5
TITLE_LIMIT = 100


@dataclass(frozen=True)
class ZaloMessage:
    body: dict[str, Any]
    # (title as shown and sent back by Zalo, the button it stands for)
    buttons: list[tuple[str, Button]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))


def render(reply: Reply) -> list[ZaloMessage]:
    """Zalo shows text as is (no markup), so nothing needs escaping; only the length matters."""
    text = reply.text
    if reply.image:
        text = f"{text}\n{reply.image}".strip()
    chunks = split_text(text, TEXT_LIMIT) if text else []
    messages = [ZaloMessage({"text": chunk}) for chunk in chunks]
    if not reply.buttons:
        return messages
    if not messages:
        messages.append(ZaloMessage({"text": "Bạn chọn một trong các mục sau:"}))
    shown = [(" ".join(b.title.split())[:TITLE_LIMIT], b) for b in reply.buttons[:MAX_BUTTONS]]
    last = messages[-1]
    body = {
        **last.body,
        "attachment": {
            "type": "template",
            "payload": {
                "buttons": [
                    {"title": title, "type": "oa.query.show", "payload": title}
                    for title, _ in shown
                ]
            },
        },
    }
    messages[-1] = ZaloMessage(body, shown)
    return messages
