"""One kiosk WebSocket: the visitor's utterances and taps in, answers and their audio out.

One turn is in flight at a time per kiosk; whatever arrives meanwhile gets a polite "wait".
Nothing the visitor says is logged (it may hold an ID number or a phone number).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.state import Store
from connectors.kiosk import protocol, render, texts
from connectors.kiosk.session import CHANNEL, KioskSession, Recording
from connectors.settings import KioskSettings
from connectors.voice_client import VoiceClient, VoiceRejected, VoiceUnavailable

log = logging.getLogger(__name__)
# How often the visitor's inbox (staff replies from the console, the outbox's notices) is
# read: one Redis LRANGE a second per kiosk.
INBOX_POLL_S = 1.0


class KioskConnection:
    def __init__(
        self,
        websocket: WebSocket,
        assistant: Assistant,
        voice: VoiceClient,
        settings: KioskSettings,
        store: Store | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.ws, self.assistant, self.voice, self.settings = websocket, assistant, voice, settings
        self.store = store
        self._new_session = (lambda: KioskSession(clock)) if clock else KioskSession
        self.session = self._new_session()
        self._turn: asyncio.Task[None] | None = None
        # The running turn has shown its answer and is only preparing its speech: a tap or a
        # new question then stops the reading instead of being turned away.
        self._only_speaking = False
        self._send_lock = asyncio.Lock()

    # -- sending --------------------------------------------------------------------------

    async def send(self, message: dict[str, Any]) -> None:
        async with self._send_lock:
            await self.ws.send_json(message)

    async def send_audio(self, audio: bytes) -> None:
        async with self._send_lock:
            await self.ws.send_bytes(audio)

    async def notice(self, text: str) -> None:
        await self.send({"type": "notice", "text": text})

    async def state(self, name: str) -> None:
        await self.send({"type": "state", "state": name})

    # -- the loop -------------------------------------------------------------------------

    async def run(self) -> None:
        await self.ws.accept()
        await self.send(
            {
                "type": "ready",
                "idle_s": self.settings.idle_timeout_s,
                "max_audio_s": self.settings.max_audio_seconds,
            }
        )
        try:
            while True:
                remaining = self.settings.idle_timeout_s - self.session.idle_for()
                wait = min(remaining, INBOX_POLL_S) if self.store is not None else remaining
                try:
                    message = await asyncio.wait_for(self.ws.receive(), max(wait, 0.01))
                except asyncio.TimeoutError:
                    if self.session.idle_for() >= self.settings.idle_timeout_s:
                        await self._idle()
                    else:
                        await self._inbox()
                    continue
                if message["type"] == "websocket.disconnect":
                    return
                self.session.touch()
                if message.get("bytes") is not None:
                    await self._chunk(message["bytes"])
                elif message.get("text") is not None:
                    await self._frame(message["text"])
        except WebSocketDisconnect:
            return
        finally:
            if self._turn is not None:
                self._turn.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._turn

    async def _idle(self) -> None:
        """Nobody there for idle_timeout_s: a new visitor gets a new conversation."""
        if self.busy:
            self.session.touch()  # the answer is still coming; its arrival restarts the clock
            return
        self.session = self._new_session()
        await self.send({"type": "reset"})

    async def _inbox(self) -> None:
        """Messages for this visitor from staff (after "Gặp cán bộ", the console's agent
        answers here) or from the outbox worker: shown, and read aloud when nothing else is."""
        assert self.store is not None
        session = self.session
        try:
            entries = await self.store.list_all(f"inbox:{session.conversation_id}")
        except Exception:  # Redis trouble: the visitor can still talk to the assistant
            log.warning("kiosk: reading the inbox failed", exc_info=True)
            return
        fresh, session.inbox_seen = entries[session.inbox_seen :], len(entries)
        for entry in fresh:
            try:
                text = json.loads(entry).get("text")
            except (ValueError, AttributeError):
                continue
            if isinstance(text, str) and text.strip():
                session.touch()
                reply = {"blocks": render.blocks(text), "buttons": []}
                await self.send({"type": "answer", "replies": [reply], "from": "staff"})
                if not self.busy:
                    self._start(self._speak(text))

    @property
    def busy(self) -> bool:
        return self._turn is not None and not self._turn.done()

    async def _frame(self, frame: str) -> None:
        try:
            command = protocol.parse(frame, self.settings.max_text_chars)
        except protocol.TextTooLong:
            await self.notice(texts.TEXT_TOO_LONG.format(limit=self.settings.max_text_chars))
            return
        except protocol.ProtocolError as err:
            log.info("kiosk: refused a frame: %s", err)
            await self.notice(texts.BAD_MESSAGE)
            return
        if command.type == "activity":
            return
        if command.type == "audio_cancel":
            self.session.recording = None
            return
        if command.type == "audio_start":
            self.session.recording = Recording(command.mime, self.session.clock())
            return
        if command.type == "audio_end":
            await self._audio_end()
            return
        if not await self._free_for_a_turn():
            await self.notice(texts.BUSY)
            return
        if command.type == "text":
            if command.text.strip():
                self._start(self._text_turn(command.text, trusted=False))
        elif command.type == "button":
            await self._button(command.text)
        elif command.type == "confirm":
            await self._confirm(command.yes)
        elif command.type == "handover":
            self._start(self._text_turn(texts.HANDOVER_PAYLOAD, trusted=True))

    async def _free_for_a_turn(self) -> bool:
        """No turn runs, or the running one only has its speech left: a visitor who taps one
        of the answer's buttons while it is being read wants the next answer, not a wait."""
        turn = self._turn
        if turn is None or turn.done():
            return True
        if not self._only_speaking:
            return False
        turn.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await turn
        return True

    def _start(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except asyncio.CancelledError:
                self.session.touch()
                raise  # interrupted by the visitor's next turn, which sets the state itself
            except (WebSocketDisconnect, RuntimeError):
                pass  # the visitor left mid-answer
            except Exception:
                log.exception("kiosk: a turn failed")
                with contextlib.suppress(Exception):
                    await self.notice(texts.GARBLED)
            self.session.touch()
            with contextlib.suppress(Exception):
                await self.state("idle")

        self._only_speaking = False
        self._turn = asyncio.create_task(guarded())

    # -- audio ----------------------------------------------------------------------------

    async def _chunk(self, data: bytes) -> None:
        recording = self.session.recording
        if recording is None:
            return  # a chunk after cancel or reset: dropped
        recording.size += len(data)
        if recording.size > self.settings.max_audio_bytes:
            self.session.recording = None
            await self._too_long()
            return
        recording.chunks.append(data)

    async def _too_long(self) -> None:
        await self.notice(texts.TOO_LONG.format(seconds=int(self.settings.max_audio_seconds)))
        await self.state("idle")

    async def _audio_end(self) -> None:
        recording, self.session.recording = self.session.recording, None
        if recording is None:
            return
        if not await self._free_for_a_turn():
            await self.notice(texts.BUSY)
            return
        seconds = self.session.clock() - recording.started
        if seconds > self.settings.max_audio_seconds + 1.0:  # +1 s: the last chunk's travel
            await self._too_long()
            return
        if recording.size == 0:
            await self.notice(texts.EMPTY_AUDIO)
            await self.state("idle")
            return
        self._start(self._voice_turn(b"".join(recording.chunks), recording.mime))

    async def _voice_turn(self, audio: bytes, mime: str) -> None:
        await self.state("processing")
        try:
            heard = await self.voice.transcribe(audio, mime)
        except VoiceRejected as err:
            await self.notice(
                texts.TOO_LONG.format(seconds=int(self.settings.max_audio_seconds))
                if err.status == 413
                else texts.GARBLED
            )
            return
        except VoiceUnavailable as err:
            log.warning("kiosk: speech recognition unavailable: %s", err)
            await self.notice(texts.STT_UNAVAILABLE)
            return
        if not heard.text:
            await self._ask(texts.NOT_HEARD, confirm=False)
            return
        if heard.confirm_question:
            self.session.pending_confirm = heard.text
            await self._ask(heard.confirm_question, confirm=True, heard=heard.text)
            return
        await self._answer_turn(heard.text, trusted=False, heard=heard.text)

    async def _ask(self, question: str, *, confirm: bool, heard: str = "") -> None:
        """Ask back (shown and spoken) instead of acting on an unsure transcript."""
        kind = "confirm" if confirm else "notice"
        await self.send({"type": kind, "text": question, "heard": heard})
        await self._speak(question)

    # -- taps -----------------------------------------------------------------------------

    async def _button(self, payload: str) -> None:
        if payload not in self.session.offered:
            await self.notice(texts.BUTTON_EXPIRED)
            return
        self._start(self._text_turn(payload, trusted=True))

    async def _confirm(self, yes: bool) -> None:
        pending, self.session.pending_confirm = self.session.pending_confirm, None
        if pending is None:
            await self.notice(texts.BUTTON_EXPIRED)
        elif yes:
            self._start(self._text_turn(pending, trusted=False))
        else:
            self._start(self._say(texts.SAY_AGAIN))

    async def _say(self, text: str) -> None:
        await self.notice(text)
        await self._speak(text)

    # -- the assistant --------------------------------------------------------------------

    async def _text_turn(self, text: str, *, trusted: bool) -> None:
        await self.state("processing")
        await self._answer_turn(text, trusted=trusted, heard=None)

    async def _answer_turn(self, text: str, *, trusted: bool, heard: str | None) -> None:
        if heard is not None:
            await self.send({"type": "heard", "text": heard})
        session = self.session
        inbound = Inbound(CHANNEL, session.user_id, text, trusted_payload=trusted)
        replies = await self.assistant.turn(inbound)
        if session is not self.session:
            return  # reset while Rasa was thinking: the answer belongs to the last visitor
        shown = render.answer(replies)
        if not shown:
            return  # staff hold the conversation: their reply comes through the inbox
        session.offered = {b.payload for r in replies for b in r.buttons}
        await self.send({"type": "answer", "replies": shown})
        await self._speak(render.speech(replies))

    async def _speak(self, text: str) -> None:
        if not text.strip():
            return
        await self.state("speaking")
        self._only_speaking = True
        try:
            audio, mime = await self.voice.synthesize(text, slow=self.settings.slow_speech)
        except (VoiceUnavailable, VoiceRejected) as err:
            log.warning("kiosk: speech synthesis unavailable: %s", err)
            await self.notice(texts.TTS_UNAVAILABLE)
            return
        finally:
            # The audio's header and bytes go out as a pair: never cut between them.
            self._only_speaking = False
        await self.send({"type": "audio", "mime": mime, "bytes": len(audio)})
        await self.send_audio(audio)
