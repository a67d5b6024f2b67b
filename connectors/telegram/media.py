"""Photos, documents and voice notes: fetched with getFile and kept on local disk."""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path

from telegram import Bot, Message

from connectors.gateway.inbound import Attachment, AttachmentKind


class TooLarge(Exception):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(limit_bytes)
        self.limit_bytes = limit_bytes


def _described(message: Message) -> tuple[AttachmentKind, str, str | None, str | None, int | None]:
    """(kind, file_id, file_name, mime_type, declared size) of the message's file."""
    if message.photo:
        largest = message.photo[-1]  # Telegram lists sizes from smallest to largest
        return "image", largest.file_id, None, "image/jpeg", largest.file_size
    if message.document:
        d = message.document
        return "document", d.file_id, d.file_name, d.mime_type, d.file_size
    if message.voice:
        v = message.voice
        return "voice", v.file_id, None, v.mime_type or "audio/ogg", v.file_size
    if message.audio:
        a = message.audio
        return "audio", a.file_id, a.file_name, a.mime_type, a.file_size
    raise ValueError("message has no file the gateway accepts")


def _suffix(file_name: str | None, mime_type: str | None, file_path: str | None) -> str:
    """A safe extension for the stored file; the citizen's file name never becomes a path."""
    for candidate in (file_name, file_path):
        suffix = Path(candidate or "").suffix.lower()
        if suffix and len(suffix) <= 8 and suffix[1:].isalnum():
            return suffix
    return mimetypes.guess_extension(mime_type or "") or ".bin"


class MediaFetcher:
    def __init__(self, media_dir: Path, max_bytes: int) -> None:
        self._dir = media_dir
        self._max_bytes = max_bytes

    async def fetch(self, bot: Bot, message: Message) -> Attachment:
        kind, file_id, file_name, mime_type, size = _described(message)
        if size is not None and size > self._max_bytes:
            raise TooLarge(self._max_bytes)
        remote = await bot.get_file(file_id)
        if remote.file_size is not None and remote.file_size > self._max_bytes:
            raise TooLarge(self._max_bytes)
        self._dir.mkdir(parents=True, exist_ok=True)
        target = self._dir / (
            f"telegram-{uuid.uuid4().hex}{_suffix(file_name, mime_type, remote.file_path)}"
        )
        await remote.download_to_drive(target)
        actual = target.stat().st_size
        if actual > self._max_bytes:  # declared sizes are the sender's word, not a guarantee
            target.unlink(missing_ok=True)
            raise TooLarge(self._max_bytes)
        return Attachment(
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            size=actual,
            path=str(target.resolve()),
        )
