"""Validation of new applications (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from caseapi.validation import (
    is_valid_cccd,
    is_valid_email,
    normalize_phone,
    normalize_tax_code,
    validate_application,
)
from tests.caseapi.conftest import application_body


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("+84 91 234 5678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("0323456789", "0323456789"),
        ("0583123456", "0583123456"),
        ("0707123456", "0707123456"),
        ("0868123456", "0868123456"),
        ("0842123456", "0842123456"),
    ],
)
def test_phone_normalized(raw: str, normalized: str) -> None:
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "091234567",
        "09123456789",
        "0212345678",
        "0412345678",
        "0612345678",
        "1912345678",
        "+8491234567",
        "+1 912345678",
        "0912345abc",
        "０９１２３４５６７８",
    ],
)
def test_phone_rejected(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_cccd_and_tax_code() -> None:
    assert is_valid_cccd("001090012345")
    assert not is_valid_cccd("00109001234")
    assert not is_valid_cccd("0010900123456")
    assert not is_valid_cccd("00109001234a")
    assert normalize_tax_code("0312345678") == "0312345678"
    assert normalize_tax_code("0312345678001") == "0312345678-001"
    assert normalize_tax_code("0312345678-001") == "0312345678-001"
    for bad in ("031234567", "03123456789", "0312345678-01", "0312345678--001", "abc"):
        assert normalize_tax_code(bad) is None


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("a@b.vn", True),
        ("ho.ten+tag@mst.gov.vn", True),
        ("a@b", False),
        ("a b@c.vn", False),
        ("@c.vn", False),
        ("a@@c.vn", False),
        ("a@c..vn", False),
        ("x" * 65 + "@c.vn", False),
    ],
)
def test_email(email: str, ok: bool) -> None:
    assert is_valid_email(email) is ok


def test_valid_body_is_normalized() -> None:
    body = application_body(procedure_code=" cgcn-01 ")
    body["applicant"]["phone"] = "+84 912 345 678"
    body["applicant"]["email"] = ""
    app, errors = validate_application(body)
    assert errors == {}
    assert app is not None
    assert app.procedure_code == "CGCN-01"
    assert app.phone == "0912345678"
    assert app.email is None
    assert app.documents[0].size == 123456


def _errors(mutate: Any) -> dict[str, str]:
    body = application_body()
    mutate(body)
    app, errors = validate_application(body)
    assert app is None
    return errors


def test_field_errors_are_keyed_by_path() -> None:
    assert set(_errors(lambda b: b["applicant"].update(id_number="12345"))) == {
        "applicant.id_number"
    }
    assert set(_errors(lambda b: b["applicant"].update(phone="0212345678"))) == {"applicant.phone"}
    assert set(_errors(lambda b: b["applicant"].update(email="not-an-email"))) == {
        "applicant.email"
    }
    assert set(_errors(lambda b: b["applicant"].update(id_type="passport"))) == {
        "applicant.id_type"
    }
    assert set(_errors(lambda b: b["delivery"].update(address=None))) == {"delivery.address"}
    assert set(_errors(lambda b: b["delivery"].update(method="drone"))) == {"delivery.method"}
    assert set(_errors(lambda b: b["applicant"].update(full_name="  "))) == {"applicant.full_name"}
    assert set(_errors(lambda b: b["applicant"].update(full_name="Tên\x00ẩn"))) == {
        "applicant.full_name"
    }
    assert set(_errors(lambda b: b["documents"][0].update(size=True))) == {"documents[0].size"}
    assert set(_errors(lambda b: b["documents"][0].update(url="javascript:alert(1)"))) == {
        "documents[0].url"
    }
    assert set(_errors(lambda b: b.update(documents="x"))) == {"documents"}
    assert set(_errors(lambda b: b.pop("applicant"))) == {"applicant"}


def test_tax_code_applicant_and_counter_delivery() -> None:
    body = application_body(delivery={"method": "counter", "address": None})
    body["applicant"].update(id_type="tax_code", id_number="0312345678001")
    app, errors = validate_application(body)
    assert errors == {} and app is not None
    assert app.id_number == "0312345678-001"
    assert app.address is None


def test_hostile_text_is_kept_verbatim() -> None:
    name = "Robert'); DROP TABLE applications;-- <script>alert(1)</script>"
    body = application_body()
    body["applicant"]["full_name"] = name
    app, _ = validate_application(body)
    assert app is not None and app.full_name == name


def test_non_object_body() -> None:
    app, errors = validate_application([1, 2])
    assert app is None and set(errors) == {"body"}
