"""The assistant's replies as blocks the kiosk page shows in large type: paragraphs and
ticked or numbered lists. Pure data: the page puts every string in as text, never markup."""

from __future__ import annotations

import re
from typing import Any

from connectors.gateway.replies import Reply

_BULLET = re.compile(r"^\s*[•\-*+]\s+(.+)$")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+(.+)$")

Block = dict[str, Any]


def blocks(text: str) -> list[Block]:
    """Lines of `text` grouped: runs of "• x" become a ticked list, runs of "1. x" a numbered
    one, everything else paragraphs (a heading such as "✅ Đã có:" stays a paragraph)."""
    out: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        found = bullet or numbered
        kind = "ticks" if bullet else "steps" if numbered else "p"
        item = found.group(1).strip() if found else line
        if kind != "p" and out and out[-1]["kind"] == kind:
            out[-1]["items"].append(item)
        elif kind == "p":
            out.append({"kind": "p", "text": item})
        else:
            out.append({"kind": kind, "items": [item]})
    return out


def answer(replies: list[Reply]) -> list[dict[str, Any]]:
    """Replies as JSON for the page: blocks plus the buttons to touch (payloads stay opaque)."""
    shown = []
    for reply in replies:
        if not reply.text and not reply.buttons:
            continue  # images are not shown on the kiosk: the text carries the answer
        shown.append(
            {
                "blocks": blocks(reply.text),
                "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
            }
        )
    return shown


def speech(replies: list[Reply]) -> str:
    """What is read aloud: every reply's text; the voice service prepares it for the ear."""
    return "\n\n".join(reply.text for reply in replies if reply.text.strip())
