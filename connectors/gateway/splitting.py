"""Splitting long answers under a channel's length limit without breaking words."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Measure = Callable[[str], int]


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units: an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int, measure: Measure) -> int:
    """Number of characters of the longest prefix of text whose measure fits the limit."""
    if measure is len:
        return min(len(text), limit)
    low, high = 0, min(len(text), limit)
    while low < high:  # measure grows with the prefix, so bisect
        mid = (low + high + 1) // 2
        if measure(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def _cut_point(text: str, fit: int) -> int:
    """Where to end a chunk: a paragraph break, else a line break, else a space.

    A break is used only if it keeps the chunk reasonably full, so a stray early newline
    does not produce a tiny message. A single word longer than the limit has to be cut; the
    cut then avoids separating a Vietnamese base letter from its combining accent.
    """
    window = text[: fit + 1]  # a separator right after the fitting prefix is a clean cut too
    for separator, min_share in (("\n\n", 0.5), ("\n", 0.3), (" ", 0.0)):
        position = window.rfind(separator)
        if position > 0 and position >= fit * min_share:
            return position
    cut = fit
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Chunks of text, each within limit by measure, cut at the most natural boundary."""
    if limit < 2:
        raise ValueError("limit must allow at least two characters")
    rest = text.strip()
    chunks: list[str] = []
    while rest and measure(rest) > limit:
        cut = _cut_point(rest, _longest_prefix(rest, limit, measure))
        chunk = rest[:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
