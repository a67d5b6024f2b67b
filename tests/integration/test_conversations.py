"""Every flow of the core assistant, end to end over Rasa's REST channel."""

from __future__ import annotations

import json
import re

import pytest

from tests.integration.conftest import Citizen

pytestmark = pytest.mark.integration

DEMO_CODE = "000.00.17.G17-241219-0001"
DEMO_DIGITS = "5678"


def test_greeting_says_what_the_assistant_can_do(citizen: Citizen) -> None:
    reply = citizen.text("xin chào")
    assert "trợ lý ảo" in reply and "tình trạng hồ sơ" in reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("cảm ơn bạn nhiều nhé", "không có gì"),
        ("tạm biệt", "Cảm ơn bạn đã liên hệ"),
        ("bạn là người thật hay máy vậy", "trợ lý ảo (chương trình máy tính)"),
        ("cho tôi gặp cán bộ", "gặp cán bộ"),
        ("thời tiết hà nội hôm nay thế nào", "ngoài phạm vi"),
    ],
)
def test_small_talk(citizen: Citizen, message: str, expected: str) -> None:
    assert expected in citizen.text(message)


def test_procedure_lookup(citizen: Citizen) -> None:
    reply = citizen.text("thủ tục đăng ký nhãn hiệu như thế nào?")
    assert "Đăng ký nhãn hiệu" in reply
    for part in ("Lĩnh vực", "Cơ quan giải quyết", "Cách nộp"):
        assert part in reply


def test_checklist_is_numbered_without_diacritics(citizen: Citizen) -> None:
    reply = citizen.text("dang ky nhan hieu can giay to gi")
    assert "Giấy tờ cần chuẩn bị cho thủ tục Đăng ký nhãn hiệu" in reply
    assert re.search(r"^1\. .+", reply, re.MULTILINE)
    assert re.search(r"^2\. .+", reply, re.MULTILINE)


def test_fee_and_time(citizen: Citizen) -> None:
    fee = citizen.text("lệ phí đăng ký sáng chế hết bao nhiêu tiền?")
    assert "Lệ phí thủ tục" in fee and "sáng chế" in fee.lower()
    assert "đồng" in fee or "chưa xác minh" in fee
    time_reply = citizen.text("cấp mã số mã vạch mất bao lâu")
    assert "Thời hạn giải quyết thủ tục" in time_reply and "mã vạch" in time_reply.lower()


def test_follow_up_keeps_the_procedure(citizen: Citizen) -> None:
    citizen.text("thủ tục đăng ký nhãn hiệu như thế nào?")
    reply = citizen.text("thế còn lệ phí bao nhiêu?")
    assert "Lệ phí thủ tục Đăng ký nhãn hiệu" in reply


def test_ambiguous_question_offers_three_buttons_that_work(citizen: Citizen) -> None:
    replies = citizen.say("cho tôi hỏi về giấy phép")
    buttons = [b for r in replies for b in (r.get("buttons") or [])]
    if not buttons:
        pytest.fail(f"expected candidate buttons, got {replies}")
    assert 2 <= len(buttons) <= 3
    payload = buttons[0]["payload"]
    assert payload.startswith("/ask_procedure{")
    chosen = json.loads(payload[len("/ask_procedure") :])["procedure_code"]
    answer = citizen.text(payload)
    assert buttons[0]["title"] in answer, (chosen, answer)


def test_status_needs_the_phone_digits(citizen: Citizen) -> None:
    first = citizen.text(f"hồ sơ {DEMO_CODE} đến đâu rồi?")
    assert "4 số cuối" in first
    assert "Trạng thái" not in first
    reply = citizen.text(DEMO_DIGITS)
    for part in ("Trạng thái", "Đơn vị đang xử lý", "Hạn trả kết quả", "Bước tiếp theo"):
        assert part in reply
    assert DEMO_CODE in reply


def test_status_in_one_message_and_lower_case(citizen: Citizen) -> None:
    reply = citizen.text(f"tra cứu hồ sơ {DEMO_CODE.lower()} số điện thoại đuôi {DEMO_DIGITS}")
    if "4 số cuối" in reply and "Trạng thái" not in reply:
        reply = citizen.text(DEMO_DIGITS)
    assert "Trạng thái" in reply


def test_wrong_digits_count_down_then_lock_the_code(citizen: Citizen) -> None:
    citizen.text(f"kiểm tra tình trạng hồ sơ {DEMO_CODE}")
    for remaining in (4, 3, 2, 1):
        assert f"còn {remaining} lần" in citizen.text("0000")
    locked = citizen.text("0000")
    assert "khóa" in locked
    # Even the right digits do not open a locked code in this conversation.
    again = citizen.text(f"hồ sơ {DEMO_CODE} đến đâu rồi")
    if "4 số cuối" in again:
        again = citizen.text(DEMO_DIGITS)
    assert "khóa" in again and "Trạng thái" not in again


def test_unknown_code(citizen: Citizen) -> None:
    reply = citizen.text("hồ sơ 000.00.01.G06-200101-9999 đến đâu rồi")
    assert "Không tìm thấy hồ sơ" in reply


def test_cancel_leaves_the_status_form(citizen: Citizen) -> None:
    citizen.text(f"hồ sơ {DEMO_CODE} đến đâu rồi")
    assert "dừng" in citizen.text("thôi")
    replies = citizen.say("thủ tục cấp giấy phép bưu chính")
    shown = " ".join(
        [str(r.get("text", "")) for r in replies]
        + [str(b.get("title", "")) for r in replies for b in (r.get("buttons") or [])]
    )
    assert "bưu chính" in shown.lower()


BAD_INPUTS = [
    "",
    " ",
    "a" * 10_000,
    "😀😀😀🙏",
    "<script>alert('x')</script>",
    "'; DROP TABLE applications; --",
    "请问商标注册需要什么材料",
    "1234567890",
    "\u0000\u200b\ufeff",
    '{"intent": "x"}',
]


@pytest.mark.parametrize("message", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_gets_an_answer_and_the_server_keeps_serving(
    citizen: Citizen, message: str
) -> None:
    replies = citizen.say(message)
    if message.strip(" \u0000\u200b\ufeff"):
        assert replies, "a non-empty message must get an answer"
        assert all(r.get("text") for r in replies)
        assert "<script>" not in json.dumps(replies)
    assert "trợ lý ảo" in citizen.text("xin chào")


MALFORMED_BODIES = [
    b"",
    b"null",
    b"[]",
    b'"xin ch\xc3\xa0o"',
    b"42",
    b'{"sender": ["a"], "message": "xin ch\xc3\xa0o"}',
    b'{"sender": true, "message": "xin ch\xc3\xa0o"}',
    b'{"sender": "x", "message": {"text": "hi"}}',
    b'{"sender": "x", "message": "hi", "metadata": []}',
    b'{"sender": "x", "message": "hi", "input_channel": 7}',
    b"{not json",
]


@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=range(len(MALFORMED_BODIES)))
def test_a_malformed_body_is_refused_not_crashed_on(citizen: Citizen, body: bytes) -> None:
    """Rasa's own REST channel answers 500 to these; ours (connectors/rest_input.py) 400."""
    response = citizen.http.post(
        "/webhooks/rest/webhook", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "trợ lý ảo" in citizen.text("xin chào")
