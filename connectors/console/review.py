"""The "wrong answer" review queue: user messages staff flagged with the intent they should
have had, kept in Redis for supervisors and exported as Rasa NLU training data."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from connectors.gateway.redaction import MASK, redact

REVIEW = "console:review"
REVIEW_MAX = 5000
INTENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def training_text(text: str) -> str:
    """One line, personal data masked (phone/ID again, e-mails), and no square brackets: in
    Rasa's format `[text](entity)` would be read as an entity annotation."""
    text = _EMAIL.sub(MASK, redact(text, []))
    text = text.replace("••••", MASK).replace("[", "(").replace("]", ")")
    return " ".join(text.split())


class ReviewQueue:
    def __init__(self, redis: aioredis.Redis, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock

    async def flag(self, message: dict[str, Any], cid: str, correct: str, staff: str) -> None:
        item = {
            "conversation": cid,
            "message_id": message.get("id"),
            "text": message.get("text", ""),
            "predicted": message.get("intent"),
            "confidence": message.get("confidence"),
            "correct": correct,
            "flagged_by": staff,
            "at": self._clock(),
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(REVIEW, json.dumps(item, ensure_ascii=False))
            pipe.ltrim(REVIEW, -REVIEW_MAX, -1)
            await pipe.execute()

    async def items(self) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in await self._redis.lrange(REVIEW, 0, -1)]


def export_nlu(items: list[dict[str, Any]]) -> str:
    """Rasa 3 NLU training data (`version: "3.1"`), one block per corrected intent; the same
    example flagged twice appears once."""
    examples: dict[str, list[str]] = defaultdict(list)
    for item in items:
        intent, text = str(item.get("correct", "")), training_text(str(item.get("text", "")))
        if INTENT_RE.match(intent) and text and text not in examples[intent]:
            examples[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(examples):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples[intent]]
    if not examples:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
