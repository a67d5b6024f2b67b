"""Rasa's REST output becomes channel-neutral replies (reference payloads of shared/)."""

from __future__ import annotations

from connectors.gateway.replies import Button, Reply, from_rasa
from tests.fakes.payloads import load


def test_reference_text_and_image() -> None:
    assert from_rasa(load("rasa_rest_response.json")) == [
        Reply(text="Hey Rasa!"),
        Reply(image="http://example.com/image.jpg"),
    ]


def test_reference_buttons_stay_under_their_text() -> None:
    assert from_rasa(load("rasa_rest_response_buttons.json")) == [
        Reply(
            text="Hey! How are you?",
            buttons=(Button("great", "/mood_great"), Button("super sad", "/mood_unhappy")),
        )
    ]


def test_rasa_paragraphs_are_joined_back_into_one_reply() -> None:
    raw = [
        {"recipient_id": "u", "text": "📄 Đăng ký nhãn hiệu"},
        {"recipient_id": "u", "text": "Lưu ý: lệ phí chưa xác minh"},
        {
            "recipient_id": "u",
            "text": "Chọn thủ tục:",
            "buttons": [{"title": "A", "payload": "/a"}],
        },
        {"recipient_id": "u", "text": "Còn gì nữa không?"},
    ]
    assert from_rasa(raw) == [
        Reply(
            text="📄 Đăng ký nhãn hiệu\n\nLưu ý: lệ phí chưa xác minh\n\nChọn thủ tục:",
            buttons=(Button("A", "/a"),),
        ),
        Reply(text="Còn gì nữa không?"),
    ]


def test_empty_and_odd_items_are_skipped() -> None:
    assert from_rasa([]) == []
    assert from_rasa([{"custom": {"x": 1}}, {"text": "  "}, {"buttons": "nope"}]) == []
