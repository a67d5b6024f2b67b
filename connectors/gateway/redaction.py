"""A logging filter that masks secrets and citizens' phone and ID numbers in every record.

Installed on the handlers (not on loggers), so records of every library pass through it:
httpx logs request URLs, and a Telegram Bot API URL contains the bot token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"
_PATTERNS = [
    # Telegram bot token shape, in case one appears that is not configured here.
    re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}"),
    # Vietnamese phone numbers: 0xxxxxxxxx, 84xxxxxxxxx, +84xxxxxxxxx (spaces/dots allowed).
    re.compile(r"(?<![\w:])(?:\+?84|0)(?:[ .]?\d){9}(?!\d)"),
    # Citizen ID (CCCD, 12 digits) and old ID card (CMND, 9 digits). Conversation ids such as
    # telegram:123456789 are kept (preceded by ':'), and Zalo's 18-19 digit ids are longer.
    re.compile(r"(?<![\w:])\d{12}(?!\d)"),
    re.compile(r"(?<![\w:])\d{9}(?!\d)"),
    # Token-bearing query or header fragments.
    re.compile(
        r"(?i)((?:access_token|refresh_token|secret_key)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"
    ),
]


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message, self._secrets)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return True


def configure_logging(secrets: Iterable[str], level: int = logging.INFO) -> None:
    """One stderr handler with the filter; uvicorn is started with log_config=None so its
    records reach it too. httpx's per-request lines are dropped to WARNING: noise, and URLs."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
