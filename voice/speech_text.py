"""Prepare an answer written for the screen so that it sounds right when read aloud.

Pure text in, text out (no I/O), applied before any TTS engine: markdown, emoji and URLs
are dropped; tracking codes and phone numbers are read in small digit groups; money,
dates, times, percentages and other numbers become words; numbered lists become
"thứ nhất, …, thứ hai, …".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from voice.vi_numbers import (
    DIGITS,
    decimal_to_words,
    digits_to_words,
    month_name,
    number_to_words,
    ordinal,
)

LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "đê", "E": "e", "F": "ép", "G": "giê", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "lờ", "M": "mờ", "N": "nờ", "O": "o", "P": "pê",
    "Q": "quy", "R": "rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép",
    "X": "ích", "Y": "i dài", "Z": "dét",
}  # fmt: skip
SEPARATOR_NAMES = {".": "chấm", "-": "gạch"}
ABBREVIATIONS = {
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học công nghệ",
    "TTHC": "thủ tục hành chính",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "UBND": "ủy ban nhân dân",
    "SĐT": "số điện thoại",
}
CURRENCY = r"(?:đồng|đ|vnđ|vnd)"
SCALE_WORDS = {"nghìn": "nghìn", "ngàn": "nghìn", "triệu": "triệu", "tỷ": "tỷ", "tỉ": "tỷ"}

_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)\s]+)\)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MD_MARKS = re.compile(r"(\*\*|__|\*|`+|~~|^#{1,6}\s*|^>\s*|\|)", re.MULTILINE)
_NUMBERED_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+(.*)$")
_BULLET_ITEM = re.compile(r"^\s*[-*•+]\s+(.*)$")
TRACKING_CODE = re.compile(
    r"(?<![\w.])([0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}-\d{6}-\d{4})(?![\w])"
)
_PHONE = re.compile(r"(?<![\d.])(\+84|0)((?:[ .-]?\d){8,10})(?![\d])")
_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/-])(\d{1,2})(?:\2(\d{4}))?(?![\d/])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_TIME = re.compile(r"(?<![\d:])(\d{1,2})(?:h(\d{2})?|:(\d{2}))(?![\w:])")
_RANGE = re.compile(r"(?<=\d)\s*[-–]\s*(?=\d)")
_MONEY = re.compile(
    r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(nghìn|ngàn|triệu|tỷ|tỉ)?\s*" + CURRENCY + r"(?!\w)",
    re.IGNORECASE,
)
_PER_UNIT = re.compile(r"đồng\s*/\s*(?=\w)")
_PERCENT = re.compile(r"(\d+)(?:,(\d+))?\s*%")
_NUMBER = re.compile(r"(?<![\w,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w])")
_SPACES = re.compile(r"[ \t]+")


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, flag tags
        return True
    return unicodedata.category(ch) in {"So", "Cs", "Co"} or ch in "\u200d\ufe0f\u20e3"


def strip_markup(text: str) -> str:
    """Drop markdown marks, links' targets, URLs, e-mail addresses and emoji."""
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _EMAIL.sub("", text)
    text = _MD_MARKS.sub("", text)
    return "".join(ch for ch in text if not _is_emoji(ch))


def _digit_groups(digits: str) -> list[str]:
    """Split a digit run into groups of 2–3, the way people read codes: 6 → 3+3, 4 → 2+2."""
    if len(digits) <= 3:
        return [digits]
    if len(digits) == 4:
        return [digits[:2], digits[2:]]
    return [digits[:3], *_digit_groups(digits[3:])]


def _spell_chunk(chunk: str) -> list[str]:
    """One code segment ("G17", "241219") as comma-separated spoken groups."""
    letters = "".join(ch for ch in chunk if not ch.isdigit())
    digits = chunk[len(letters) :] if chunk.startswith(letters) else ""
    if not letters or not digits:
        if chunk.isdigit():
            return [digits_to_words(group) for group in _digit_groups(chunk)]
        return [
            " ".join(LETTER_NAMES.get(ch, DIGITS[int(ch)] if ch.isdigit() else ch) for ch in chunk)
        ]
    spelled = " ".join(LETTER_NAMES.get(ch, ch) for ch in letters)
    groups = [digits_to_words(group) for group in _digit_groups(digits)]
    return [f"{spelled} {groups[0]}", *groups[1:]]


def read_code(code: str) -> str:
    """``"000.00.17.G17-241219-0001"`` → "không không không, chấm, không không, chấm, …"."""
    parts: list[str] = []
    for piece in re.split(r"([.-])", code.upper()):
        if piece in SEPARATOR_NAMES:
            parts.append(SEPARATOR_NAMES[piece])
        elif piece:
            parts.extend(_spell_chunk(piece))
    return ", ".join(parts)


def read_phone(prefix: str, rest: str) -> str:
    """Phone numbers in 4-3-3 (or 4-3-4) digit groups, "+84" read as "cộng tám bốn"."""
    digits = re.sub(r"\D", "", rest)
    head = "cộng tám bốn" if prefix == "+84" else ""
    if prefix == "0":
        digits = "0" + digits
    groups = (
        [digits[:4], digits[4:7], digits[7:]] if not head else [digits[:3], digits[3:6], digits[6:]]
    )
    spoken = ", ".join(digits_to_words(g) for g in groups if g)
    return f"{head}, {spoken}" if head else spoken


def _date_words(day: int, month: int, year: int | None, *, after_ngay: bool) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    words = f"{number_to_words(day)} tháng {month_name(month)}"
    if year is not None:
        words += f" năm {number_to_words(year)}"
    return words if after_ngay else f"ngày {words}"


def _sub_dates(text: str) -> str:
    def iso(match: re.Match[str]) -> str:
        after = text[: match.start()].rstrip().lower().endswith("ngày")
        year, month, day = (int(g) for g in match.groups())
        return _date_words(day, month, year, after_ngay=after) or match.group(0)

    text = _ISO_DATE.sub(iso, text)

    def dmy(match: re.Match[str]) -> str:
        after = text[: match.start()].rstrip().lower().endswith("ngày")
        year = int(match.group(4)) if match.group(4) else None
        if match.group(2) == "-" and year is None:
            return match.group(0)  # "3-5" is a range, not a date
        words = _date_words(int(match.group(1)), int(match.group(3)), year, after_ngay=after)
        return words or match.group(0)

    return _DATE.sub(dmy, text)


def _money(match: re.Match[str]) -> str:
    integer = match.group(1).replace(".", "")
    words = decimal_to_words(integer, match.group(2) or "")
    scale = match.group(3)
    if scale:
        words += " " + SCALE_WORDS[scale.lower()]
    return words + " đồng"


def _time(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), match.group(2) or match.group(3)
    if hour > 24:
        return match.group(0)
    words = f"{number_to_words(hour)} giờ"
    if minute and int(minute):
        words += f" {number_to_words(int(minute))} phút"
    return words


def _number(match: re.Match[str]) -> str:
    integer, fraction = match.group(1), match.group(2) or ""
    if len(integer) > 1 and integer.startswith("0"):
        return digits_to_words(integer)
    return decimal_to_words(integer.replace(".", ""), fraction)


def _lists(text: str) -> str:
    """Numbered items → "Thứ nhất, …."; bullets lose their mark; each item ends a sentence."""
    lines = []
    for line in text.splitlines():
        numbered = _NUMBERED_ITEM.match(line)
        bullet = _BULLET_ITEM.match(line)
        if numbered:
            item = numbered.group(2).strip()
            line = f"{ordinal(int(numbered.group(1))).capitalize()}, {item}"
        elif bullet:
            line = bullet.group(1).strip()
        else:
            line = line.strip()
        if line:
            lines.append(line if line[-1] in ".!?:;," else line + ".")
    return " ".join(lines)


def _abbreviations(text: str) -> str:
    for short, long in ABBREVIATIONS.items():
        text = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", long, text)
    return text.replace("&", " và ")


STEPS: tuple[Callable[[str], str], ...] = (
    strip_markup,
    _lists,
    lambda t: TRACKING_CODE.sub(lambda m: read_code(m.group(1)), t),
    lambda t: _PHONE.sub(lambda m: read_phone(m.group(1), m.group(2)), t),
    _sub_dates,
    lambda t: _TIME.sub(_time, t),
    lambda t: _RANGE.sub(" đến ", t),
    lambda t: _MONEY.sub(_money, t),
    lambda t: _PER_UNIT.sub("đồng một ", t),
    lambda t: _PERCENT.sub(
        lambda m: decimal_to_words(m.group(1), m.group(2) or "") + " phần trăm", t
    ),
    lambda t: _NUMBER.sub(_number, t),
    _abbreviations,
)


def to_speech_text(text: str) -> str:
    """The whole preparation: what a TTS engine should be given instead of ``text``."""
    for step in STEPS:
        text = step(text)
    text = _SPACES.sub(" ", text)
    text = re.sub(r"\s+([.,!?;:])", r"\1", text)
    text = re.sub(r"([.!?])(?:\s*[.])+", r"\1", text)
    return text.strip()
