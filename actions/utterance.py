"""What the citizen's latest message actually contained."""

from __future__ import annotations

from rasa_sdk import Tracker


def is_wordless(tracker: Tracker) -> bool:
    """True for a message without words: a photo or file sent without a caption, or an empty
    text. Rasa's NLU still gives such a message an intent (an empty text parses as `affirm`
    here), so a yes/no question must not take it as an answer."""
    text = (tracker.latest_message or {}).get("text") or ""
    return not text.strip()
