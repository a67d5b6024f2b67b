"""The kiosk against the real stack: the voice service (Whisper base, espeak-ng offline
voice; the channel tests' fixture) and a gateway process pointed at it, plus headless Debian
Chromium whose microphone plays a WAV made by espeak-ng at setup."""

from __future__ import annotations

import shutil
import subprocess
import sys
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stack.processes import ManagedProcess, free_port
from stack.services import ROOT, Stack
from tests.fakes.gateway import IN_HOURS
from voice.corpus import speak_to_wav

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "kiosk"
IDLE_S = 6.0  # KIOSK_IDLE_TIMEOUT of the test gateway (90 s in production)
# Spoken into the fake microphone (Whisper base often mishears espeak-ng: the test accepts
# an ask-back and confirms it).
QUESTION = "Lệ phí đăng ký mã số mã vạch là bao nhiêu tiền"
LEAD_S, TAIL_S = 0.4, 1.0  # silence around the question in the WAV


@dataclass(frozen=True)
class Utterance:
    path: Path
    seconds: float  # of the whole file, silences included


@dataclass(frozen=True)
class KioskSite:
    url: str
    gateway: ManagedProcess


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is required by the kiosk tests (Debian package {tool})")


@pytest.fixture(scope="session")
def utterance(tmp_path_factory: pytest.TempPathFactory) -> Utterance:
    """QUESTION as 16 kHz mono WAV with silence around it (Chromium loops the file)."""
    _require("espeak-ng")
    _require("ffmpeg")
    work = tmp_path_factory.mktemp("kiosk-audio")
    raw = speak_to_wav(QUESTION, work / "raw.wav")
    out = work / "question.wav"
    pad = f"adelay={int(LEAD_S * 1000)},apad=pad_dur={TAIL_S}"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(raw), "-af", pad,
         "-ar", "16000", "-ac", "1", "-sample_fmt", "s16", str(out)],
        check=True, timeout=60,
    )  # fmt: skip
    with wave.open(str(out)) as clip:
        seconds = clip.getnframes() / clip.getframerate()
    return Utterance(out, seconds)


@pytest.fixture(scope="session")
def kiosk_site(
    stack: Stack, voice_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KioskSite]:
    """A gateway process with the kiosk's idle timeout shortened, voice on."""
    assert stack.redis_url
    work = tmp_path_factory.mktemp("kiosk-site")
    port = free_port()
    gateway = ManagedProcess(
        "kiosk-gateway",
        [sys.executable, "-m", "connectors.gateway", "--port", str(port)],
        work / "gateway.log",
        env={
            "PYTHONPATH": str(ROOT),
            "RASA_URL": stack.rasa_url,
            "REDIS_URL": stack.redis_url,
            "RASA_AUTH_TOKEN": stack.config.auth_token,
            "CASE_API_URL": stack.case_api_url,
            "CONSOLE_DB": str(work / "console.sqlite3"),
            "GATEWAY_MEDIA_DIR": str(work / "media"),
            "VOICE_URL": voice_url,
            "KIOSK_IDLE_TIMEOUT": str(IDLE_S),
            # In working hours whenever the suite runs: the handover test expects the queue.
            "CONSOLE_NOW": IN_HOURS,
        },
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        gateway.start()
        gateway.wait_http(f"{url}/health", 60)
        yield KioskSite(url, gateway)
    finally:
        gateway.stop()


@pytest.fixture(scope="session")
def kiosk_browser(utterance: Utterance, playwright_driver: Any) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required by the kiosk tests")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run",
        # The fake microphone plays the WAV; permission prompts are accepted.
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={utterance.path}",
        # A kiosk plays answers without a tap per answer (set the same on the real kiosk).
        "--autoplay-policy=no-user-gesture-required",
    ]  # fmt: skip
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=args)
    yield chromium
    chromium.close()
