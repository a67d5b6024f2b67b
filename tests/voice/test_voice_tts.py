"""TTS against a local fake Google (reached through HTTPS_PROXY, as gTTS reaches Google)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.voice.fake_google_tts import FakeGoogle
from voice.config import TtsSettings
from voice.engines import EspeakVoice
from voice.errors import TextTooLongError, TtsError
from voice.tts import Audio, TextToSpeech, split_sentences

ANSWER = "Lệ phí cấp mã số mã vạch là 1.000.000 đồng."
SPOKEN = "Lệ phí cấp mã số mã vạch là một triệu đồng."


def make_tts(tmp_path: Path, **overrides: object) -> TextToSpeech:
    settings = TtsSettings(cache_dir=tmp_path / "tts-cache", **overrides)  # type: ignore[arg-type]
    return TextToSpeech(settings)


def assert_wav(data: bytes) -> None:
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", data[:16]
    assert len(data) > 44 + 1000, "a header and almost no samples"


def speak(tts: TextToSpeech, text: str = ANSWER, *, slow: bool = False) -> tuple[Audio, float]:
    started = time.monotonic()
    audio = asyncio.run(tts.synthesize(text, slow=slow))
    return audio, time.monotonic() - started


def test_google_up_returns_its_mp3(
    tmp_path: Path, fake_google: FakeGoogle, mp3_clip: bytes
) -> None:
    audio, _ = speak(make_tts(tmp_path))
    assert (audio.engine, audio.mime, audio.cached) == ("gtts", "audio/mpeg", False)
    assert audio.data == mp3_clip
    [seen] = fake_google.requests
    assert (seen.host, seen.lang, seen.text) == ("translate.google.com", "vi", SPOKEN)
    assert seen.speed is None


def test_slow_is_sent_to_google_and_cached_apart(tmp_path: Path, fake_google: FakeGoogle) -> None:
    tts = make_tts(tmp_path)
    speak(tts)
    speak(tts, slow=True)
    assert [r.speed for r in fake_google.requests] == [None, True]


def test_cache_hit_makes_no_request(tmp_path: Path, fake_google: FakeGoogle) -> None:
    tts = make_tts(tmp_path)
    first, _ = speak(tts)
    fake_google.mode = "429"  # even with Google refusing now, the cached phrase is served
    second, elapsed = speak(tts)
    assert len(fake_google.requests) == 1 and fake_google.connects == 1
    assert second.cached and second.engine == "gtts" and second.data == first.data
    assert elapsed < 0.2


def test_long_text_is_fetched_in_chunks_and_concatenated(
    tmp_path: Path, fake_google: FakeGoogle, mp3_clip: bytes
) -> None:
    text = "Hồ sơ gồm đơn đề nghị cấp mã số mã vạch theo mẫu. " * 5
    audio, _ = speak(make_tts(tmp_path), text)
    chunks = split_sentences(text.strip())
    assert len(chunks) > 1 and all(len(c) <= 100 for c in chunks)
    assert len(fake_google.requests) == len(chunks)
    assert audio.data == mp3_clip * len(chunks)


@pytest.mark.parametrize("mode", ["429", "503", "hang"])
def test_google_failing_falls_back_to_espeak_within_2s(
    tmp_path: Path, fake_google: FakeGoogle, mode: str
) -> None:
    fake_google.mode = mode
    audio, elapsed = speak(make_tts(tmp_path))
    assert audio.engine == "espeak-ng" and audio.mime == "audio/wav"
    assert_wav(audio.data)
    assert elapsed < 2.0
    assert len(fake_google.requests) == 1  # Google was really asked


def test_google_unreachable_falls_back_within_2s(tmp_path: Path) -> None:
    # the autouse fixture points HTTPS_PROXY at a port that refuses connections
    audio, elapsed = speak(make_tts(tmp_path), slow=True)
    assert audio.engine == "espeak-ng"
    assert_wav(audio.data)
    assert elapsed < 2.0


def test_after_a_failure_google_rests(tmp_path: Path, fake_google: FakeGoogle) -> None:
    tts = make_tts(tmp_path)
    fake_google.mode = "429"
    speak(tts)
    assert not tts.google_available
    fake_google.mode = "audio"
    audio, elapsed = speak(tts, "Bác chờ một chút nhé.")
    assert audio.engine == "espeak-ng" and elapsed < 0.5
    assert len(fake_google.requests) == 1


def test_cooldown_over_google_is_tried_again(tmp_path: Path, fake_google: FakeGoogle) -> None:
    tts = make_tts(tmp_path, google_cooldown_s=0.0)
    fake_google.mode = "503"
    assert speak(tts)[0].engine == "espeak-ng"
    fake_google.mode = "audio"
    assert speak(tts)[0].engine == "gtts"


def test_offline_mode_never_calls_google(tmp_path: Path, fake_google: FakeGoogle) -> None:
    audio, _ = speak(make_tts(tmp_path, online=False))
    assert audio.engine == "espeak-ng" and not fake_google.requests


def test_slow_espeak_is_longer(tmp_path: Path) -> None:
    tts = make_tts(tmp_path, online=False)
    normal, _ = speak(tts)
    slow, _ = speak(tts, slow=True)
    assert len(slow.data) > len(normal.data) * 1.2


def test_no_engine_left_is_a_clear_error(tmp_path: Path) -> None:
    settings = TtsSettings(cache_dir=tmp_path, online=False)
    tts = TextToSpeech(settings, espeak=EspeakVoice(binary="espeak-ng-not-installed"))
    with pytest.raises(TtsError):
        speak(tts)


def test_refuses_too_long_or_empty_text(tmp_path: Path) -> None:
    tts = make_tts(tmp_path, online=False)
    with pytest.raises(TextTooLongError):
        speak(tts, "a" * 2001)
    with pytest.raises(TtsError):
        speak(tts, "🎉 👍")
