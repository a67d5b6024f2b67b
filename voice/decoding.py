"""Whisper decoding settings and the short bias text built from procedure names.

Chosen by measurement on the espeak-ng set (docs/voice-report.md), not by taste:

- greedy decoding (beam 1) with temperature fallback up to 0.4: beam 5 was worse and
  slower, no fallback let the model loop ("000.000.000…"), fallback up to 1.0 let it
  hallucinate YouTube outros;
- no bias by default. A prompt or a six-term hotword list made Whisper base repeat the
  bias text (WER 0.7–1.1 against 0.66–0.69 without); even one procedure name as
  ``hotwords`` swung from 0.62 to 0.81 between runs. Caller hotwords are still accepted
  (for trials on recorded speech) but capped to one short name (≤ 5 words);
- faster-whisper's no-speech veto off: Silero VAD already removes non-speech, and the veto
  dropped whole short utterances ("Mã đơn vị là giê không sáu" → "") without lowering WER.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

MAX_BIAS_WORDS = 5


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
    no_speech_threshold: float | None = None  # VAD already gates speech: see the report

    def with_hotwords(self, hotwords: str | None) -> DecodingOptions:
        """Same settings with the caller's comma-separated bias terms, capped like
        ``bias_text`` (``None`` keeps the default, ``""`` removes it)."""
        if hotwords is None:
            return self
        return replace(self, hotwords=bias_text(hotwords.split(",")))

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

    Stops before ``max_words`` words (default: one procedure name): longer bias text is
    what made Whisper base repeat it.
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
