"""The kiosk WebSocket protocol: what the page may send, checked strictly.

Page → gateway, JSON text frames (binary frames carry audio between start and end):
  {"type": "audio_start", "mime": "audio/webm;codecs=opus"}   then binary chunks, then
  {"type": "audio_end"} or {"type": "audio_cancel"}
  {"type": "text", "text": "..."}          typed question (the fallback)
  {"type": "button", "payload": "..."}     a candidate button the gateway offered
  {"type": "confirm", "yes": true|false}   answer to "Có phải bác muốn hỏi ...?"
  {"type": "handover"}                     "Gặp cán bộ hướng dẫn"
  {"type": "activity"}                     a touch on the screen: the visitor is still here
Gateway → page, JSON text frames: state, heard, confirm, answer, notice, reset; the answer's
audio follows its "answer" frame as one binary frame.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# MediaRecorder types (Chromium: webm/opus; Safari: mp4), plus what tests and tools send.
_MIME = re.compile(
    r"^audio/(webm|ogg|mp4|wav|x-wav|wave|mpeg|aac)(;\s*codecs=\"?[a-z0-9.,\- ]{1,40}\"?)?$"
)
TYPES = frozenset(
    {"audio_start", "audio_end", "audio_cancel", "text", "button", "confirm", "handover",
     "activity"}
)  # fmt: skip


class ProtocolError(ValueError):
    """A frame the page would never send: answered with a polite notice, never processed."""


class TextTooLong(ProtocolError):
    """Typed text over the limit: the visitor is told the limit instead of a generic notice."""


@dataclass(frozen=True)
class Command:
    type: str
    text: str = ""
    mime: str = ""
    yes: bool = False


def _string(payload: dict[str, Any], key: str, limit: int) -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"{key} must be a string")
    if len(value) > limit:
        raise TextTooLong(f"{key} is too long")
    return value


def parse(frame: str, max_text_chars: int) -> Command:
    """One text frame as a Command; ProtocolError for anything malformed or unknown."""
    try:
        payload: Any = json.loads(frame)
    except ValueError as err:
        raise ProtocolError("not JSON") from err
    if not isinstance(payload, dict) or payload.get("type") not in TYPES:
        raise ProtocolError("unknown message type")
    kind = str(payload["type"])
    if kind == "text":
        return Command(kind, text=_string(payload, "text", max_text_chars))
    if kind == "button":
        return Command(kind, text=_string(payload, "payload", 1000))
    if kind == "confirm":
        if not isinstance(payload.get("yes"), bool):
            raise ProtocolError("yes must be true or false")
        return Command(kind, yes=bool(payload["yes"]))
    if kind == "audio_start":
        mime = _string(payload, "mime", 80).strip().lower()
        if not _MIME.match(mime):
            raise ProtocolError("unsupported audio type")
        return Command(kind, mime=mime)
    return Command(kind)
