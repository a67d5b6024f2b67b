"""PTB callbacks: each turns an update into an Inbound message, asks the assistant, and sends
its replies back to the chat. Only private chats are served: a status look-up in a group
would show a citizen's file to everyone in it."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from connectors.gateway import texts
from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Attachment, Inbound
from connectors.gateway.voice import VoiceNotes
from connectors.telegram.callbacks import CallbackPayloads
from connectors.telegram.commands import parse_command, to_rasa
from connectors.telegram.media import MediaFetcher, TooLarge
from connectors.telegram.sender import TelegramSender

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
CHANNEL = "telegram"


class TelegramConversations:
    def __init__(
        self,
        assistant: Assistant,
        sender: TelegramSender,
        media: MediaFetcher,
        payloads: CallbackPayloads,
        voice: VoiceNotes,
    ) -> None:
        self._assistant = assistant
        self._sender = sender
        self._media = media
        self._payloads = payloads
        self._voice = voice

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        new_private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [
            CallbackQueryHandler(self.on_button),
            MessageHandler(new_private & filters.TEXT, self.on_text),
            MessageHandler(new_private & (filters.PHOTO | filters.Document.ALL), self.on_file),
            MessageHandler(new_private & (filters.VOICE | filters.AUDIO), self.on_voice),
            MessageHandler(new_private, self.on_other),
        ]

    async def _answer(self, context: Context, message: Message, inbound: Inbound) -> None:
        replies = await self._assistant.turn(inbound)
        await self._sender.send_replies(context.bot, message.chat_id, replies)

    async def on_text(self, update: Update, context: Context) -> None:
        """Typed text and the bot's commands."""
        message = update.effective_message
        if message is None or message.from_user is None or message.text is None:
            return
        text, trusted = message.text, False
        command = parse_command(text)
        if command is not None:
            rasa_text = to_rasa(*command)
            if rasa_text is not None:
                text, trusted = rasa_text, True
        user = str(message.from_user.id)
        inbound = Inbound(
            CHANNEL, user, text, trusted_payload=trusted, message_id=str(message.message_id)
        )
        await self._answer(context, message, inbound)

    async def on_button(self, update: Update, context: Context) -> None:
        """A tap on an inline keyboard button: answered at once so the button stops spinning."""
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()
        except TelegramError as err:  # too old to answer; the tap itself is still served
            log.info("could not answer a callback query: %s", err)
        message = query.message
        if message is None or message.chat.type != "private":
            return
        payload = await self._payloads.decode(query.data or "")
        if payload is None:
            await self._sender.send_text(context.bot, message.chat.id, texts.BUTTON_EXPIRED)
            return
        inbound = Inbound(CHANNEL, str(query.from_user.id), payload, trusted_payload=True)
        replies = await self._assistant.turn(inbound)
        await self._sender.send_replies(context.bot, message.chat.id, replies)

    async def _fetch(self, context: Context, message: Message) -> Attachment | None:
        try:
            return await self._media.fetch(context.bot, message)
        except TooLarge as err:
            limit_mb = max(1, err.limit_bytes // (1024 * 1024))
            reply = texts.FILE_TOO_LARGE.format(limit_mb=limit_mb)
        except (TelegramError, OSError) as err:
            log.warning("downloading a file from Telegram failed: %s", type(err).__name__)
            reply = texts.FILE_FAILED
        await self._sender.send_text(context.bot, message.chat_id, reply)
        return None

    async def on_file(self, update: Update, context: Context) -> None:
        """Photos and documents, for the submission flow: the caption is the message text."""
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        attachment = await self._fetch(context, message)
        if attachment is None:
            return
        inbound = Inbound(
            CHANNEL,
            str(message.from_user.id),
            message.caption or "",
            (attachment,),
            message_id=str(message.message_id),
        )
        await self._answer(context, message, inbound)

    async def on_voice(self, update: Update, context: Context) -> None:
        """Voice notes and audio files: the transcript is echoed, then answered like text."""
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        attachment = await self._fetch(context, message)
        if attachment is None:
            return
        note = await self._voice.transcribe(attachment)
        await self._sender.send_replies(context.bot, message.chat_id, list(note.replies))
        text = note.text
        if text is None and message.caption and not any(r.buttons for r in note.replies):
            text = message.caption  # the voice was not understood; the typed words still count
        if text is not None:
            inbound = Inbound(
                CHANNEL,
                str(message.from_user.id),
                text,
                (attachment,),
                message_id=str(message.message_id),
            )
            await self._answer(context, message, inbound)

    async def on_other(self, update: Update, context: Context) -> None:
        """Stickers, locations, contacts, videos…: a polite word on what the bot can read."""
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        if message.caption and message.effective_attachment is None:
            # A caption without its media (seen in the wild): read it as text.
            inbound = Inbound(
                CHANNEL,
                str(message.from_user.id),
                message.caption,
                message_id=str(message.message_id),
            )
            await self._answer(context, message, inbound)
            return
        await self._sender.send_text(context.bot, message.chat_id, texts.UNSUPPORTED_KIND)
