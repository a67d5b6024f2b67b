"""Voice notes on the chat channels: audio in, then what to tell the citizen and the assistant.

Telegram voice notes arrive downloaded (`attachment.path`), Zalo audio messages as a URL on
Zalo's CDN (`attachment.url`). The transcript is echoed back ("Tôi nghe được: …") so the
citizen can correct it. An unsure transcript is not acted on: the citizen gets the echo with
a confirm button whose payload is the transcript, so one tap asks the question, and anything
typed instead is simply the next question. The transcript is never logged: it may hold phone
digits or a citizen ID number.

Nothing is passed to the assistant with an empty text: Rasa's NLU parses "" as `affirm`
(confidence 0.73 with the current model), which would answer "yes" to a pending question such
as the submission's final confirmation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import httpx

from connectors.gateway.assistant import neutralize
from connectors.gateway.inbound import Attachment
from connectors.gateway.media_download import DownloadFailed, DownloadTooLarge, MediaDownloader
from connectors.gateway.replies import Button, Reply
from connectors.settings import VoiceSettings
from connectors.voice_client import Heard, VoiceClient, VoiceRejected, VoiceUnavailable

log = logging.getLogger(__name__)

HEARD = "Tôi nghe được: “{text}”"
CONFIRM = (
    "Tôi nghe được: “{text}”\n"
    "Có phải bạn muốn hỏi như vậy không? Nếu đúng, bạn bấm “{yes}”; nếu chưa đúng, bạn gõ "
    "câu hỏi hoặc gửi lại tin nhắn thoại giúp tôi nhé."
)
# Not a plain "Đúng vậy": on Zalo a tap is the title sent as text, and the offered title stays
# mapped to its payload until the next buttons, so a citizen's own later "đúng vậy" must not
# replay an old transcript.
YES = "Đúng câu tôi hỏi"
NOT_HEARD = (
    "Xin lỗi, tôi chưa nghe rõ tin nhắn thoại của bạn. Bạn vui lòng nói lại chậm và rõ hơn, "
    "hoặc gõ câu hỏi giúp tôi nhé."
)
NOT_AUDIO = (
    "Xin lỗi, tôi không nghe được tệp này: tệp bị hỏng, quá dài hoặc không phải âm thanh. "
    "Bạn vui lòng ghi âm lại (dưới 1 phút) hoặc gõ câu hỏi giúp tôi nhé."
)
UNAVAILABLE = (
    "Xin lỗi, hiện tôi chưa nghe được tin nhắn thoại. Bạn vui lòng gõ câu hỏi, "
    "hoặc gửi lại tin nhắn thoại sau ít phút nhé."
)
FETCH_FAILED = (
    "Xin lỗi, tôi chưa tải được tin nhắn thoại của bạn. Bạn vui lòng gửi lại "
    "hoặc gõ câu hỏi giúp tôi nhé."
)
# Below this the words are guesses (espeak-ng speech scores 0.23-0.52, docs/voice-report.md):
# a confirmation showing nonsense helps nobody, asking again does.
MIN_CONFIDENCE = 0.15


@dataclass(frozen=True)
class VoiceNote:
    """What a channel does with one voice note: send `replies`, then, when `text` is set,
    take a turn with the assistant on that text (with the note as its attachment)."""

    replies: tuple[Reply, ...]
    text: str | None = None


def answer_for(heard: Heard) -> VoiceNote:
    """The channel's reaction to a transcript (pure: tested without any server)."""
    if heard.is_empty or heard.confidence < MIN_CONFIDENCE:
        return VoiceNote((Reply(text=NOT_HEARD),))
    if heard.confirm_question is not None:
        # The payload goes to Rasa as the gateway's own (trusted) text: strip a leading "/"
        # so a transcript can never be read as an intent with entities.
        button = Button(title=YES, payload=neutralize(heard.text))
        return VoiceNote((Reply(text=CONFIRM.format(text=heard.text, yes=YES), buttons=(button,)),))
    return VoiceNote((Reply(text=HEARD.format(text=heard.text)),), text=heard.text)


class VoiceNotes:
    """Transcribes voice notes through the voice service; one per channel, closed with it."""

    def __init__(
        self,
        settings: VoiceSettings,
        client: VoiceClient | None = None,
        download_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self._client = client or VoiceClient(settings)
        self._owns_client = client is None
        self._downloader = MediaDownloader(
            settings.download_max_bytes,
            settings.download_timeout_s,
            allow_private=settings.allow_private_downloads,
            transport=download_transport,
        )

    async def _audio(self, attachment: Attachment) -> tuple[bytes, str]:
        if attachment.path:
            path = Path(attachment.path)
            if path.stat().st_size > self.settings.download_max_bytes:
                raise DownloadTooLarge(self.settings.download_max_bytes)
            return path.read_bytes(), attachment.mime_type or "audio/ogg"
        if attachment.url:
            content, content_type = await self._downloader.fetch(attachment.url)
            mime = (content_type or "").split(";")[0].strip().lower()
            # CDNs often label audio as octet-stream; the voice service sniffs the format.
            return content, mime if mime.startswith("audio/") else "application/octet-stream"
        raise DownloadFailed("the voice note has neither a path nor a URL")

    async def transcribe(self, attachment: Attachment) -> VoiceNote:
        """Never raises for the citizen's input or a failing service: every case has a reply."""
        if not self.settings.enabled:
            return VoiceNote((Reply(text=UNAVAILABLE),))
        try:
            audio, content_type = await self._audio(attachment)
        except DownloadTooLarge:
            return VoiceNote((Reply(text=NOT_AUDIO),))
        except (DownloadFailed, OSError) as err:
            log.warning("voice note not fetched: %s", type(err).__name__)
            return VoiceNote((Reply(text=FETCH_FAILED),))
        if not audio:
            return VoiceNote((Reply(text=NOT_HEARD),))
        try:
            heard = await self._client.transcribe(audio, content_type)
        except VoiceRejected as err:
            log.info("voice service refused a voice note (%s)", err.status)
            return VoiceNote((Reply(text=NOT_AUDIO),))
        except VoiceUnavailable as err:
            log.warning("voice service unavailable: %s", err)
            return VoiceNote((Reply(text=UNAVAILABLE),))
        return answer_for(heard)

    async def aclose(self) -> None:
        await self._downloader.aclose()
        if self._owns_client:
            await self._client.aclose()
