"""Exceptions of the voice layer; each maps to one HTTP status in ``voice.service``."""

from __future__ import annotations


class VoiceError(Exception):
    """Base class: something the caller can explain to the user."""

    http_status = 500


class InvalidAudioError(VoiceError):
    """The bytes are empty, not audio, or hold no decodable audio stream."""

    http_status = 400


class AudioTooLargeError(VoiceError):
    """The upload is over the byte limit, or decodes to more seconds than allowed."""

    http_status = 413


class SttBusyError(VoiceError):
    """Every transcription slot and queue place is taken: retry in a moment."""

    http_status = 503


class TtsError(VoiceError):
    """No engine could speak the text (Google failed and espeak-ng is missing or failed)."""

    http_status = 502


class TextTooLongError(VoiceError):
    """The text to speak is over the character limit."""

    http_status = 413
