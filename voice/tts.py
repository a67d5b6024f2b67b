"""Text to speech: Google's voice when it answers in time, espeak-ng's when it does not.

The text is first prepared for the ear (``voice.speech_text``) and split into sentences
of at most ~100 characters, gTTS's own request size. Each sentence is looked up in the
phrase cache; the missing ones are fetched from Google concurrently within
``google_budget_s``. If any of them fails (unreachable, 429/5xx, slow), the whole text
is spoken by espeak-ng instead, so one answer never mixes two voices, and Google is left
alone for ``google_cooldown_s``. Either way the call returns within ``total_budget_s``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass

from voice.config import TtsSettings
from voice.engines import EngineError, EspeakVoice, GoogleVoice
from voice.errors import TextTooLongError, TtsError
from voice.speech_text import to_speech_text
from voice.tts_cache import PhraseCache

log = logging.getLogger(__name__)

CHUNK_CHARS = 100
ESPEAK_MIN_TIMEOUT_S = 0.5


@dataclass(frozen=True)
class Audio:
    """Synthesized speech: ``engine`` is "gtts" or "espeak-ng"; ``cached`` if no engine ran."""

    data: bytes
    mime: str
    engine: str
    cached: bool = False


def split_sentences(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Sentences (then comma clauses, then words) packed into chunks of ≤ ``limit`` chars."""
    pieces: list[str] = []
    for sentence in re.split(r"(?<=[.!?;:])\s+", text):
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        for clause in re.split(r"(?<=,)\s+", sentence):
            while len(clause) > limit:
                cut = clause.rfind(" ", 0, limit)
                cut = cut if cut > 0 else limit
                pieces.append(clause[:cut])
                clause = clause[cut:].strip()
            pieces.append(clause)
    chunks: list[str] = []
    for piece in filter(None, (p.strip() for p in pieces)):
        if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
            chunks[-1] += " " + piece
        else:
            chunks.append(piece)
    return chunks


class TextToSpeech:
    """Speak Vietnamese answers; safe to share by all requests of one process."""

    def __init__(
        self,
        settings: TtsSettings | None = None,
        *,
        google: GoogleVoice | None = None,
        espeak: EspeakVoice | None = None,
        cache: PhraseCache | None = None,
    ) -> None:
        self.settings = settings or TtsSettings.from_env()
        s = self.settings
        self.google = google or GoogleVoice(tld=s.tld)
        self.espeak = espeak or EspeakVoice(
            voice=s.espeak_voice, rate=s.espeak_rate, slow_rate=s.espeak_slow_rate
        )
        self.cache = cache or PhraseCache(s.cache_dir)
        self._google_down_until = 0.0

    @property
    def google_available(self) -> bool:
        """False while Google is resting after a failure, or when online TTS is disabled."""
        return self.settings.online and time.monotonic() >= self._google_down_until

    def _cache_key(self, chunk: str, slow: bool) -> str:
        return self.cache.key(chunk, engine="gtts", lang="vi", tld=self.settings.tld, slow=slow)

    async def synthesize(self, text: str, *, slow: bool = False) -> Audio:
        """Speech for ``text`` (screen text: markdown, codes and amounts are handled)."""
        started = time.monotonic()
        if len(text) > self.settings.max_chars:
            raise TextTooLongError(f"text is over {self.settings.max_chars} characters")
        speech = to_speech_text(text)
        if not speech:
            raise TtsError("nothing to say")
        chunks = split_sentences(speech)
        keys = [self._cache_key(chunk, slow) for chunk in chunks]
        cached = [self.cache.get(key) for key in keys]
        if all(part is not None for part in cached):
            return Audio(b"".join(p for p in cached if p), self.google.mime, "gtts", cached=True)
        if self.google_available:
            audio = await self._google(chunks, keys, cached, slow)
            if audio is not None:
                return audio
        remaining = self.settings.total_budget_s - (time.monotonic() - started)
        return await self._espeak(speech, slow, max(remaining, ESPEAK_MIN_TIMEOUT_S))

    async def _google(
        self, chunks: list[str], keys: list[str], cached: list[bytes | None], slow: bool
    ) -> Audio | None:
        budget = self.settings.google_budget_s
        missing = [i for i, part in enumerate(cached) if part is None]
        tasks = [
            asyncio.ensure_future(
                asyncio.to_thread(self.google.speak, chunks[i], slow=slow, timeout_s=budget)
            )
            for i in missing
        ]
        done, pending = await asyncio.wait(tasks, timeout=budget)
        for task in pending:
            task.cancel()  # the thread ends on its own at gTTS's timeout; we stop waiting
        failures = [t.exception() for t in done if t.exception() is not None]
        if pending or failures:
            reason = failures[0] if failures else f"no answer within {budget:.1f} s"
            log.warning("Google TTS unavailable, speaking offline: %s", reason)
            self._google_down_until = time.monotonic() + self.settings.google_cooldown_s
            return None
        parts = list(cached)
        for index, task in zip(missing, tasks, strict=True):
            parts[index] = task.result()
            self.cache.put(keys[index], task.result())
        return Audio(b"".join(p for p in parts if p), self.google.mime, "gtts")

    async def _espeak(self, speech: str, slow: bool, timeout_s: float) -> Audio:
        try:
            data = await self.espeak.speak(speech, slow=slow, timeout_s=timeout_s)
        except EngineError as err:
            raise TtsError(f"no voice available: {err}") from err
        return Audio(data, self.espeak.mime, "espeak-ng")
