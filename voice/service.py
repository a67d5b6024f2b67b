"""The voice layer as its own small HTTP service (Starlette).

``POST /stt``  audio bytes (``Content-Type: audio/*`` or ``application/octet-stream``),
               optional ``?hotwords=`` → JSON transcript.
``POST /tts``  JSON ``{"text": "...", "slow": false}`` → audio (MP3 from Google, WAV
               from espeak-ng), engine in the ``X-TTS-Engine`` header.
``GET /health`` → JSON status.

Engines are built once by ``voice.__main__`` and handed to the handlers.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from voice.errors import AudioTooLargeError, SttBusyError, VoiceError
from voice.stt import SpeechToText, Transcript
from voice.tts import TextToSpeech

AUDIO_TYPES = ("audio/", "video/ogg", "video/mp4", "application/octet-stream", "application/ogg")
MAX_JSON_BYTES = 64 * 1024
EXECUTOR_THREADS = 16


def confirmation_question(transcript: Transcript) -> str | None:
    """What to ask back when the transcript is unsure (None when it is sure)."""
    if transcript.is_empty:
        return "Xin lỗi, cháu chưa nghe rõ. Bác nói lại giúp cháu được không ạ?"
    if transcript.needs_confirmation:
        return f"Có phải bác muốn hỏi: “{transcript.text}” không ạ?"
    return None


def error_response(err: VoiceError) -> JSONResponse:
    headers = {"Retry-After": "2"} if isinstance(err, SttBusyError) else None
    return JSONResponse(
        {"error": type(err).__name__, "detail": str(err)}, err.http_status, headers=headers
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise AudioTooLargeError(f"body is over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise AudioTooLargeError(f"body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def stt_endpoint(request: Request, *, stt: SpeechToText | None) -> Response:
    """Transcribe the uploaded audio."""
    if stt is None:
        return JSONResponse({"error": "SttDisabled", "detail": "started without a model"}, 503)
    content_type = request.headers.get("content-type", "application/octet-stream").lower()
    if not content_type.startswith(AUDIO_TYPES):
        return JSONResponse({"error": "UnsupportedMediaType", "detail": content_type}, 415)
    try:
        audio = await read_body(request, stt.settings.max_bytes)
        transcript = await stt.transcribe(audio, hotwords=request.query_params.get("hotwords"))
    except VoiceError as err:
        return error_response(err)
    except ClientDisconnect:
        return Response(status_code=400)
    return JSONResponse(
        {**transcript.to_dict(), "confirm_question": confirmation_question(transcript)}
    )


async def tts_endpoint(request: Request, *, tts: TextToSpeech) -> Response:
    """Speak the text of a JSON body ``{"text": str, "slow": bool}``."""
    try:
        payload: Any = json.loads(await read_body(request, MAX_JSON_BYTES))
    except AudioTooLargeError as err:
        return error_response(err)
    except ValueError:
        payload = None
    text = payload.get("text") if isinstance(payload, dict) else None
    slow = payload.get("slow", False) if isinstance(payload, dict) else None
    if not isinstance(text, str) or not text.strip() or not isinstance(slow, bool):
        return JSONResponse(
            {"error": "InvalidRequest", "detail": 'expected {"text": str, "slow": bool}'}, 400
        )
    try:
        audio = await tts.synthesize(text, slow=slow)
    except VoiceError as err:
        return error_response(err)
    headers = {"X-TTS-Engine": audio.engine, "X-TTS-Cached": "1" if audio.cached else "0"}
    return Response(audio.data, media_type=audio.mime, headers=headers)


async def health_endpoint(
    request: Request, *, stt: SpeechToText | None, tts: TextToSpeech
) -> Response:
    """Liveness plus what each engine can do right now."""
    stt_state = None if stt is None else {"in_flight": stt.in_flight, "capacity": stt.capacity}
    tts_state = {"google_available": tts.google_available, "espeak": tts.espeak.available()}
    return JSONResponse({"status": "ok", "stt": stt_state, "tts": tts_state})


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    import asyncio

    # Queued transcriptions and Google calls wait in threads: give them room so a full
    # STT queue cannot starve TTS of workers.
    executor = ThreadPoolExecutor(max_workers=EXECUTOR_THREADS, thread_name_prefix="voice")
    asyncio.get_running_loop().set_default_executor(executor)
    yield
    executor.shutdown(wait=False, cancel_futures=True)


def create_app(stt: SpeechToText | None, tts: TextToSpeech) -> Starlette:
    """The ASGI app; ``stt`` may be None for a TTS-only process."""
    return Starlette(
        routes=[
            Route("/stt", functools.partial(stt_endpoint, stt=stt), methods=["POST"]),
            Route("/tts", functools.partial(tts_endpoint, tts=tts), methods=["POST"]),
            Route("/health", functools.partial(health_endpoint, stt=stt, tts=tts), methods=["GET"]),
        ],
        lifespan=_lifespan,
    )
