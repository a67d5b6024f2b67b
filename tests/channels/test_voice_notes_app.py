"""Voice notes through the whole gateway app over real HTTP: fake Telegram and Zalo (its CDN
serving the audio), a fake voice service answering per audio blob, Rasa as a MockTransport.
The real voice service and Rasa are in tests/integration/channels/test_voice_notes.py."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from connectors.gateway import voice as v
from connectors.gateway.app import create_app
from connectors.settings import (
    GatewaySettings,
    Settings,
    VoiceSettings,
)
from tests.channels.test_gateway_app import SECRET, TOKEN, FakeRasa, post_tg, tg_update
from tests.fakes.payloads import load
from tests.fakes.server import ThreadedServer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.voice import FakeVoice
from tests.fakes.zalo import FakeZalo

QUESTION = "lệ phí cấp mã số mã vạch là bao nhiêu"


@pytest.fixture(scope="module")
def fakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    telegram, zalo, voice = FakeTelegram(TOKEN).start(), FakeZalo().start(), FakeVoice().start()
    rasa = FakeRasa()
    settings = Settings(
        gateway=GatewaySettings(
            rasa_url="http://rasa.test", media_dir=str(tmp_path_factory.mktemp("media"))
        ),
        telegram=telegram.settings(SECRET),
        zalo=zalo.settings(),
        # The fake CDN is on 127.0.0.1, which production refuses.
        voice=VoiceSettings(url=voice.url, allow_private_downloads=True, download_max_bytes=4096),
    )
    app = create_app(settings, rasa_transport=httpx.MockTransport(rasa))
    gateway = ThreadedServer(app, lifespan="on").start()
    http = httpx.Client(base_url=gateway.url, timeout=5.0)
    deadline = time.monotonic() + 10
    while http.get("/health").json()["channels"].get("telegram") != "ready":
        assert time.monotonic() < deadline, "telegram channel never became ready"
        time.sleep(0.05)
    yield {"telegram": telegram, "zalo": zalo, "voice": voice, "rasa": rasa, "http": http}
    http.close()
    gateway.stop()
    for fake in (telegram, zalo, voice):
        fake.stop()


def tg_voice(fakes: dict[str, Any], user: int, audio: bytes) -> list[str]:
    """Sends a voice note whose file holds `audio`; the texts the citizen then reads."""
    update = tg_update("telegram_voice.json", user)
    file_id = f"voice-{user}"
    update["message"]["voice"].update(file_id=file_id, file_size=len(audio))
    fakes["telegram"].add_file(file_id, audio, f"voice/file_{user}.oga")
    before = len(fakes["telegram"].sent_to(user))
    assert post_tg(fakes["http"], update).status_code == 200
    fakes["telegram"].wait_sent(user, before + 1)
    time.sleep(0.3)  # any further message of the same turn
    return [html.unescape(c.params["text"]) for c in fakes["telegram"].sent_to(user)[before:]]


def test_telegram_voice_note_is_echoed_then_answered_like_text(fakes: dict[str, Any]) -> None:
    fakes["voice"].says(b"OggS-fee", QUESTION)
    assert tg_voice(fakes, 3001, b"OggS-fee") == [
        v.HEARD.format(text=QUESTION),
        f"Bạn nói: {QUESTION}",
    ]
    [turn] = fakes["rasa"].messages_of("telegram:3001")
    assert turn["message"] == QUESTION
    assert turn["metadata"]["attachments"][0]["kind"] == "voice"
    [stt] = fakes["voice"].requests.all(lambda c: c.params["size"] == len(b"OggS-fee"))
    assert stt.params["content_type"] == "audio/ogg"


def test_telegram_unsure_transcript_is_confirmed_and_one_tap_asks_it(
    fakes: dict[str, Any],
) -> None:
    fakes["voice"].says(b"OggS-unsure", QUESTION, confidence=0.35, confirm=True)
    [confirm] = tg_voice(fakes, 3002, b"OggS-unsure")
    assert confirm.startswith(v.HEARD.format(text=QUESTION)) and "Có phải bạn" in confirm
    assert fakes["rasa"].messages_of("telegram:3002") == []  # not acted on
    [sent] = fakes["telegram"].sent_to(3002)
    [[button]] = sent.params["reply_markup"]["inline_keyboard"]
    assert button["text"] == v.YES
    tap = tg_update("telegram_callback_query.json", 3002)
    tap["callback_query"]["data"] = button["callback_data"]
    assert post_tg(fakes["http"], tap).status_code == 200
    fakes["telegram"].wait_sent(3002, 2)
    assert [m["message"] for m in fakes["rasa"].messages_of("telegram:3002")] == [QUESTION]


@pytest.mark.parametrize(
    ("audio", "setup", "expected"),
    [
        (b"OggS-silence", lambda f: f["voice"].says(b"OggS-silence", ""), v.NOT_HEARD),
        (
            b"OggS-guess",
            lambda f: f["voice"].says(b"OggS-guess", "ờ", confidence=0.05, confirm=True),
            v.NOT_HEARD,
        ),
        (b"%PDF-1.4 not audio", lambda f: None, v.NOT_AUDIO),  # the service's 400
        (b"x" * 5000, lambda f: None, v.NOT_AUDIO),  # over the voice download limit
        (
            b"OggS-busy",
            lambda f: f["voice"].fails(b"OggS-busy", 503, "SttBusyError"),
            v.UNAVAILABLE,
        ),
    ],
    ids=["silence", "guesswork", "not-audio", "too-large", "service-busy"],
)
def test_telegram_bad_voice_notes_get_a_clear_answer_and_nothing_reaches_rasa(
    fakes: dict[str, Any], audio: bytes, setup: Any, expected: str
) -> None:
    setup(fakes)
    user = 3100 + len(fakes["rasa"].received) + abs(hash(audio)) % 800
    assert tg_voice(fakes, user, audio) == [expected]
    assert fakes["rasa"].messages_of(f"telegram:{user}") == []


def test_telegram_caption_of_a_voice_note_that_was_not_understood_is_answered(
    fakes: dict[str, Any],
) -> None:
    update = tg_update("telegram_voice.json", 3050, caption="giờ làm việc")
    update["message"]["voice"].update(file_id="voice-3050", file_size=9)
    fakes["telegram"].add_file("voice-3050", b"not audio", "voice/file_3050.oga")
    assert post_tg(fakes["http"], update).status_code == 200
    sent = fakes["telegram"].wait_sent(3050, 2)
    assert [html.unescape(c.params["text"]) for c in sent] == [
        v.NOT_AUDIO,
        "Bạn nói: giờ làm việc",
    ]


# -- Zalo -------------------------------------------------------------------------------------


def zalo_audio(user: str, url: str) -> dict[str, Any]:
    event = load("zalo_user_send_audio_minimal.json")
    event["sender"] = {"id": user}
    event["message"]["msg_id"] = f"a-{user}-{time.time_ns()}"
    event["message"]["attachments"][0]["payload"]["url"] = url
    return event


def post_zalo(fakes: dict[str, Any], event: dict[str, Any]) -> list[dict[str, Any]]:
    before = len(fakes["zalo"].delivered_to(event["sender"]["id"]))
    body, headers = fakes["zalo"].signed(event)
    assert fakes["http"].post("/webhooks/zalo", content=body, headers=headers).status_code == 200
    fakes["zalo"].wait_delivered(event["sender"]["id"], before + 1)
    time.sleep(0.3)
    return [c.params["message"] for c in fakes["zalo"].delivered_to(event["sender"]["id"])[before:]]


def test_zalo_audio_is_fetched_from_the_cdn_echoed_and_answered(fakes: dict[str, Any]) -> None:
    url = fakes["zalo"].add_media("a/fee.aac", b"AAC-fee", "audio/aac")
    fakes["voice"].says(b"AAC-fee", QUESTION)
    sent = post_zalo(fakes, zalo_audio("zv1", url))
    assert [m["text"] for m in sent] == [v.HEARD.format(text=QUESTION), f"Bạn nói: {QUESTION}"]
    [turn] = fakes["rasa"].messages_of("zalo:zv1")
    assert turn["message"] == QUESTION
    assert turn["metadata"]["attachments"] == [
        {"kind": "voice", "file_name": None, "mime_type": None, "size": None, "url": url}
    ]
    [stt] = fakes["voice"].requests.all(lambda c: c.params["size"] == len(b"AAC-fee"))
    assert stt.params["content_type"] == "audio/aac"


def test_zalo_unsure_transcript_is_confirmed_and_the_button_asks_it(fakes: dict[str, Any]) -> None:
    url = fakes["zalo"].add_media("a/unsure.aac", b"AAC-unsure", "application/octet-stream")
    fakes["voice"].says(b"AAC-unsure", QUESTION, confidence=0.3, confirm=True)
    [confirm] = post_zalo(fakes, zalo_audio("zv2", url))
    assert "Có phải bạn" in confirm["text"]
    [button] = confirm["attachment"]["payload"]["buttons"]
    assert button["payload"] == v.YES
    assert fakes["rasa"].messages_of("zalo:zv2") == []
    tap = load("zalo_user_send_text.json")
    tap["sender"]["id"] = "zv2"
    tap["message"] = {"text": button["payload"], "msg_id": f"tap-{time.time_ns()}"}
    post_zalo(fakes, tap)  # what Zalo sends when the button is tapped
    assert [m["message"] for m in fakes["rasa"].messages_of("zalo:zv2")] == [QUESTION]


def test_zalo_audio_that_cannot_be_fetched_gets_a_clear_answer(fakes: dict[str, Any]) -> None:
    missing = f"{fakes['zalo'].url}/cdn/a/gone.aac"
    assert [m["text"] for m in post_zalo(fakes, zalo_audio("zv3", missing))] == [v.FETCH_FAILED]
    huge = fakes["zalo"].add_media("a/huge.aac", b"y" * 5000)
    assert [m["text"] for m in post_zalo(fakes, zalo_audio("zv3", huge))] == [v.NOT_AUDIO]
    not_http = "file:///etc/passwd"
    assert [m["text"] for m in post_zalo(fakes, zalo_audio("zv3", not_http))] == [v.FETCH_FAILED]
    assert fakes["rasa"].messages_of("zalo:zv3") == []
