"""One visitor at the kiosk: a fresh random conversation per visitor, forgotten when idle."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

CHANNEL = "kiosk"


@dataclass
class Recording:
    """An utterance being uploaded in chunks, bounded in bytes and in seconds."""

    mime: str
    started: float
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0


@dataclass
class KioskSession:
    """State of the visitor in front of the kiosk, lost with the WebSocket or on idle reset."""

    clock: Callable[[], float] = time.monotonic
    # uuid4: 122 random bits, so one visitor cannot guess another's conversation.
    user_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    last_activity: float = 0.0
    # Payloads of the buttons on screen: only these may reach Rasa as intents.
    offered: set[str] = field(default_factory=set)
    # The transcript waiting for "Đúng rồi" / "Không phải".
    pending_confirm: str | None = None
    recording: Recording | None = None
    # Entries of inbox:<conversation_id> already shown.
    inbox_seen: int = 0

    def __post_init__(self) -> None:
        self.touch()

    @property
    def conversation_id(self) -> str:
        return f"{CHANNEL}:{self.user_id}"

    def touch(self) -> None:
        self.last_activity = self.clock()

    def idle_for(self) -> float:
        return self.clock() - self.last_activity
