"""Fixtures of the voice tests: espeak-ng audio made per run, the model, a fake Google."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fake_google_tts, in any import mode

from fake_google_tts import FakeGoogle, refusing_proxy_url
from voice_testkit import ffmpeg, require

from voice.config import SttSettings
from voice.corpus import Clip, speak_to_wav, synthesize_corpus
from voice.stt import SpeechToText

PROXY_VARS = (
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
)


@pytest.fixture(autouse=True)
def no_real_google(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with the outbound proxy pointing at a port that refuses: an
    accidental gTTS call fails fast instead of reaching the Internet."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    url, sock = refusing_proxy_url()
    monkeypatch.setenv("HTTPS_PROXY", url)
    yield
    sock.close()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Clip]:
    require("espeak-ng")
    return synthesize_corpus(tmp_path_factory.mktemp("voice-corpus"))


@pytest.fixture(scope="session")
def telegram_ogg(corpus: list[Clip], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A voice note the way Telegram sends one: OGG container, Opus, 48 kHz mono."""
    out = tmp_path_factory.mktemp("formats") / "voice.ogg"
    return ffmpeg(corpus[0].path, out, "-c:a", "libopus", "-b:a", "24k", "-ar", "48000", "-ac", "1")


@pytest.fixture(scope="session")
def mp3_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Real MP3 speech, what the fake Google answers with."""
    require("espeak-ng")
    workdir = tmp_path_factory.mktemp("mp3")
    wav = speak_to_wav("Xin chào bác", workdir / "hello.wav")
    return ffmpeg(wav, workdir / "hello.mp3", "-c:a", "libmp3lame", "-b:a", "32k").read_bytes()


@pytest.fixture(scope="session")
def stt() -> SpeechToText:
    """The real model, loaded once for the whole run (assembled on first use)."""
    return SpeechToText.load(SttSettings(cpu_threads=2), normalizer=lambda text: text.lower())


@pytest.fixture
def fake_google(mp3_clip: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle(mp3_clip).start()
    monkeypatch.setenv("HTTPS_PROXY", fake.proxy_url)
    yield fake
    fake.stop()
