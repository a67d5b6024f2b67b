"""Validation of what an applicant types into the submission form, with the Vietnamese
explanation to show when it is wrong. Pure functions: no I/O."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Mobile prefixes in use since the 2018 renumbering (Viettel 03x/086/09x, MobiFone 07x/089/09x,
# VinaPhone 08x/09x, Vietnamobile 05x, Gmobile 059, iTel 087...).
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*$")


@dataclass(frozen=True)
class Checked:
    """A normalised value, or None with the reason (Vietnamese) it was refused."""

    value: str | None
    error: str | None = None


def _digits(text: str) -> str:
    return re.sub(r"[\s.\-()]", "", text)


def check_full_name(text: str) -> Checked:
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not 2 <= len(name) <= 100 or len(name.split()) < 2 or not NAME_RE.match(name):
        return Checked(
            None,
            "Họ và tên cần ghi đầy đủ bằng chữ (ít nhất 2 từ, không có số), ví dụ: Nguyễn Văn An.",
        )
    return Checked(name.title())


def check_citizen_id(text: str) -> Checked:
    digits = _digits(text)
    if not re.fullmatch(r"\d{12}", digits):
        return Checked(None, "Số căn cước công dân (CCCD) gồm đúng 12 chữ số, ví dụ: 001203004567.")
    return Checked(digits)


def check_tax_code(text: str) -> Checked:
    raw = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{10}", raw) or re.fullmatch(r"\d{10}-\d{3}", raw):
        return Checked(raw)
    if re.fullmatch(r"\d{13}", raw):
        return Checked(f"{raw[:10]}-{raw[10:]}")
    return Checked(
        None,
        "Mã số thuế doanh nghiệp gồm 10 chữ số "
        "(hoặc 13 chữ số với chi nhánh, dạng 0101234567-001).",
    )


def check_mobile(text: str) -> Checked:
    digits = _digits(text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"\d{10}", digits) or not digits.startswith(MOBILE_PREFIXES):
        return Checked(
            None,
            "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
            "(có thể ghi +84), ví dụ: 0912345678.",
        )
    return Checked(digits)


def check_email(text: str) -> Checked:
    email = text.strip()
    if len(email) > 254 or not EMAIL_RE.match(email):
        return Checked(None, "Địa chỉ e-mail chưa đúng, ví dụ: ten@example.com.")
    return Checked(email.lower())


def check_address(text: str) -> Checked:
    address = " ".join(text.split())
    if not 10 <= len(address) <= 300 or not re.search(r"[^\W\d_]", address):
        return Checked(
            None,
            "Vui lòng ghi địa chỉ nhận kết quả đầy đủ "
            "(số nhà, đường/thôn, phường/xã, tỉnh/thành phố).",
        )
    return Checked(address)


def mask_phone(phone: str) -> str:
    """0912345678 -> 09xxxxx678, for read-backs that must not repeat the whole number."""
    return phone[:2] + "x" * (len(phone) - 5) + phone[-3:] if len(phone) > 5 else "x" * len(phone)


def mask_id(number: str) -> str:
    return "x" * (len(number) - 4) + number[-4:] if len(number) > 4 else number
