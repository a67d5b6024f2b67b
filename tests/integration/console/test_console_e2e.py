"""Sign in, see a Telegram citizen's message arrive live, take over, reply, hand back, and
the assistant answers again; plus anonymous refusal against the real process."""

from __future__ import annotations

import html
import time
from typing import Any

import pytest

from connectors.console import texts
from tests.fakes.gateway import Gateway
from tests.fakes.telegram import FakeTelegram
from tests.integration.channels.conftest import TelegramCitizen
from tests.integration.console.conftest import AGENT, ARTIFACTS, PASSWORD

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


def test_take_over_reply_and_hand_back(
    console_gateway: Gateway, fake_telegram: FakeTelegram, browser: Any
) -> None:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{console_gateway.url}/console")
    assert page.url.endswith("/console/login")
    page.fill("#username", AGENT)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#live:has-text('Trực tuyến')")

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
    again = citizen.say("lệ phí đăng ký nhãn hiệu là bao nhiêu")
    assert again.strip() and texts.HANDED_BACK not in again
    page.locator("#transcript li", has_text="lệ phí đăng ký nhãn hiệu").wait_for()
    page.screenshot(path=str(ARTIFACTS / "3-handed-back.png"))
    page.close()
