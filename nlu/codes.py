"""Codes users give the assistant: tracking codes, phone digits, citizen IDs.

Tracking codes follow Circular 01/2018/TT-VPCP Art. 19:
``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`` (``000.00.17.G17-241219-0001``).
People type them in lower case, with spaces, with dots and hyphens swapped or
left out, and read them aloud ("không không không chấm ... gờ mười bảy ...").
Every finder works on a *view* of the text (numbers read aloud turned into
digits, letters folded) and reports offsets in the ORIGINAL text, so entity
annotations line up with what the user wrote.

A status is shown only with the phone's last 4 digits, so ``find_phone_last4``
must never take them from a tracking code, a file's date or a citizen ID:
those spans are masked before it looks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlu.spoken_numbers import NumberSpan, find_spoken_numbers

__all__ = [
    "CodeMatch",
    "find_citizen_id",
    "find_partial_code",
    "find_phone_last4",
    "find_tracking_codes",
]


@dataclass(frozen=True)
class CodeMatch:
    """A canonical ``value`` found at ``text[start:end]`` of the original text."""

    value: str
    start: int
    end: int


# ---------------------------------------------------------------------------
# The view: spoken numbers as digits, letters folded, offsets mapped back
# ---------------------------------------------------------------------------


def _fold_char(ch: str) -> str:
    """One character without diacritics, lower case; "" for a bare combining mark."""
    if ch in "đĐ":
        return "d"
    bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return bare.lower() if len(bare) <= 1 else ch.lower()


class _View:
    """``text`` rewritten for matching, with a map back to original offsets."""

    def __init__(self, text: str, spans: Sequence[NumberSpan]) -> None:
        chars: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._compound: list[bool] = []
        cursor = 0
        for span in [*spans, NumberSpan(len(text), len(text), "")]:
            for i in range(cursor, span.start):
                for out in _fold_char(text[i]):
                    self._push(chars, out, i, i + 1, False)
            for out in span.value:
                self._push(chars, out, span.start, span.end, span.compound)
            cursor = span.end
        self.text = "".join(chars)

    def _push(self, chars: list[str], ch: str, start: int, end: int, compound: bool) -> None:
        chars.append(ch)
        self._starts.append(start)
        self._ends.append(end)
        self._compound.append(compound)

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of view characters ``[start, end)``."""
        return self._starts[start], self._ends[end - 1]

    def is_compound(self, start: int, end: int) -> bool:
        """True if any of the view's ``[start, end)`` was read as a quantity."""
        return any(self._compound[start:end])


def _view(text: str, *, eager: bool) -> _View:
    return _View(text, find_spoken_numbers(text, eager=eager))


def _overlaps(start: int, end: int, taken: Iterable[CodeMatch]) -> bool:
    return any(start < m.end and m.start < end for m in taken)


# ---------------------------------------------------------------------------
# Tracking codes
# ---------------------------------------------------------------------------

# Vietnamese names of Latin letters, folded ("gờ", "giê" → g), for codes read aloud.
_LETTER_NAMES = {
    "a": "a", "be": "b", "bo": "b", "xe": "c", "ce": "c", "co": "c", "de": "d",
    "do": "d", "e": "e", "ep": "f", "pho": "f", "go": "g", "gie": "g", "ge": "g",
    "hat": "h", "ho": "h", "i": "i", "di": "j", "ca": "k", "ka": "k", "lo": "l",
    "mo": "m", "em": "m", "no": "n", "en": "n", "o": "o", "pe": "p", "po": "p",
    "quy": "q", "cu": "q", "ro": "r", "sio": "s", "so": "s", "et": "s", "te": "t",
    "to": "t", "u": "u", "ve": "v", "vo": "v", "xo": "x", "ich": "x", "det": "z",
    "zet": "z",
}  # fmt: skip
_LETTER = "(?P<letter>[a-z]|" + "|".join(sorted(_LETTER_NAMES, key=len, reverse=True)) + ")"
# between groups: nothing, a space, a dot/hyphen (either), or the word spoken
_SEP = r"(?:\s*(?:[.\-_/,]|cham|gach(?:\s+ngang)?)?\s*)"
_TRACKING_RE = re.compile(
    rf"(?<![\d.])(?P<v>\d{{3}}){_SEP}(?P<z>\d{{2}}){_SEP}(?P<y>\d{{2}}){_SEP}"
    rf"{_LETTER}\s*(?P<x>\d{{2}}){_SEP}(?P<day>\d{{6}}){_SEP}(?P<seq>\d{{4}})(?!\d)"
)


def _canonical_code(match: re.Match[str]) -> str:
    letter = _LETTER_NAMES.get(match["letter"], match["letter"]).upper()
    unit = f"{match['v']}.{match['z']}.{match['y']}.{letter}{match['x']}"
    return f"{unit}-{match['day']}-{match['seq']}"


def _tracking_codes_in(view: _View) -> list[CodeMatch]:
    found = []
    for match in _TRACKING_RE.finditer(view.text):
        start, end = view.original(match.start(), match.end())
        found.append(CodeMatch(_canonical_code(match), start, end))
    return found


def find_tracking_codes(text: str) -> list[CodeMatch]:
    """Every tracking code in ``text``, canonical (upper case, dots and hyphens).

    Typed and spoken forms are both searched; typed wins where they overlap.
    """
    found = _tracking_codes_in(_view(text, eager=False))
    for match in _tracking_codes_in(_view(text, eager=True)):
        if not _overlaps(match.start, match.end, found):
            found.append(match)
    return sorted(found, key=lambda m: m.start)


# ---------------------------------------------------------------------------
# Partial codes: the "YYMMDD-XXXX" a user may remember
# ---------------------------------------------------------------------------

# "260116-0203", optionally with the unit's last part before it ("G06-260116-0203")
_PARTIAL_RE = re.compile(
    rf"(?:(?<![\w.]){_LETTER}\s*(?P<x>\d{{2}}){_SEP})?"
    r"(?<![\d.])(?P<day>\d{6})(?P<sep>\s*(?:[.\-_/]|gach(?:\s+ngang)?)\s*|\s+|)"
    r"(?P<seq>\d{4})(?![\d]|\.\d)"
)


def _plausible_day(yymmdd: str, *, strict: bool) -> bool:
    """Month and day in range; without a separator also a year from 2018 on.

    Strict mode keeps a phone number ("0981231234") from reading as a date.
    """
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return year >= 18 or not strict


def _partial_codes(view: _View, taken: Sequence[CodeMatch]) -> list[CodeMatch]:
    found = []
    for match in _PARTIAL_RE.finditer(view.text):
        if not _plausible_day(match["day"], strict=not match["sep"]):
            continue
        start, end = view.original(match.start(), match.end())
        if not _overlaps(start, end, taken):
            found.append(CodeMatch(_canonical_partial(match), start, end))
    return found


def _canonical_partial(match: re.Match[str]) -> str:
    suffix = f"{match['day']}-{match['seq']}"
    if match["letter"] is None:
        return suffix
    letter = _LETTER_NAMES.get(match["letter"], match["letter"]).upper()
    return f"{letter}{match['x']}-{suffix}"


def find_partial_code(text: str) -> CodeMatch | None:
    """The first "YYMMDD-XXXX" suffix of a tracking code outside any full code.

    A unit part typed or read before it is kept: "g06-260116-0203" gives
    "G06-260116-0203".
    """
    return _first_partial_code(text, find_tracking_codes(text))


def _first_partial_code(text: str, taken: Sequence[CodeMatch]) -> CodeMatch | None:
    for eager in (False, True):
        found = _partial_codes(_view(text, eager=eager), taken)
        if found:
            return found[0]
    return None


# ---------------------------------------------------------------------------
# Citizen ID (CCCD): 12 digits, the first three a province code
# ---------------------------------------------------------------------------

# Province codes of the 12-digit citizen ID (Circular 07/2016/TT-BCA).
_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_S = r"\s*[.\-,]?\s*"
_CITIZEN_ID_RE = re.compile(
    rf"(?<![\d+])(?:\d{{12}}|\d{{3}}(?:{_S}\d{{3}}){{3}}|\d{{4}}(?:{_S}\d{{4}}){{2}}"
    rf"|\d{{6}}{_S}\d{{6}})(?!\d)"
)


def _citizen_ids(view: _View, taken: Sequence[CodeMatch]) -> list[CodeMatch]:
    found = []
    for match in _CITIZEN_ID_RE.finditer(view.text):
        digits = re.sub(r"\D", "", match.group())
        start, end = view.original(match.start(), match.end())
        if digits[:3] in _PROVINCE_CODES and not _overlaps(start, end, taken):
            found.append(CodeMatch(digits, start, end))
    return found


def find_citizen_id(text: str) -> CodeMatch | None:
    """A 12-digit citizen ID (typed, grouped or read aloud), or None."""
    return _first_citizen_id(text, find_tracking_codes(text))


def _first_citizen_id(text: str, taken: Sequence[CodeMatch]) -> CodeMatch | None:
    for eager in (False, True):
        found = _citizen_ids(_view(text, eager=eager), taken)
        if found:
            return found[0]
    return None


# ---------------------------------------------------------------------------
# Phone: the last 4 digits
# ---------------------------------------------------------------------------

# "4 số cuối (của số điện thoại) là 5678", "đuôi 5678", "sđt 5678"
_CUE_RE = re.compile(
    r"(?:(?:(?:4|bon)\s*)?(?:chu\s*)?so\s*cuoi|duoi(?:\s*so)?|sdt|sd?t|dien\s*thoai)"
    r"(?:\s*(?:cua|la|:|thi|=|-)){0,3}"
    r"(?:\s*(?:so\s*)?(?:dien\s*thoai|sdt|dt)(?:\s*(?:cua\s*\w+|la|:|=|-))*)?"
    r"\s*(?P<digits>\d{4})(?!\d)"
)
_PHONE_RE = re.compile(
    r"(?<![\d+])(?P<prefix>\+\s*84|84|0)[\s.\-]?(?P<rest>\d(?:[\s.\-]?\d){8,9})(?![\d])"
)
_STANDALONE_RE = re.compile(r"(?<![\d.,/:\-])(?P<digits>\d{4})(?![\d]|[.,/:\-]\d)")
# a 4-digit number right after these is a year or a date part, not phone digits
_YEAR_CUES = ("nam", "thang", "ngay", "/")
# ... and right before these it is an amount
_AMOUNT_UNITS = re.compile(r"\s*(?:d\b|dong|vnd|k\b|nghin|ngan|trieu|ty|%)")


def _masked(text: str) -> list[CodeMatch]:
    """Spans that hold digits which are not the phone's."""
    taken = find_tracking_codes(text)
    for finder in (_first_partial_code, _first_citizen_id):
        match = finder(text, taken)
        if match is not None:
            taken.append(match)
    return taken


def _by_cue(view: _View, taken: Sequence[CodeMatch]) -> CodeMatch | None:
    for match in _CUE_RE.finditer(view.text):
        start, end = view.original(match.start("digits"), match.end("digits"))
        if not _overlaps(start, end, taken):
            return CodeMatch(match["digits"], start, end)
    return None


def _by_full_phone(view: _View, taken: Sequence[CodeMatch]) -> CodeMatch | None:
    for match in _PHONE_RE.finditer(view.text):
        digits = re.sub(r"\D", "", match["rest"])
        if len(digits) not in (9, 10):  # mobile 9, landline 10 after the 0 / 84
            continue
        start, end = view.original(match.start(), match.end())
        if not _overlaps(start, end, taken):
            return CodeMatch(digits[-4:], start, end)
    return None


def _by_standalone_digits(view: _View, taken: Sequence[CodeMatch]) -> CodeMatch | None:
    """The last lone group of 4 digits that is no year, date part or amount."""
    best = None
    for match in _STANDALONE_RE.finditer(view.text):
        before = view.text[: match.start()].rstrip()
        after = view.text[match.end() :]
        if before.endswith(_YEAR_CUES) or _AMOUNT_UNITS.match(after):
            continue
        if view.is_compound(match.start(), match.end()):
            continue  # "hai nghìn" is an amount, not digits read one by one
        start, end = view.original(match.start(), match.end())
        if not _overlaps(start, end, taken):
            best = CodeMatch(match["digits"], start, end)
    return best


def find_phone_last4(text: str) -> CodeMatch | None:
    """The last 4 digits of the applicant's phone, or None.

    In order: a cue ("4 số cuối 5678", "đuôi 5678"), a full phone number
    ("0912 345 678", "+84 912 345 678": the span is the whole number), then a
    lone group of four digits. Digits inside tracking codes, partial codes and
    citizen IDs never count.
    """
    taken = _masked(text)
    view = _view(text, eager=False)
    for finder in (_by_cue, _by_full_phone, _by_standalone_digits):
        match = finder(view, taken)
        if match is not None:
            return match
    return None
