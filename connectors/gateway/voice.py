"""The hook where speech recognition plugs into the channels (the voice issue fills it in)."""

from __future__ import annotations

from connectors.gateway.inbound import Attachment


async def transcribe_voice_note(attachment: Attachment) -> str | None:
    """Transcript of a voice note, or None to pass it to the assistant as an attachment only.

    Called for Telegram voice notes and audio files (downloaded: `attachment.path`) and Zalo
    audio messages (on Zalo's CDN: `attachment.url`). Until speech recognition lands here,
    voice notes reach Rasa as `metadata.attachments` with an empty text.
    """
    del attachment
    return None
