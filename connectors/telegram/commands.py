"""The bot's slash commands, translated into the assistant's intents."""

from __future__ import annotations

import json

# Shown in Telegram's command menu (setMyCommands) and answered below.
COMMANDS = {
    "start": "Bắt đầu trò chuyện",
    "help": "Tôi có thể giúp gì",
    "tracuu": "Tra cứu hồ sơ: /tracuu <mã hồ sơ>",
    "huy": "Dừng việc đang làm",
}
_MAX_CODE_LENGTH = 64


def parse_command(text: str) -> tuple[str, list[str]] | None:
    """("tracuu", ["000.00.17.G17-241219-0001"]) for "/tracuu@bot 000…"; None if not a command.

    Parsed from the text rather than from `bot_command` entities: Telegram's own documented
    samples omit the entities, and the result must be the same either way.
    """
    if not text.startswith("/"):
        return None
    head, *args = text.split()
    name = head[1:].split("@", 1)[0].lower()
    return (name, args) if name.isascii() and name.isalnum() else None


def to_rasa(name: str, args: list[str]) -> str | None:
    """The Rasa message for a command, or None for a command the bot does not know."""
    if name == "start":
        return "/greet"  # a deep-link argument (/start <payload>) is not used
    if name == "help":
        return "/ask_help"
    if name == "huy":
        return "/cancel"
    if name == "tracuu":
        code = args[0] if args else ""
        if code and len(code) <= _MAX_CODE_LENGTH:
            # json.dumps: the code cannot break out of the entity object, whatever it contains.
            return "/check_status" + json.dumps({"tracking_code": code}, ensure_ascii=False)
        return "/check_status"
    return None
