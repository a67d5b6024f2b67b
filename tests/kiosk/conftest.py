"""The kiosk routes in a small Starlette app: the real handler, the real Assistant and voice
client, with Rasa and the voice service faked behind httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.rasa_client import RasaClient
from connectors.gateway.replies import Reply
from connectors.gateway.state import MemoryStore
from connectors.kiosk.web import Kiosk, kiosk_routes
from connectors.settings import KioskSettings, Settings, VoiceSettings

MP3 = b"ID3\x03\x00fake-mp3-bytes"
CHECKLIST = "Bạn cần chuẩn bị:\n• Tờ khai <b>đậm</b>\n• Mẫu nhãn\n1. Nộp hồ sơ\n2. Nhận kết quả"
SILENT = "câu hỏi khi cán bộ đang giữ cuộc trò chuyện"  # no turn: staff hold the conversation
CHOICE = {"title": "Đăng ký nhãn hiệu", "payload": '/choose_procedure{"code": "1.001"}'}


@dataclass
class Fakes:
    """What the fake Rasa and voice service received, and how they should behave."""

    rasa_calls: list[dict[str, Any]] = field(default_factory=list)
    stt_calls: list[tuple[bytes, str]] = field(default_factory=list)
    tts_calls: list[dict[str, Any]] = field(default_factory=list)
    rasa_delay_s: float = 0.0
    tts_delay_s: float = 0.0
    tts_status: int = 200
    store: MemoryStore = field(default_factory=MemoryStore)

    async def rasa(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.rasa_calls.append(body)
        await asyncio.sleep(self.rasa_delay_s)
        return httpx.Response(
            200, json=[{"text": CHECKLIST}, {"text": "Bác chọn:", "buttons": [CHOICE]}]
        )

    async def voice(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/stt":
            audio = request.content
            self.stt_calls.append((audio, request.headers["content-type"]))
            if audio.startswith(b"garbled"):
                return httpx.Response(400, json={"error": "InvalidAudioError", "detail": "x"})
            if audio.startswith(b"down"):
                return httpx.Response(503, json={"error": "SttBusyError"})
            if audio.startswith(b"silence"):
                return _heard("", 0.0, "Xin lỗi, cháu chưa nghe rõ.")
            if audio.startswith(b"unsure"):
                return _heard("lệ phí mã số mã vạch", 0.3, "Có phải bác muốn hỏi: “…” không ạ?")
            return _heard("lệ phí đăng ký nhãn hiệu", 0.9, None)
        self.tts_calls.append(json.loads(request.content))
        await asyncio.sleep(self.tts_delay_s)
        if self.tts_status != 200:
            return httpx.Response(self.tts_status, json={"error": "TtsError"})
        return httpx.Response(200, content=MP3, headers={"content-type": "audio/mpeg"})


def _heard(text: str, confidence: float, question: str | None) -> httpx.Response:
    return httpx.Response(
        200, json={"text": text, "confidence": confidence, "confirm_question": question}
    )


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def kiosk_settings() -> KioskSettings:
    return KioskSettings(idle_timeout_s=30.0, max_audio_bytes=4096, max_text_chars=200)


class StaffHoldSilent(Assistant):
    """What the console's watched assistant does while staff hold a conversation: the message
    goes to the agent, and the assistant's turn has no replies."""

    async def turn(self, inbound: Inbound) -> list[Reply]:
        return [] if inbound.text == SILENT else await super().turn(inbound)


def kiosk_app(fakes: Fakes, kiosk_settings: KioskSettings) -> Starlette:
    settings = Settings(voice=VoiceSettings(url="http://voice.test"), kiosk=kiosk_settings)
    kiosk = Kiosk(settings, voice_transport=httpx.MockTransport(fakes.voice))
    rasa = RasaClient("http://rasa.test", 1.0, 5.0, httpx.MockTransport(fakes.rasa))
    app = Starlette(routes=kiosk_routes(kiosk))
    app.state.gateway = SimpleNamespace(assistant=StaffHoldSilent(rasa), store=fakes.store)
    return app


@pytest.fixture
def client(fakes: Fakes, kiosk_settings: KioskSettings) -> Iterator[TestClient]:
    with TestClient(kiosk_app(fakes, kiosk_settings)) as test_client:
        yield test_client
