"""Speech to text: audio bytes from a kiosk or a voice note → a Vietnamese transcript.

One ``WhisperModel`` per process (``load_model`` caches it), one inference at a time per
model (a lock: two CTranslate2 jobs on two cores only slow each other down), and a
bounded number of requests admitted behind it: the next one gets ``SttBusyError`` at once
instead of queueing without limit. Decoding and inference run in a worker thread.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voice.audio import SAMPLE_RATE, decode
from voice.config import ModelSettings, SttSettings
from voice.decoding import DecodingOptions
from voice.errors import AudioTooLargeError, InvalidAudioError, SttBusyError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = logging.getLogger(__name__)

LANGUAGE = "vi"
_model_cache: dict[tuple[str, int], WhisperModel] = {}
_model_cache_lock = threading.Lock()


class SegmentLike(Protocol):
    text: str
    avg_logprob: float
    no_speech_prob: float
    tokens: list[int]


@dataclass(frozen=True)
class Transcript:
    """What the caller gets. Below the confidence threshold, confirm back before acting:
    "Có phải bác muốn hỏi … không?"."""

    text: str
    normalized_text: str
    confidence: float
    duration_s: float
    language: str
    needs_confirmation: bool

    @property
    def is_empty(self) -> bool:
        return not self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_model(path: Path, *, cpu_threads: int) -> WhisperModel:
    """Load (once per process and path) a CTranslate2 Whisper model from a local folder."""
    key = (str(path.resolve()), cpu_threads)
    with _model_cache_lock:
        if key not in _model_cache:
            from faster_whisper import WhisperModel  # heavy: only when a model is wanted

            _model_cache[key] = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        return _model_cache[key]


def segment_confidence(segments: Iterable[SegmentLike]) -> float:
    """Token-weighted mean of each segment's probability, exp(avg_logprob) × speech share.

    ``no_speech_prob`` is only trusted when it is large (> 0.5): on clean speech
    Whisper base still reports 0.2–0.9 for some utterances (see the report), so it scales
    the score down gently rather than vetoing it.
    """
    total = weight = 0.0
    for seg in segments:
        tokens = max(len(seg.tokens), 1)
        speech = 1.0 - max(seg.no_speech_prob - 0.5, 0.0)
        total += tokens * math.exp(min(seg.avg_logprob, 0.0)) * speech
        weight += tokens
    return round(total / weight, 3) if weight else 0.0


def _basic_normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def project_normalizer() -> Callable[[str], str]:
    """``nlu.normalize.normalize`` when the NLU package has it, else NFC and tidy spaces."""
    try:
        module = importlib.import_module("nlu.normalize")
        func: Callable[[str], str] = module.normalize
        return func
    except Exception as err:  # missing module, or one that fails to import
        log.warning("nlu.normalize unavailable (%s); using the basic normaliser", err)
        return _basic_normalize


class SpeechToText:
    """Transcribe Vietnamese speech with a loaded Whisper model."""

    def __init__(
        self,
        model: WhisperModel,
        settings: SttSettings | None = None,
        *,
        decoding: DecodingOptions | None = None,
        normalizer: Callable[[str], str] | None = None,
    ) -> None:
        self.model = model
        self.settings = settings or SttSettings()
        self.decoding = decoding or DecodingOptions(beam_size=self.settings.beam_size)
        self._normalizer = normalizer
        self._model_lock = threading.Lock()
        self._admit_lock = threading.Lock()
        self._admitted = 0
        self.capacity = 1 + max(self.settings.max_pending, 0)

    @classmethod
    def load(
        cls,
        settings: SttSettings | None = None,
        model_settings: ModelSettings | None = None,
        **kwargs: Any,
    ) -> SpeechToText:
        """Resolve (assembling if needed) and load the configured model."""
        from voice.model_setup import resolve_model_dir

        settings = settings or SttSettings.from_env()
        path = resolve_model_dir(model_settings)
        return cls(load_model(path, cpu_threads=settings.cpu_threads), settings, **kwargs)

    @property
    def in_flight(self) -> int:
        """Requests admitted and not finished (running or waiting for the model)."""
        return self._admitted

    def normalize(self, text: str) -> str:
        if self._normalizer is None:
            self._normalizer = project_normalizer()
        return self._normalizer(text)

    async def transcribe(self, audio: bytes, *, hotwords: str | None = None) -> Transcript:
        """Transcribe one utterance; raises ``InvalidAudioError``, ``AudioTooLargeError``
        or ``SttBusyError`` (all ``VoiceError``) for input it will not process."""
        if not audio:
            raise InvalidAudioError("empty upload")
        if len(audio) > self.settings.max_bytes:
            raise AudioTooLargeError(f"upload is over {self.settings.max_bytes} bytes")
        with self._admit_lock:
            if self._admitted >= self.capacity:
                raise SttBusyError("speech recognition is busy, please retry shortly")
            self._admitted += 1
        # The thread releases the place itself, so a cancelled caller cannot free a slot
        # while its audio is still being decoded.
        return await asyncio.to_thread(self._admitted_run, audio, hotwords)

    def _admitted_run(self, audio: bytes, hotwords: str | None) -> Transcript:
        try:
            with self._model_lock:
                return self.transcribe_sync(audio, hotwords=hotwords)
        finally:
            with self._admit_lock:
                self._admitted -= 1

    def transcribe_sync(self, audio: bytes, *, hotwords: str | None = None) -> Transcript:
        """The blocking path (bytes → samples → segments → Transcript), no admission control."""
        samples = decode(audio, max_seconds=self.settings.max_seconds)
        options = self.decoding.with_hotwords(hotwords)
        segments, _info = self.model.transcribe(
            samples, language=LANGUAGE, vad_filter=True, **options.kwargs()
        )
        segments = list(segments)
        text = " ".join(seg.text.strip() for seg in segments).strip()
        confidence = segment_confidence(segments)
        return Transcript(
            text=text,
            normalized_text=self.normalize(text) if text else "",
            confidence=confidence,
            duration_s=round(samples.shape[0] / SAMPLE_RATE, 3),
            language=LANGUAGE,
            needs_confirmation=confidence < self.settings.confirm_below,
        )
