"""STT on real espeak-ng Vietnamese speech, in the containers users send, and on bad input."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest

from tests.voice.voice_testkit import ffmpeg, silence_wav
from voice.audio import SAMPLE_RATE, decode
from voice.config import SttSettings
from voice.corpus import Clip
from voice.errors import AudioTooLargeError, InvalidAudioError, SttBusyError, VoiceError
from voice.stt import SpeechToText, Transcript, project_normalizer


def transcribe(stt: SpeechToText, audio: bytes, **kwargs: object) -> Transcript:
    return asyncio.run(asyncio.wait_for(stt.transcribe(audio, **kwargs), timeout=60))  # type: ignore[arg-type]


def clip_seconds(clip: Clip) -> float:
    return len(decode(clip.path.read_bytes(), max_seconds=60)) / SAMPLE_RATE


def test_corpus_is_big_enough(corpus: list[Clip]) -> None:
    assert len(corpus) >= 30
    assert all(clip.path.stat().st_size > 10_000 for clip in corpus)


def test_wav_transcript(stt: SpeechToText, corpus: list[Clip]) -> None:
    result = transcribe(stt, corpus[0].path.read_bytes())
    assert result.text and result.language == "vi"
    assert result.normalized_text == result.text.lower()  # the injected normaliser ran
    assert 2.0 < result.duration_s < 6.0
    assert 0.0 < result.confidence <= 1.0
    assert result.needs_confirmation == (result.confidence < stt.settings.confirm_below)


@pytest.mark.slow
def test_every_corpus_utterance_gives_a_transcript(stt: SpeechToText, corpus: list[Clip]) -> None:
    empty = [clip.key for clip in corpus if not stt.transcribe_sync(clip.path.read_bytes()).text]
    assert not empty


def test_telegram_ogg_opus(stt: SpeechToText, corpus: list[Clip], telegram_ogg: Path) -> None:
    assert telegram_ogg.read_bytes()[:4] == b"OggS"
    from_ogg = transcribe(stt, telegram_ogg.read_bytes())
    assert from_ogg.text
    assert abs(from_ogg.duration_s - transcribe(stt, corpus[0].path.read_bytes()).duration_s) < 0.3


@pytest.mark.parametrize(
    ("suffix", "args"), [(".m4a", ("-c:a", "aac", "-b:a", "32k")), (".mp3", ("-c:a", "libmp3lame"))]
)
def test_zalo_containers(
    stt: SpeechToText, corpus: list[Clip], tmp_path: Path, suffix: str, args: tuple[str, ...]
) -> None:
    clip = ffmpeg(corpus[1].path, tmp_path / f"note{suffix}", *args)
    assert transcribe(stt, clip.read_bytes()).text


def test_zalo_amr_with_comfort_noise_frames(
    stt: SpeechToText, corpus: list[Clip], tmp_path: Path
) -> None:
    """AMR-NB as Android recorders write it; FFmpeg's native decoder alone gives up on it."""
    amr = tmp_path / "note.amr"
    made = subprocess.run(
        ["sox", str(corpus[1].path), "-r", "8000", "-c", "1", "-t", "amr-nb", str(amr)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0 or not amr.exists():
        pytest.skip("this sox cannot write AMR-NB (libsox-fmt-* without opencore)")
    assert amr.read_bytes()[:6] == b"#!AMR\n"
    result = transcribe(stt, amr.read_bytes())
    assert result.text and abs(result.duration_s - clip_seconds(corpus[1])) < 0.3


def test_hotwords_are_accepted(stt: SpeechToText, corpus: list[Clip]) -> None:
    assert transcribe(stt, corpus[1].path.read_bytes(), hotwords="mã số mã vạch, lệ phí").text


def test_silence_gives_an_empty_transcript(stt: SpeechToText) -> None:
    result = transcribe(stt, silence_wav(3.0))
    assert result.is_empty and result.confidence == 0.0 and result.needs_confirmation


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"hello, this is not audio at all" * 10,
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a header cut short
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000,
    ],
    ids=["empty", "text", "truncated-wav", "noise-bytes", "png"],
)
def test_malformed_input_is_invalid_audio(stt: SpeechToText, payload: bytes) -> None:
    with pytest.raises(InvalidAudioError):
        transcribe(stt, payload)


def test_wav_without_samples_is_invalid(stt: SpeechToText) -> None:
    with pytest.raises(InvalidAudioError):
        transcribe(stt, silence_wav(0.0))


def test_too_many_bytes_refused_before_decoding(stt: SpeechToText) -> None:
    with pytest.raises(AudioTooLargeError):
        transcribe(stt, b"\x00" * (stt.settings.max_bytes + 1))


def test_too_long_refused(stt: SpeechToText) -> None:
    with pytest.raises(AudioTooLargeError):
        transcribe(stt, silence_wav(stt.settings.max_seconds + 1))


def test_decompression_bomb_stops_early(stt: SpeechToText, tmp_path: Path) -> None:
    """Three minutes of low-bitrate Opus: ~70 kB on the wire, three times the duration limit."""
    bomb = ffmpeg(
        None,
        tmp_path / "bomb.ogg",
        "-f",
        "lavfi",
        "-i",
        "anullsrc=r=8000:cl=mono",
        "-t",
        "600",
        "-c:a",
        "libopus",
        "-b:a",
        "6k",
    )
    assert bomb.stat().st_size < stt.settings.max_bytes
    started = time.monotonic()
    with pytest.raises(AudioTooLargeError):
        transcribe(stt, bomb.read_bytes())
    assert time.monotonic() - started < 3.0


def test_burst_beyond_the_queue_is_busy(stt: SpeechToText, corpus: list[Clip]) -> None:
    small = SpeechToText(stt.model, SttSettings(max_pending=1), normalizer=str.lower)
    audio = corpus[2].path.read_bytes()

    async def burst() -> list[Transcript | BaseException]:
        return await asyncio.gather(
            *(small.transcribe(audio) for _ in range(4)), return_exceptions=True
        )

    results = asyncio.run(burst())
    busy = [r for r in results if isinstance(r, SttBusyError)]
    done = [r for r in results if isinstance(r, Transcript)]
    assert len(busy) == 2 and len(done) == 2
    assert isinstance(busy[0], VoiceError) and busy[0].http_status == 503
    assert small.in_flight == 0


def test_cancelled_caller_keeps_its_place_until_the_work_ends(
    stt: SpeechToText, corpus: list[Clip]
) -> None:
    small = SpeechToText(stt.model, SttSettings(max_pending=0), normalizer=str.lower)

    async def cancel_then_retry() -> None:
        task = asyncio.ensure_future(small.transcribe(corpus[3].path.read_bytes()))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert small.in_flight == 1  # the thread is still busy with that audio
        with pytest.raises(SttBusyError):
            await small.transcribe(corpus[3].path.read_bytes())
        while small.in_flight:
            await asyncio.sleep(0.05)

    asyncio.run(cancel_then_retry())


def test_project_normalizer_always_gives_a_text_function() -> None:
    normalize = project_normalizer()  # nlu.normalize when it exists, else the basic one
    assert isinstance(normalize("Thủ tục  cấp mã số"), str)


def test_project_normalizer_is_the_nlu_one_when_present() -> None:
    nlu_normalize = pytest.importorskip("nlu.normalize")
    assert project_normalizer() is nlu_normalize.normalize
