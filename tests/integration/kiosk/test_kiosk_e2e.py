"""The kiosk page in headless Chromium against the real stack: speak into the (fake)
microphone, see the transcript and the answer, hear it; typing, a candidate button, the
handover button, hostile text shown as text, and the idle reset."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.kiosk.conftest import ARTIFACTS, IDLE_S, KioskSite, Utterance

pytestmark = pytest.mark.integration

# Counts <audio> "playing" events; Playwright injects it outside the page's CSP.
COUNT_PLAYING = (
    "window.__playing = 0; window.__ended = 0;"
    "document.addEventListener('playing', () => { window.__playing += 1; }, true);"
    "document.addEventListener('ended', () => { window.__ended += 1; }, true);"
)


@pytest.fixture
def page(kiosk_browser: Any, kiosk_site: KioskSite) -> Iterator[Any]:
    context = kiosk_browser.new_context(permissions=["microphone"])
    tab = context.new_page()
    tab.set_default_timeout(45_000)
    tab.add_init_script(COUNT_PLAYING)
    tab.goto(f"{kiosk_site.url}/kiosk")
    tab.wait_for_selector("#state[data-state='idle']")
    yield tab
    context.close()


def until(page: Any, condition: str, arg: Any = None, timeout_s: float = 45.0) -> None:
    """Poll `condition` (a JS function) from here: the page's CSP (no 'unsafe-eval') refuses
    Playwright's in-page polling of wait_for_function, and the test keeps that CSP on."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(condition, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {condition}")
        time.sleep(0.1)


def turn_over(page: Any) -> None:
    until(page, "() => document.body.dataset.turn === 'idle'")


def answer_text(page: Any) -> str:
    until(page, "() => document.querySelector('#answer').innerText.trim().length > 0")
    return str(page.inner_text("#answer"))


def wait_played(page: Any, before: int = 0) -> None:
    until(page, "n => window.__playing > n", before)


def test_speak_see_the_transcript_and_the_answer_and_hear_it(
    page: Any, utterance: Utterance
) -> None:
    page.click("#talk")
    page.wait_for_selector("#state[data-state='listening']")
    assert page.get_attribute("#talk", "aria-pressed") == "true"
    page.screenshot(path=str(ARTIFACTS / "1-listening.png"))
    time.sleep(utterance.seconds)  # the fake microphone plays the question once
    page.click("#talk")
    page.wait_for_selector("#heard:not([hidden])")
    heard = page.inner_text("#heard")
    assert heard.startswith("Bác nói: ") and len(heard) > len("Bác nói: ") + 3, heard
    if page.locator("#choices button", has_text="Đúng rồi").count():
        # Whisper was unsure: the kiosk asked back instead of acting; the visitor confirms.
        page.screenshot(path=str(ARTIFACTS / "2-confirm.png"))
        wait_played(page)
        played = page.evaluate("window.__playing")
        page.click("#choices button:has-text('Đúng rồi')")
        wait_played(page, played)
    else:
        wait_played(page)
    answer = answer_text(page)
    assert "Xin lỗi, hệ thống đang bận" not in answer, answer
    assert page.evaluate("document.getElementById('voice').src.startsWith('blob:')")
    page.screenshot(path=str(ARTIFACTS / "3-answer.png"))
    assert not page.is_disabled("#repeat")
    played = page.evaluate("window.__playing")
    page.click("#repeat")  # "Nghe lại" plays the same answer again
    wait_played(page, played)


def test_typing_a_candidate_button_and_markup_shown_as_text(page: Any) -> None:
    hostile = '<img src=x onerror="window.pwned=1"><b>đậm</b>'
    page.fill("#question", hostile)
    page.click("#send")
    assert page.inner_text("#heard") == "Bác hỏi: " + hostile
    assert answer_text(page)  # whatever the assistant makes of it, it answers
    assert page.locator("#heard img, #heard b, #answer img, #answer b").count() == 0
    assert page.evaluate("() => window.pwned === undefined")

    turn_over(page)
    page.fill("#question", "cho tôi hỏi về giấy phép")
    page.click("#send")
    page.wait_for_selector("#choices button")
    buttons = page.locator("#choices button")
    assert 2 <= buttons.count() <= 3
    title = buttons.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "4-candidates.png"))
    played = page.evaluate("() => window.__playing")
    buttons.first.click()
    until(page, "t => document.querySelector('#answer').innerText.includes(t)", title)
    wait_played(page, played)


def test_documents_answer_is_a_large_list(page: Any) -> None:
    page.fill("#question", "thủ tục cấp mã số mã vạch cần những giấy tờ gì")
    page.click("#send")
    assert answer_text(page)
    items = page.locator("#answer ol.steps li, #answer ul.ticks li")
    assert items.count() >= 2, page.inner_text("#answer")
    assert float(page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")) >= 24
    page.screenshot(path=str(ARTIFACTS / "4b-documents.png"), full_page=True)


def test_handover_button_asks_for_a_person(page: Any) -> None:
    page.click("#handover")
    until(page, "() => document.querySelector('#answer').innerText.includes('gặp cán bộ')")
    # The console watches kiosk conversations too: the visitor is queued for staff.
    until(page, "() => document.querySelector('#answer').innerText.includes('hàng chờ')")
    page.screenshot(path=str(ARTIFACTS / "5-handover.png"))


def test_idle_visitor_screen_is_cleared(page: Any) -> None:
    page.fill("#question", "cảm ơn nhé")  # a short answer: little audio to wait through
    page.click("#send")
    assert answer_text(page)
    wait_played(page)
    # Idle counts from the end of the answer's audio (a slow answer can outlast the timeout).
    until(page, "() => window.__ended > 0", None, 60)
    started = time.monotonic()
    until(
        page, "() => document.querySelector('#answer').childElementCount === 0", None, IDLE_S + 30
    )
    assert time.monotonic() - started >= IDLE_S - 1.5  # not before the visitor went quiet
    assert page.locator("#heard").is_hidden()
    assert page.is_disabled("#repeat")
    assert page.evaluate("document.getElementById('voice').paused")
    page.screenshot(path=str(ARTIFACTS / "6-after-idle.png"))
