"""The voice service end to end: ``python -m voice`` as a subprocess, spoken to over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.voice.fake_google_tts import FakeGoogle
from tests.voice.voice_testkit import free_port
from voice.corpus import Clip

REPO = Path(__file__).resolve().parents[2]
MAX_BYTES = 2_000_000


@pytest.fixture(scope="module")
def google(mp3_clip: bytes) -> Iterator[FakeGoogle]:
    fake = FakeGoogle(mp3_clip).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def service(google: FakeGoogle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "HTTPS_PROXY": google.proxy_url,
        "VOICE_TTS_CACHE_DIR": str(tmp_path_factory.mktemp("service-tts-cache")),
        "VOICE_TTS_GOOGLE_COOLDOWN_S": "0",
        "VOICE_STT_MAX_BYTES": str(MAX_BYTES),
        "VOICE_CPU_THREADS": "2",
    }
    log = tmp_path_factory.mktemp("service-log") / "voice.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "voice", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=httpx.Timeout(60.0, connect=2.0)
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"voice service exited {proc.returncode}:\n{log.read_text()}")
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"voice service did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield client
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_health(service: httpx.Client) -> None:
    body = service.get("/health").json()
    assert body["status"] == "ok"
    assert body["stt"]["in_flight"] == 0 and body["stt"]["capacity"] >= 2
    assert body["tts"]["espeak"] is True


def test_stt_wav(service: httpx.Client, corpus: list[Clip]) -> None:
    response = service.post(
        "/stt", content=corpus[0].path.read_bytes(), headers={"Content-Type": "audio/wav"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] and body["normalized_text"] and body["language"] == "vi"
    assert set(body) >= {"confidence", "duration_s", "needs_confirmation", "confirm_question"}
    assert (body["confirm_question"] is not None) == body["needs_confirmation"]


def test_stt_telegram_voice_note(service: httpx.Client, telegram_ogg: Path) -> None:
    response = service.post(
        "/stt?hotwords=mã số mã vạch",
        content=telegram_ogg.read_bytes(),
        headers={"Content-Type": "audio/ogg"},
    )
    assert response.status_code == 200 and response.json()["text"]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "error"),
    [
        (b"not audio" * 100, "audio/wav", 400, "InvalidAudioError"),
        (b"", "audio/ogg", 400, "InvalidAudioError"),
        (b"x" * (MAX_BYTES + 1), "audio/ogg", 413, "AudioTooLargeError"),
        (b"{}", "application/json", 415, "UnsupportedMediaType"),
    ],
)
def test_stt_rejects_bad_uploads(
    service: httpx.Client, content: bytes, content_type: str, status: int, error: str
) -> None:
    response = service.post("/stt", content=content, headers={"Content-Type": content_type})
    assert (response.status_code, response.json()["error"]) == (status, error)


def test_tts_google_then_cache(service: httpx.Client, google: FakeGoogle, mp3_clip: bytes) -> None:
    google.mode = "audio"
    before = len(google.requests)
    payload = {"text": "Hồ sơ của bác đã được tiếp nhận.", "slow": True}
    first = service.post("/tts", json=payload)
    assert first.status_code == 200
    assert first.headers["content-type"] == "audio/mpeg" and first.headers["x-tts-engine"] == "gtts"
    assert first.content == mp3_clip
    second = service.post("/tts", json=payload)
    assert second.headers["x-tts-cached"] == "1" and len(google.requests) == before + 1


def test_tts_falls_back_when_google_refuses(service: httpx.Client, google: FakeGoogle) -> None:
    google.mode = "429"
    started = time.monotonic()
    response = service.post("/tts", json={"text": "Lệ phí là 150.000 đồng.", "slow": False})
    assert time.monotonic() - started < 2.0
    assert response.headers["x-tts-engine"] == "espeak-ng" and response.content[:4] == b"RIFF"
    google.mode = "audio"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"slow": true}',
        b'{"text": "", "slow": false}',
        b'{"text": "a", "slow": "yes"}',
    ],
)
def test_tts_rejects_bad_requests(service: httpx.Client, body: bytes) -> None:
    response = service.post("/tts", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
