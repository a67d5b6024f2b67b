"""Kiosk latency: end of speech → first byte of the answer's audio over the kiosk WebSocket.

For each espeak-ng domain utterance of 2–6 s (voice/corpus.py), converted to WebM/Opus as
Chromium's MediaRecorder sends it, a fresh kiosk session (a new visitor) streams the audio,
then sends "audio_end", the moment the visitor presses the button again: the clock starts
there and stops at the first binary frame (the answer's audio, or the ask-back question's
audio when Whisper was unsure). Everything behind the WebSocket is real: the gateway, the
voice service (Whisper base int8, espeak-ng offline voice at the kiosk's slow rate; Google
is off so nothing leaves the machine), Rasa, the action server, the core API, redis-server.

Baseline, in the same run and interleaved: bare faster-whisper ``WhisperModel.transcribe`` of
the same audio in this process (same model folder, threads, beam and VAD as the service).
Also reported: the split at the "heard" frame (speech recognition done), the voice process's
resident memory, and the machine's load average.

Run: python -m benchmarks.kiosk_bench [--rounds 1] [--report docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.report import memory_mb, percentile, update_section
from stack.processes import free_port
from stack.services import ROOT, Stack, StackConfig
from voice.corpus import Clip, synthesize_corpus

SECTION = "kiosk"
CHUNK = 4096  # about what MediaRecorder's 250 ms timeslice yields at Opus rates, rounded up
TURN_TIMEOUT_S = 90.0


@dataclass
class Sample:
    key: str
    seconds: float
    heard_s: float
    audio_s: float
    asked_back: bool
    # Asked back: from "Đúng rồi" (confirm yes) to the first byte of the answer's audio.
    confirmed_s: float | None = None
    # The utterance's reference text typed, in a new session: Rasa's real answer + its TTS.
    typed_s: float | None = None


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def to_webm(clip: Clip, out_dir: Path) -> bytes:
    """The clip as Chromium records it: WebM, Opus, 48 kHz mono."""
    out = out_dir / f"{clip.key}.webm"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip.path),
         "-c:a", "libopus", "-b:a", "32k", "-ar", "48000", "-ac", "1", str(out)],
        check=True, timeout=60,
    )  # fmt: skip
    return out.read_bytes()


async def first_audio(ws: Any, t0: float) -> tuple[float | None, float, str | None]:
    """Frames until the first binary one: (seconds to the transcript frame, seconds to the
    audio, the type of the transcript frame)."""
    heard_at, kind = None, None
    while True:
        frame = await asyncio.wait_for(ws.recv(), TURN_TIMEOUT_S)
        now = time.perf_counter()
        if isinstance(frame, bytes):
            return (None if heard_at is None else heard_at - t0), now - t0, kind
        message = json.loads(frame)
        if message["type"] in ("heard", "confirm", "notice") and heard_at is None:
            heard_at, kind = now, message["type"]
        elif message == {"type": "state", "state": "idle"}:
            raise RuntimeError("turn ended without audio")


async def until_idle(ws: Any) -> None:
    """Frames of the ask-back turn up to its end (the gateway takes one turn at a time)."""
    while True:
        frame = await asyncio.wait_for(ws.recv(), TURN_TIMEOUT_S)
        if isinstance(frame, str) and json.loads(frame) == {"type": "state", "state": "idle"}:
            return


async def kiosk_turn(url: str, audio: bytes) -> tuple[float, float, bool, float | None]:
    """Seconds from audio_end to the transcript frame and to the first audio byte, whether
    the kiosk asked back, and (then) seconds from "Đúng rồi" to the answer's audio."""
    from websockets.client import connect  # Rasa pins this library; it is in the venv

    async with connect(url, max_size=8 * 1024 * 1024) as ws:
        ready = json.loads(await ws.recv())
        assert ready["type"] == "ready", ready
        await ws.send(json.dumps({"type": "audio_start", "mime": "audio/webm;codecs=opus"}))
        for start in range(0, len(audio), CHUNK):
            await ws.send(audio[start : start + CHUNK])
        t0 = time.perf_counter()
        await ws.send(json.dumps({"type": "audio_end"}))
        heard_s, audio_s, kind = await first_audio(ws, t0)
        confirmed_s = None
        if kind == "confirm":
            await until_idle(ws)
            t1 = time.perf_counter()
            await ws.send(json.dumps({"type": "confirm", "yes": True}))
            _, confirmed_s, _ = await first_audio(ws, t1)
        return (heard_s or audio_s), audio_s, kind != "heard", confirmed_s


async def typed_turn(url: str, text: str) -> float:
    """Seconds from sending the text to the first byte of its answer's audio."""
    from websockets.client import connect

    async with connect(url, max_size=8 * 1024 * 1024) as ws:
        await ws.recv()  # ready
        t0 = time.perf_counter()
        await ws.send(json.dumps({"type": "text", "text": text}))
        _, audio_s, _ = await first_audio(ws, t0)
        return audio_s


def bare_transcribe(model: Any, audio: bytes) -> float:
    """Seconds for what a caller would write without our layers: faster-whisper on the bytes,
    with the service's own decoding options (voice/decoding.py) so only our layers differ."""
    from voice.config import SttSettings
    from voice.decoding import DecodingOptions

    options = DecodingOptions(beam_size=SttSettings.from_env().beam_size).kwargs()
    t0 = time.perf_counter()
    segments, _ = model.transcribe(io.BytesIO(audio), language="vi", vad_filter=True, **options)
    " ".join(s.text for s in segments)  # the generator decodes as it is consumed
    return time.perf_counter() - t0


def measure(stack: Stack, clips: list[tuple[Clip, float, bytes]], rounds: int) -> Run:
    from voice.config import ModelSettings, SttSettings
    from voice.model_setup import resolve_model_dir
    from voice.stt import load_model

    model = load_model(
        resolve_model_dir(ModelSettings.from_env()), cpu_threads=SttSettings.from_env().cpu_threads
    )
    url = f"ws://127.0.0.1:{stack.config.gateway_port}/kiosk/ws"
    run = Run()
    asyncio.run(kiosk_turn(url, clips[0][2]))  # warm-up: first Rasa turn, caches, TTS
    for _ in range(rounds):
        for clip, seconds, audio in clips:
            run.bare_s.append(bare_transcribe(model, audio))
            try:
                heard_s, audio_s, asked, confirmed = asyncio.run(kiosk_turn(url, audio))
                typed = asyncio.run(typed_turn(url, clip.text))
            except Exception as err:  # counted and reported, never hidden
                run.failures.append(f"{clip.key}: {type(err).__name__}: {err}"[:200])
                continue
            sample = Sample(clip.key, seconds, heard_s, audio_s, asked, confirmed, typed)
            run.samples.append(sample)
    return run


def report(run: Run, memory: dict[str, float], load: tuple[float, float], rounds: int) -> str:
    audio = [s.audio_s for s in run.samples]
    heard = [s.heard_s for s in run.samples]
    answered = [s.audio_s for s in run.samples if not s.asked_back]
    asked = [s.audio_s for s in run.samples if s.asked_back]
    confirmed = [s.confirmed_s for s in run.samples if s.confirmed_s is not None]
    typed = [s.typed_s for s in run.samples if s.typed_s is not None]
    # What a visitor would wait if every transcript were sure and right: measured transcript
    # time plus the measured answer time of the same utterance's reference text.
    if_sure = [s.heard_s + s.typed_s for s in run.samples if s.typed_s is not None]

    def row(name: str, values: list[float]) -> str:
        if not values:
            return f"| {name} | 0 | – | – |"
        p50, p95 = percentile(values, 50), percentile(values, 95)
        return f"| {name} | {len(values)} | {p50:.2f} | {p95:.2f} |"

    lengths = [s.seconds for s in run.samples]
    bare_med = statistics.median(run.bare_s) if run.bare_s else float("nan")
    heard_med = statistics.median(heard) if heard else float("nan")
    return "\n".join(
        [
            "## Kiosk: end of speech → first byte of answer audio",
            "",
            "`python -m benchmarks.kiosk_bench` "
            f"({rounds} round(s); {len(run.samples)} turns, {len(run.failures)} failed): "
            "espeak-ng domain utterances of "
            f"{min(lengths, default=0):.1f}–{max(lengths, default=0):.1f} s as WebM/Opus over "
            "the kiosk WebSocket of the real gateway; from `audio_end` to the first binary "
            "frame. Behind it: the voice service (Whisper base int8, 2 threads; espeak-ng "
            "offline voice at the slow rate, Google off), Rasa, actions, core API, Redis. "
            "Baseline, same run, interleaved: bare `WhisperModel.transcribe` of the same audio.",
            "",
            "| measure | n | p50 (s) | p95 (s) |",
            "|---|---|---|---|",
            row("first audio byte, all turns", audio),
            row("… answered (transcript acted on)", answered),
            row("… asked back (unsure transcript, question spoken)", asked),
            row("transcript shown (`heard`/`confirm` frame)", heard),
            row("after an ask-back: «Đúng rồi» → first byte of answer audio", confirmed),
            row("reference text typed → first byte of its answer's audio", typed),
            row("sum per utterance: transcript + typed answer (if all were sure)", if_sure),
            row("baseline: bare `WhisperModel.transcribe`", run.bare_s),
            "",
            f"Speech recognition through the kiosk (median {heard_med:.2f} s to the transcript) "
            f"against bare transcription (median {bare_med:.2f} s): "
            f"{heard_med / bare_med:.2f}×. After the transcript come Rasa's turn and synthesis "
            "of the whole answer (espeak-ng here; gTTS when online adds its round trip). Most "
            "confirmed transcripts of this synthetic voice are wrong, so their answer is the "
            "short fallback, already in the TTS cache: the «Đúng rồi» row is the cheap case; "
            "the typed row (each utterance's reference text, a real answer, synthesised on "
            "first use) is the realistic cost of that part. Target: p50 ≤ 2.5 s.",
            f"Voice process resident memory after the run: {memory.get('VmRSS', 0):.0f} MB "
            f"(peak {memory.get('VmHWM', 0):.0f} MB). Load average (1 min) before/after: "
            f"{load[0]:.2f}/{load[1]:.2f} on {os.cpu_count()} cores shared with other work.",
            *(["", "Failed turns: " + "; ".join(run.failures[:5])] if run.failures else []),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kiosk_bench")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None or shutil.which("espeak-ng") is None:
        raise SystemExit("the kiosk benchmark needs ffmpeg and espeak-ng")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        work = Path(tmp)
        # Nothing may reach Google: the offline voice only. The console's database stays here.
        os.environ["VOICE_TTS_ONLINE"] = "0"
        os.environ["VOICE_TTS_CACHE_DIR"] = str(work / "tts-cache")
        os.environ["CONSOLE_DB"] = str(work / "console.sqlite3")
        corpus = synthesize_corpus(work / "corpus")
        clips = [(c, wav_seconds(c.path)) for c in corpus]
        chosen = [(c, s, to_webm(c, work)) for c, s in clips if 2.0 <= s <= 6.0]
        stack = Stack(
            StackConfig(run_dir=work / "stack", gateway_port=free_port(), voice_port=free_port())
        )
        stack.start()
        try:
            load_before = os.getloadavg()[0]
            run = measure(stack, chosen, args.rounds)
            assert stack.voice is not None and stack.voice.process is not None
            memory = memory_mb(stack.voice.process.pid)
            load_after = os.getloadavg()[0]
        finally:
            stack.stop()
    body = report(run, memory, (load_before, load_after), args.rounds)
    update_section(args.report, SECTION, body)
    print(body)
    return 0 if run.samples else 1


if __name__ == "__main__":
    raise SystemExit(main())
