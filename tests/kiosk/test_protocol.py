"""Frames the page may send, and everything else refused."""

from __future__ import annotations

import pytest

from connectors.kiosk.protocol import ProtocolError, TextTooLong, parse


def test_valid_frames_parse() -> None:
    assert parse('{"type": "text", "text": "lệ phí"}', 100).text == "lệ phí"
    assert parse('{"type": "confirm", "yes": false}', 100).yes is False
    start = parse('{"type": "audio_start", "mime": "audio/webm;codecs=opus"}', 100)
    assert start.mime == "audio/webm;codecs=opus"
    assert parse('{"type": "handover"}', 100).type == "handover"


@pytest.mark.parametrize(
    "frame",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"type": "eval"}',
        '{"text": "no type"}',
        '{"type": "text", "text": 5}',
        '{"type": "text"}',
        '{"type": "button", "payload": ["/request_human"]}',
        '{"type": "confirm", "yes": "yes"}',
        '{"type": "audio_start", "mime": "text/html"}',
        '{"type": "audio_start", "mime": "audio/webm;codecs=opus\\r\\nX-Evil: 1"}',
        '{"type": "audio_start"}',
    ],
)
def test_malformed_frames_are_refused(frame: str) -> None:
    with pytest.raises(ProtocolError):
        parse(frame, 100)


def test_long_text_is_told_apart() -> None:
    with pytest.raises(TextTooLong):
        parse('{"type": "text", "text": "' + "a" * 101 + '"}', 100)
