"""Zalo webhook events, parsed from the shapes in shared/reference/payloads/zalo_*.json.

Ids and timestamps are strings; a file's size may be a number or a string and its `type` an
extension ("docx") or a MIME type.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from connectors.gateway.inbound import Attachment

MESSAGE_EVENTS = {"user_send_text", "user_send_image", "user_send_file", "user_send_audio"}
# Messages a citizen sends that the assistant cannot read: answered with a polite word.
UNREADABLE_EVENTS = {
    "user_send_sticker",
    "user_send_location",
    "user_send_video",
    "user_send_gif",
    "user_send_link",
    "user_send_business_card",
}
FOLLOW_EVENTS = {"follow", "unfollow"}


@dataclass(frozen=True)
class ZaloEvent:
    name: str
    user_id: str
    timestamp: str
    msg_id: str | None = None
    text: str = ""
    attachments: tuple[Attachment, ...] = ()

    @property
    def delivery_id(self) -> str:
        """What identifies a redelivery: the message id, else the event itself."""
        return self.msg_id or f"{self.name}:{self.user_id}:{self.timestamp}"


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def _size(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _mime(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    if "/" in value:
        return value
    return mimetypes.guess_type(f"file.{value}")[0]


def _attachment(raw: Any) -> Attachment | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("payload"), dict):
        return None
    kind, payload = raw.get("type"), raw["payload"]
    url = _str(payload.get("url"))
    if kind in ("image", "gif"):
        return Attachment(kind="image", url=url)
    if kind == "file":
        return Attachment(
            kind="document",
            file_name=_str(payload.get("name")),
            mime_type=_mime(payload.get("type")),
            size=_size(payload.get("size")),
            url=url,
        )
    if kind in ("audio", "voice"):
        return Attachment(kind="voice", url=url)
    return None


def parse_event(data: dict[str, Any]) -> ZaloEvent | None:
    """The event if the gateway acts on it, else None (acknowledged and ignored)."""
    name = data.get("event_name")
    if not isinstance(name, str):  # a list or dict is unhashable: `in` a set raised (fuzz run)
        return None
    timestamp = _str(data.get("timestamp")) or ""
    if name in FOLLOW_EVENTS:
        follower = data.get("follower")
        user_id = _str(follower.get("id")) if isinstance(follower, dict) else None
        return ZaloEvent(name, user_id, timestamp) if user_id else None
    if name not in MESSAGE_EVENTS and name not in UNREADABLE_EVENTS:
        return None
    sender = data.get("sender")
    message = data.get("message")
    user_id = _str(sender.get("id")) if isinstance(sender, dict) else None
    if not user_id or not isinstance(message, dict):
        return None
    attachments = message.get("attachments")
    parsed = [_attachment(a) for a in attachments] if isinstance(attachments, list) else []
    text = message.get("text")
    return ZaloEvent(
        name=str(name),
        user_id=user_id,
        timestamp=timestamp,
        msg_id=_str(message.get("msg_id")),
        text=text if isinstance(text, str) else "",
        attachments=tuple(a for a in parsed if a is not None),
    )
