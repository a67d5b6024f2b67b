"""Replies as blocks: checklists become ticked lists, steps numbered lists; text stays text."""

from __future__ import annotations

from connectors.gateway.replies import Button, Reply
from connectors.kiosk.render import answer, blocks, speech


def test_checklist_lines_become_ticked_and_numbered_lists() -> None:
    text = (
        "✅ Đã có:\n• Tờ khai\n• Mẫu nhãn\n\n"
        "❌ Còn thiếu (bắt buộc):\n- Chứng từ lệ phí\n1. Nộp\n2. Nhận"
    )
    assert blocks(text) == [
        {"kind": "p", "text": "✅ Đã có:"},
        {"kind": "ticks", "items": ["Tờ khai", "Mẫu nhãn"]},
        {"kind": "p", "text": "❌ Còn thiếu (bắt buộc):"},
        {"kind": "ticks", "items": ["Chứng từ lệ phí"]},
        {"kind": "steps", "items": ["Nộp", "Nhận"]},
    ]


def test_markup_is_passed_as_data_untouched() -> None:
    assert blocks("<script>alert(1)</script>") == [
        {"kind": "p", "text": "<script>alert(1)</script>"}
    ]


def test_answer_keeps_buttons_and_drops_image_only_replies() -> None:
    replies = [
        Reply(text="Chọn thủ tục:", buttons=(Button("Nhãn hiệu", "/choose{}"),)),
        Reply(image="https://example.org/x.png"),
    ]
    assert answer(replies) == [
        {
            "blocks": [{"kind": "p", "text": "Chọn thủ tục:"}],
            "buttons": [{"title": "Nhãn hiệu", "payload": "/choose{}"}],
        }
    ]
    assert speech([*replies, Reply(text="Cảm ơn bác.")]) == "Chọn thủ tục:\n\nCảm ơn bác."
