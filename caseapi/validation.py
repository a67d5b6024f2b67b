"""Validation of a new application: pure functions, no I/O.

Error messages are Vietnamese so that a channel can show them as they are; the
keys of the error map are dotted field paths (``applicant.phone``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

CCCD_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
CONTENT_TYPE_RE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[\w.+-]+$")
URL_RE = re.compile(r"^https?://[^\s]+$")
IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,200}$")
STAFF_ID_RE = re.compile(r"^[\w.@-]{1,64}$")

MAX_DOCUMENTS = 50
MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
ID_TYPES = ("cccd", "tax_code")
DELIVERY_METHODS = ("counter", "post")

MSG_REQUIRED = "Thông tin này là bắt buộc."
MSG_TEXT = "Phải là chuỗi ký tự, không chứa ký tự điều khiển, tối đa {n} ký tự."


@dataclass(frozen=True)
class Document:
    """One uploaded or announced document of the dossier."""

    component: str
    filename: str
    content_type: str
    size: int
    url: str | None


@dataclass(frozen=True)
class NewApplication:
    """A validated, normalised application."""

    procedure_code: str
    full_name: str
    id_type: str
    id_number: str
    phone: str
    email: str | None
    delivery_method: str
    address: str | None
    documents: tuple[Document, ...]
    channel: str | None

    def applicant_dict(self) -> dict[str, Any]:
        """Applicant fields as stored."""
        return {
            "full_name": self.full_name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
        }


def normalize_phone(raw: str) -> str | None:
    """Vietnamese mobile number as ``0XXXXXXXXX``; None if it is not one.

    Spaces, dots, dashes and brackets are ignored; ``+84``/``84`` become ``0``.
    """
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if MOBILE_RE.match(digits) else None


def is_valid_cccd(raw: str) -> bool:
    """Citizen identity card number: exactly 12 digits."""
    return bool(CCCD_RE.match(raw))


def normalize_tax_code(raw: str) -> str | None:
    """Tax code as 10 digits or ``10digits-3digits``; None if malformed."""
    match = TAX_CODE_RE.match(raw.strip())
    if not match:
        return None
    head, branch = match.groups()
    return f"{head}-{branch}" if branch else head


def is_valid_email(raw: str) -> bool:
    """A plain syntax check (no DNS)."""
    if len(raw) > 254 or "@" not in raw or len(raw.split("@", 1)[0]) > 64:
        return False
    return bool(EMAIL_RE.match(raw))


def clean_text(value: Any, max_len: int, multiline: bool = False) -> str | None:
    """Trimmed NFC string without control characters, or None if unacceptable.

    ``multiline`` allows line breaks and tabs (staff notes).
    """
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if not text or len(text) > max_len:
        return None
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        return None
    return text


def _text(errors: dict[str, str], key: str, value: Any, max_len: int) -> str:
    if value is None or value == "":
        errors[key] = MSG_REQUIRED
        return ""
    text = clean_text(value, max_len)
    if text is None:
        errors[key] = MSG_TEXT.format(n=max_len)
        return ""
    return text


def _optional_text(errors: dict[str, str], key: str, value: Any, max_len: int) -> str | None:
    if value is None or value == "":
        return None
    return _text(errors, key, value, max_len) or None


def _applicant(errors: dict[str, str], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors["applicant"] = "Thiếu thông tin người nộp hồ sơ."
        return {}
    out: dict[str, Any] = {
        "full_name": _text(errors, "applicant.full_name", raw.get("full_name"), 200)
    }
    id_type = raw.get("id_type")
    out["id_type"] = id_type
    id_number = raw.get("id_number")
    if id_type not in ID_TYPES:
        errors["applicant.id_type"] = "Loại giấy tờ phải là 'cccd' hoặc 'tax_code'."
    elif not isinstance(id_number, str) or not id_number.strip():
        errors["applicant.id_number"] = MSG_REQUIRED
    elif id_type == "cccd":
        if is_valid_cccd(id_number.strip()):
            out["id_number"] = id_number.strip()
        else:
            errors["applicant.id_number"] = "Số căn cước công dân phải gồm đúng 12 chữ số."
    else:
        tax_code = normalize_tax_code(id_number)
        if tax_code:
            out["id_number"] = tax_code
        else:
            errors["applicant.id_number"] = (
                "Mã số thuế phải gồm 10 hoặc 13 chữ số (13 số có thể viết dạng 10 số-3 số)."
            )
    phone = raw.get("phone")
    normalized = normalize_phone(phone) if isinstance(phone, str) else None
    if normalized is None:
        errors["applicant.phone"] = (
            "Số điện thoại di động không hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, "
            "08 hoặc 09 (chấp nhận tiền tố +84)."
        )
    out["phone"] = normalized
    email = raw.get("email")
    if email is None or (isinstance(email, str) and not email.strip()):
        out["email"] = None
    elif isinstance(email, str) and is_valid_email(email.strip()):
        out["email"] = email.strip()
    else:
        errors["applicant.email"] = "Địa chỉ thư điện tử không hợp lệ."
    return out


def _delivery(errors: dict[str, str], raw: Any) -> tuple[str, str | None]:
    if not isinstance(raw, dict):
        errors["delivery"] = "Thiếu hình thức nhận kết quả."
        return "", None
    method = raw.get("method")
    if method not in DELIVERY_METHODS:
        errors["delivery.method"] = "Hình thức nhận kết quả phải là 'counter' hoặc 'post'."
        return "", None
    if method == "counter":
        return method, _optional_text(errors, "delivery.address", raw.get("address"), 500)
    address = raw.get("address")
    if address is None or (isinstance(address, str) and not address.strip()):
        errors["delivery.address"] = "Nhận kết quả qua bưu chính cần địa chỉ nhận."
        return method, None
    return method, _text(errors, "delivery.address", address, 500)


def _documents(errors: dict[str, str], raw: Any) -> tuple[Document, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_DOCUMENTS:
        errors["documents"] = f"Danh sách giấy tờ phải là một mảng tối đa {MAX_DOCUMENTS} mục."
        return ()
    docs: list[Document] = []
    for i, item in enumerate(raw):
        key = f"documents[{i}]"
        if not isinstance(item, dict):
            errors[key] = "Mỗi giấy tờ phải là một đối tượng."
            continue
        component = _text(errors, f"{key}.component", item.get("component"), 500)
        filename = _text(errors, f"{key}.filename", item.get("filename"), 255)
        content_type = item.get("content_type")
        if (
            not isinstance(content_type, str)
            or len(content_type) > 100
            or not CONTENT_TYPE_RE.match(content_type)
        ):
            errors[f"{key}.content_type"] = "Kiểu tệp (content_type) không hợp lệ."
            content_type = ""
        size = item.get("size")
        if type(size) is not int or not 0 <= size <= MAX_DOCUMENT_SIZE:
            errors[f"{key}.size"] = "Kích thước tệp phải là số nguyên từ 0 đến 50 MB."
            size = 0
        url = item.get("url")
        bad_url = not isinstance(url, str) or len(url) > 2000 or not URL_RE.match(url)
        if url is not None and bad_url:
            errors[f"{key}.url"] = "Đường dẫn tệp phải là URL http(s) hoặc null."
            url = None
        docs.append(Document(component, filename, content_type, size, url))
    return tuple(docs)


def validate_application(body: Any) -> tuple[NewApplication | None, dict[str, str]]:
    """Check and normalise a ``POST /applications`` body: (application, errors)."""
    errors: dict[str, str] = {}
    if not isinstance(body, dict):
        return None, {"body": "Nội dung yêu cầu phải là một đối tượng JSON."}
    code = body.get("procedure_code")
    if not isinstance(code, str) or not code.strip() or len(code) > 50:
        errors["procedure_code"] = "Thiếu mã thủ tục."
        code = ""
    applicant = _applicant(errors, body.get("applicant"))
    method, address = _delivery(errors, body.get("delivery"))
    documents = _documents(errors, body.get("documents"))
    channel = _optional_text(errors, "channel", body.get("channel"), 50)
    if errors:
        return None, errors
    return (
        NewApplication(
            procedure_code=code.strip().upper(),
            full_name=applicant["full_name"],
            id_type=applicant["id_type"],
            id_number=applicant["id_number"],
            phone=applicant["phone"],
            email=applicant["email"],
            delivery_method=method,
            address=address,
            documents=documents,
            channel=channel,
        ),
        {},
    )
