"""The kiosk WebSocket against fake Rasa and voice services: happy paths, unsure transcripts,
and malformed, huge, empty and hostile input."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from typing import Any

import pytest
from anyio import run as anyio_run
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from connectors.kiosk import texts
from connectors.settings import KioskSettings
from tests.kiosk.conftest import CHOICE, MP3, SILENT, Fakes, kiosk_app

WEBM = "audio/webm;codecs=opus"


def connect(client: TestClient, **headers: str) -> Any:
    return client.websocket_connect("/kiosk/ws", headers=dict(headers))


def ready(ws: WebSocketTestSession) -> dict[str, Any]:
    message: dict[str, Any] = ws.receive_json()
    assert message["type"] == "ready"
    return message


def until_idle(ws: WebSocketTestSession) -> list[Any]:
    """Frames of one turn, up to its closing {"state": "idle"}; audio as bytes."""
    frames: list[Any] = []
    while True:
        message = ws.receive()
        if message.get("bytes") is not None:
            frames.append(message["bytes"])
            continue
        frame = json.loads(message["text"])
        frames.append(frame)
        if frame == {"type": "state", "state": "idle"}:
            return frames


def of_type(frames: list[Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in frames if isinstance(f, dict) and f.get("type") == kind]


def speak(ws: WebSocketTestSession, audio: bytes, mime: str = WEBM) -> None:
    ws.send_json({"type": "audio_start", "mime": mime})
    for start in range(0, len(audio), 1000):
        ws.send_bytes(audio[start : start + 1000])
    ws.send_json({"type": "audio_end"})


def test_spoken_question_is_transcribed_answered_and_read_aloud(
    client: TestClient, fakes: Fakes
) -> None:
    with connect(client) as ws:
        assert ready(ws)["idle_s"] == 30.0
        speak(ws, b"sure" + b"\x00" * 2500)
        frames = until_idle(ws)
    assert fakes.stt_calls == [(b"sure" + b"\x00" * 2500, WEBM)]
    assert of_type(frames, "heard") == [{"type": "heard", "text": "lệ phí đăng ký nhãn hiệu"}]
    states = [f["state"] for f in of_type(frames, "state")]
    assert states == ["processing", "speaking", "idle"]
    (shown,) = of_type(frames, "answer")
    (reply,) = shown["replies"]  # Rasa's consecutive texts come merged, buttons at the end
    assert {"kind": "ticks", "items": ["Tờ khai <b>đậm</b>", "Mẫu nhãn"]} in reply["blocks"]
    assert reply["blocks"][-1] == {"kind": "p", "text": "Bác chọn:"}
    assert reply["buttons"] == [CHOICE]
    assert of_type(frames, "audio") == [{"type": "audio", "mime": "audio/mpeg", "bytes": len(MP3)}]
    assert frames[-2] == MP3  # the audio frame right before the turn ends
    (call,) = fakes.rasa_calls
    assert re.fullmatch(r"kiosk:[0-9a-f]{32}", call["sender"])
    assert call["message"] == "lệ phí đăng ký nhãn hiệu"
    assert call["metadata"] == {"channel": "kiosk"}
    (tts,) = fakes.tts_calls
    assert tts["slow"] is True and tts["text"].startswith("Bạn cần chuẩn bị:")


def test_unsure_transcript_is_asked_back_before_acting(client: TestClient, fakes: Fakes) -> None:
    with connect(client) as ws:
        ready(ws)
        speak(ws, b"unsure")
        frames = until_idle(ws)
        (question,) = of_type(frames, "confirm")
        assert question["heard"] == "lệ phí mã số mã vạch"
        assert question["text"].startswith("Có phải bác muốn hỏi")
        assert fakes.rasa_calls == []  # nothing acted on yet
        ws.send_json({"type": "confirm", "yes": True})
        frames = until_idle(ws)
        assert of_type(frames, "answer")
        assert [c["message"] for c in fakes.rasa_calls] == ["lệ phí mã số mã vạch"]

        speak(ws, b"unsure")
        until_idle(ws)
        ws.send_json({"type": "confirm", "yes": False})
        frames = until_idle(ws)
        assert of_type(frames, "notice") == [{"type": "notice", "text": texts.SAY_AGAIN}]
        assert len(fakes.rasa_calls) == 1
        ws.send_json({"type": "confirm", "yes": True})  # nothing pending any more
        assert ws.receive_json() == {"type": "notice", "text": texts.BUTTON_EXPIRED}
    assert len(fakes.rasa_calls) == 1


def test_silence_is_asked_again_not_sent_to_the_assistant(client: TestClient, fakes: Fakes) -> None:
    with connect(client) as ws:
        ready(ws)
        speak(ws, b"silence")
        frames = until_idle(ws)
    assert of_type(frames, "notice") == [{"type": "notice", "text": texts.NOT_HEARD, "heard": ""}]
    assert fakes.rasa_calls == []


def test_empty_huge_and_garbled_audio_get_clear_answers(
    client: TestClient, fakes: Fakes, kiosk_settings: KioskSettings
) -> None:
    too_long = texts.TOO_LONG.format(seconds=int(kiosk_settings.max_audio_seconds))
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "audio_start", "mime": WEBM})
        ws.send_json({"type": "audio_end"})
        assert ws.receive_json() == {"type": "notice", "text": texts.EMPTY_AUDIO}
        assert ws.receive_json() == {"type": "state", "state": "idle"}

        speak(ws, b"x" * (kiosk_settings.max_audio_bytes + 1))
        assert ws.receive_json() == {"type": "notice", "text": too_long}
        assert ws.receive_json() == {"type": "state", "state": "idle"}

        speak(ws, b"garbled audio")
        frames = until_idle(ws)
        assert of_type(frames, "notice") == [{"type": "notice", "text": texts.GARBLED}]

        # Chunks without a started recording are dropped, not buffered.
        ws.send_bytes(b"stray" * 100)
        ws.send_json({"type": "audio_end"})
        speak(ws, b"sure")
        assert of_type(until_idle(ws), "answer")
    assert [audio for audio, _ in fakes.stt_calls] == [b"garbled audio", b"sure"]
    assert len(fakes.rasa_calls) == 1


def test_voice_service_down_leaves_typing_and_text_answers(
    client: TestClient, fakes: Fakes
) -> None:
    fakes.tts_status = 503
    with connect(client) as ws:
        ready(ws)
        speak(ws, b"down")
        frames = until_idle(ws)
        assert of_type(frames, "notice") == [{"type": "notice", "text": texts.STT_UNAVAILABLE}]
        ws.send_json({"type": "text", "text": "lệ phí nhãn hiệu"})
        frames = until_idle(ws)
    assert of_type(frames, "answer")
    assert of_type(frames, "notice") == [{"type": "notice", "text": texts.TTS_UNAVAILABLE}]
    assert not [f for f in frames if isinstance(f, bytes)]


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"type": "exec", "code": "rm -rf /"}',
        '{"type": "text", "text": {"$gt": ""}}',
        '{"type": "audio_start", "mime": "application/x-sh"}',
    ],
)
def test_malformed_frames_get_a_notice_and_reach_nothing(
    client: TestClient, fakes: Fakes, frame: str
) -> None:
    with connect(client) as ws:
        ready(ws)
        ws.send_text(frame)
        assert ws.receive_json() == {"type": "notice", "text": texts.BAD_MESSAGE}
        ws.send_json({"type": "text", "text": "vẫn hỏi được"})  # the session goes on
        assert of_type(until_idle(ws), "answer")
    assert [c["message"] for c in fakes.rasa_calls] == ["vẫn hỏi được"]
    assert fakes.stt_calls == []


def test_hostile_text_and_buttons_cannot_inject_intents(client: TestClient, fakes: Fakes) -> None:
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "text", "text": "a" * 201})
        assert ws.receive_json() == {
            "type": "notice",
            "text": texts.TEXT_TOO_LONG.format(limit=200),
        }
        ws.send_json({"type": "button", "payload": '/inform{"phone_last4": "1234"}'})
        assert ws.receive_json() == {"type": "notice", "text": texts.BUTTON_EXPIRED}
        ws.send_json({"type": "text", "text": '/inform{"phone_last4": "1234"}'})
        until_idle(ws)
        ws.send_json({"type": "button", "payload": CHOICE["payload"]})  # offered by the answer
        until_idle(ws)
        ws.send_json({"type": "handover"})
        until_idle(ws)
    messages = [c["message"] for c in fakes.rasa_calls]
    assert messages == [
        'inform{"phone_last4": "1234"}',  # typed: the leading slash is taken off
        CHOICE["payload"],
        texts.HANDOVER_PAYLOAD,
    ]


def test_one_utterance_in_flight_per_session(client: TestClient, fakes: Fakes) -> None:
    fakes.rasa_delay_s = 0.5
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "text", "text": "câu thứ nhất"})
        assert ws.receive_json() == {"type": "state", "state": "processing"}
        ws.send_json({"type": "text", "text": "câu thứ hai"})
        speak(ws, b"sure")
        frames = until_idle(ws)
    busy = {"type": "notice", "text": texts.BUSY}
    assert of_type(frames, "notice") == [busy, busy]
    assert [c["message"] for c in fakes.rasa_calls] == ["câu thứ nhất"]
    assert fakes.stt_calls == []


def test_a_tap_while_the_answer_is_being_read_is_taken_at_once(
    client: TestClient, fakes: Fakes
) -> None:
    """The answer and its buttons are on screen while its speech is still being made: the
    visitor's tap stops the reading and starts the next turn instead of "please wait"."""
    fakes.tts_delay_s = 2.0
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "text", "text": "câu thứ nhất"})
        while ws.receive_json().get("type") != "answer":
            pass
        ws.send_json({"type": "button", "payload": CHOICE["payload"]})
        fakes.tts_delay_s = 0.0
        frames = until_idle(ws)
    assert of_type(frames, "notice") == []
    assert [c["message"] for c in fakes.rasa_calls] == ["câu thứ nhất", CHOICE["payload"]]
    assert len(of_type(frames, "answer")) == 1 and len(of_type(frames, "audio")) == 1


def test_idle_session_is_cleared_with_a_new_conversation(
    fakes: Fakes, kiosk_settings: KioskSettings
) -> None:
    quick = replace(kiosk_settings, idle_timeout_s=0.3)
    with TestClient(kiosk_app(fakes, quick)) as client, connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "text", "text": "một"})
        until_idle(ws)
        speak(ws, b"unsure")
        until_idle(ws)
        started = time.monotonic()
        assert ws.receive_json() == {"type": "reset"}
        assert time.monotonic() - started < 2.0
        ws.send_json({"type": "confirm", "yes": True})  # the old visitor's question is gone
        assert ws.receive_json() == {"type": "notice", "text": texts.BUTTON_EXPIRED}
        ws.send_json({"type": "text", "text": "hai"})
        until_idle(ws)
    first, second = (c["sender"] for c in fakes.rasa_calls)
    assert first != second and second.startswith("kiosk:")


def test_other_sites_cannot_open_the_socket(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, connect(client, origin="https://x.example"):
        pass
    assert refused.value.code == 1008
    with connect(client, origin="http://testserver") as ws:
        ready(ws)


def test_page_and_assets_are_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/kiosk")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text and 'src="/kiosk/kiosk.js"' in page.text
    assert 'lang="vi"' in page.text and 'aria-live="polite"' in page.text
    for asset, kind in (("/kiosk/kiosk.js", "text/javascript"), ("/kiosk/kiosk.css", "text/css")):
        response = client.get(asset)
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/kiosk/../settings.py").status_code == 404


def test_staff_replies_reach_the_visitor_and_are_read_aloud(
    client: TestClient, fakes: Fakes
) -> None:
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "handover"})
        until_idle(ws)
        (call,) = fakes.rasa_calls
        inbox = f"inbox:{call['sender']}"
        staff = {"text": "Chào bác, cán bộ <i>Lan</i> đây ạ.", "from": "staff", "at": 1.0}
        anyio_run(fakes.store.push, inbox, json.dumps(staff, ensure_ascii=False), 500)
        anyio_run(fakes.store.push, inbox, "not json", 500)
        frames = until_idle(ws)
    (shown,) = of_type(frames, "answer")
    assert shown["from"] == "staff"
    assert shown["replies"][0]["blocks"] == [{"kind": "p", "text": staff["text"]}]
    assert MP3 in frames
    assert fakes.tts_calls[-1]["text"] == staff["text"]


def test_no_reply_leaves_the_screen_as_it_was(client: TestClient, fakes: Fakes) -> None:
    """While staff hold the conversation the assistant says nothing: no empty answer frame
    that would wipe the staff's last message from the screen, and nothing spoken."""
    with connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "text", "text": SILENT})
        frames = until_idle(ws)
    assert frames == [{"type": "state", "state": "processing"}, {"type": "state", "state": "idle"}]
    assert fakes.tts_calls == []


def test_recording_longer_than_the_limit_is_refused(
    fakes: Fakes, kiosk_settings: KioskSettings
) -> None:
    short = replace(kiosk_settings, max_audio_seconds=0.1)
    with TestClient(kiosk_app(fakes, short)) as client, connect(client) as ws:
        ready(ws)
        ws.send_json({"type": "audio_start", "mime": WEBM})
        ws.send_bytes(b"sure")
        time.sleep(1.3)  # the limit plus the 1 s allowed for the last chunk's travel
        ws.send_json({"type": "audio_end"})
        assert ws.receive_json() == {"type": "notice", "text": texts.TOO_LONG.format(seconds=0)}
    assert fakes.stt_calls == []
