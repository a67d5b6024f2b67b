"""Text prepared for the ear: numbers, codes, money, dates, lists, markup."""

from __future__ import annotations

import pytest

from voice.speech_text import read_code, strip_markup, to_speech_text
from voice.vi_numbers import decimal_to_words, number_to_words, ordinal


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1000, "một nghìn"),
        (2025, "hai nghìn không trăm hai mươi lăm"),
        (150_000, "một trăm năm mươi nghìn"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (2_000_000, "hai triệu"),
        (3_500_000_000, "ba tỷ năm trăm triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_number_to_words(number: int, words: str) -> None:
    assert number_to_words(number) == words


def test_decimals_and_ordinals() -> None:
    assert decimal_to_words("1", "5") == "một phẩy năm"
    assert decimal_to_words("2", "05") == "hai phẩy không năm"
    assert [ordinal(n) for n in (1, 2, 4, 10)] == ["thứ nhất", "thứ hai", "thứ tư", "thứ mười"]


def test_tracking_code_is_read_in_small_groups() -> None:
    assert read_code("000.00.17.G17-241219-0001") == (
        "không không không, chấm, không không, chấm, một bảy, chấm, giê một bảy, gạch, "
        "hai bốn một, hai một chín, gạch, không không, không một"
    )
    spoken = to_speech_text("Mã hồ sơ của bác: 000.00.17.G17-241219-0001")
    assert spoken.startswith("Mã hồ sơ của bác: không không không, chấm,")
    assert not any(ch.isdigit() for ch in spoken)


def test_ministry_code_letters_spelled() -> None:
    assert read_code("000.00.00.G06-251219-0042").split(", chấm, ")[-1].startswith("giê không sáu")


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Lệ phí 150.000 đồng.", "Lệ phí một trăm năm mươi nghìn đồng."),
        ("Lệ phí 150.000đ/hồ sơ", "Lệ phí một trăm năm mươi nghìn đồng một hồ sơ."),
        ("Phí 2 triệu đồng", "Phí hai triệu đồng."),
        ("Phí 1,5 triệu VNĐ", "Phí một phẩy năm triệu đồng."),
        ("Phí 500.000 VND", "Phí năm trăm nghìn đồng."),
    ],
)
def test_money_read_as_words(text: str, spoken: str) -> None:
    assert to_speech_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "Hạn chót 19/12/2025",
            "Hạn chót ngày mười chín tháng mười hai năm hai nghìn không trăm hai mươi lăm.",
        ),
        ("Nộp ngày 01/4/2026", "Nộp ngày một tháng tư năm hai nghìn không trăm hai mươi sáu."),
        (
            "Từ 2025-12-19",
            "Từ ngày mười chín tháng mười hai năm hai nghìn không trăm hai mươi lăm.",
        ),
        ("Mở lúc 7h30, đóng lúc 17:00", "Mở lúc bảy giờ ba mươi phút, đóng lúc mười bảy giờ."),
        ("Trong 3-5 ngày", "Trong ba đến năm ngày."),
    ],
)
def test_dates_and_times_read_as_words(text: str, spoken: str) -> None:
    assert to_speech_text(text) == spoken


def test_numbered_list_read_as_ordinals() -> None:
    text = "Hồ sơ gồm:\n1. Đơn đề nghị\n2. Bản sao CCCD\n3) Giấy ủy quyền (nếu có)"
    assert to_speech_text(text) == (
        "Hồ sơ gồm: Thứ nhất, Đơn đề nghị. Thứ hai, Bản sao căn cước công dân. "
        "Thứ ba, Giấy ủy quyền (nếu có)."
    )


def test_markdown_emoji_and_urls_are_dropped() -> None:
    text = "## Kết quả 🎉\n**Đã duyệt** ✅ xem [cổng dịch vụ công](https://dichvucong.gov.vn) hoặc https://x.vn/a?b=1"
    spoken = to_speech_text(text)
    assert spoken == "Kết quả. Đã duyệt xem cổng dịch vụ công hoặc."
    assert strip_markup("`mã` ~~cũ~~ 👍🏽") == "mã cũ "


def test_phone_numbers_in_digit_groups() -> None:
    assert to_speech_text("Gọi 0912 345 678") == "Gọi không chín một hai, ba bốn năm, sáu bảy tám."
    assert to_speech_text("SĐT +84912345678").startswith("số điện thoại cộng tám bốn, chín một hai")


def test_step_numbers_are_not_times_and_plain_numbers_become_words() -> None:
    assert to_speech_text("Bước 1: nộp hồ sơ, 15 ngày làm việc, giảm 50%") == (
        "Bước một: nộp hồ sơ, mười lăm ngày làm việc, giảm năm mươi phần trăm."
    )
