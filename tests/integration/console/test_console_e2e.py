"""Sign in, see a Telegram citizen's message arrive live, take over, reply, hand back, and
the assistant answers again; plus anonymous refusal against the real process."""

from __future__ import annotations

import asyncio
import html
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from connectors.console import texts
from connectors.outbox import Outbox, OutboxJob
from stack.services import Stack
from tests.fakes.gateway import Gateway
from tests.fakes.telegram import FakeTelegram
from tests.integration.channels.conftest import TelegramCitizen
from tests.integration.console.conftest import AGENT, ARTIFACTS, PASSWORD, SUPERVISOR

pytestmark = pytest.mark.integration


def _received(fake: FakeTelegram, user_id: int, text: str, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(html.unescape(c.params.get("text", "")) == text for c in fake.sent_to(user_id)):
            return
        time.sleep(0.1)
    sent = [c.params.get("text") for c in fake.sent_to(user_id)]
    raise AssertionError(f"the citizen never received {text!r}; got {sent}")


def test_anonymous_requests_are_refused(console_gateway: Gateway) -> None:
    http = console_gateway.http
    assert http.get("/console", follow_redirects=False).status_code == 303
    assert http.get("/console/api/conversations").status_code == 401
    assert http.get("/console/api/stream").status_code == 401
    assert http.post("/console/api/status", json={"code": "x"}).status_code == 401


def _signed_in(browser: Any, gateway: Gateway, username: str = AGENT) -> Any:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{gateway.url}/console")
    assert page.url.endswith("/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#live:has-text('Trực tuyến')")
    return page


def _paused(stack: Stack, cid: str) -> bool:
    """What Rasa itself holds for the conversation (not the console's own state)."""
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{cid}/tracker",
        params={"token": stack.config.auth_token, "include_events": "NONE"},
        timeout=10.0,
    )
    paused: bool = response.json()["paused"]
    return paused


def test_take_over_reply_and_hand_back(
    console_gateway: Gateway, fake_telegram: FakeTelegram, browser: Any, stack: Stack
) -> None:
    page = _signed_in(browser, console_gateway)

    citizen = TelegramCitizen(console_gateway, fake_telegram)
    answer = citizen.say("tôi muốn gặp cán bộ")
    assert texts.QUEUED.format(position=1)[:30] in answer, answer
    row = page.locator(f"#conversations tr[data-id='telegram:{citizen.user_id}']")
    row.wait_for()
    assert row.get_attribute("data-state") == "waiting"
    page.screenshot(path=str(ARTIFACTS / "1-waiting.png"))

    row.click()
    page.click("#take")
    page.wait_for_selector(f"tr[data-id='telegram:{citizen.user_id}'][data-state='staff']")
    _received(fake_telegram, citizen.user_id, texts.TAKEN_OVER.format(agent=AGENT))
    assert _paused(stack, f"telegram:{citizen.user_id}")

    hostile = "<script>window.pwned=1</script><b>đậm</b> còn ai không?"
    assert citizen.post(citizen.update(hostile)).status_code == 200
    page.locator("#transcript li", has_text="window.pwned").wait_for()
    assert page.locator("#transcript script, #transcript b").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert hostile in page.locator("#transcript").inner_text()

    page.fill("#reply-text", "Chào bạn, cán bộ đây. Bạn cần giúp gì?")
    page.click("#reply-send")
    _received(fake_telegram, citizen.user_id, "Chào bạn, cán bộ đây. Bạn cần giúp gì?")
    page.screenshot(path=str(ARTIFACTS / "2-with-staff.png"))

    page.click("#release")
    _received(fake_telegram, citizen.user_id, texts.HANDED_BACK)
    page.wait_for_selector(f"tr[data-id='telegram:{citizen.user_id}'][data-state='bot']")
    assert not _paused(stack, f"telegram:{citizen.user_id}")
    again = citizen.say("lệ phí đăng ký nhãn hiệu là bao nhiêu")
    assert again.strip() and texts.HANDED_BACK not in again
    page.locator("#transcript li", has_text="lệ phí đăng ký nhãn hiệu").wait_for()
    page.screenshot(path=str(ARTIFACTS / "3-handed-back.png"))
    page.close()


def test_new_apis_refuse_anonymous(console_gateway: Gateway) -> None:
    http = console_gateway.http
    for path in ("/console/api/intents", "/console/api/review", "/console/api/review/export",
                 "/console/api/submissions"):
        assert http.get(path).status_code == 401, path
    for path in ("/console/api/ask", "/console/api/submissions/x/handled",
                 "/console/api/conversations/telegram:1/flag"):
        assert http.post(path, json={}).status_code == 401, path


def test_intent_shown_flagged_and_exported(
    console_gateway: Gateway, fake_telegram: FakeTelegram, browser: Any
) -> None:
    page = _signed_in(browser, console_gateway)
    citizen = TelegramCitizen(console_gateway, fake_telegram)
    question = "lệ phí đăng ký nhãn hiệu là bao nhiêu"
    assert citizen.say(question).strip()
    page.locator(f"#conversations tr[data-id='telegram:{citizen.user_id}']").click()
    said = page.locator("#transcript li.from-user", has_text=question)
    said.locator(".intent").wait_for()
    assert said.locator(".intent").inner_text().startswith("ask_fee ")  # name and percentage
    said.locator("button.flag").click()
    page.select_option("#flag-intent", "ask_processing_time")
    page.click("#flag-send")
    page.wait_for_selector("#flag-result:has-text('Đã gửi')")
    page.screenshot(path=str(ARTIFACTS / "4-intent-flagged.png"))
    # An agent may not read the review queue; the supervisor exports it as NLU data.
    assert page.evaluate("fetch('/console/api/review/export').then(r => r.status)") == 403
    page.close()

    supervisor = _signed_in(browser, console_gateway, SUPERVISOR)
    supervisor.click("#review-go")
    supervisor.wait_for_selector(f"#review-result:has-text('{question}')")
    exported = supervisor.evaluate("fetch('/console/api/review/export').then(r => r.text())")
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().reads(exported)
    assert (question, "ask_processing_time") in [
        (m.get("text"), m.get("intent")) for m in data.intent_examples
    ]
    supervisor.close()


def test_procedure_answer_in_the_panel(console_gateway: Gateway, browser: Any) -> None:
    page = _signed_in(browser, console_gateway)
    page.fill("#ask-question", "đăng ký nhãn hiệu hết bao nhiêu tiền")
    page.click("#ask-go")
    page.wait_for_selector("#ask-result:has-text('Lệ phí thủ tục Đăng ký nhãn hiệu')")
    result = page.locator("#ask-result").inner_text()
    assert "Giấy tờ cần chuẩn bị" in result and "Thời hạn giải quyết" in result
    page.screenshot(path=str(ARTIFACTS / "5-procedure-answer.png"))
    page.close()


def test_handed_submission_visible_and_marked_handled(
    console_gateway: Gateway, stack: Stack, browser: Any
) -> None:
    page = _signed_in(browser, console_gateway)
    job = OutboxJob(
        id=f"e2e-{time.time_ns()}",
        payload={"procedure_code": "TCDL-01",
                 "applicant": {"full_name": "Trần Thị Bình", "phone": "0987654321"}},
        sender_id="telegram:42424242",
        procedure_name="Cấp mã số mã vạch",
        attempts=20,
    )

    async def hand_over() -> None:
        redis = Redis.from_url(str(stack.redis_url))
        await Outbox(redis).hand_to_staff(job, "core API unavailable")
        await redis.close()

    # Playwright's sync API owns this thread's event loop: the real Outbox runs in another.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, hand_over()).result()
    row = page.locator(f"#submissions tr[data-id='{job.id}']")
    row.wait_for()
    assert "Trần T. B." in row.inner_text() and "0987654321" not in page.content()
    page.wait_for_selector("#conversations tr[data-id='telegram:42424242'][data-state='waiting']")
    row.locator("button.handled-go").click()
    page.wait_for_selector(f"#submissions tr.handled[data-id='{job.id}']")
    page.screenshot(path=str(ARTIFACTS / "6-handed-submission.png"))
    page.close()


def test_out_of_hours_message_is_left_for_staff(
    closed_gateway: Gateway, fake_telegram: FakeTelegram, browser: Any
) -> None:
    citizen = TelegramCitizen(closed_gateway, fake_telegram)
    answer = citizen.say("tôi muốn gặp cán bộ")
    assert texts.CLOSED.format(when="07:30 thứ Hai, 07/12/2026") in answer, answer
    ack = citizen.say("Tôi cần hỏi về hồ sơ mã vạch, xin gọi lại giúp")
    assert ack.strip() == texts.MESSAGE_LEFT.format(when="07:30 thứ Hai, 07/12/2026")

    page = _signed_in(browser, closed_gateway)
    page.wait_for_selector("#closed:not([hidden])")
    mine = page.locator(f"#conversations tr[data-id='telegram:{citizen.user_id}']")
    mine.wait_for()
    assert mine.get_attribute("data-left") == "1"
    # Conversations with left messages come before all others (other tests sharing this
    # Redis may have left some too).
    flags = page.eval_on_selector_all(
        "#conversations tbody tr", "rows => rows.map(r => r.dataset.left === '1')"
    )
    assert flags == sorted(flags, reverse=True) and flags[0]
    mine.click()
    page.locator("#transcript li", has_text="xin gọi lại giúp").locator(".left-badge").wait_for()
    page.screenshot(path=str(ARTIFACTS / "7-left-out-of-hours.png"))
    page.close()
    # The citizen may go back to the assistant meanwhile; staff still see the left message.
    assert citizen.say("trợ lý ảo").strip() == texts.BACK_TO_ASSISTANT
    assert "Lệ phí thủ tục Đăng ký nhãn hiệu" in citizen.say("lệ phí đăng ký nhãn hiệu")


def test_web_chat_goes_through_the_gateway_and_shows_in_the_console(
    console_gateway: Gateway, browser: Any
) -> None:
    page = _signed_in(browser, console_gateway)
    sent = console_gateway.http.post(
        "/webchat/messages", json={"text": "thời hạn giải quyết đăng ký nhãn hiệu"}
    )
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert "Thời hạn giải quyết thủ tục Đăng ký nhãn hiệu" in body["replies"][0]["text"]
    row = page.locator(f"#conversations tr[data-id='web:{body['session']}']")
    row.wait_for()
    row.click()
    page.locator("#transcript li.from-user .intent", has_text="ask_processing_time").wait_for()
    page.close()
