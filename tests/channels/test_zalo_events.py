"""Zalo events parsed from the reference payloads."""

from __future__ import annotations

from connectors.gateway.inbound import Attachment
from connectors.zalo.events import parse_event
from tests.fakes.payloads import load


def test_text() -> None:
    event = parse_event(load("zalo_user_send_text.json"))
    assert event is not None
    assert (event.name, event.user_id, event.text) == (
        "user_send_text",
        "246845883529197922",
        "message",
    )
    assert event.msg_id == "96d3cdf3af150460909" == event.delivery_id
    assert event.timestamp == "154390853474"


def test_image_file_and_audio_become_attachments() -> None:
    image = parse_event(load("zalo_user_send_image.json"))
    assert image is not None and image.attachments == (
        Attachment(kind="image", url="https://zalo-image-url.com/full-res.jpg"),
    )
    file = parse_event(load("zalo_user_send_file.json"))
    assert file is not None and file.attachments == (
        Attachment(
            kind="document",
            file_name="hoadon_20260225.xml",
            mime_type="application/xml",
            size=15234,
            url="https://zalo-file-url.com/hoadon.xml",
        ),
    )
    audio = load("zalo_user_send_audio_minimal.json")
    assert parse_event(audio) is None  # no sender: nobody to answer
    audio["sender"] = {"id": "42"}
    parsed = parse_event(audio)
    assert parsed is not None
    assert parsed.attachments[0].kind == "voice"
    assert parsed.attachments[0].url == "https://voice-aac-dl.zdn.vn/a/b.aac"


def test_file_size_as_string_and_type_as_extension() -> None:
    data = load("zalo_user_send_file.json")
    data["message"]["attachments"][0]["payload"].update(size="2048", type="docx")
    event = parse_event(data)
    assert event is not None
    assert event.attachments[0].size == 2048
    assert event.attachments[0].mime_type is not None and "word" in event.attachments[0].mime_type


def test_follow_and_unfollow_use_the_follower() -> None:
    follow = parse_event(load("zalo_follow.json"))
    assert follow is not None and (follow.name, follow.user_id) == ("follow", "24684588352919792")
    assert follow.delivery_id == "follow:24684588352919792:154397978274"
    unfollow = parse_event(load("zalo_unfollow.json"))
    assert unfollow is not None and unfollow.name == "unfollow"


def test_location_is_a_message_the_assistant_cannot_read() -> None:
    event = parse_event(load("zalo_user_send_location.json"))
    assert event is not None and event.name == "user_send_location"
    assert event.attachments == ()


def test_other_events_and_garbage_are_ignored() -> None:
    assert parse_event(load("zalo_user_submit_info.json")) is None
    assert parse_event({"event_name": "user_seen_message", "sender": {"id": "1"}}) is None
    assert parse_event({}) is None
    assert parse_event({"event_name": "user_send_text", "sender": "x", "message": {}}) is None
    assert (
        parse_event({"event_name": "user_send_text", "sender": {"id": "1"}, "message": []}) is None
    )
    assert parse_event({"event_name": "follow", "follower": None}) is None


def test_an_event_name_that_is_not_a_string_is_ignored() -> None:
    """Found by the fuzz run: a list or dict event_name made the signed webhook answer 500."""
    for name in ([], {"a": {}}, 5, None):
        event = load("zalo_user_send_text.json")
        event["event_name"] = name
        assert parse_event(event) is None
