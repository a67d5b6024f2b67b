"""Decode any audio container to 16 kHz mono float32, refusing hostile input early.

This mirrors ``faster_whisper.audio.decode_audio`` (PyAV, the FFmpeg libraries bundled
in the wheel, s16 mono resampling) with one difference that matters for a public
endpoint: decoding stops as soon as the audio is longer than allowed. ``decode_audio``
decodes everything first, and a 10 MB Opus file at 6 kbit/s is almost four hours, about
900 MB of float32 samples.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator

import av
import numpy as np
import numpy.typing as npt

from voice.errors import AudioTooLargeError, InvalidAudioError

SAMPLE_RATE = 16000
_FIFO_SAMPLES = 160_000  # resample in 10 s blocks like decode_audio's grouping
_PREFERRED_DECODERS = {"amrnb": "libopencore_amrnb", "amrwb": "libopencore_amrwb"}


def _decoder(stream: av.audio.stream.AudioStream) -> av.audio.codeccontext.AudioCodecContext:
    """The stream's own decoder, except for AMR (Zalo voice notes from many Android phones):
    FFmpeg's native AMR decoder stops at comfort-noise frames ("not yet implemented"),
    the bundled opencore one decodes them."""
    preferred = _PREFERRED_DECODERS.get(stream.codec_context.name)
    if preferred is None or preferred not in av.codecs_available:
        return stream.codec_context
    context = av.CodecContext.create(preferred, "r")
    if not isinstance(context, av.audio.codeccontext.AudioCodecContext):
        return stream.codec_context
    context.sample_rate = stream.codec_context.sample_rate
    context.layout = stream.codec_context.layout
    return context


def _frames(container: av.container.InputContainer) -> Iterator[av.AudioFrame]:
    stream = next((s for s in container.streams.audio), None)
    if stream is None:
        raise InvalidAudioError("no audio stream in the upload")
    decoder = _decoder(stream)
    for packet in container.demux(stream):
        try:
            frames = decoder.decode(packet)
        except (av.error.InvalidDataError, av.error.PatchWelcomeError):
            continue  # a damaged or unsupported frame: skip it, as decode_audio skips the former
        for frame in frames:
            if isinstance(frame, av.AudioFrame):
                yield frame


def _decode_s16(data: bytes, limit: int, max_seconds: float) -> list[npt.NDArray[np.int16]]:
    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    fifo = av.audio.fifo.AudioFifo()
    chunks: list[npt.NDArray[np.int16]] = []
    total = 0

    def drain(frame: av.AudioFrame | None) -> None:
        nonlocal total
        for out in resampler.resample(frame):
            array = out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
            chunks.append(array)
            total += array.shape[0]
        if total > limit:
            raise AudioTooLargeError(f"audio is longer than {max_seconds:g} s")

    with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
        for frame in _frames(container):
            frame.pts = None
            fifo.write(frame)
            if fifo.samples >= _FIFO_SAMPLES:
                drain(fifo.read())
        if fifo.samples:
            drain(fifo.read())
        drain(None)
    return chunks


def decode(data: bytes, *, max_seconds: float) -> npt.NDArray[np.float32]:
    """Audio bytes (WAV, OGG/Opus, AAC, AMR, MP3 …) → samples at ``SAMPLE_RATE``.

    Raises ``InvalidAudioError`` for anything that is not decodable audio and
    ``AudioTooLargeError`` as soon as more than ``max_seconds`` have been decoded.
    """
    if not data:
        raise InvalidAudioError("empty upload")
    try:
        chunks = _decode_s16(data, int(max_seconds * SAMPLE_RATE), max_seconds)
    except (InvalidAudioError, AudioTooLargeError):
        raise
    except Exception as err:  # PyAV raises FFmpeg errors, ValueError, OSError …
        raise InvalidAudioError(f"not decodable audio: {type(err).__name__}") from err
    finally:
        gc.collect()  # PyAV's resampler graph is freed only by the collector (see decode_audio)
    if not chunks or sum(c.shape[0] for c in chunks) == 0:
        raise InvalidAudioError("the upload holds no audio samples")
    return np.concatenate(chunks).astype(np.float32) / np.float32(32768.0)
