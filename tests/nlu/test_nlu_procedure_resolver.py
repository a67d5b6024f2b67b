"""Tests of nlu.procedure_resolver over a small fixture and the real catalogue."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from nlu.procedure_resolver import Candidate, ProcedureResolver, Resolution

CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "caseapi" / "data" / "procedures.json"

FIXTURE: list[dict[str, Any]] = [
    {
        "code": "TM",
        "name": "Đăng ký nhãn hiệu",
        "aliases": ["đăng ký logo"],
        "keywords": ["nhãn hiệu", "logo"],
        "field": "Sở hữu trí tuệ",
    },
    {
        "code": "TM-INT",
        "name": "Đăng ký quốc tế nhãn hiệu theo Hệ thống Madrid",
        "aliases": ["bảo hộ nhãn hiệu ở nước ngoài"],
        "keywords": ["Madrid", "quốc tế", "nhãn hiệu"],
        "field": "Sở hữu trí tuệ",
    },
    {
        "code": "TM-RENEW",
        "name": "Gia hạn hiệu lực văn bằng bảo hộ nhãn hiệu",
        "aliases": ["nhãn hiệu sắp hết hạn"],
        "keywords": ["gia hạn", "nhãn hiệu"],
        "field": "Sở hữu trí tuệ",
    },
    {
        "code": "PAT",
        "name": "Đăng ký sáng chế (cấp Bằng độc quyền sáng chế)",
        "aliases": ["nộp đơn sáng chế"],
        "keywords": ["sáng chế", "giải pháp hữu ích"],
        "field": "Sở hữu trí tuệ",
    },
    {
        "code": "XRAY",
        "name": "Cấp giấy phép công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán y tế",
        "aliases": ["giấy phép phòng khám nha khoa"],
        "keywords": ["X-quang", "bức xạ", "giấy phép"],
        "field": "An toàn bức xạ",
    },
    {
        "code": "XRAY-RENEW",
        "name": "Gia hạn giấy phép tiến hành công việc bức xạ - X-quang chẩn đoán y tế",
        "aliases": [],
        "keywords": ["gia hạn", "X-quang", "giấy phép"],
        "field": "An toàn bức xạ",
    },
    {
        "code": "BARCODE",
        "name": "Cấp Giấy chứng nhận quyền sử dụng mã số mã vạch",
        "aliases": ["đăng ký GS1"],
        "keywords": ["mã số mã vạch", "GS1"],
        "field": "Tiêu chuẩn đo lường chất lượng",
    },
    {
        "code": "RADIO",
        "name": "Cấp giấy phép sử dụng tần số vô tuyến điện cho đài phát thanh, truyền hình",
        "aliases": ["giấy phép đài phát"],
        "keywords": ["tần số", "phát thanh", "truyền hình"],
        "field": "Tần số vô tuyến điện",
    },
    {
        "code": "WALKIE",
        "name": "Cấp giấy phép sử dụng tần số cho mạng vô tuyến nội bộ",
        "aliases": ["giấy phép bộ đàm"],
        "keywords": ["bộ đàm", "tần số"],
        "field": "Tần số vô tuyến điện",
    },
    {
        "code": "POST",
        "name": "Cấp giấy phép bưu chính",
        "aliases": ["giấy phép chuyển phát nhanh"],
        "keywords": ["bưu chính", "chuyển phát"],
        "field": "Bưu chính",
    },
]


@pytest.fixture(scope="module")
def resolver() -> ProcedureResolver:
    return ProcedureResolver(FIXTURE)


def best_code(resolution: Resolution) -> str | None:
    return resolution.best.code if resolution.best else None


@pytest.mark.parametrize(
    ("mention", "code"),
    [
        ("đăng ký nhãn hiệu", "TM"),
        ("dang ky nhan hieu", "TM"),
        ("ĐĂNG KÝ NHÃN HIỆU", "TM"),
        ("đki nhãn hiệu", "TM"),
        ("đăng ký thương hiệu", "TM"),
        ("dang ky thuong hieu", "TM"),
        ("đăng ký nhãn hiệu ở nước ngoài theo Madrid", "TM-INT"),
        ("gia hạn nhãn hiệu", "TM-RENEW"),
        ("làm bằng sáng chế", "PAT"),
        ("cho tôi hỏi thủ tục làm bằng sáng chế với ạ", "PAT"),
        ("sangche", "PAT"),
        ("xin giấy phép chụp X-quang", "XRAY"),
        ("giay phep xquang", "XRAY"),
        ("gia hạn giấy phép x quang", "XRAY-RENEW"),
        ("mã vạch sản phẩm", "BARCODE"),
        ("đăng ký mã vạch cho sp", "BARCODE"),
        ("giấy phép đài phát", "RADIO"),
        ("xin giấy phép bộ đàm cho công ty", "WALKIE"),
        ("giấy phép chuyển phát", "POST"),
        ("nhna hieu dang ky", "TM"),
        # speech recognition and accents: d/gi, final c/t, n/ng, "ích" for X
        ("xin dấy phép máy ích quang", "XRAY"),
        ("đăng ký sán chế", "PAT"),
        ("làm mã vạt", "BARCODE"),
        ("giấy phép bưu chín", "POST"),
    ],
)
def test_everyday_mentions_resolve_confidently(
    resolver: ProcedureResolver, mention: str, code: str
) -> None:
    resolution = resolver.resolve(mention)
    assert best_code(resolution) == code
    assert resolution.confident, resolution


@pytest.mark.parametrize("mention", ["gia hạn", "giấy phép", "tần số"])
def test_ambiguous_mentions_ask_back(resolver: ProcedureResolver, mention: str) -> None:
    resolution = resolver.resolve(mention)
    assert not resolution.confident
    assert len(resolution.candidates) >= 2


@pytest.mark.parametrize(
    "mention", ["xin chào", "lệ phí bao nhiêu", "còn lệ phí thì sao?", "", "   ", "???"]
)
def test_nothing_plausible_gives_no_candidates(resolver: ProcedureResolver, mention: str) -> None:
    resolution = resolver.resolve(mention)
    assert resolution.candidates == []
    assert resolution.best is None
    assert not resolution.confident


def test_candidates_are_ranked_limited_and_scored(resolver: ProcedureResolver) -> None:
    resolution = resolver.resolve("nhãn hiệu", limit=2)
    assert len(resolution.candidates) == 2
    scores = [c.score for c in resolution.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert isinstance(resolution.candidates[0], Candidate)
    assert resolution.candidates[0].name


def test_accent_and_unicode_forms_score_the_same(resolver: ProcedureResolver) -> None:
    import unicodedata

    accented = resolver.resolve("đăng ký nhãn hiệu")
    plain = resolver.resolve("dang ky nhan hieu")
    nfd = resolver.resolve(unicodedata.normalize("NFD", "đăng ký nhãn hiệu"))
    assert accented == plain == nfd


def test_empty_catalogue() -> None:
    assert ProcedureResolver([]).resolve("nhãn hiệu") == Resolution([], False)


def test_fast_per_call() -> None:
    catalogue = [
        {**record, "code": f"{record['code']}-{i}", "name": f"{record['name']} {i}"}
        for i in range(5)
        for record in FIXTURE
    ]
    resolver = ProcedureResolver(catalogue)  # 50 procedures
    mention = "cho tôi hỏi thủ tục xin giấy phép chụp x quang cho phòng khám với ạ"
    resolver.resolve(mention)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        resolver.resolve(mention)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.005


# -- the real catalogue -------------------------------------------------------

EVERYDAY_MENTIONS = [
    ("đăng ký thương hiệu", "SHTT-01"),
    ("dang ky nhan hieu cho cong ty", "SHTT-01"),
    ("đki logo", "SHTT-01"),
    ("làm bằng sáng chế", "SHTT-02"),
    ("cho tôi hỏi thủ tục làm bằng sáng chế với ạ", "SHTT-02"),
    ("đăng ký patent", "SHTT-02"),
    ("bảo hộ mẫu mã bao bì sản phẩm", "SHTT-03"),
    ("đăng ký đặc sản vùng miền", "SHTT-04"),
    ("gia hạn nhãn hiệu", "SHTT-05"),
    ("bảo hộ thiết kế chip", "SHTT-08"),
    ("mua bán thương hiệu", "SHTT-11"),
    ("đăng ký thương hiệu ra nước ngoài", "SHTT-13"),
    ("xin giấy phép chụp X-quang", "ATBX-01"),
    ("giay phep x quang phong kham", "ATBX-01"),
    ("gia hạn giấy phép X-quang", "ATBX-03"),
    ("chứng chỉ nhân viên bức xạ", "ATBX-05"),
    ("khai báo máy X-quang mới mua", "ATBX-07"),
    ("đăng ký hợp đồng chuyển giao công nghệ", "CGCN-01"),
    ("chứng nhận doanh nghiệp khoa học công nghệ", "KHCN-01"),
    ("nộp kết quả đề tài nghiên cứu", "KHCN-07"),
    ("mã vạch sản phẩm", "TCDL-01"),
    ("đăng ký mã vạch cho sp", "TCDL-01"),
    ("barcode", "TCDL-01"),
    ("gia hạn mã vạch", "TCDL-02"),
    ("phê duyệt mẫu cân điện tử", "TCDL-03"),
    ("đăng ký phòng thí nghiệm", "TCDL-05"),
    ("kiểm tra chất lượng hàng nhập khẩu", "TCDL-09"),
    ("giấy phép bộ đàm", "TANSO-01"),
    ("giấy phép đài phát", "TANSO-06"),
    ("giay phep phat song FM", "TANSO-06"),
    ("ham radio", "TANSO-07"),
    ("giấy phép chuyển phát nhanh", "BC-01"),
    ("mất giấy phép bưu chính", "BC-05"),
    ("giấy phép nhà mạng", "VT-01"),
    ("chữ ký số", "CKS-01"),
    ("gia hạn giấy phép chữ ký số", "CKS-02"),
]


@pytest.fixture(scope="module")
def real_resolver() -> ProcedureResolver:
    if not CATALOGUE_FILE.exists():
        pytest.skip("caseapi/data/procedures.json is not there")
    return ProcedureResolver(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8")))


def test_real_catalogue_everyday_mentions(real_resolver: ProcedureResolver) -> None:
    misses = []
    for mention, code in EVERYDAY_MENTIONS:
        resolution = real_resolver.resolve(mention)
        if best_code(resolution) != code or not resolution.confident:
            misses.append((mention, code, resolution))
    assert not misses, "\n".join(f"{m!r} → want {c}: {r}" for m, c, r in misses)


def test_real_catalogue_small_talk_finds_nothing(real_resolver: ProcedureResolver) -> None:
    for mention in ["xin chào", "cảm ơn bạn", "lệ phí bao nhiêu", "tôi muốn gặp nhân viên"]:
        assert not real_resolver.resolve(mention).confident, mention
