"""The gateway's client of the voice service (``python -m voice``): speech in, speech out.

One ``httpx.AsyncClient`` per process with explicit timeouts. Every failure is mapped to one of
two errors the callers can explain to a citizen: the service cannot help right now
(``VoiceUnavailable``: down, slow, busy, 5xx) or it refused this audio (``VoiceRejected``: not
audio, empty, too large). No transcript or text is ever logged: it may hold phone digits or a
citizen ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from connectors.settings import VoiceSettings


class VoiceUnavailable(Exception):
    """The voice service is off, down, too slow, busy (503) or failed (5xx)."""


class VoiceRejected(Exception):
    """The voice service refused the input (4xx): not audio, empty or too large."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Heard:
    """The voice service's ``/stt`` answer, reduced to what a channel needs."""

    text: str
    confidence: float
    # Set when the service is unsure (or heard nothing): ask it back instead of acting.
    confirm_question: str | None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


def _heard_from_json(payload: Any) -> Heard:
    if not isinstance(payload, dict):
        raise VoiceUnavailable("the voice service answered a non-object")
    text, confidence = payload.get("text"), payload.get("confidence")
    question = payload.get("confirm_question")
    if (
        not isinstance(text, str)
        or not isinstance(confidence, int | float)
        or not (question is None or isinstance(question, str))
    ):
        raise VoiceUnavailable("the voice service answered an unexpected transcript shape")
    return Heard(text=text.strip(), confidence=float(confidence), confirm_question=question)


class VoiceClient:
    """Calls ``POST /stt`` and ``POST /tts``; close it with ``aclose`` on shutdown."""

    def __init__(
        self, settings: VoiceSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.url or "http://voice.invalid",
            timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
            transport=transport,
            # The service is ours and never redirects; a redirect would mean a misconfiguration.
            follow_redirects=False,
        )

    async def _post(self, path: str, **kwargs: Any) -> httpx.Response:
        if not self.settings.enabled:
            raise VoiceUnavailable("voice is off (VOICE_URL is not set)")
        try:
            response = await self._http.post(path, **kwargs)
        except httpx.TimeoutException as err:
            raise VoiceUnavailable(f"the voice service did not answer in time ({path})") from err
        except httpx.TransportError as err:
            raise VoiceUnavailable(f"the voice service is unreachable ({path})") from err
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise VoiceUnavailable(f"the voice service answered {response.status_code} ({path})")
        if response.status_code >= 400:
            raise VoiceRejected(
                f"the voice service refused the input: {_error_name(response)}",
                status=response.status_code,
            )
        if response.status_code != 200:
            raise VoiceUnavailable(f"the voice service answered {response.status_code} ({path})")
        return response

    async def transcribe(self, audio: bytes, content_type: str) -> Heard:
        """What was said in ``audio``; raises ``VoiceUnavailable`` or ``VoiceRejected``."""
        response = await self._post("/stt", content=audio, headers={"Content-Type": content_type})
        try:
            payload = response.json()
        except ValueError as err:
            raise VoiceUnavailable("the voice service answered invalid JSON") from err
        return _heard_from_json(payload)

    async def synthesize(self, text: str, *, slow: bool = False) -> tuple[bytes, str]:
        """``text`` spoken: (audio bytes, MIME type: MP3 from Google, WAV from espeak-ng)."""
        response = await self._post("/tts", json={"text": text, "slow": slow})
        mime = response.headers.get("content-type", "").split(";")[0].strip()
        if not response.content or not mime.startswith("audio/"):
            raise VoiceUnavailable("the voice service answered no audio")
        return response.content, mime

    async def aclose(self) -> None:
        await self._http.aclose()


def _error_name(response: httpx.Response) -> str:
    """The service's error class name (never its detail, which could echo input)."""
    try:
        payload = response.json()
    except ValueError:
        return str(response.status_code)
    name = payload.get("error") if isinstance(payload, dict) else None
    return f"{response.status_code} {name}" if isinstance(name, str) else str(response.status_code)
