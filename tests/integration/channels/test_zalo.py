"""Zalo end to end: fake OpenAPI/OAuth → gateway process(es) → real Rasa, actions, core API,
Redis; the token refresh is checked across two gateway processes sharing Redis."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from stack.services import Stack
from tests.fakes.gateway import Gateway, start_gateway
from tests.fakes.payloads import load
from tests.fakes.zalo import FakeZalo
from tests.integration.channels.conftest import (
    BUTTON_QUESTIONS,
    ZaloCitizen,
    last_user_message,
    skip_unless_rest_has_buttons,
)

pytestmark = pytest.mark.integration

DEMO_CODE = "000.00.17.G17-241219-0001"
DEMO_DIGITS = "5678"


@pytest.fixture
def citizen(gateway: Gateway, fake_zalo: FakeZalo) -> ZaloCitizen:
    return ZaloCitizen(gateway, fake_zalo)


@pytest.fixture(scope="module")
def second_gateway(
    gateway: Gateway, channel_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    """Another process of the same gateway, sharing Redis (as behind a load balancer)."""
    running = start_gateway("gateway-2", channel_env, tmp_path_factory.mktemp("gateway-2-logs"))
    yield running
    running.stop()


def test_full_procedure_conversation(citizen: ZaloCitizen) -> None:
    info = citizen.say("thủ tục đăng ký nhãn hiệu như thế nào?")
    assert "Đăng ký nhãn hiệu" in info and "Cơ quan giải quyết" in info
    assert "Giấy tờ cần chuẩn bị" in citizen.say("cần giấy tờ gì")


def test_status_look_up(citizen: ZaloCitizen) -> None:
    ask = citizen.say(f"hồ sơ {DEMO_CODE} đến đâu rồi?")
    assert "4 số cuối" in ask and "Trạng thái" not in ask
    status = citizen.say(DEMO_DIGITS)
    assert "Trạng thái" in status and DEMO_CODE in status


def test_follow_gets_a_welcome(citizen: ZaloCitizen) -> None:
    follow = load("zalo_follow.json")
    follow["follower"]["id"] = citizen.user_id
    [welcome] = citizen.send(follow)
    assert "trợ lý ảo" in welcome["text"]


def test_buttons_are_query_actions_and_a_tap_answers(citizen: ZaloCitizen, stack: Stack) -> None:
    sent: list[dict[str, object]] = []
    with_buttons: list[dict[str, object]] = []
    for question in BUTTON_QUESTIONS:
        sent = citizen.send(citizen.event(question))
        with_buttons = [m for m in sent if "attachment" in m]
        if with_buttons:
            break
    if not with_buttons:
        skip_unless_rest_has_buttons(stack, sent)
    buttons = with_buttons[-1]["attachment"]["payload"]["buttons"]  # type: ignore[index]
    assert all(b["type"] == "oa.query.show" for b in buttons)
    assert citizen.say(buttons[0]["payload"])  # what Zalo delivers when the button is tapped
    tapped = last_user_message(stack, f"zalo:{citizen.user_id}")
    assert tapped["text"].startswith("/")  # mapped back from the title to the Rasa payload
    assert tapped["metadata"]["channel"] == "zalo"


def test_duplicated_delivery_is_answered_once(citizen: ZaloCitizen, fake_zalo: FakeZalo) -> None:
    event = citizen.event("xin chào")
    body, headers = fake_zalo.signed(event)
    http = citizen.gateway.http
    responses = [http.post("/webhooks/zalo", content=body, headers=headers) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    fake_zalo.wait_delivered(citizen.user_id)
    time.sleep(1.5)
    assert len(fake_zalo.delivered_to(citizen.user_id)) == 1


def test_signature_failures_are_refused_and_nothing_is_processed(
    citizen: ZaloCitizen, fake_zalo: FakeZalo
) -> None:
    http = citizen.gateway.http
    body, headers = fake_zalo.signed(citizen.event("xin chào"))
    assert (
        http.post(
            "/webhooks/zalo", content=body, headers={"Content-Type": "application/json"}
        ).status_code
        == 401
    )
    assert (
        http.post(
            "/webhooks/zalo", content=body.replace(b"xin", b"XIN"), headers=headers
        ).status_code
        == 401
    )
    stale = citizen.post(citizen.event("xin chào"), timestamp_ms=int((time.time() - 600) * 1000))
    assert stale.status_code == 401
    time.sleep(1.0)
    assert fake_zalo.sends.for_key(citizen.user_id) == []


def test_unknown_events_and_garbage_never_crash(citizen: ZaloCitizen) -> None:
    http = citizen.gateway.http
    seen = {
        "event_name": "user_seen_message",
        "sender": {"id": citizen.user_id},
        "message": {"msg_ids": ["1"]},
    }
    assert citizen.post(seen).json() == {"ok": True, "ignored": True}
    assert (
        citizen.post({"event_name": "oa_send_text", "weird": [1, {"x": None}]}).status_code == 200
    )
    assert (
        http.post(
            "/webhooks/zalo", content=b"\x00\xff", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert http.post("/webhooks/zalo", content=b"x" * 5_000_000).status_code == 413
    assert "trợ lý ảo" in citizen.say("xin chào")


def test_token_expiry_twenty_concurrent_sends_one_refresh_across_two_processes(
    gateway: Gateway, second_gateway: Gateway, fake_zalo: FakeZalo
) -> None:
    citizens = [ZaloCitizen(gateway if i % 2 else second_gateway, fake_zalo) for i in range(20)]
    refreshes_before = len(fake_zalo.refreshes.all())
    fake_zalo.expire_access_token()
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda c: c.post(c.event("xin chào")), citizens))
    assert all(r.status_code == 200 for r in responses)
    for c in citizens:
        [delivered] = fake_zalo.wait_delivered(c.user_id, 1, timeout_s=60)
        assert "trợ lý ảo" in delivered.params["message"]["text"]
    assert len(fake_zalo.refreshes.all()) == refreshes_before + 1
    ours = {c.user_id for c in citizens}
    refused = [c for c in fake_zalo.sends.all() if c.key in ours and not c.params["accepted"]]
    assert len(refused) <= len(citizens)  # each send refused at most once (-216), then retried


def test_a_reply_outside_the_free_window_is_recorded_for_staff_not_sent(
    channel_env: dict[str, str],
    fake_zalo: FakeZalo,
    stack: Stack,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A gateway whose window budget is 0 stands for a reply that falls outside the window."""
    assert stack.redis_url
    closed = start_gateway(
        "gateway-closed-window",
        {**channel_env, "ZALO_REPLY_WINDOW_MAX": "0"},
        tmp_path_factory.mktemp("gateway-3-logs"),
    )
    client = redis.Redis.from_url(stack.redis_url, decode_responses=True)
    try:
        citizen = ZaloCitizen(closed, fake_zalo)
        assert citizen.post(citizen.event("xin chào")).status_code == 200
        deadline = time.monotonic() + 30
        while True:
            entries = [json.loads(e) for e in client.lrange("staff:undelivered", 0, -1)]
            mine = [e for e in entries if e["conversation_id"] == f"zalo:{citizen.user_id}"]
            if mine or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert mine and "trợ lý ảo" in mine[0]["text"]
        assert mine[0]["reason"] == "outside_window"
        assert fake_zalo.sends.for_key(citizen.user_id) == []
    finally:
        client.close()
        closed.stop()
