"""Whisper decoding settings and the short bias text built from procedure names.

Measured on the espeak-ng set (docs/voice-report.md): a long ``initial_prompt`` made the
base model repeat the prompt, so bias text is capped to a few words; which of
hotwords / prompt / none is the default is decided by those numbers, not by taste.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

MAX_BIAS_WORDS = 16


@dataclass(frozen=True)
class DecodingOptions:
    """The subset of ``WhisperModel.transcribe`` arguments this project tunes."""

    beam_size: int = 1
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4)
    hotwords: str | None = None
    initial_prompt: str | None = None
    condition_on_previous_text: bool = False
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    no_speech_threshold: float | None = 0.6

    def with_hotwords(self, hotwords: str | None) -> DecodingOptions:
        """Same settings with the caller's bias text (``None`` keeps the default)."""
        return self if hotwords is None else replace(self, hotwords=hotwords or None)

    def kwargs(self) -> dict[str, Any]:
        return {
            "beam_size": self.beam_size,
            "best_of": self.beam_size,
            "temperature": list(self.temperature),
            "hotwords": self.hotwords,
            "initial_prompt": self.initial_prompt,
            "condition_on_previous_text": self.condition_on_previous_text,
            "repetition_penalty": self.repetition_penalty,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "no_speech_threshold": self.no_speech_threshold,
        }


def bias_text(terms: Iterable[str], *, max_words: int = MAX_BIAS_WORDS) -> str | None:
    """Join key words and procedure names into one short phrase list, deduplicated.

    Stops before ``max_words`` words: long bias text is what made Whisper base repeat it.
    """
    picked: list[str] = []
    seen: set[str] = set()
    words = 0
    for term in terms:
        clean = re.sub(r"\s+", " ", term).strip(" ,.;")
        key = clean.lower()
        if not clean or key in seen:
            continue
        count = len(clean.split())
        if words + count > max_words:
            break
        picked.append(clean)
        seen.add(key)
        words += count
    return ", ".join(picked) or None
