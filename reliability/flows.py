"""What the simulated citizens say: the mixed conversations of the load run.

Each step may name what its answer must contain when the conversation state is intact (a form
that lost its slots asks the wrong question); steps without one accept any answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

DEMO_CODE = "000.00.17.G17-241219-0001"  # caseapi/README.md: phone ends in 5678
SUBMIT_DOCS = [
    {
        "file_name": "ban-dang-ky-ma-so-ma-vach.pdf",
        "mime_type": "application/pdf",
        "size": 120_000,
        "url": "https://files.example.vn/a.pdf",
    },
    {
        "file_name": "giay-chung-nhan-dang-ky-doanh-nghiep.jpg",
        "mime_type": "image/jpeg",
        "size": 300_000,
        "url": "https://files.example.vn/b.jpg",
    },
]
SUBMITTED = ("nộp thành công", "lưu an toàn")


@dataclass(frozen=True)
class Step:
    text: str
    expect: tuple[str, ...] = ()  # any of these in the answer means the state is intact
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    cccd: str | None = None  # the submission's applicant, to find its application afterwards


def lookup() -> Flow:
    return Flow(
        "lookup",
        (
            Step("xin chào"),
            Step("thủ tục đăng ký nhãn hiệu như thế nào?"),
            Step("đăng ký sáng chế nộp ở đâu"),
        ),
    )


def checklist() -> Flow:
    return Flow(
        "checklist",
        (
            Step("dang ky sang che can giay to gi"),
            Step("tôi có tờ khai và mẫu nhãn rồi, đăng ký nhãn hiệu còn thiếu gì?", ("Còn thiếu",)),
        ),
    )


def fee() -> Flow:
    return Flow(
        "fee",
        (
            Step("lệ phí cấp mã số mã vạch"),
            Step("cap ma so ma vach mat bao lau"),
            Step("cảm ơn"),
        ),
    )


def status() -> Flow:
    return Flow(
        "status",
        (
            Step(f"hồ sơ {DEMO_CODE} đến đâu rồi", ("4 số cuối",)),
            Step("5678", ("Trạng thái",)),
        ),
    )


def submission(rng: random.Random) -> Flow:
    """A whole submission form run, with an applicant of its own; Rasa-payload steps, so it
    runs on the REST path (the chat channels send those only from their own buttons)."""
    cccd = "0012" + "".join(rng.choices("0123456789", k=8))
    phone = "09" + "".join(rng.choices("0123456789", k=8))
    return Flow(
        "submission",
        (
            Step("tôi muốn nộp hồ sơ cấp mã số mã vạch", ("cá nhân hay doanh nghiệp",)),
            Step('/inform{"applicant_type": "individual"}', ("họ và tên",)),
            Step("Trần Thị Bình", ("CCCD",)),
            Step(cccd, ("điện thoại",)),
            Step(phone, ("E-mail",)),
            Step("không có", ("nhận kết quả",)),
            Step('/inform{"delivery_method": "counter"}', ("Vui lòng gửi",)),
            Step("đây", ("kiểm tra lại thông tin",), {"attachments": SUBMIT_DOCS}),
            Step("/affirm", SUBMITTED),
        ),
        cccd=cccd,
    )


CHAT_FLOWS = (lookup, checklist, fee, status)


def pick(rng: random.Random, submissions: bool) -> Flow:
    """A flow for the next conversation; REST citizens file an application one time in four."""
    if submissions and rng.random() < 0.25:
        return submission(rng)
    return rng.choice(CHAT_FLOWS)()
