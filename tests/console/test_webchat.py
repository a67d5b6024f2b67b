"""The web chat path: through the watched assistant (so the console sees it), with input
validation, size and rate limits, button payloads only as offered, and staff replies."""

from __future__ import annotations

import json

from connectors.console import texts
from connectors.console.webchat import PER_SESSION_PER_MINUTE
from tests.console.conftest import ConsoleApp

SESSION = "websession-abcdefghijklmnop"


def test_a_web_message_is_answered_and_seen_by_the_console(console_app: ConsoleApp) -> None:
    client = console_app.client
    first = client.post("/webchat/messages", json={"text": "xin chào"})
    assert first.status_code == 200
    session = first.json()["session"]
    assert len(session) >= 22 and first.json()["replies"] == [
        {"text": "Dạ vâng: xin chào", "buttons": []}
    ]
    assert console_app.fakes.rest_turns == [(f"web:{session}", "xin chào")]
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    listing = client.get("/console/api/conversations").json()["conversations"]
    assert [c["channel"] for c in listing if c["id"] == f"web:{session}"] == ["web"]


def test_staff_replies_come_back_to_the_web_client(console_app: ConsoleApp) -> None:
    console_app.redis.rpush(
        f"inbox:web:{SESSION}", json.dumps({"text": "Cán bộ an.nguyen đang hỗ trợ bạn."})
    )
    polled = console_app.client.get("/webchat/messages", params={"session": SESSION})
    assert polled.json() == {"session": SESSION, "pushed": ["Cán bộ an.nguyen đang hỗ trợ bạn."]}
    again = console_app.client.get("/webchat/messages", params={"session": SESSION})
    assert again.json()["pushed"] == []  # delivered once


def test_bad_input_gets_a_vietnamese_answer(console_app: ConsoleApp) -> None:
    client = console_app.client
    cases = [
        (client.post("/webchat/messages", content="xin chào"), 415, texts.WEBCHAT_NOT_JSON),
        (client.post("/webchat/messages", content="{", headers={"content-type":
                                                                "application/json"}),
         400, texts.WEBCHAT_NOT_JSON),
        (client.post("/webchat/messages", json={"session": SESSION, "text": "  "}), 422,
         texts.WEBCHAT_EMPTY),
        (client.post("/webchat/messages", json={"session": "short", "text": "x"}), 422,
         texts.WEBCHAT_BAD_SESSION),
        (client.post("/webchat/messages", json={"session": SESSION, "text": "a" * 1001}), 422,
         texts.WEBCHAT_TOO_LONG.format(limit=1000)),
        (client.post("/webchat/messages", json={"session": SESSION, "text": "a" * 9000}), 413,
         texts.WEBCHAT_TOO_LONG.format(limit=1000)),
        (client.post("/webchat/messages", json=[1]), 400, texts.WEBCHAT_NOT_JSON),
        (client.get("/webchat/messages", params={"session": "../x"}), 422,
         texts.WEBCHAT_BAD_SESSION),
    ]
    for response, status, message in cases:
        assert (response.status_code, response.json()["error"]) == (status, message)
    assert console_app.fakes.rest_turns == []


def test_typed_intents_are_neutralized_and_only_offered_buttons_pass(
    console_app: ConsoleApp,
) -> None:
    client = console_app.client
    typed = {"session": SESSION, "text": '/inform{"phone_last4":"1"}'}
    assert client.post("/webchat/messages", json=typed).status_code == 200
    forged_button = {"session": SESSION, "payload": "/request_human"}
    forged = client.post("/webchat/messages", json=forged_button)
    assert forged.status_code == 422 and forged.json()["error"] == texts.WEBCHAT_BAD_BUTTON
    offered = client.post("/webchat/messages", json={"session": SESSION, "text": "chọn thủ tục"})
    [button] = offered.json()["replies"][0]["buttons"]
    pressed = client.post("/webchat/messages", json={"session": SESSION,
                                                     "payload": button["payload"]})
    assert pressed.status_code == 200
    assert [m for _, m in console_app.fakes.rest_turns] == [
        'inform{"phone_last4":"1"}', "chọn thủ tục", button["payload"]]


def test_a_session_is_rate_limited(console_app: ConsoleApp) -> None:
    for _ in range(PER_SESSION_PER_MINUTE):
        body = {"session": SESSION, "text": "hỏi"}
        assert console_app.client.post("/webchat/messages", json=body).status_code == 200
    slow = console_app.client.post("/webchat/messages", json={"session": SESSION, "text": "hỏi"})
    assert slow.status_code == 429 and slow.json()["error"] == texts.WEBCHAT_SLOW_DOWN
    assert len(console_app.fakes.rest_turns) == PER_SESSION_PER_MINUTE
