"""Tests of nlu.spoken_numbers: digit-by-digit and compound readings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.spoken_numbers import NumberSpan, find_spoken_numbers, spoken_to_digits

_DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("không chín một hai", "0912"),
        ("không chín một hai ba bốn năm sáu bảy tám", "0912345678"),
        ("khong chin mot hai", "0912"),
        ("mười", "10"),
        ("mười một", "11"),
        ("mười lăm", "15"),
        ("mười tư", "14"),
        ("hai mươi", "20"),
        ("hai mươi mốt", "21"),
        ("hai mươi một", "21"),
        ("ba mươi tư", "34"),
        ("hai mươi lăm", "25"),
        ("bốn mươi nhăm", "45"),
        ("hai lăm", "25"),
        ("hăm mốt", "21"),
        ("hai chục", "20"),
        ("một trăm", "100"),
        ("một trăm linh năm", "105"),
        ("một trăm lẻ tư", "104"),
        ("ba trăm mười hai", "312"),
        ("một trăm hai", "120"),
        ("hai nghìn", "2000"),
        ("hai ngàn", "2000"),
        ("hai nghìn ba", "2300"),
        ("hai nghìn không trăm hai mươi lăm", "2025"),
        ("hai nghìn hai mươi lăm", "2025"),
        ("hai nghìn linh năm", "2005"),
        ("một nghìn năm trăm", "1500"),
        ("ba trăm nghìn", "300000"),
        ("hai triệu rưỡi", "2500000"),
        ("một tỷ hai trăm triệu", "1200000000"),
        ("năm sáu bảy tám", "5678"),
    ],
)
def test_readings(spoken: str, digits: str) -> None:
    assert spoken_to_digits(spoken) == digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thủ tục một cửa", "thủ tục một cửa"),
        ("không có", "không có"),
        ("không một ai", "không một ai"),
        ("một hai ngày", "một hai ngày"),
        ("ba mẹ tôi", "ba mẹ tôi"),
        ("bộ tư pháp", "bộ tư pháp"),
        ("ngày mốt", "ngày mốt"),
        ("năm 2025", "năm 2025"),
        ("mười ngày", "10 ngày"),
        ("hai mươi năm", "20 năm"),
        ("năm hai nghìn không trăm hai lăm", "năm 2025"),
        ("mot cua", "mot cua"),
        ("nam sau", "nam sau"),
        ("tỷ lệ", "tỷ lệ"),
    ],
)
def test_ordinary_words_stay(text: str, expected: str) -> None:
    assert spoken_to_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hai chấm năm", "2.5"),
        ("hai phẩy năm", "2,5"),
        ("không không không chấm không không chấm mười bảy", "000.00.17"),
        ("mười bảy gạch hai bốn một hai một chín", "17-241219"),
        ("mười bảy gạch ngang hai", "17-2"),
        ("không một gạch chéo hai nghìn mười tám", "01/2018"),
        ("thông tư không một xuyệt hai nghìn mười tám", "thông tư 01/2018"),
        ("000 chấm 00", "000.00"),
        ("dấu chấm hết", "dấu chấm hết"),
        ("gạch chân", "gạch chân"),
    ],
)
def test_separators_only_between_numbers(text: str, expected: str) -> None:
    assert spoken_to_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày mười chín tháng mười hai năm hai nghìn không trăm hai mươi lăm",
         "ngày 19 tháng 12 năm 2025"),
        ("năm trăm nghìn đồng", "500000 đồng"),
        ("một triệu hai", "1200000"),
        ("một trăm mốt", "110"),
        ("hai nghìn mốt", "2100"),
        ("ba phẩy năm triệu", "3,5 triệu"),
        ("chín mươi chín phẩy chín", "99,9"),
        ("mười mấy ngày", "mười mấy ngày"),
        ("hai mươi mấy người", "hai mươi mấy người"),
        ("hai mươi tư giờ", "24 giờ"),
        ("một trăm phần trăm", "100 phần trăm"),
        ("hai không hai lăm", "2025"),
        ("hai mươi hai mươi", "2020"),
        ("một chín chín không", "1990"),
        ("một nghìn lẻ một đêm", "1001 đêm"),
        ("hai tram nam muoi", "250"),
        ("số không chín một hai ạ", "số 0912 ạ"),
        ("Không Chín Một Hai", "0912"),
    ],
)  # fmt: skip
def test_everyday_readings(text: str, expected: str) -> None:
    assert spoken_to_digits(text) == expected


def test_nfd_input_keeps_offsets() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "số không chín một hai")
    [span] = find_spoken_numbers(text)
    assert span.value == "0912"
    assert text[span.start : span.end] == unicodedata.normalize("NFD", "không chín một hai")


def test_pairs_and_commas_read_as_one_string() -> None:
    assert spoken_to_digits("không chín mười hai ba tư năm sáu bảy tám") == "0912345678"
    assert spoken_to_digits("không chín, mười hai, ba tư, năm sáu, bảy tám") == "0912345678"
    assert spoken_to_digits("không chín một hai, ba bốn năm, sáu bảy tám") == "0912345678"
    assert spoken_to_digits("mục một, hai, ba") == "mục một, hai, ba"


def test_eager_converts_lone_words() -> None:
    assert spoken_to_digits("bốn số cuối", eager=True) == "4 số cuối"
    assert spoken_to_digits("gờ không sáu", eager=True) == "gờ 06"


def test_spans_point_into_the_original() -> None:
    text = "số Không Chín Một Hai nhé"
    [span] = find_spoken_numbers(text)
    assert span == NumberSpan(3, 21, "0912")
    assert text[span.start : span.end] == "Không Chín Một Hai"


def test_compound_flag() -> None:
    [span] = find_spoken_numbers("phí hai nghìn")
    assert span.compound
    [span] = find_spoken_numbers("năm sáu bảy tám")
    assert not span.compound


@settings(deadline=None)  # a loaded CI machine must not fail a property
@given(st.lists(st.sampled_from(_DIGIT_WORDS), min_size=3, max_size=14))
def test_any_digit_reading_of_three_or_more(words: list[str]) -> None:
    expected = "".join(str(_DIGIT_WORDS.index(w)) for w in words)
    assert spoken_to_digits(" ".join(words)) == expected


@settings(deadline=None)  # a loaded CI machine must not fail a property
@given(st.integers(10, 999_999))  # lone digits stay words by design
def test_round_trip_of_formal_readings(n: int) -> None:
    assert spoken_to_digits(_read(n)) == str(n)


def _read(n: int) -> str:
    """The formal reading of ``n`` (with "không trăm", "linh", "mươi")."""
    if n >= 1000:
        head, rest = divmod(n, 1000)
        tail = "" if rest == 0 else " " + _read_group(rest, full=True)
        return f"{_read(head)} nghìn{tail}"
    return _read_group(n, full=False)


def _read_group(n: int, *, full: bool) -> str:
    hundreds, rest = divmod(n, 100)
    tens, unit = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0 and unit and words:
        words += ["linh", _DIGIT_WORDS[unit]]
    elif tens == 1:
        words += ["mười"] + ([] if unit == 0 else ["lăm" if unit == 5 else _DIGIT_WORDS[unit]])
    elif tens >= 2:
        words += [_DIGIT_WORDS[tens], "mươi"]
        if unit:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(unit, _DIGIT_WORDS[unit]))
    elif not words:
        words.append(_DIGIT_WORDS[unit])
    return " ".join(words)
