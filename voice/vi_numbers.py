"""Vietnamese numbers as spoken words (pure functions, no I/O).

Northern conventions, the ones gTTS and espeak-ng's ``vi`` voice read most naturally:
"linh" for a zero ten (105 → "một trăm linh năm"), "mốt"/"lăm" after a ten
(21 → "hai mươi mốt", 25 → "hai mươi lăm"), "nghìn" for thousands.
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")
ORDINALS = {1: "thứ nhất", 4: "thứ tư"}
MONTHS = {4: "tư"}


def _below_hundred(n: int) -> list[str]:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [DIGITS[unit]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if unit == 0:
        return words
    if unit == 5:
        return [*words, "lăm"]
    if unit == 1 and tens > 1:
        return [*words, "mốt"]
    return [*words, DIGITS[unit]]


def _below_thousand(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; ``full`` reads a leading "không trăm" inside a big number."""
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or full:
        words = [DIGITS[hundreds], "trăm"]
        if rest == 0:
            return words
        if rest < 10:
            return [*words, "linh", DIGITS[rest]]
    return words + _below_hundred(rest)


def number_to_words(n: int) -> str:
    """``150000`` → "một trăm năm mươi nghìn"; negative numbers get "âm"."""
    if n < 0:
        return "âm " + number_to_words(-n)
    if n == 0:
        return DIGITS[0]
    if n >= 1000**4:
        # "nghìn tỷ", "triệu tỷ": read the part above a billion as its own number.
        high, low = divmod(n, 1000**3)
        tail = number_to_words(low) if low else ""
        return " ".join(filter(None, [number_to_words(high), "tỷ", tail]))
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        leading = index == len(groups) - 1
        words += _below_thousand(group, full=not leading)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return " ".join(words)


def digits_to_words(digits: str) -> str:
    """Read digit by digit: ``"0912"`` → "không chín một hai"."""
    return " ".join(DIGITS[int(ch)] for ch in digits if ch.isdigit())


def decimal_to_words(integer: str, fraction: str = "") -> str:
    """``("1", "5")`` → "một phẩy năm"; the fraction is read as a number unless it starts with 0."""
    words = number_to_words(int(integer))
    if not fraction:
        return words
    if fraction.startswith("0"):
        return f"{words} phẩy {digits_to_words(fraction)}"
    return f"{words} phẩy {number_to_words(int(fraction))}"


def ordinal(n: int) -> str:
    """``1`` → "thứ nhất", ``2`` → "thứ hai", ``4`` → "thứ tư"."""
    return ORDINALS.get(n, "thứ " + number_to_words(n))


def month_name(n: int) -> str:
    """Month number as said after "tháng": 4 → "tư", 12 → "mười hai"."""
    return MONTHS.get(n, number_to_words(n))
