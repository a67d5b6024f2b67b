"""Folding and ranking of the procedure search (pure, no server)."""

from __future__ import annotations

import pytest

from caseapi.catalogue import Catalogue, load_file
from caseapi.search import fold, query_tokens


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(load_file()[0])


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký nhãn hiệu", "dang ky nhan hieu"),
        ("ĐĂNG KÝ NHÃN HIỆU", "dang ky nhan hieu"),
        ("X-quang  chẩn đoán", "x quang chan doan"),
        ("Mã số, mã vạch!", "ma so ma vach"),
        # decomposed input (NFD, as some keyboards send it) folds the same
        ("Đa\u0306ng ky\u0301", "dang ky"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_query_filler_and_shorthand() -> None:
    assert query_tokens("tôi muốn dk nhãn hiệu thì làm thế nào") == (
        "dang",
        "ky",
        "nhan",
        "hieu",
        "thi",
    )
    assert query_tokens("làm bằng sáng chế") == ("lam", "bang", "sang", "che")
    assert query_tokens("thủ tục") == ()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("dang ky nhan hieu", "SHTT-01"),
        ("ĐĂNG KÝ NHÃN HIỆU", "SHTT-01"),
        ("dk nhan hieu", "SHTT-01"),
        ("dang ky nhan heiu", "SHTT-01"),  # typo
        ("tôi muốn đăng ký thương hiệu cho quán cà phê", "SHTT-01"),
        ("lam bang sang che", "SHTT-02"),
        ("kiểu dáng công nghiệp", "SHTT-03"),
        ("chi dan dia ly", "SHTT-04"),
        ("thuong hieu het han", "SHTT-05"),
        ("xin giay phep chup x quang", "ATBX-01"),
        ("chung chi nhan vien buc xa", "ATBX-05"),
        ("ma vach san pham", "TCDL-01"),
        ("phe duyet mau can", "TCDL-03"),
        ("giay phep dai phat", "TANSO-06"),
        ("bo dam", "TANSO-01"),
        ("chuyen phat nhanh", "BC-01"),
        ("giấy phép bưu chính", "BC-01"),
        ("mat giay phep buu chinh", "BC-05"),
        ("chu ky so", "CKS-01"),
        ("doanh nghiep khoa hoc cong nghe", "KHCN-01"),
        ("shtt-01", "SHTT-01"),
    ],
)
def test_top_hit(catalogue: Catalogue, query: str, code: str) -> None:
    hits = catalogue.find(query)
    assert hits, query
    assert hits[0][0]["code"] == code, [(p["code"], s) for p, s in hits[:3]]


def test_scores_are_0_to_100_and_sorted(catalogue: Catalogue) -> None:
    scores = [s for _, s in catalogue.find("giay phep") if s is not None]
    assert scores and all(isinstance(s, int) and 0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert catalogue.find("dang ky nhan hieu")[0][1] == 100


def test_nonsense_and_filler_find_nothing(catalogue: Catalogue) -> None:
    assert catalogue.find("asdfghjkl qwerty") == []
    assert catalogue.find("thủ tục") == []


def test_field_filter_ignores_accents(catalogue: Catalogue) -> None:
    found = catalogue.find(None, "so huu tri tue")
    assert found and all(p["field"] == "Sở hữu trí tuệ" for p, _ in found)
    assert all(s is None for _, s in found)
    assert all(p["field"] == "Bưu chính" for p, _ in catalogue.find("giay phep", "BƯU CHÍNH"))
