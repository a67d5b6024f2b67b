"""Tolerance for simplified Update payloads.

The Bot API always sends `is_bot` on users and `file_unique_id` on files, and PTB requires
them; but Telegram's own documented sample updates (core.telegram.org/bots/webhooks) omit
`is_bot`, and older clients and test tools omit `file_unique_id`. Rather than refuse such an
update, the missing fields get neutral values before PTB parses it.
"""

from __future__ import annotations

from typing import Any


def fill_required_fields(value: Any) -> Any:
    """The same JSON with `is_bot` and `file_unique_id` filled in wherever they are missing."""
    if isinstance(value, list):
        return [fill_required_fields(item) for item in value]
    if not isinstance(value, dict):
        return value
    filled = {key: fill_required_fields(item) for key, item in value.items()}
    if "first_name" in filled and "id" in filled and "type" not in filled:
        filled.setdefault("is_bot", False)  # a User (a Chat has "type")
    if "file_id" in filled:
        filled.setdefault("file_unique_id", str(filled["file_id"]))
    return filled
