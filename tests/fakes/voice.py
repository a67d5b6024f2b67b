"""A fake voice service (``POST /stt``) for the gateway's fast tests: answers per audio content.

The real service (Whisper) is in the integration tests; here each test registers what a given
audio blob "says", so the channels' handling of every kind of answer is checked in
milliseconds. Unknown audio gets the service's 400 ``InvalidAudioError``.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.recorder import Call, Recorder
from tests.fakes.server import FakeService, ThreadedServer


class FakeVoice(FakeService):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[bytes, tuple[int, dict[str, Any]]] = {}
        self.requests = Recorder()
        app = Starlette(routes=[Route("/stt", self._stt, methods=["POST"])])
        self.server = ThreadedServer(app)

    def says(self, audio: bytes, text: str, confidence: float = 0.9, confirm: bool = False) -> None:
        """``audio`` transcribes to ``text``; ``confirm``: the service is unsure of it."""
        question = f"Có phải bác muốn hỏi: “{text}” không ạ?" if confirm else None
        body = {"text": text, "confidence": confidence, "confirm_question": question}
        with self._lock:
            self._answers[audio] = (200, body)

    def fails(self, audio: bytes, status: int, error: str) -> None:
        with self._lock:
            self._answers[audio] = (status, {"error": error, "detail": "fake"})

    async def _stt(self, request: Request) -> Response:
        audio = await request.body()
        content_type = request.headers.get("content-type", "")
        self.requests.add(Call("stt", {"size": len(audio), "content_type": content_type}))
        with self._lock:
            status, body = self._answers.get(
                audio, (400, {"error": "InvalidAudioError", "detail": "not audio"})
            )
        return JSONResponse(body, status_code=status)
