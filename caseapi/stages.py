"""Stages of a file, the transitions staff may make, and what the citizen does next."""

from __future__ import annotations

from datetime import date

RECEIVED = "received"
IN_REVIEW = "in_review"
SUPPLEMENT_REQUESTED = "supplement_requested"
APPROVED = "approved"
RETURNED = "returned"
REJECTED = "rejected"

STAGE_LABELS: dict[str, str] = {
    RECEIVED: "Đã tiếp nhận",
    IN_REVIEW: "Đang thẩm định",
    SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    APPROVED: "Đã có kết quả, chờ trả",
    RETURNED: "Đã trả kết quả",
    REJECTED: "Từ chối giải quyết",
}

# Who may move a file where. A supplemented file goes back to review; results are
# returned only after approval; returned and rejected files are closed.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_REVIEW, SUPPLEMENT_REQUESTED, REJECTED}),
    IN_REVIEW: frozenset({SUPPLEMENT_REQUESTED, APPROVED, REJECTED}),
    SUPPLEMENT_REQUESTED: frozenset({IN_REVIEW, REJECTED}),
    APPROVED: frozenset({RETURNED}),
    RETURNED: frozenset(),
    REJECTED: frozenset(),
}

# Stages in which the processing clock no longer runs (a file here is never late).
CLOCK_STOPPED = frozenset({APPROVED, RETURNED, REJECTED})

CENTRAL_DESK = "Bộ phận Một cửa Bộ Khoa học và Công nghệ"
PROVINCIAL_DESK = "Bộ phận Một cửa cấp tỉnh (Trung tâm Phục vụ hành chính công)"
ONE_STOP_ADDRESS = "113 Trần Duy Hưng, Hà Nội"


def is_stage(value: object) -> bool:
    """True for one of the six stage keys."""
    return isinstance(value, str) and value in STAGE_LABELS


def can_transition(current: str, target: str) -> bool:
    """True if staff may move a file from ``current`` to ``target``."""
    return target in TRANSITIONS.get(current, frozenset())


def is_open(stage: str) -> bool:
    """True while the agency is still working on the file."""
    return stage not in CLOCK_STOPPED


def responsible_unit(stage: str, agency: str, level: str) -> str:
    """The desk or agency that holds the file at ``stage``."""
    if stage in (RECEIVED, APPROVED, RETURNED):
        return PROVINCIAL_DESK if level == "provincial" else CENTRAL_DESK
    return agency


def _vn_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def next_step(
    stage: str,
    *,
    deadline: date | None,
    late: bool,
    delivery_method: str,
    level: str = "central",
    last_note: str | None = None,
) -> str:
    """One Vietnamese sentence (or two) telling the applicant what happens next."""
    desk = PROVINCIAL_DESK if level == "provincial" else CENTRAL_DESK
    if stage in (RECEIVED, IN_REVIEW) and late:
        return (
            "Hồ sơ đã quá hạn giải quyết; cơ quan giải quyết sẽ gửi phiếu xin lỗi và hẹn "
            f"lại ngày trả kết quả. Ông/bà có thể liên hệ {desk} để được giải thích."
        )
    due = f" Kết quả dự kiến có trước ngày {_vn_date(deadline)}." if deadline else ""
    if stage == RECEIVED:
        return (
            "Hồ sơ đã được tiếp nhận và đang được chuyển tới đơn vị thẩm định; "
            f"ông/bà chưa cần làm gì thêm.{due}"
        )
    if stage == IN_REVIEW:
        return f"Hồ sơ đang được thẩm định; ông/bà vui lòng chờ thông báo.{due}"
    if stage == SUPPLEMENT_REQUESTED:
        what = f" Nội dung cần bổ sung: {last_note.strip()}" if last_note else ""
        return (
            "Ông/bà cần bổ sung hồ sơ theo thông báo của cơ quan giải quyết và nộp "
            f"phần bổ sung trực tuyến hoặc tại {desk}.{what}"
        )
    if stage == APPROVED:
        if delivery_method == "post":
            return (
                "Đã có kết quả; kết quả sẽ được gửi qua dịch vụ bưu chính đến địa chỉ "
                "ông/bà đã đăng ký."
            )
        where = f" ({ONE_STOP_ADDRESS})" if level != "provincial" else ""
        return (
            f"Đã có kết quả; ông/bà vui lòng mang giấy tờ tùy thân đến {desk}{where} "
            "để nhận kết quả."
        )
    if stage == RETURNED:
        return "Kết quả đã được trả cho ông/bà; hồ sơ đã hoàn tất, không cần làm gì thêm."
    if stage == REJECTED:
        return (
            "Hồ sơ bị từ chối giải quyết; lý do được nêu trong văn bản trả lời. "
            f"Ông/bà có thể liên hệ {desk} để được hướng dẫn nộp lại."
        )
    raise ValueError(f"unknown stage: {stage!r}")
