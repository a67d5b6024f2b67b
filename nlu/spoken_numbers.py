"""Vietnamese numbers read aloud → digits.

Two ways of reading numbers occur in speech transcripts and chat:
- digit by digit, for phones, codes and ID numbers: "không chín một hai" → 0912;
- compound: "hai mươi lăm" → 25, "một trăm linh năm" → 105,
  "hai nghìn không trăm hai mươi lăm" → 2025, "trăm rưỡi" is not taken alone.

Readings spoken in pairs ("không chín, mười hai, ba tư") are joined when the
whole run looks like a digit string. "chấm", "phẩy", "gạch (ngang)" and
"gạch chéo"/"xuyệt" become ".", ",", "-" and "/" only between two numbers.

Ambiguities and the choice made (each has a test):
- A lone digit word stays a word: "một cửa", "không có", "ba mẹ", "năm 2025".
  "mười" and any compound ("hai mươi", "ba trăm") are converted: "mười ngày"
  → "10 ngày".
- Two digit words alone stay words ("một hai ngày" = one or two days,
  "không một ai" = nobody); three or more are a digit string.
- "năm" after "mươi"/"mười"/"trăm" is "year(s)", not 5: "hai mươi năm" →
  "20 năm" (25 is read "hai mươi lăm").
- After a scale word a lone digit is the next place, as people say prices:
  "một trăm hai" → 120, "hai nghìn ba" → 2300, "trăm"/"nghìn" + "rưỡi" adds a
  half. Digits that open a compound are kept apart: "năm hai nghìn" → "năm 2000".
- Unaccented number words ("mot", "nam", "sau", "bay", "tam" are also ordinary
  words) count only in runs of three or more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NumberSpan", "find_spoken_numbers", "spoken_to_digits"]


@dataclass(frozen=True)
class NumberSpan:
    """Text ``[start, end)`` of the input is read as ``value`` (digits)."""

    start: int
    end: int
    value: str
    compound: bool = False  # read as one quantity ("hai nghìn"), not digit by digit


# word → digit, for digits read on their own
_DIGITS = {
    "không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
    "khong": 0, "mot": 1, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
# unit digits only valid after tens: "hai mươi mốt", "ba tư", "mười lăm"
_TENS_UNITS = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5, "tu": 4, "lam": 5, "nham": 5}
_TEN = {"mười", "muoi"}
_TENS_SUFFIX = {"mươi", "muoi"}
_TENS_PREFIX = {"hăm": 2, "băm": 3}  # "hăm mốt" = 21, "băm sáu" = 36
_CHUC = {"chục", "chuc"}
_HUNDRED = {"trăm", "tram"}
_SCALES = {
    "nghìn": 1_000, "ngàn": 1_000, "ngìn": 1_000, "nghin": 1_000, "ngan": 1_000,
    "triệu": 1_000_000, "trieu": 1_000_000,
    "tỷ": 1_000_000_000, "tỉ": 1_000_000_000, "ty": 1_000_000_000,
}  # fmt: skip
_LINH = {"linh", "lẻ", "le"}
_HALF = {"rưỡi", "ruoi"}
# one-word separators; two-word ones are in _SEPARATOR_PAIRS
_SEPARATORS = {"chấm": ".", "cham": ".", "phẩy": ",", "phay": ",", "xuyệt": "/",
               "xuyet": "/", "gạch": "-", "gach": "-"}  # fmt: skip
_SEPARATOR_PAIRS = {
    ("gạch", "ngang"): "-", ("gach", "ngang"): "-",
    ("gạch", "chéo"): "/", ("gach", "cheo"): "/",
    ("gạch", "nối"): "-", ("gach", "noi"): "-",
}  # fmt: skip
_LEXICON = (
    set(_DIGITS) | set(_TENS_UNITS) | _TEN | _TENS_SUFFIX | set(_TENS_PREFIX)
    | _CHUC | _HUNDRED | set(_SCALES) | _LINH | _HALF
)  # fmt: skip
# Forms that are also everyday words once the accents are gone.
_WEAK = {"khong", "mot", "bon", "nam", "sau", "bay", "tam", "tu", "lam", "nham",
         "le", "tram", "ngan", "ty", "ruoi", "chuc", "muoi"}  # fmt: skip
# letters with any combining marks, so NFD text ("không" as k-h-o-^-n-g) stays one word
_WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


@dataclass(frozen=True)
class _Word:
    text: str  # lower-case NFC
    start: int
    end: int


@dataclass(frozen=True)
class _Chunk:
    """Words ``[first, last)`` of a run read as ``value``."""

    first: int
    last: int
    value: int
    compound: bool  # False: one digit read on its own

    @property
    def digits(self) -> str:
        return str(self.value)


class _Parser:
    """Recursive-descent parser over one run of number words."""

    def __init__(self, words: Sequence[str]) -> None:
        self.w = list(words)

    def at(self, i: int) -> str:
        return self.w[i] if 0 <= i < len(self.w) else ""

    def digit(self, i: int) -> int | None:
        return _DIGITS.get(self.at(i))

    def tens(self, i: int) -> tuple[int, int] | None:
        """10..99 in compound form, or None; returns (value, next index)."""
        word, d = self.at(i), self.digit(i)
        if word in _TEN:
            unit = self.unit_after_tens(i + 1, after_ten=True)
            return (10 + unit[0], unit[1]) if unit else (10, i + 1)
        if word in _TENS_PREFIX:
            tens = _TENS_PREFIX[word] * 10
            unit = self.unit_after_tens(i + 1)
            return (tens + unit[0], unit[1]) if unit else (tens, i + 1)
        if d is None or d < 1:
            return None
        nxt = self.at(i + 1)
        if nxt in _TENS_SUFFIX and d >= 2:
            unit = self.unit_after_tens(i + 2)
            return (d * 10 + unit[0], unit[1]) if unit else (d * 10, i + 2)
        if nxt in _CHUC:
            return d * 10, i + 2
        if nxt in _TENS_UNITS and d >= 2:
            return d * 10 + _TENS_UNITS[nxt], i + 2
        return None

    def unit_after_tens(self, i: int, after_ten: bool = False) -> tuple[int, int] | None:
        word = self.at(i)
        if word in _TENS_UNITS:
            if after_ten and _TENS_UNITS[word] == 1:
                return None  # "mười mốt" is not said
            return _TENS_UNITS[word], i + 1
        d = self.digit(i)
        # "năm" after tens means years; "không" never follows tens
        if d is None or d == 0 or word in ("năm", "nam"):
            return None
        if self.at(i + 1) in _HUNDRED | _TENS_SUFFIX | _CHUC:
            return None  # "hai mươi ba trăm": the digit starts the next number
        return d, i + 1

    def below_thousand(self, i: int) -> tuple[int, int] | None:
        d = self.digit(i)
        if d is not None and self.at(i + 1) in _HUNDRED:
            return self.after_hundred(d * 100, i + 2)
        return self.tens(i)

    def after_hundred(self, value: int, j: int) -> tuple[int, int]:
        if self.at(j) in _LINH and self.digit(j + 1) is not None:
            return value + (self.digit(j + 1) or 0), j + 2
        if self.at(j) in _LINH and self.at(j + 1) in _TENS_UNITS:
            return value + _TENS_UNITS[self.at(j + 1)], j + 2
        tens = self.tens(j)
        if tens:
            return value + tens[0], tens[1]
        if self.at(j) in _HALF:
            return value + 50, j + 1
        trailing = self.trailing_digit(j)
        if trailing is not None:
            return value + trailing * 10, j + 1
        return value, j

    def trailing_digit(self, j: int) -> int | None:
        """The colloquial next-place digit: "một trăm hai" (120), "trăm mốt" (110)."""
        d = self.digit(j)
        if d is None:
            d = _TENS_UNITS.get(self.at(j))
        if d is None or d == 0 or self.at(j) in ("năm", "nam", "một", "mot"):
            return None
        if self.at(j + 1) in _LEXICON:
            return None
        return d

    def number(self, i: int, below: int = 10**12) -> tuple[int, int] | None:
        """A compound number < ``below``: groups of three with scale words."""
        group = self.below_thousand(i)
        if group is None:
            d = self.digit(i)
            if d is None or self.at(i + 1) not in _SCALES:
                return None
            group = (d, i + 1)
        value, j = group
        scale = _SCALES.get(self.at(j))
        if scale is None or scale >= below:
            return value, j
        total, j = value * scale, j + 1
        if self.at(j) in _HALF:
            return total + scale // 2, j + 1
        if self.at(j) in _LINH and self.digit(j + 1) is not None:
            return total + (self.digit(j + 1) or 0), j + 2
        rest = self.number(j, below=scale)
        if rest is not None:
            return total + rest[0], rest[1]
        trailing = self.trailing_digit(j)
        if trailing is not None:
            return total + trailing * scale // 10, j + 1
        return total, j

    def chunks(self) -> list[_Chunk | None]:
        """Split the run into chunks; None marks a word that is no number here."""
        out: list[_Chunk | None] = []
        i = 0
        while i < len(self.w):
            parsed = self.number(i)
            if parsed is not None and (parsed[1] - i >= 2 or self.at(i) in _TEN):
                out.append(_Chunk(i, parsed[1], parsed[0], compound=True))
                i = parsed[1]
            elif self.digit(i) is not None:
                out.append(_Chunk(i, i + 1, self.digit(i) or 0, compound=False))
                i += 1
            else:
                out.append(None)
                i += 1
        return out


# ---------------------------------------------------------------------------
# Finding runs of number words in text
# ---------------------------------------------------------------------------


@dataclass
class _Item:
    """A stretch of the text that is a number, or a separator between numbers."""

    start: int
    end: int
    kind: str  # "words" (a run of number words), "literal" (digits), "sep"
    words: list[_Word]
    symbol: str = ""
    chunks: tuple[_Chunk, ...] = ()


def _tokens(text: str) -> list[_Word]:
    return [
        _Word(unicodedata.normalize("NFC", m.group()).lower(), m.start(), m.end())
        for m in _WORD_RE.finditer(text)
    ]


def _only_space_between(text: str, a: _Word | _Item, b: _Word | _Item) -> bool:
    return text[a.end : b.start].strip() == ""


def _items(text: str) -> list[_Item | _Word]:
    """Group the words into number runs, literal digits and separators."""
    words = _tokens(text)
    items: list[_Item | _Word] = []
    i = 0
    while i < len(words):
        word = words[i]
        pair = (word.text, words[i + 1].text) if i + 1 < len(words) else None
        if pair in _SEPARATOR_PAIRS and _only_space_between(text, word, words[i + 1]):
            items.append(_Item(word.start, words[i + 1].end, "sep", [], _SEPARATOR_PAIRS[pair]))
            i += 2
        elif word.text in _SEPARATORS:
            items.append(_Item(word.start, word.end, "sep", [], _SEPARATORS[word.text]))
            i += 1
        elif word.text.isdigit():
            items.append(_Item(word.start, word.end, "literal", [word]))
            i += 1
        elif word.text in _LEXICON:
            run = [word]
            while (
                i + len(run) < len(words)
                and words[i + len(run)].text in _LEXICON
                and _only_space_between(text, run[-1], words[i + len(run)])
            ):
                run.append(words[i + len(run)])
            head, tail = _split_decimal_scale(text, items, run)
            items.extend(_split_run(head))
            items.extend(tail)
            i += len(run)
        else:
            items.append(word)
            i += 1
    return items


def _split_decimal_scale(
    text: str, items: Sequence[_Item | _Word], run: list[_Word]
) -> tuple[list[_Word], list[_Word]]:
    """After a decimal sign the scale is the whole number's: "ba phẩy năm triệu"
    is 3,5 triệu, not 3,5000000; the scale word is left as a word."""
    previous = items[-1] if items else None
    if (
        isinstance(previous, _Item)
        and previous.kind == "sep"
        and previous.symbol in ".,"
        and _only_space_between(text, previous, run[0])
        and len(run) >= 2
        and run[-1].text in _SCALES
    ):
        return run[:-1], [run[-1]]
    return run, []


# ---------------------------------------------------------------------------
# Deciding what to convert
# ---------------------------------------------------------------------------


def _split_run(run: Sequence[_Word]) -> list[_Item | _Word]:
    """Parse a run; words that are no number here ("tư" in "bộ tư pháp") split it."""
    chunks = _Parser([w.text for w in run]).chunks()
    items: list[_Item | _Word] = []
    current: list[_Chunk] = []
    for index, chunk in enumerate([*chunks, None]):
        if chunk is not None:
            current.append(chunk)
            continue
        if current:
            base = current[0].first
            words = list(run[base : current[-1].last])
            shifted = tuple(
                _Chunk(c.first - base, c.last - base, c.value, c.compound) for c in current
            )
            items.append(_Item(words[0].start, words[-1].end, "words", words, chunks=shifted))
            current = []
        if index < len(chunks):
            items.append(_word_at(run, chunks, index))
    return items


def _word_at(run: Sequence[_Word], chunks: Sequence[_Chunk | None], index: int) -> _Word:
    """The word of ``run`` that the ``index``-th None chunk stands for."""
    position = 0
    for chunk in chunks[:index]:
        position += 1 if chunk is None else chunk.last - chunk.first
    return run[position]


def _joined(chunks: Sequence[_Chunk]) -> str:
    return "".join(c.digits for c in chunks)


def _looks_like_digit_string(chunks: Sequence[_Chunk]) -> bool:
    """Phone or code read in pairs: "không chín, mười hai, ba tư, năm sáu"."""
    pieces = _digit_groups(chunks)
    return (
        sum(c.last - c.first for c in chunks) >= 4
        and all(10 <= c.value < 100 for c in chunks if c.compound)
        and all(len(g) >= 2 for g in pieces if not g[0].compound)
    )


def _digit_groups(chunks: Sequence[_Chunk]) -> list[list[_Chunk]]:
    """Consecutive single digits grouped; every compound alone."""
    groups: list[list[_Chunk]] = []
    for chunk in chunks:
        if not chunk.compound and groups and not groups[-1][-1].compound:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


def _is_weak(words: Sequence[_Word]) -> bool:
    return any(w.text in _WEAK for w in words)


def _cautious_spans(words: Sequence[_Word], chunks: Sequence[_Chunk]) -> list[NumberSpan]:
    """Spans to convert in a run that stands alone (no separator)."""
    if _is_weak(words) and len(words) < 3:
        return []
    if any(c.compound for c in chunks) and _looks_like_digit_string(chunks):
        return [NumberSpan(words[0].start, words[-1].end, _joined(chunks))]
    spans = []
    for group in _digit_groups(chunks):
        first, last = words[group[0].first], words[group[-1].last - 1]
        if group[0].compound or len(group) >= 3:
            spans.append(NumberSpan(first.start, last.end, _joined(group), group[0].compound))
    return spans


def _eager_value(item: _Item) -> str:
    """Digits of a whole run or literal, chunks joined without spaces."""
    if item.kind == "literal":
        return item.words[0].text
    return _joined(item.chunks)


def _separated_groups(text: str, items: Sequence[_Item | _Word]) -> list[list[_Item]]:
    """Maximal sequences number (sep number)+ joined by spaces only."""
    groups: list[list[_Item]] = []
    i = 0
    while i < len(items):
        group = _separated_group_at(text, items, i)
        if len(group) >= 3:
            groups.append(group)
            i += len(group)
        else:
            i += 1
    return groups


def _separated_group_at(text: str, items: Sequence[_Item | _Word], i: int) -> list[_Item]:
    first = items[i]
    if not isinstance(first, _Item) or not _is_number_item(first):
        return []
    group = [first]
    j = i + 1
    while j + 1 < len(items):
        sep, number = items[j], items[j + 1]
        if not (isinstance(sep, _Item) and sep.kind == "sep"):
            break
        if not (isinstance(number, _Item) and _is_number_item(number)):
            break
        if not (
            _only_space_between(text, group[-1], sep) and _only_space_between(text, sep, number)
        ):
            break
        group += [sep, number]
        j += 2
    return group


def _is_number_item(item: _Item | _Word) -> bool:
    if not isinstance(item, _Item):
        return False
    return item.kind in ("literal", "words")


def _comma_groups(text: str, items: Sequence[_Item | _Word]) -> list[list[_Item]]:
    """Runs split only by commas ("không chín, mười hai, ba tư") that read as one string."""
    runs = [item for item in items if isinstance(item, _Item) and item.kind == "words"]
    groups: list[list[_Item]] = []
    current: list[_Item] = []
    for run in runs:
        if current and text[current[-1].end : run.start].strip() == ",":
            current.append(run)
            continue
        groups.append(current)
        current = [run]
    groups.append(current)
    return [
        group
        for group in groups
        if len(group) >= 2 and _looks_like_digit_string([c for run in group for c in run.chunks])
    ]


def find_spoken_numbers(text: str, *, eager: bool = False) -> list[NumberSpan]:
    """Spans of ``text`` that are numbers in words, with their digits.

    ``eager`` converts every run, even a lone digit word, and joins the chunks
    of a run without spaces; for contexts that expect a number (codes, phones).
    Literal digits are never reported, except as part of a separated group
    ("000 chấm 00" → "000.00").
    """
    items = _items(text)
    spans: list[NumberSpan] = []
    covered: set[int] = set()
    for group in _separated_groups(text, items):
        value = "".join(item.symbol if item.kind == "sep" else _eager_value(item) for item in group)
        spans.append(NumberSpan(group[0].start, group[-1].end, value))
        covered.update(id(item) for item in group)
    for group in _comma_groups(text, items):
        if not any(id(item) in covered for item in group):
            value = "".join(_eager_value(item) for item in group)
            spans.append(NumberSpan(group[0].start, group[-1].end, value))
            covered.update(id(item) for item in group)
    for index, item in enumerate(items):
        if not isinstance(item, _Item) or item.kind != "words" or id(item) in covered:
            continue
        if not eager and _is_approximate(text, items, index):
            continue
        if eager:
            compound = any(c.compound for c in item.chunks) and not _looks_like_digit_string(
                item.chunks
            )
            spans.append(NumberSpan(item.start, item.end, _joined(item.chunks), compound))
        else:
            spans.extend(_cautious_spans(item.words, item.chunks))
    return sorted(spans, key=lambda s: s.start)


def _is_approximate(text: str, items: Sequence[_Item | _Word], index: int) -> bool:
    """ "mười mấy ngày", "hai mươi mấy người": a rough count, left as words."""
    following = items[index + 1] if index + 1 < len(items) else None
    return (
        isinstance(following, _Word)
        and following.text in _APPROXIMATORS
        and _only_space_between(text, items[index], following)
    )


_APPROXIMATORS = frozenset({"mấy"})


def apply_spans(text: str, spans: Sequence[NumberSpan]) -> str:
    """Replace each span of ``text`` by its value (spans sorted, disjoint)."""
    out: list[str] = []
    cursor = 0
    for span in spans:
        out.append(text[cursor : span.start])
        out.append(span.value)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def spoken_to_digits(text: str, *, eager: bool = False) -> str:
    """Rewrite numbers read aloud in ``text`` as digits, leaving other words."""
    return apply_spans(text, find_spoken_numbers(text, eager=eager))
