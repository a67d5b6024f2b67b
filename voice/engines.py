"""The two voices: Google's (through gTTS, online) and espeak-ng's Vietnamese (offline).

Each engine is blocking or a subprocess with an explicit timeout; ``voice.tts`` decides
which one speaks.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
import tempfile
from pathlib import Path

GTTS_LANG = "vi"


class EngineError(RuntimeError):
    """An engine could not produce audio (network error, HTTP 429/5xx, timeout, crash)."""


class GoogleVoice:
    """gTTS: ``POST https://translate.google.<tld>/_/TranslateWebserverUi/data/batchexecute``.

    gTTS sends through ``urllib.request.getproxies()``, i.e. the standard ``HTTPS_PROXY``
    variable, which is how an outbound proxy (or the tests' fake Google) is reached.
    """

    mime = "audio/mpeg"

    def __init__(self, *, tld: str = "com") -> None:
        self.tld = tld

    def speak(self, text: str, *, slow: bool, timeout_s: float) -> bytes:
        """Blocking; one HTTP request per ~100 characters, each bounded by ``timeout_s``."""
        from gtts import gTTS, gTTSError  # imported where used: pulls in requests

        try:
            tts = gTTS(
                text, lang=GTTS_LANG, tld=self.tld, slow=slow, lang_check=False, timeout=timeout_s
            )
            buffer = io.BytesIO()
            tts.write_to_fp(buffer)
        except (gTTSError, AssertionError, OSError, ValueError) as err:
            raise EngineError(f"Google TTS failed: {err}") from err
        if not buffer.getvalue():
            raise EngineError("Google TTS returned no audio")
        return buffer.getvalue()


class EspeakVoice:
    """espeak-ng's ``vi`` voice writing a WAV file; text goes on stdin, never as an argument."""

    mime = "audio/wav"

    def __init__(
        self, *, voice: str = "vi", rate: int = 165, slow_rate: int = 120, binary: str = "espeak-ng"
    ) -> None:
        self.voice = voice
        self.rate = rate
        self.slow_rate = slow_rate
        self.binary = binary

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    async def speak(self, text: str, *, slow: bool, timeout_s: float) -> bytes:
        rate = self.slow_rate if slow else self.rate
        with tempfile.TemporaryDirectory(prefix="espeak-") as tmp:
            out = Path(tmp) / "out.wav"
            try:
                proc = await asyncio.create_subprocess_exec(
                    self.binary,
                    "-v",
                    self.voice,
                    "-s",
                    str(rate),
                    "-w",
                    str(out),
                    "--stdin",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.PIPE,
                )
            except OSError as err:
                raise EngineError(f"espeak-ng cannot start: {err}") from err
            try:
                _, stderr = await asyncio.wait_for(
                    proc.communicate(text.encode("utf-8")), timeout_s
                )
            except asyncio.TimeoutError as err:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
                raise EngineError(f"espeak-ng took over {timeout_s:.2f} s") from err
            if proc.returncode != 0 or not out.exists():
                raise EngineError(
                    f"espeak-ng failed ({proc.returncode}): {stderr.decode(errors='replace')[:200]}"
                )
            return out.read_bytes()
