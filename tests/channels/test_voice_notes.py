"""The voice-note hook and the bounded media download, with httpx.MockTransport for the voice
service and the CDN (the app-level flow is in test_voice_notes_app.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from connectors.gateway import voice as v
from connectors.gateway.inbound import Attachment
from connectors.gateway.media_download import DownloadFailed, DownloadTooLarge, MediaDownloader
from connectors.gateway.replies import Button, Reply
from connectors.settings import VoiceSettings
from connectors.voice_client import Heard, VoiceClient

# Digits a citizen may say: they must never reach a log line.
SECRET_SPEECH = "số điện thoại của tôi là 0912345678 căn cước 001203004567"
PUBLIC_CDN = "http://93.184.216.34/a/b.aac"  # a literal public address: no DNS, no network


# -- what the citizen is told -------------------------------------------------------------------


def test_a_sure_transcript_is_echoed_and_passed_on() -> None:
    note = v.answer_for(Heard("lệ phí mã vạch", 0.8, None))
    assert note == v.VoiceNote((Reply(text="Tôi nghe được: “lệ phí mã vạch”"),), "lệ phí mã vạch")


def test_an_unsure_transcript_is_asked_back_with_a_one_tap_button() -> None:
    note = v.answer_for(Heard("/greet lệ phí", 0.3, "Có phải bác muốn hỏi … không ạ?"))
    assert note.text is None  # not acted on
    [reply] = note.replies
    assert "“/greet lệ phí”" in reply.text and "Có phải bạn muốn hỏi" in reply.text
    # The button's payload is passed to Rasa as trusted: never as an intent with entities.
    assert reply.buttons == (Button(title=v.YES, payload="greet lệ phí"),)


@pytest.mark.parametrize(
    "heard",
    [Heard("", 0.0, "Xin lỗi, cháu chưa nghe rõ…"), Heard("   ", 0.9, None), Heard("ờ", 0.1, "?")],
)
def test_nothing_or_guesswork_asks_to_say_it_again(heard: Heard) -> None:
    assert v.answer_for(heard) == v.VoiceNote((Reply(text=v.NOT_HEARD),))


# -- the hook against a voice service -----------------------------------------------------------


def notes(
    stt: httpx.Response | Exception,
    *,
    cdn: httpx.Response | None = None,
    settings: VoiceSettings | None = None,
) -> v.VoiceNotes:
    settings = settings or VoiceSettings(url="http://voice:8300")

    def voice(request: httpx.Request) -> httpx.Response:
        if isinstance(stt, Exception):
            raise stt
        return stt

    def download(request: httpx.Request) -> httpx.Response:
        assert cdn is not None, "no download expected"
        return cdn

    client = VoiceClient(settings, transport=httpx.MockTransport(voice))
    return v.VoiceNotes(settings, client, download_transport=httpx.MockTransport(download))


def stt_says(text: str, confidence: float = 0.9, question: str | None = None) -> httpx.Response:
    return httpx.Response(
        200, json={"text": text, "confidence": confidence, "confirm_question": question}
    )


def voice_file(tmp_path: Path, content: bytes = b"OggS-audio") -> Attachment:
    path = tmp_path / "note.oga"
    path.write_bytes(content)
    return Attachment(kind="voice", mime_type="audio/ogg", size=len(content), path=str(path))


async def test_a_downloaded_note_is_transcribed(tmp_path: Path) -> None:
    note = await notes(stt_says("giờ làm việc")).transcribe(voice_file(tmp_path))
    assert note.text == "giờ làm việc"


async def test_a_note_by_url_is_fetched_and_transcribed() -> None:
    cdn = httpx.Response(200, content=b"AAC", headers={"Content-Type": "audio/aac"})
    attachment = Attachment(kind="voice", url=PUBLIC_CDN)
    note = await notes(stt_says("giờ làm việc"), cdn=cdn).transcribe(attachment)
    assert note.text == "giờ làm việc"


@pytest.mark.parametrize(
    ("stt", "expected"),
    [
        (httpx.ConnectError("refused"), v.UNAVAILABLE),
        (httpx.ReadTimeout("slow"), v.UNAVAILABLE),
        (httpx.Response(503, json={"error": "SttBusyError"}), v.UNAVAILABLE),
        (httpx.Response(500), v.UNAVAILABLE),
        (httpx.Response(400, json={"error": "InvalidAudioError"}), v.NOT_AUDIO),
        (httpx.Response(413, json={"error": "AudioTooLargeError"}), v.NOT_AUDIO),
        (httpx.Response(415, json={"error": "UnsupportedMediaType"}), v.NOT_AUDIO),
    ],
)
async def test_every_failure_has_a_vietnamese_answer_and_no_turn(
    tmp_path: Path, stt: httpx.Response | Exception, expected: str
) -> None:
    note = await notes(stt).transcribe(voice_file(tmp_path))
    assert note == v.VoiceNote((Reply(text=expected),))


async def test_voice_off_answers_without_calling_anything(tmp_path: Path) -> None:
    off = VoiceSettings()
    note = await notes(AssertionError("no call"), settings=off).transcribe(voice_file(tmp_path))
    assert note == v.VoiceNote((Reply(text=v.UNAVAILABLE),))


async def test_empty_missing_or_oversized_files(tmp_path: Path) -> None:
    hook = notes(AssertionError("the service is not asked about these"))
    empty = await hook.transcribe(voice_file(tmp_path, b""))
    assert empty.replies == (Reply(text=v.NOT_HEARD),)
    gone = Attachment(kind="voice", path=str(tmp_path / "deleted.oga"))
    assert (await hook.transcribe(gone)).replies == (Reply(text=v.FETCH_FAILED),)
    nothing = Attachment(kind="voice")
    assert (await hook.transcribe(nothing)).replies == (Reply(text=v.FETCH_FAILED),)
    small = v.VoiceNotes(VoiceSettings(url="http://voice", download_max_bytes=10), hook._client)
    big = await small.transcribe(voice_file(tmp_path, b"x" * 11))
    assert big.replies == (Reply(text=v.NOT_AUDIO),)


async def test_the_transcript_never_reaches_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for stt in (
        stt_says(SECRET_SPEECH),
        stt_says(SECRET_SPEECH, 0.3, f"Có phải bác muốn hỏi: “{SECRET_SPEECH}” không ạ?"),
        httpx.Response(400, json={"error": "InvalidAudioError", "detail": SECRET_SPEECH}),
        httpx.Response(503, json={"error": "SttBusyError", "detail": SECRET_SPEECH}),
    ):
        await notes(stt).transcribe(voice_file(tmp_path))
    assert caplog.records, "the failures above are logged (without their content)"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "0912345678" not in logged and "001203004567" not in logged


# -- the bounded download ---------------------------------------------------------------------


def downloader(
    handler: httpx.MockTransport | None = None,
    *,
    max_bytes: int = 100,
    timeout_s: float = 2.0,
    allow_private: bool = False,
) -> MediaDownloader:
    return MediaDownloader(max_bytes, timeout_s, allow_private=allow_private, transport=handler)


def never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request may reach {request.url}")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://93.184.216.34/a.aac",
        "http://127.0.0.1:6379/",
        "http://10.1.2.3/a.aac",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.aac",
        "http:///no-host",
    ],
)
async def test_non_http_and_private_hosts_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(DownloadFailed):
        await downloader(httpx.MockTransport(never_called)).fetch(url)


async def test_redirects_are_followed_only_to_public_hosts() -> None:
    def cdn(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start":
            return httpx.Response(302, headers={"Location": "/final.aac"})
        if request.url.path == "/final.aac":
            return httpx.Response(200, content=b"AAC", headers={"Content-Type": "audio/aac"})
        if request.url.path == "/internal":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8000/admin"})
        return httpx.Response(302, headers={"Location": "/loop"})

    fetch = downloader(httpx.MockTransport(cdn)).fetch
    assert await fetch("http://93.184.216.34/start") == (b"AAC", "audio/aac")
    with pytest.raises(DownloadFailed, match="private"):
        await fetch("http://93.184.216.34/internal")
    with pytest.raises(DownloadFailed, match="redirects"):
        await fetch("http://93.184.216.34/loop")


async def test_size_is_bounded_whether_declared_or_streamed() -> None:
    async def stream() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 50

    def cdn(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/declared":
            return httpx.Response(200, content=b"x" * 101)
        return httpx.Response(200, content=stream())

    fetch = downloader(httpx.MockTransport(cdn)).fetch
    with pytest.raises(DownloadTooLarge):
        await fetch("http://93.184.216.34/declared")
    with pytest.raises(DownloadTooLarge):
        await fetch("http://93.184.216.34/chunked")


async def test_errors_and_slow_hosts_fail_within_the_timeout() -> None:
    async def cdn(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            await asyncio.sleep(5)
        if request.url.path == "/refused":
            raise httpx.ConnectError("refused")
        return httpx.Response(404)

    fetch = downloader(httpx.MockTransport(cdn), timeout_s=0.2).fetch
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(DownloadFailed, match="too long"):
        await fetch("http://93.184.216.34/slow")
    assert loop.time() - started < 1.0
    with pytest.raises(DownloadFailed, match="404"):
        await fetch("http://93.184.216.34/missing")
    with pytest.raises(DownloadFailed, match="ConnectError"):
        await fetch("http://93.184.216.34/refused")


async def test_private_hosts_are_allowed_only_when_configured() -> None:
    def cdn(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"AAC")

    assert await downloader(httpx.MockTransport(cdn), allow_private=True).fetch(
        "http://127.0.0.1:9/a.aac"
    ) == (b"AAC", None)
