"""A citizen's message as the gateway hands it to the assistant, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

AttachmentKind = Literal["image", "document", "voice", "audio"]


@dataclass(frozen=True)
class Attachment:
    """A file the citizen sent: downloaded to `path`, or left on the platform at `url`."""

    kind: AttachmentKind
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    url: str | None = None
    path: str | None = None

    def as_metadata(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": self.kind,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "size": self.size,
        }
        if self.path:
            item["path"] = self.path
        if self.url:
            item["url"] = self.url
        return item


@dataclass(frozen=True)
class Inbound:
    channel: str
    user_id: str
    text: str
    attachments: tuple[Attachment, ...] = field(default=())
    # The text is a payload the gateway itself produced (button, command), not typed input.
    trusted_payload: bool = False
    # The platform's id of this message (Telegram message_id, Zalo msg_id): passed to Rasa in
    # the metadata, so a tracker event can be traced back to the delivery that caused it.
    message_id: str | None = None

    @property
    def conversation_id(self) -> str:
        return f"{self.channel}:{self.user_id}"
