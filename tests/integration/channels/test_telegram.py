"""Telegram end to end: fake Bot API → gateway process → real Rasa, actions, core API, Redis."""

from __future__ import annotations

import json
import time

import pytest

from stack.services import Stack
from tests.fakes.gateway import Gateway
from tests.fakes.telegram import FakeTelegram
from tests.integration.channels.conftest import (
    BUTTON_QUESTIONS,
    TelegramCitizen,
    last_user_message,
    skip_unless_rest_has_buttons,
)

pytestmark = pytest.mark.integration

DEMO_CODE = "000.00.17.G17-241219-0001"
DEMO_DIGITS = "5678"


@pytest.fixture
def citizen(gateway: Gateway, fake_telegram: FakeTelegram) -> TelegramCitizen:
    return TelegramCitizen(gateway, fake_telegram)


def test_full_procedure_conversation(citizen: TelegramCitizen) -> None:
    greeting = citizen.say("/start")
    assert "trợ lý ảo" in greeting
    info = citizen.say("thủ tục đăng ký nhãn hiệu như thế nào?")
    assert "Đăng ký nhãn hiệu" in info and "Cơ quan giải quyết" in info
    documents = citizen.say("cần giấy tờ gì")
    assert "Giấy tờ cần chuẩn bị" in documents
    fee = citizen.say("lệ phí bao nhiêu")
    assert "Lệ phí" in fee


def test_status_look_up_with_the_tracuu_command(citizen: TelegramCitizen) -> None:
    ask = citizen.say(f"/tracuu {DEMO_CODE}")
    assert "4 số cuối" in ask and "Trạng thái" not in ask
    status = citizen.say(DEMO_DIGITS)
    assert "Trạng thái" in status and DEMO_CODE in status


def test_help_and_cancel_commands(citizen: TelegramCitizen) -> None:
    assert "Tôi có thể giúp bạn" in citizen.say("/help")
    citizen.say(f"hồ sơ {DEMO_CODE} đến đâu rồi")
    assert "dừng" in citizen.say("/huy")


def test_buttons_are_an_inline_keyboard_and_a_tap_answers(
    citizen: TelegramCitizen, stack: Stack
) -> None:
    sent: list[dict[str, object]] = []
    keyboards = []
    for question in BUTTON_QUESTIONS:
        sent = citizen.send(citizen.update(question))
        keyboards = [p["reply_markup"]["inline_keyboard"] for p in sent if p.get("reply_markup")]
        if keyboards:
            break
    if not keyboards:
        skip_unless_rest_has_buttons(stack, sent)
    first = keyboards[-1][0][0]
    assert len(first["callback_data"].encode()) <= 64
    assert citizen.tap(first["callback_data"])
    answered = citizen.fake.calls.all(lambda c: c.method == "answerCallbackQuery")
    assert answered, "the tap was not answered: the button would keep spinning"
    tapped = last_user_message(stack, f"telegram:{citizen.user_id}")
    assert tapped["text"].startswith("/")  # the button's Rasa payload, not its title
    assert tapped["metadata"]["channel"] == "telegram"


def test_hostile_text_is_escaped(citizen: TelegramCitizen) -> None:
    sent = citizen.send(
        citizen.update("thủ tục <b>đăng ký</b> <script>alert(1)</script> & nhãn hiệu")
    )
    for params in sent:
        assert params["parse_mode"] == "HTML"
        assert "<script>" not in params["text"] and "<b>" not in params["text"]


def test_photo_reaches_rasa_as_an_attachment(
    citizen: TelegramCitizen, fake_telegram: FakeTelegram, stack: Stack
) -> None:
    update = citizen.update(template="telegram_photo.json")
    file_id = update["message"]["photo"][-1]["file_id"]
    fake_telegram.add_file(file_id, b"\xff\xd8\xff\xe0fake-jpeg", "photos/file_9.jpg")
    update["message"]["caption"] = "ảnh tờ khai"
    assert citizen.send(update)
    metadata = last_user_message(stack, f"telegram:{citizen.user_id}")["metadata"]
    assert metadata["channel"] == "telegram"
    [attachment] = metadata["attachments"]
    assert attachment["kind"] == "image" and attachment["size"] == 13 and attachment["path"]


def test_sticker_like_messages_get_the_polite_answer(citizen: TelegramCitizen) -> None:
    reply = "\n".join(
        p["text"] for p in citizen.send(citizen.update(template="telegram_location.json"))
    )
    assert "tin nhắn chữ và tin nhắn thoại" in reply


def test_retry_after_delays_the_reply_but_it_arrives(
    citizen: TelegramCitizen, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", retry_after=2, times=1)
    started = time.perf_counter()
    assert citizen.post(citizen.update("xin chào")).status_code == 200
    calls = fake_telegram.wait_sent(citizen.user_id, 2, timeout_s=30)
    assert calls[0].params["text"] == calls[1].params["text"]  # the refused one, then again
    assert calls[1].at - calls[0].at >= 2.0
    assert "trợ lý ảo" in calls[1].params["text"]
    assert calls[1].at - started >= 2.0


def test_secret_failures_are_refused_and_nothing_is_processed(
    citizen: TelegramCitizen, fake_telegram: FakeTelegram
) -> None:
    update = citizen.update("xin chào")
    assert citizen.post(update, secret=None).status_code == 401
    assert citizen.post(update, secret="not-the-secret").status_code == 403
    time.sleep(1.0)
    assert fake_telegram.sent_to(citizen.user_id) == []


def test_users_in_parallel_each_in_order(gateway: Gateway, fake_telegram: FakeTelegram) -> None:
    citizens = [TelegramCitizen(gateway, fake_telegram) for _ in range(8)]
    script = [
        ("xin chào", "trợ lý ảo"),
        ("cảm ơn bạn nhiều nhé", "không có gì"),
        ("tạm biệt", "Cảm ơn bạn đã liên hệ"),
    ]
    started = time.perf_counter()
    for text, _ in script:  # each user's three messages arrive back to back, before any reply
        for c in citizens:
            assert c.post(c.update(text)).status_code == 200
    for c in citizens:
        sent = fake_telegram.wait_sent(c.user_id, len(script), timeout_s=60)
        for call, (_, expected) in zip(sent, script, strict=False):
            assert expected in call.params["text"], [s.params["text"] for s in sent]
    assert time.perf_counter() - started < 60


def test_malformed_deliveries_are_4xx_and_the_gateway_keeps_serving(
    gateway: Gateway, citizen: TelegramCitizen
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "integration-webhook-secret"}
    http = gateway.http
    assert http.post("/webhooks/telegram", content=b"{", headers=headers).status_code == 400
    assert http.post("/webhooks/telegram", content=b"null", headers=headers).status_code == 400
    assert (
        http.post(
            "/webhooks/telegram", json={"update_id": 1, "message": {"x": 1}}, headers=headers
        ).status_code
        == 400
    )
    huge = json.dumps({"update_id": 2, "pad": "x" * 2_000_000}).encode()
    assert http.post("/webhooks/telegram", content=huge, headers=headers).status_code == 413
    assert "trợ lý ảo" in citizen.say("xin chào")
