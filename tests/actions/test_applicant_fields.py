import pytest

from actions import applicant_fields as f


@pytest.mark.parametrize("raw", ["001203004567", "001 203 004 567", "001-203-004-567"])
def test_citizen_id_accepts_twelve_digits(raw: str) -> None:
    assert f.check_citizen_id(raw).value == "001203004567"


@pytest.mark.parametrize("raw", ["", "12345678901", "0012030045678", "00120300456a", "abc"])
def test_citizen_id_refuses_anything_else_with_a_reason(raw: str) -> None:
    checked = f.check_citizen_id(raw)
    assert checked.value is None
    assert "12 chữ số" in (checked.error or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0381.234.567", "0381234567"),
    ],
)
def test_mobile_numbers_are_normalised(raw: str, expected: str) -> None:
    assert f.check_mobile(raw).value == expected


@pytest.mark.parametrize(
    "raw", ["0212345678", "091234567", "09123456789", "+1 912 345 678", "hello"]
)
def test_invalid_mobile_numbers_are_explained(raw: str) -> None:
    checked = f.check_mobile(raw)
    assert checked.value is None
    assert "10 chữ số" in (checked.error or "")


def test_tax_codes() -> None:
    assert f.check_tax_code("0101234567").value == "0101234567"
    assert f.check_tax_code("0101234567-001").value == "0101234567-001"
    assert f.check_tax_code("0101234567001").value == "0101234567-001"
    assert f.check_tax_code("01012345").value is None


def test_email() -> None:
    assert f.check_email(" An.Nguyen@Example.vn ").value == "an.nguyen@example.vn"
    for bad in ("an@", "an.example.vn", "a b@example.vn", "<script>@x.vn"):
        assert f.check_email(bad).value is None


def test_full_name() -> None:
    assert f.check_full_name("nguyễn   văn an").value == "Nguyễn Văn An"
    for bad in ("An", "Nguyen 123", "<b>Nguyễn</b> An", "x" * 120):
        assert f.check_full_name(bad).value is None


def test_address() -> None:
    assert f.check_address("  Số 5, ngõ 10 Trần Duy Hưng, Cầu Giấy, Hà Nội ").value == (
        "Số 5, ngõ 10 Trần Duy Hưng, Cầu Giấy, Hà Nội"
    )
    assert f.check_address("123").value is None


def test_masks_keep_only_the_ends() -> None:
    assert f.mask_phone("0912345678") == "09xxxxx678"
    assert f.mask_id("001203004567") == "xxxxxxxx4567"
