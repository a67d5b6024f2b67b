"""The procedure catalogue file: coverage, schema and honesty about what is unverified."""

from __future__ import annotations

import re
from typing import Any

import pytest

from caseapi.catalogue import load_file
from caseapi.search import fold

Procedure = dict[str, Any]


@pytest.fixture(scope="module")
def procedures() -> list[Procedure]:
    return load_file()[0]


def by_name(procedures: list[Procedure], words: str) -> list[Procedure]:
    wanted = fold(words)
    return [p for p in procedures if wanted in fold(p["name"])]


def test_size_and_codes(procedures: list[Procedure]) -> None:
    assert len(procedures) >= 45
    codes = [p["code"] for p in procedures]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z]+-\d{2}", c) for c in codes)
    for example in (
        "SHTT-01",
        "ATBX-02",
        "CGCN-01",
        "TCDL-03",
        "TANSO-01",
        "BC-01",
        "VT-02",
        "CKS-01",
        "KHCN-01",
    ):
        assert example in codes


@pytest.mark.parametrize(
    "words",
    [
        "đăng ký nhãn hiệu",
        "đăng ký sáng chế",
        "kiểu dáng công nghiệp",
        "chỉ dẫn địa lý",
        "gia hạn hiệu lực văn bằng bảo hộ",
        "đại diện sở hữu công nghiệp",
        "giấy phép tiến hành công việc bức xạ",
        "x-quang chẩn đoán trong y tế",
        "chứng chỉ nhân viên bức xạ",
        "đăng ký chuyển giao công nghệ",
        "giấy phép chuyển giao công nghệ",
        "doanh nghiệp khoa học và công nghệ",
        "đăng ký hoạt động",
        "mã số mã vạch",
        "chỉ định tổ chức đánh giá sự phù hợp",
        "phê duyệt mẫu phương tiện đo",
        "sử dụng tần số",
        "giấy phép bưu chính",
        "cung cấp dịch vụ viễn thông",
        "chứng thực chữ ký số công cộng",
        "đài tàu",
        "phương tiện bay",
    ],
)
def test_required_procedures_present(procedures: list[Procedure], words: str) -> None:
    assert by_name(procedures, words), words


def test_field_values(procedures: list[Procedure]) -> None:
    fields = {p["field"] for p in procedures}
    assert {
        "Sở hữu trí tuệ",
        "An toàn bức xạ và hạt nhân",
        "Chuyển giao công nghệ",
        "Khoa học và công nghệ",
        "Tiêu chuẩn, đo lường, chất lượng",
        "Tần số vô tuyến điện",
        "Bưu chính",
        "Viễn thông",
        "Chữ ký số và giao dịch điện tử",
    } <= fields


def test_aliases_are_diverse(procedures: list[Procedure]) -> None:
    for p in procedures:
        assert len(p["aliases"]) >= 2, p["code"]
        folded = [fold(a) for a in p["aliases"]]
        assert len(set(folded)) == len(folded), p["code"]
        assert fold(p["name"]) not in folded, p["code"]


def test_unknown_figures_are_null_and_unverified(procedures: list[Procedure]) -> None:
    for p in procedures:
        pt = p["processing_time"]
        if pt["days"] is None:
            assert pt["verified"] is False, p["code"]
        for item in p["fee"]["items"]:
            if item["amount_vnd"] is None:
                assert item["verified"] is False, (p["code"], item["name"])
        if any(not i["verified"] for i in p["fee"]["items"]):
            assert p["fee"]["verified"] is False, p["code"]
        if not p["fee"]["items"] and not p["fee"]["verified"]:
            assert "chưa xác minh" in p["fee"]["text"].lower(), p["code"]


def test_fact_sheet_figures(procedures: list[Procedure]) -> None:
    get = {p["code"]: p for p in procedures}
    trademark = {i["name"]: i for i in get["SHTT-01"]["fee"]["items"]}
    assert trademark["Lệ phí nộp đơn"]["amount_vnd"] == 150_000
    assert trademark["Lệ phí nộp đơn"]["verified"] is True
    assert trademark["Phí tra cứu thông tin nhãn hiệu"]["verified"] is False  # UNVERIFIED
    assert trademark["Phí thẩm định nội dung"]["verified"] is False  # UNVERIFIED
    cgcn = get["CGCN-01"]["processing_time"]
    assert (cgcn["days"], cgcn["day_kind"], cgcn["verified"]) == (5, "working", True)
    s_and_t = get["KHCN-01"]
    assert s_and_t["national_code"] == "1.014445.H38"
    assert s_and_t["processing_time"]["days"] == 15 and s_and_t["fee"]["items"] == []
    assert get["ATBX-01"]["level"] == "provincial"
    assert get["ATBX-01"]["processing_time"]["verified"] is False  # 2026 regime unverified
    assert get["TANSO-04"]["processing_time"]["days"] == 20
    for p in procedures:
        if p["code"] != "KHCN-01":
            assert p["national_code"] is None, p["code"]


def test_errors_the_fact_sheet_warns_about(procedures: list[Procedure]) -> None:
    for p in procedures:
        basis = " ".join(p["legal_basis"])
        assert "13/2019" not in basis, p["code"]
        if p["field"] == "An toàn bức xạ và hạt nhân":
            assert "94/2025/QH15" in basis
            assert not any(
                b.startswith(("Nghị định 142/2020", "Luật Năng lượng nguyên tử 2008"))
                for b in p["legal_basis"]
            )
        if p["field"] == "Sở hữu trí tuệ":
            assert "01/04/2026" in p["processing_time"]["text"] + p["notes"] + basis
        assert "37/2025" not in basis


def test_conditional_components(procedures: list[Procedure]) -> None:
    poa = 0
    for p in procedures:
        assert p["components"], p["code"]
        for c in p["components"]:
            assert c["copies"] >= 1
            if not c["required"]:
                assert c["condition"], (p["code"], c["name"])
            poa += c["name"] == "Giấy ủy quyền"
    assert poa >= 10


def test_some_procedures_refuse_online_filing(procedures: list[Procedure]) -> None:
    offline = [p for p in procedures if "online" not in p["submission_modes"]]
    assert offline and all(not p["fully_online"] for p in offline)
