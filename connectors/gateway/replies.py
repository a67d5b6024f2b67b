"""What the assistant says, independent of the channel that shows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str | None = None


def _buttons(raw: Any) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    found = []
    for item in raw:
        if isinstance(item, dict) and item.get("title") and item.get("payload"):
            found.append(Button(title=str(item["title"]), payload=str(item["payload"])))
    return tuple(found)


def from_rasa(messages: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST output as replies, consecutive texts merged into one.

    Rasa splits an answer on blank lines into several messages; sending each one separately
    would spend Zalo's 8-reply window and Telegram's flood budget on a single answer, so the
    parts are joined back and split again only where the channel's length limit requires.
    Buttons end a group: they belong under the text that introduced them.
    """
    replies: list[Reply] = []
    pending: list[str] = []

    def flush(buttons: tuple[Button, ...] = ()) -> None:
        if pending or buttons:
            replies.append(Reply(text="\n\n".join(pending), buttons=buttons))
            pending.clear()

    for message in messages:
        if not isinstance(message, dict):
            continue
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            pending.append(text.strip())
        buttons = _buttons(message.get("buttons"))
        if buttons:
            flush(buttons)
        image = message.get("image")
        if isinstance(image, str) and image:
            flush()
            replies.append(Reply(image=image))
    flush()
    return replies
