"""The voice client maps every way the voice service can fail to two errors a channel explains."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from connectors.settings import Settings, VoiceSettings
from connectors.voice_client import Heard, VoiceClient, VoiceRejected, VoiceUnavailable
from stack.services import Stack, StackConfig

SETTINGS = VoiceSettings(url="http://voice:8300")
Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, settings: VoiceSettings = SETTINGS) -> VoiceClient:
    return VoiceClient(settings, transport=httpx.MockTransport(handler))


async def test_transcribe_posts_the_audio_and_returns_what_was_heard() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {
            "text": " thủ tục đăng ký nhãn hiệu ",
            "normalized_text": "thủ tục đăng ký nhãn hiệu",
            "confidence": 0.81,
            "confirm_question": None,
        }
        return httpx.Response(200, json=body)

    heard = await client(handler).transcribe(b"OggS-audio", "audio/ogg")
    assert heard == Heard("thủ tục đăng ký nhãn hiệu", 0.81, None)
    assert not heard.is_empty
    assert seen[0].url.path == "/stt" and seen[0].method == "POST"
    assert seen[0].headers["content-type"] == "audio/ogg"
    assert seen[0].content == b"OggS-audio"


async def test_an_unsure_transcript_carries_the_confirm_question() -> None:
    question = "Có phải bác muốn hỏi: “lệ phí mã vạch” không ạ?"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"text": "lệ phí mã vạch", "confidence": 0.2, "confirm_question": question}
        )

    heard = await client(handler).transcribe(b"x", "audio/ogg")
    assert heard.confirm_question == question and heard.confidence == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "InvalidAudioError"), (413, "AudioTooLargeError"), (415, "UnsupportedMediaType")],
)
async def test_a_4xx_is_a_rejection_of_the_input(status: int, error: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": error, "detail": "secret 0912345678"})

    with pytest.raises(VoiceRejected) as caught:
        await client(handler).transcribe(b"not audio", "audio/ogg")
    assert caught.value.status == status
    assert error in str(caught.value)
    # The service's detail may echo the input; it never reaches a log through the error.
    assert "0912345678" not in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
async def test_a_busy_or_failing_service_is_unavailable(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "SttBusyError"}, headers={"Retry-After": "2"})

    with pytest.raises(VoiceUnavailable):
        await client(handler).transcribe(b"x", "audio/ogg")


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.ConnectTimeout("slow"),
        httpx.RemoteProtocolError("cut"),
    ],
)
async def test_network_failures_are_unavailable(error: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(VoiceUnavailable):
        await client(handler).transcribe(b"x", "audio/ogg")


@pytest.mark.parametrize(
    "body",
    [b"<html>proxy error</html>", b"[]", json.dumps({"text": 3, "confidence": 0.5}).encode()],
)
async def test_a_malformed_answer_is_unavailable(body: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    with pytest.raises(VoiceUnavailable):
        await client(handler).transcribe(b"x", "audio/ogg")


async def test_voice_off_is_unavailable_without_any_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may leave when voice is off")

    off = client(handler, VoiceSettings())
    assert not off.settings.enabled
    with pytest.raises(VoiceUnavailable):
        await off.transcribe(b"x", "audio/ogg")
    with pytest.raises(VoiceUnavailable):
        await off.synthesize("xin chào")


async def test_synthesize_returns_the_audio_and_its_type() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/tts"
        assert json.loads(request.content) == {"text": "Xin chào bác", "slow": True}
        return httpx.Response(200, content=b"RIFF....WAVE", headers={"Content-Type": "audio/wav"})

    audio, mime = await client(handler).synthesize("Xin chào bác", slow=True)
    assert (audio, mime) == (b"RIFF....WAVE", "audio/wav")


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"", headers={"Content-Type": "audio/mpeg"}),
        httpx.Response(200, json={"oops": True}),
        httpx.Response(502, json={"error": "TtsError"}),
    ],
)
async def test_synthesize_without_audio_is_unavailable(response: httpx.Response) -> None:
    with pytest.raises(VoiceUnavailable):
        await client(lambda request: response).synthesize("Xin chào")


async def test_aclose_closes_the_client() -> None:
    voice = client(lambda request: httpx.Response(200))
    await voice.aclose()
    with pytest.raises(RuntimeError):
        await voice._http.get("/health")


def test_voice_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICE_URL", raising=False)
    assert not Settings.from_env().voice.enabled
    monkeypatch.setenv("VOICE_URL", "http://127.0.0.1:8300/")
    monkeypatch.setenv("VOICE_READ_TIMEOUT", "7.5")
    monkeypatch.setenv("VOICE_ALLOW_PRIVATE_DOWNLOADS", "1")
    voice = Settings.from_env().voice
    assert voice.enabled and voice.url == "http://127.0.0.1:8300"
    assert voice.read_timeout_s == 7.5 and voice.allow_private_downloads
    monkeypatch.setenv("VOICE_DOWNLOAD_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="VOICE_DOWNLOAD_MAX_BYTES"):
        Settings.from_env()


def test_the_stack_gives_its_gateway_the_voice_url(tmp_path: Path) -> None:
    """`make run` runs the voice service on 8300: its gateway must be told where."""
    with_voice = Stack(
        StackConfig(run_dir=tmp_path, redis=None, gateway_port=8080, voice_port=8300)
    )
    assert with_voice.gateway is not None and with_voice.voice is not None
    assert with_voice.gateway.env["VOICE_URL"] == "http://127.0.0.1:8300"
    without = Stack(StackConfig(run_dir=tmp_path, redis=None, gateway_port=8080))
    assert without.gateway is not None and "VOICE_URL" not in without.gateway.env
