"""Small helpers shared by the voice tests (kept out of conftest so they can be imported)."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import wave
from pathlib import Path

import pytest


def require(tool: str) -> None:
    """Fail (not skip) when a Debian tool the suite needs is missing: CI must install it."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is required by the voice tests (Debian package {tool})")


def ffmpeg(src: Path | None, dst: Path, *args: str) -> Path:
    """Convert ``src`` (or a lavfi source given in ``args`` when ``src`` is None) into ``dst``."""
    require("ffmpeg")
    source = ["-i", str(src)] if src is not None else []
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *source, *args, str(dst)],
        check=True,
        timeout=60,
    )
    return dst


def silence_wav(seconds: float, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
