"""Settings of the voice layer, read from the environment in this module only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL_DIR = REPO_ROOT / "var" / "models" / "whisper-base"
DEFAULT_TTS_CACHE_DIR = REPO_ROOT / "var" / "cache" / "tts"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    return int(raw) if raw else default


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    return float(raw) if raw else default


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ModelSettings:
    """Where the Whisper model lives.

    ``model_path`` (``WHISPER_MODEL_PATH``) names a ready CTranslate2 Whisper folder that is
    used as it is; otherwise the packaged base model is assembled into ``cache_dir``
    (``WHISPER_MODEL_DIR``).
    """

    cache_dir: Path = DEFAULT_MODEL_DIR
    model_path: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ModelSettings:
        env = os.environ if env is None else env
        cache_dir = Path(env.get("WHISPER_MODEL_DIR") or DEFAULT_MODEL_DIR)
        model_path = env.get("WHISPER_MODEL_PATH")
        return cls(cache_dir=cache_dir, model_path=Path(model_path) if model_path else None)


@dataclass(frozen=True)
class SttSettings:
    """Speech-to-text limits and decoding choices (see docs/voice-report.md for the numbers)."""

    cpu_threads: int = 2
    max_bytes: int = 10 * 1024 * 1024
    max_seconds: float = 60.0
    max_pending: int = 4
    beam_size: int = 1
    confirm_below: float = 0.5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SttSettings:
        env = os.environ if env is None else env
        base = cls()
        return cls(
            cpu_threads=_int(env, "VOICE_CPU_THREADS", base.cpu_threads),
            max_bytes=_int(env, "VOICE_STT_MAX_BYTES", base.max_bytes),
            max_seconds=_float(env, "VOICE_STT_MAX_SECONDS", base.max_seconds),
            max_pending=_int(env, "VOICE_STT_MAX_PENDING", base.max_pending),
            beam_size=_int(env, "VOICE_STT_BEAM_SIZE", base.beam_size),
            confirm_below=_float(env, "VOICE_STT_CONFIRM_BELOW", base.confirm_below),
        )


@dataclass(frozen=True)
class TtsSettings:
    """Text-to-speech: Google (gTTS) first, espeak-ng offline when Google fails or is slow.

    Google is reached the way gTTS reaches it: ``https://translate.google.<tld>``, through
    the standard ``HTTPS_PROXY`` variable when one is set.
    """

    cache_dir: Path = DEFAULT_TTS_CACHE_DIR
    online: bool = True
    tld: str = "com"
    google_budget_s: float = 1.2
    google_cooldown_s: float = 30.0
    total_budget_s: float = 2.0
    max_chars: int = 2000
    espeak_voice: str = "vi"
    espeak_rate: int = 165
    espeak_slow_rate: int = 120

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TtsSettings:
        env = os.environ if env is None else env
        base = cls()
        return cls(
            cache_dir=Path(env.get("VOICE_TTS_CACHE_DIR") or base.cache_dir),
            online=_bool(env, "VOICE_TTS_ONLINE", base.online),
            tld=env.get("VOICE_TTS_TLD") or base.tld,
            google_budget_s=_float(env, "VOICE_TTS_GOOGLE_BUDGET_S", base.google_budget_s),
            google_cooldown_s=_float(env, "VOICE_TTS_GOOGLE_COOLDOWN_S", base.google_cooldown_s),
            espeak_rate=_int(env, "VOICE_TTS_ESPEAK_RATE", base.espeak_rate),
            espeak_slow_rate=_int(env, "VOICE_TTS_ESPEAK_SLOW_RATE", base.espeak_slow_rate),
        )
