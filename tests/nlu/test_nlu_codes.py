"""Tests of nlu.codes: tracking codes, partial codes, phone digits, citizen IDs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.codes import (
    CodeMatch,
    find_citizen_id,
    find_partial_code,
    find_phone_last4,
    find_tracking_codes,
)

CODE = "000.00.17.G17-241219-0001"


def values(text: str) -> list[str]:
    return [m.value for m in find_tracking_codes(text)]


class TestTrackingCodes:
    def test_offsets_point_into_the_original(self) -> None:
        text = f"Mã hồ sơ {CODE} ạ"
        [match] = find_tracking_codes(text)
        assert match == CodeMatch(CODE, 9, 9 + len(CODE))
        assert text[match.start : match.end] == CODE

    @pytest.mark.parametrize(
        "typed",
        [
            "000.00.17.g17-241219-0001",
            "000 . 00 . 17 . G17 - 241219 - 0001",
            "000-00-17-G17.241219.0001",
            "000.00.17.G 17-241219-0001",
            "0000017G172412190001",
            "000 00 17 G17 241219 0001",
        ],
    )
    def test_tolerant_forms(self, typed: str) -> None:
        assert values(f"mã {typed} nhé") == [CODE]

    def test_several_codes_in_order(self) -> None:
        text = f"{CODE} và 000.00.01.G06-251219-0007"
        assert values(text) == [CODE, "000.00.01.G06-251219-0007"]

    def test_spoken_code(self) -> None:
        text = (
            "không không không chấm không không chấm mười bảy chấm gờ mười bảy "
            "gạch hai bốn một hai một chín gạch không không không một"
        )
        [match] = find_tracking_codes(f"mã là {text}")
        assert match.value == CODE
        assert (match.start, match.end) == (6, 6 + len(text))

    def test_spoken_without_separators(self) -> None:
        text = (
            "không không không không không không một giê không sáu "
            "hai năm một hai một chín không không không bảy"
        )
        assert values(text) == ["000.00.01.G06-251219-0007"]

    def test_unaccented_spoken_code(self) -> None:
        text = (
            "khong khong khong cham khong khong cham muoi bay cham go muoi bay "
            "gach hai bon mot hai mot chin gach khong khong khong mot"
        )
        assert values(text) == [CODE]

    @pytest.mark.parametrize(
        "text",
        ["0912345678", "000.00.17-241219-0001", "00.00.17.G17-241219-0001", "giấy phép 12 tháng"],
    )
    def test_not_codes(self, text: str) -> None:
        assert values(text) == []

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(
        st.integers(0, 999),
        st.integers(0, 99),
        st.integers(0, 99),
        st.sampled_from("ABGHKgh"),
        st.integers(0, 99),
        st.integers(0, 999999),
        st.integers(0, 9999),
        st.sampled_from([".", "-", " ", "", " . ", " - "]),
    )
    def test_any_well_formed_code_is_found(
        self, v: int, z: int, y: int, m: str, x: int, day: int, seq: int, sep: str
    ) -> None:
        canonical = f"{v:03}.{z:02}.{y:02}.{m.upper()}{x:02}-{day:06}-{seq:04}"
        typed = f"{v:03}{sep}{z:02}{sep}{y:02}{sep}{m}{x:02}{sep}{day:06}{sep}{seq:04}"
        text = f"hồ sơ {typed} của tôi"
        [match] = find_tracking_codes(text)
        assert match.value == canonical
        assert text[match.start : match.end] == typed.strip()


class TestPartialCode:
    def test_suffix(self) -> None:
        assert find_partial_code("tra hồ sơ 241219-0001 giúp") == CodeMatch("241219-0001", 10, 21)

    def test_suffix_without_separator(self) -> None:
        assert find_partial_code("2412190001") == CodeMatch("241219-0001", 0, 10)

    def test_with_unit_part(self) -> None:
        text = "check hs mã g06-260116-0203 giúp e"
        assert find_partial_code(text) == CodeMatch("G06-260116-0203", 12, 27)

    def test_not_inside_a_full_code(self) -> None:
        assert find_partial_code(CODE) is None

    @pytest.mark.parametrize("text", ["0912345678", "0981231234", "241399-0001"])
    def test_phones_and_impossible_dates_are_not_suffixes(self, text: str) -> None:
        assert find_partial_code(text) is None

    def test_spoken_suffix(self) -> None:
        match = find_partial_code("hai bốn một hai một chín gạch không không không một")
        assert match is not None and match.value == "241219-0001"


class TestPhoneLast4:
    @pytest.mark.parametrize(
        "text",
        [
            "5678",
            "4 số cuối 5678",
            "bốn số cuối là 5678",
            "số cuối điện thoại là 5678",
            "đuôi 5678 ạ",
            "năm sáu bảy tám",
            "4 số cuối là năm sáu bảy tám",
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84 912 345 678",
            "84912345678",
            "sđt của tôi là không chín một hai ba bốn năm sáu bảy tám",
            "không chín, mười hai, ba tư, năm sáu, bảy tám",
        ],
    )
    def test_forms(self, text: str) -> None:
        match = find_phone_last4(text)
        assert match is not None and match.value == "5678"

    def test_span_of_full_phone(self) -> None:
        assert find_phone_last4("gọi 0912 345 678 nhé") == CodeMatch("5678", 4, 16)

    def test_span_of_cue(self) -> None:
        text = "4 số cuối là 5678"
        match = find_phone_last4(text)
        assert match is not None and text[match.start : match.end] == "5678"

    @pytest.mark.parametrize(
        "text",
        [
            CODE,
            f"mã {CODE}",
            "241219-0001",
            "001234567890",
            "năm 2024",
            "phí 1500 đồng",
            "ngày 19/12/2025",
            "phí hai nghìn",
            "xin chào",
        ],
    )
    def test_never_from_codes_dates_ids_or_amounts(self, text: str) -> None:
        assert find_phone_last4(text) is None

    def test_code_then_phone_digits(self) -> None:
        match = find_phone_last4(f"mã {CODE}, 5678")
        assert match is not None and match.value == "5678"

    def test_code_and_full_phone(self) -> None:
        match = find_phone_last4(f"{CODE} sđt 0912345678")
        assert match is not None and match.value == "5678"

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(st.integers(0, 999999), st.integers(1, 9999))
    def test_no_phone_digits_in_a_bare_code(self, day: int, seq: int) -> None:
        assert find_phone_last4(f"hồ sơ 000.00.17.G17-{day:06}-{seq:04}") is None

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(st.integers(0, 9999), st.sampled_from(["", " ", "."]))
    def test_full_phone_last4(self, last: int, sep: str) -> None:
        text = f"số tôi 0912{sep}345{sep}{last:04}"
        match = find_phone_last4(text)
        assert match is not None and match.value == f"{last:04}"


class TestCitizenId:
    @pytest.mark.parametrize(
        "text",
        [
            "cccd 001234567890",
            "001 234 567 890",
            "0012 3456 7890",
            "số căn cước không không một hai ba bốn năm sáu bảy tám chín không",
        ],
    )
    def test_forms(self, text: str) -> None:
        match = find_citizen_id(text)
        assert match is not None and match.value == "001234567890"

    @pytest.mark.parametrize("text", ["999234567890", "0912345678", CODE, "1234567890123"])
    def test_rejects(self, text: str) -> None:
        assert find_citizen_id(text) is None
