"""The whole gateway app over real HTTP, against the fake Telegram and Zalo servers, with
Rasa replaced by an httpx.MockTransport (the real Rasa is in tests/integration/channels)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.gateway import texts
from connectors.gateway import voice as voice_texts
from connectors.gateway.app import create_app
from connectors.settings import GatewaySettings, Settings
from tests.fakes.payloads import load
from tests.fakes.server import ThreadedServer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

TOKEN = "7000000001:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
SECRET = "tg-webhook-secret"


class FakeRasa:
    """Answers like the assistant would, per message; records what the gateway sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def messages_of(self, sender: str) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.received if r["sender"] == sender]

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with self._lock:
            self.received.append(body)
        message = body["message"]
        if message == "rasa down":
            return httpx.Response(500)
        if message == "chậm":
            await asyncio.sleep(0.3)
        if message == "nút":
            return httpx.Response(
                200,
                json=[
                    {
                        "text": "Bạn chọn đúng thủ tục giúp tôi nhé:",
                        "buttons": [
                            {
                                "title": "Đăng ký nhãn hiệu",
                                "payload": '/ask_procedure{"procedure_code": "1.0012"}',
                            },
                            {
                                "title": "Đăng ký sáng chế",
                                "payload": '/ask_procedure{"procedure_code": "1.0013"}',
                            },
                        ],
                    }
                ],
            )
        if message == "dài":
            return httpx.Response(200, json=[{"text": ("Giấy tờ cần chuẩn bị. " * 200).strip()}])
        return httpx.Response(200, json=[{"text": f"Bạn nói: {message}"}])


@pytest.fixture(scope="module")
def fakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    telegram = FakeTelegram(TOKEN).start()
    zalo = FakeZalo().start()
    rasa = FakeRasa()
    settings = Settings(
        gateway=GatewaySettings(
            rasa_url="http://rasa.test",
            media_dir=str(tmp_path_factory.mktemp("media")),
            max_attachment_bytes=50_000,
            max_body_bytes=64_000,
        ),
        telegram=telegram.settings(SECRET),
        zalo=zalo.settings(),
    )
    app = create_app(settings, rasa_transport=httpx.MockTransport(rasa))
    gateway = ThreadedServer(app, lifespan="on").start()
    http = httpx.Client(base_url=gateway.url, timeout=5.0)
    deadline = time.monotonic() + 10
    while http.get("/health").json()["channels"].get("telegram") != "ready":
        assert time.monotonic() < deadline, "telegram channel never became ready"
        time.sleep(0.05)
    yield {"telegram": telegram, "zalo": zalo, "rasa": rasa, "http": http}
    http.close()
    gateway.stop()
    telegram.stop()
    zalo.stop()


_ids = iter(range(10_000, 10**6))


def tg_update(kind: str, user_id: int, **fields: Any) -> dict[str, Any]:
    """A reference Telegram payload re-addressed to a fresh user and update id."""
    update = load(kind)
    update["update_id"] = next(_ids)
    message = (
        update.get("message") or update.get("edited_message") or update["callback_query"]["message"]
    )
    message["chat"]["id"] = user_id
    (update.get("callback_query") or message)["from"]["id"] = user_id
    message.update(fields)
    return update


def post_tg(http: httpx.Client, update: Any, secret: str | bytes | None = SECRET) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return http.post("/webhooks/telegram", json=update, headers=headers)


# -- Telegram ---------------------------------------------------------------------------------


def test_health(fakes: dict[str, Any]) -> None:
    body = fakes["http"].get("/health").json()
    assert body["status"] == "ok" and body["channels"] == {"telegram": "ready", "zalo": "ready"}


def test_missing_or_wrong_secret_is_refused_and_nothing_processed(fakes: dict[str, Any]) -> None:
    http, rasa = fakes["http"], fakes["rasa"]
    update = tg_update("telegram_text.json", 901)
    assert post_tg(http, update, secret=None).status_code == 401
    assert post_tg(http, update, secret="wrong").status_code == 403
    assert post_tg(http, update, secret=SECRET + "x").status_code == 403
    assert post_tg(http, update, secret="sécret".encode()).status_code == 403
    time.sleep(0.3)
    assert rasa.messages_of("telegram:901") == []
    assert fakes["telegram"].sent_to(901) == []


def test_text_reply_and_hostile_text_is_escaped(fakes: dict[str, Any]) -> None:
    http, telegram = fakes["http"], fakes["telegram"]
    hostile = "<b>hi</b> & <a href='x'>*y*</a>"
    started = time.perf_counter()
    response = post_tg(http, tg_update("telegram_text.json", 902, text=hostile, message_id=77))
    assert response.status_code == 200 and time.perf_counter() - started < 1.0
    [sent] = telegram.wait_sent(902)
    assert sent.params["parse_mode"] == "HTML"
    assert (
        sent.params["text"]
        == "Bạn nói: &lt;b&gt;hi&lt;/b&gt; &amp; &lt;a href='x'&gt;*y*&lt;/a&gt;"
    )
    metadata = fakes["rasa"].messages_of("telegram:902")[0]["metadata"]
    assert metadata == {"channel": "telegram", "message_id": "77"}


def test_commands_become_intents(fakes: dict[str, Any]) -> None:
    http, rasa = fakes["http"], fakes["rasa"]
    for text in ("/start", "/help", "/tracuu 000.00.17.G17-241219-0001", "/huy", "/khong_co"):
        assert (
            post_tg(
                http, tg_update("telegram_start_official_docs.json", 903, text=text)
            ).status_code
            == 200
        )
    fakes["telegram"].wait_sent(903, 5)
    assert [m["message"] for m in rasa.messages_of("telegram:903")] == [
        "/greet",
        "/ask_help",
        '/check_status{"tracking_code": "000.00.17.G17-241219-0001"}',
        "/cancel",
        "khong_co",
    ]


def test_buttons_become_an_inline_keyboard_and_a_tap_is_answered(fakes: dict[str, Any]) -> None:
    http, telegram, rasa = fakes["http"], fakes["telegram"], fakes["rasa"]
    post_tg(http, tg_update("telegram_text.json", 904, text="nút"))
    [sent] = telegram.wait_sent(904)
    keyboard = sent.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Đăng ký nhãn hiệu", "Đăng ký sáng chế"]
    tap = tg_update("telegram_callback_query.json", 904)
    tap["callback_query"]["data"] = keyboard[0][0]["callback_data"]
    assert post_tg(http, tap).status_code == 200
    telegram.wait_sent(904, 2)
    answered = telegram.calls.all(lambda c: c.method == "answerCallbackQuery")
    assert any(c.params.get("callback_query_id") == tap["callback_query"]["id"] for c in answered)
    assert (
        rasa.messages_of("telegram:904")[-1]["message"]
        == '/ask_procedure{"procedure_code": "1.0012"}'
    )


def test_long_answer_is_split(fakes: dict[str, Any]) -> None:
    post_tg(fakes["http"], tg_update("telegram_text.json", 905, text="dài"))
    sent = fakes["telegram"].wait_sent(905, 2)
    assert all(len(c.params["text"]) <= 4096 for c in sent)
    assert (
        " ".join(c.params["text"] for c in sent).split() == ("Giấy tờ cần chuẩn bị. " * 200).split()
    )


def test_photo_and_document_are_downloaded_and_passed_as_attachments(fakes: dict[str, Any]) -> None:
    http, telegram, rasa = fakes["http"], fakes["telegram"], fakes["rasa"]
    photo = tg_update("telegram_photo_caption_aiogram.json", 906)
    telegram.add_file(
        photo["message"]["photo"][-1]["file_id"], b"\xff\xd8jpeg", "photos/file_1.jpg"
    )
    post_tg(http, photo)
    telegram.wait_sent(906)
    [turn] = rasa.messages_of("telegram:906")
    assert turn["message"] == "photo description"
    [attachment] = turn["metadata"]["attachments"]
    assert attachment["kind"] == "image" and attachment["size"] == 6
    assert Path(attachment["path"]).read_bytes() == b"\xff\xd8jpeg"

    document = tg_update("telegram_document_pdf_official_docs.json", 907)
    document["message"]["document"]["file_size"] = 1000
    telegram.add_file(
        document["message"]["document"]["file_id"], b"%PDF-1.4", "documents/file_2.pdf"
    )
    post_tg(http, document)
    telegram.wait_sent(907)
    [attachment] = rasa.messages_of("telegram:907")[0]["metadata"]["attachments"]
    assert (attachment["kind"], attachment["file_name"], attachment["mime_type"]) == (
        "document",
        "Testfile.pdf",
        "application/pdf",
    )
    assert attachment["path"].endswith(".pdf")


def test_too_large_file_gets_a_polite_answer_without_download(fakes: dict[str, Any]) -> None:
    document = tg_update("telegram_document_pdf_official_docs.json", 908)  # 536392 bytes > 50000
    post_tg(fakes["http"], document)
    [sent] = fakes["telegram"].wait_sent(908)
    assert "lớn hơn" in sent.params["text"]
    assert fakes["rasa"].messages_of("telegram:908") == []


def test_voice_note_without_voice_service_gets_a_clear_answer(fakes: dict[str, Any]) -> None:
    """Voice off (no VOICE_URL): the citizen is told to type; Rasa never gets an empty text,
    which its NLU would read as "yes" (tests/channels/test_voice_notes_app.py has voice on)."""
    voice = tg_update("telegram_voice.json", 909)
    fakes["telegram"].add_file(voice["message"]["voice"]["file_id"], b"OggS", "voice/file_3.oga")
    post_tg(fakes["http"], voice)
    [sent] = fakes["telegram"].wait_sent(909)
    assert sent.params["text"] == voice_texts.UNAVAILABLE
    time.sleep(0.2)
    assert fakes["rasa"].messages_of("telegram:909") == []


@pytest.mark.parametrize(
    "kind",
    [
        "telegram_location.json",
        "telegram_contact_aiogram.json",
        "telegram_venue_aiogram.json",
        "telegram_video.json",
    ],
)
def test_unreadable_kinds_get_a_polite_answer(fakes: dict[str, Any], kind: str) -> None:
    user = 910 + abs(hash(kind)) % 1000
    post_tg(fakes["http"], tg_update(kind, user))
    [sent] = fakes["telegram"].wait_sent(user)
    assert sent.params["text"] == texts.UNSUPPORTED_KIND
    assert fakes["rasa"].messages_of(f"telegram:{user}") == []


def test_rasa_failure_gives_an_apology(fakes: dict[str, Any]) -> None:
    post_tg(fakes["http"], tg_update("telegram_text.json", 2001, text="rasa down"))
    [sent] = fakes["telegram"].wait_sent(2001)
    assert sent.params["text"] == texts.APOLOGY


def test_retry_after_delays_the_reply_but_delivers_it(fakes: dict[str, Any]) -> None:
    telegram = fakes["telegram"]
    telegram.fail_next("sendMessage", retry_after=1, times=1)
    started = time.perf_counter()
    post_tg(fakes["http"], tg_update("telegram_text.json", 2002, text="xin chào"))
    [sent] = telegram.wait_sent(2002, 2)[-1:]
    assert sent.at - started >= 1.0
    assert sent.params["text"] == "Bạn nói: xin chào"


def test_same_users_messages_stay_in_order(fakes: dict[str, Any]) -> None:
    http = fakes["http"]
    post_tg(http, tg_update("telegram_text.json", 2003, text="chậm"))
    post_tg(http, tg_update("telegram_text.json", 2003, text="nhanh"))
    sent = fakes["telegram"].wait_sent(2003, 2)
    assert [c.params["text"] for c in sent] == ["Bạn nói: chậm", "Bạn nói: nhanh"]


def test_redelivered_update_is_answered_once(fakes: dict[str, Any]) -> None:
    update = tg_update("telegram_text.json", 2004, text="một lần")
    assert post_tg(fakes["http"], update).json() == {"ok": True}
    assert post_tg(fakes["http"], update).json() == {"ok": True, "duplicate": True}
    fakes["telegram"].wait_sent(2004)
    time.sleep(0.3)
    assert len(fakes["telegram"].sent_to(2004)) == 1


def test_malformed_bodies_are_4xx_and_edits_are_ignored(fakes: dict[str, Any]) -> None:
    http = fakes["http"]
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    assert http.post("/webhooks/telegram", content=b"{not json", headers=headers).status_code == 400
    assert http.post("/webhooks/telegram", content=b"[1, 2]", headers=headers).status_code == 400
    assert (
        http.post("/webhooks/telegram", content=b'{"update_id": "x"}', headers=headers).status_code
        == 400
    )
    assert http.post("/webhooks/telegram", content=b"\xff\xfe", headers=headers).status_code == 400
    huge = b'{"update_id": 1, "pad": "' + b"x" * 100_000 + b'"}'
    assert http.post("/webhooks/telegram", content=huge, headers=headers).status_code == 413
    edited = tg_update("telegram_edited_message.json", 2005)
    assert post_tg(http, edited).status_code == 200
    assert post_tg(http, {"update_id": next(_ids), "poll": {"id": "1"}}).status_code in (200, 400)
    time.sleep(0.3)
    assert fakes["telegram"].sent_to(2005) == []
    assert http.get("/health").status_code == 200


# -- Zalo -------------------------------------------------------------------------------------


def zalo_text(user: str, text: str, msg_id: str | None = None) -> dict[str, Any]:
    event = load("zalo_user_send_text.json")
    event["sender"]["id"] = user
    event["message"] = {"text": text, "msg_id": msg_id or f"m-{next(_ids)}"}
    return event


def post_zalo(fakes: dict[str, Any], event: dict[str, Any], **kwargs: Any) -> httpx.Response:
    body, headers = fakes["zalo"].signed(event, **kwargs)
    return fakes["http"].post("/webhooks/zalo", content=body, headers=headers)


def test_zalo_text_is_answered(fakes: dict[str, Any]) -> None:
    started = time.perf_counter()
    assert post_zalo(fakes, zalo_text("z1", "xin chào", "z1-msg")).status_code == 200
    assert time.perf_counter() - started < 1.0
    [sent] = fakes["zalo"].wait_delivered("z1")
    assert sent.params["message"] == {"text": "Bạn nói: xin chào"}
    metadata = fakes["rasa"].messages_of("zalo:z1")[0]["metadata"]
    assert metadata == {"channel": "zalo", "message_id": "z1-msg"}


def test_zalo_bad_missing_or_stale_signatures_are_refused(fakes: dict[str, Any]) -> None:
    zalo, http = fakes["zalo"], fakes["http"]
    body, headers = zalo.signed(zalo_text("z2", "xin chào"))
    assert (
        http.post(
            "/webhooks/zalo", content=body, headers={"Content-Type": "application/json"}
        ).status_code
        == 401
    )
    tampered = body.replace("xin chào".encode(), "tạm biệt".encode())
    assert http.post("/webhooks/zalo", content=tampered, headers=headers).status_code == 401
    wrong = {**headers, "X-ZEvent-Signature": "mac=" + "0" * 64}
    assert http.post("/webhooks/zalo", content=body, headers=wrong).status_code == 401
    stale = int((time.time() - 3600) * 1000)
    assert post_zalo(fakes, zalo_text("z2", "cũ"), timestamp_ms=stale).status_code == 401
    time.sleep(0.3)
    assert fakes["rasa"].messages_of("zalo:z2") == []


def test_zalo_duplicate_delivery_is_answered_once(fakes: dict[str, Any]) -> None:
    event = zalo_text("z3", "một lần thôi", msg_id="dup-1")
    assert post_zalo(fakes, event).json() == {"ok": True}
    assert post_zalo(fakes, event).json() == {"ok": True, "duplicate": True}
    fakes["zalo"].wait_delivered("z3")
    time.sleep(0.3)
    assert len(fakes["zalo"].delivered_to("z3")) == 1


def test_zalo_unknown_events_and_malformed_bodies(fakes: dict[str, Any]) -> None:
    http = fakes["http"]
    assert post_zalo(fakes, {"event_name": "user_seen_message", "sender": {"id": "z4"}}).json() == {
        "ok": True,
        "ignored": True,
    }
    assert post_zalo(fakes, load("zalo_user_submit_info.json")).status_code == 200
    headers = {"Content-Type": "application/json"}
    assert http.post("/webhooks/zalo", content=b"{oops", headers=headers).status_code == 400
    assert http.post("/webhooks/zalo", content=b'"text"', headers=headers).status_code == 400
    assert http.post("/webhooks/zalo", content=b"x" * 100_000, headers=headers).status_code == 413
    assert http.get("/health").status_code == 200


def test_zalo_follow_greets_and_buttons_map_back(fakes: dict[str, Any]) -> None:
    follow = load("zalo_follow.json")
    follow["follower"]["id"] = "z5"
    assert post_zalo(fakes, follow).status_code == 200
    fakes["zalo"].wait_delivered("z5")
    assert fakes["rasa"].messages_of("zalo:z5")[0]["message"] == "/greet"
    post_zalo(fakes, zalo_text("z5", "nút"))
    sent = fakes["zalo"].wait_delivered("z5", 2)[-1]
    buttons = sent.params["message"]["attachment"]["payload"]["buttons"]
    assert buttons[0] == {
        "title": "Đăng ký nhãn hiệu",
        "type": "oa.query.show",
        "payload": "Đăng ký nhãn hiệu",
    }
    post_zalo(fakes, zalo_text("z5", buttons[0]["payload"]))  # what Zalo sends on a tap
    fakes["zalo"].wait_delivered("z5", 3)
    assert (
        fakes["rasa"].messages_of("zalo:z5")[-1]["message"]
        == '/ask_procedure{"procedure_code": "1.0012"}'
    )


def test_zalo_long_text_is_split_under_2000(fakes: dict[str, Any]) -> None:
    post_zalo(fakes, zalo_text("z6", "dài"))
    sent = fakes["zalo"].wait_delivered("z6", 3)
    assert all(len(c.params["message"]["text"]) <= 2000 for c in sent)


def test_zalo_image_and_sticker(fakes: dict[str, Any]) -> None:
    image = load("zalo_user_send_image.json")
    image["sender"]["id"] = "z7"
    post_zalo(fakes, image)
    fakes["zalo"].wait_delivered("z7")
    [turn] = fakes["rasa"].messages_of("zalo:z7")
    assert turn["metadata"]["attachments"][0]["url"] == "https://zalo-image-url.com/full-res.jpg"
    location = load("zalo_user_send_location.json")
    location["sender"]["id"] = "z8"
    post_zalo(fakes, location)
    [sent] = fakes["zalo"].wait_delivered("z8")
    assert sent.params["message"]["text"] == texts.UNSUPPORTED_KIND


def test_zalo_expired_token_is_refreshed_once_and_the_reply_sent(fakes: dict[str, Any]) -> None:
    zalo = fakes["zalo"]
    before = len(zalo.refreshes.all())
    zalo.expire_access_token()
    for i in range(5):
        post_zalo(fakes, zalo_text(f"z-exp-{i}", "xin chào"))
    for i in range(5):
        zalo.wait_delivered(f"z-exp-{i}")
    assert len(zalo.refreshes.all()) == before + 1
