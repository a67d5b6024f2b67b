"""Document check and submission end to end: real Rasa, action server, core API, redis-server
and outbox worker."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import redis

from reliability.flows import SUBMIT_DOCS
from stack.processes import ManagedProcess
from stack.services import ROOT, Stack
from tests.integration.conftest import Citizen

pytestmark = pytest.mark.integration

# A barcode application's two documents, as the gateway puts them in the metadata.
TAX_DOCS = SUBMIT_DOCS


# Every piece of personal data these tests type, checked against the logs at the end.
TYPED_PERSONAL_DATA: list[str] = [
    "Trần Thị Bình",
    "Nguyễn Văn An",
    "0912000111",
    "an.nguyen@example.vn",
    "Số 5 ngõ 10 Trần Duy Hưng",
]


def unique_cccd() -> str:
    value = "0012" + "".join(random.choices("0123456789", k=8))
    TYPED_PERSONAL_DATA.append(value)
    return value


def unique_phone() -> str:
    value = "09" + "".join(random.choices("0123456789", k=8))
    TYPED_PERSONAL_DATA.append(value)
    return value


def applications_with(stack: Stack, id_number: str) -> list[str]:
    with sqlite3.connect(stack.config.run_dir / "caseapi.sqlite3") as db:
        rows = db.execute(
            "SELECT tracking_code FROM applications WHERE applicant LIKE ?", (f"%{id_number}%",)
        ).fetchall()
    return [row[0] for row in rows]


def wait_for(predicate: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def fill_form_until_documents(citizen: Citizen, cccd: str, phone: str) -> str:
    """Individual applicant, result at the counter; returns the reply that asks for files."""
    replies = citizen.text("tôi muốn nộp hồ sơ cấp mã số mã vạch")
    assert "cá nhân hay doanh nghiệp" in replies, replies
    assert "họ và tên" in citizen.text('/inform{"applicant_type": "individual"}')
    assert "CCCD" in citizen.text("Trần Thị Bình")
    assert "điện thoại" in citizen.text(cccd)
    assert "E-mail" in citizen.text(phone)
    assert "nhận kết quả" in citizen.text("không có")
    return citizen.text('/inform{"delivery_method": "counter"}')


def test_document_check_names_what_is_missing(citizen: Citizen) -> None:
    reply = citizen.text("tôi có tờ khai và mẫu nhãn rồi, đăng ký nhãn hiệu còn thiếu gì?")
    assert "Đã có" in reply and "Tờ khai đăng ký nhãn hiệu" in reply and "Mẫu nhãn hiệu" in reply
    assert "Còn thiếu" in reply
    assert "Chỉ cần trong một số trường hợp" in reply and "Giấy ủy quyền" in reply


def test_document_walk_through_with_yes_no_buttons(citizen: Citizen) -> None:
    first = citizen.say("kiểm tra giúp hồ sơ cấp mã số mã vạch của tôi đủ chưa")
    texts = " ".join(str(r.get("text")) for r in first)
    buttons = [b["payload"] for r in first for b in (r.get("buttons") or [])]
    assert "(1/" in texts and buttons == ["/affirm", "/deny"]
    answers = ["/affirm", "/deny", "/deny", "/deny", "/deny", "/deny"]
    reply = ""
    for answer in answers:
        reply = citizen.text(answer)
        if "Kết quả kiểm tra giấy tờ" in reply:
            break
    assert "Kết quả kiểm tra giấy tờ" in reply
    assert "✅ Đã có" in reply and "❌ Còn thiếu" in reply


def test_offline_procedure_explains_where_to_file(citizen: Citizen) -> None:
    reply = citizen.text("tôi muốn nộp hồ sơ cấp chứng chỉ nhân viên bức xạ")
    assert "113 Trần Duy Hưng" in reply and "bưu chính" in reply
    assert "1. " in reply


def test_happy_path_with_post_delivery_and_a_business(citizen: Citizen, stack: Stack) -> None:
    tax_code = "0101" + "".join(random.choices("0123456789", k=6))
    TYPED_PERSONAL_DATA.append(tax_code)
    assert "cá nhân hay doanh nghiệp" in citizen.text("nộp hồ sơ cấp mã số mã vạch online")
    assert "họ và tên" in citizen.text("doanh nghiệp")
    assert "mã số thuế" in citizen.text("Nguyễn Văn An")
    citizen.text(tax_code)
    citizen.text("+84 912 000 111")
    citizen.text("an.nguyen@example.vn")
    assert "địa chỉ" in citizen.text("gửi qua bưu điện giúp tôi").lower()
    asks_files = citizen.text("Số 5 ngõ 10 Trần Duy Hưng, Cầu Giấy, Hà Nội")
    assert "Bản đăng ký sử dụng mã số mã vạch" in asks_files
    reply = citizen.text("tệp đây", metadata={"attachments": TAX_DOCS[:1]})
    assert "Đã nhận tệp" in reply and "Còn thiếu" in reply
    summary = citizen.text("thêm tệp", metadata={"attachments": TAX_DOCS[1:]})
    assert "kiểm tra lại thông tin" in summary and tax_code in summary and "0912000111" in summary
    accepted = citizen.text("/affirm")
    assert "nộp thành công" in accepted
    code = accepted.split("Mã hồ sơ: ")[1].split()[0]
    assert applications_with(stack, tax_code) == [code]
    status = httpx.get(f"{stack.case_api_url}/applications/{code}", params={"phone_last4": "0111"})
    assert status.status_code == 200
    # A second tap on "Xác nhận nộp" makes nothing new.
    citizen.text("/affirm")
    assert applications_with(stack, tax_code) == [code]


@pytest.mark.parametrize(
    ("step", "bad", "explanation"),
    [
        ("name", "123", "Họ và tên"),
        ("cccd", "12345", "12 chữ số"),
        ("phone", "0212345678", "10 chữ số"),
        ("email", "an@", "e-mail chưa đúng"),
    ],
)
def test_each_wrong_field_is_explained_and_asked_again(
    citizen: Citizen, step: str, bad: str, explanation: str
) -> None:
    citizen.text("tôi muốn nộp hồ sơ cấp mã số mã vạch")
    citizen.text('/inform{"applicant_type": "individual"}')
    answers = {
        "name": "Lê Văn Cường",
        "cccd": unique_cccd(),
        "phone": unique_phone(),
        "email": "x@example.vn",
    }
    reply = ""
    for current in ("name", "cccd", "phone", "email"):
        if current == step:
            refused = citizen.text(bad)
            assert explanation in refused, refused
        reply = citizen.text(answers[current])
    # After the corrected answer the form moves on to the next question.
    assert "nhận kết quả" in reply


def test_wrong_files_are_refused_with_a_reason(citizen: Citizen) -> None:
    asks = fill_form_until_documents(citizen, unique_cccd(), unique_phone())
    assert "Vui lòng gửi" in asks
    exe = [{"file_name": "setup.exe", "mime_type": "application/x-msdownload", "size": 1000}]
    assert "chỉ nhận ảnh JPG, PNG hoặc tệp PDF" in citizen.text(
        "đây", metadata={"attachments": exe}
    )
    huge = [{"file_name": "to-khai.pdf", "mime_type": "application/pdf", "size": 11 * 2**20}]
    assert "10 MB" in citizen.text("đây", metadata={"attachments": huge})


def test_correcting_a_field_before_confirming(citizen: Citizen, stack: Stack) -> None:
    cccd = unique_cccd()
    fill_form_until_documents(citizen, cccd, "0912345670")
    summary = citizen.text("đây", metadata={"attachments": TAX_DOCS})
    assert "0912345670" in summary
    which = citizen.say("/deny")
    payloads = [b["payload"] for r in which for b in (r.get("buttons") or [])]
    assert '/inform{"correct_field": "phone"}' in payloads
    assert "điện thoại" in citizen.text('/inform{"correct_field": "phone"}')
    summary = citizen.text("0987654321")
    assert "0987654321" in summary and "0912345670" not in summary
    assert "nộp thành công" in citizen.text("/affirm")
    assert len(applications_with(stack, cccd)) == 1


def test_cancel_sends_nothing(citizen: Citizen, stack: Stack) -> None:
    cccd = unique_cccd()
    fill_form_until_documents(citizen, cccd, unique_phone())
    assert "hủy việc nộp hồ sơ" in citizen.text("thôi không nộp nữa")
    assert applications_with(stack, cccd) == []


def inbox(stack: Stack, sender: str) -> list[dict[str, Any]]:
    client = redis.Redis.from_url(stack.redis_url or "")
    try:
        return [json.loads(m) for m in client.lrange(f"inbox:{sender}", 0, -1)]
    finally:
        client.close()


def test_core_api_down_during_submit_goes_to_the_outbox_then_in(stack: Stack) -> None:
    # A channel-style id: the notification must reach this very conversation in Rasa, whose
    # path does not decode "%3A".
    citizen = Citizen(stack.rasa_url, sender=f"zalo:{uuid.uuid4().hex[:12]}")
    cccd = unique_cccd()
    fill_form_until_documents(citizen, cccd, unique_phone())
    citizen.text("đây", metadata={"attachments": TAX_DOCS})
    stack.case_api.stop()
    try:
        queued = citizen.text("/affirm")
        assert "lưu an toàn" in queued
        time.sleep(1.0)
    finally:
        stack.case_api.start()
        stack.case_api.wait_http(f"{stack.case_api_url}/health", 60)
    codes = wait_for(lambda: applications_with(stack, cccd), 60, "the queued application")
    assert len(codes) == 1
    messages = wait_for(lambda: inbox(stack, citizen.sender), 30, "the notification")
    assert any(codes[0] in str(m.get("text")) for m in messages)
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{citizen.sender}/tracker",
        params={"token": stack.config.auth_token},
        timeout=10,
    ).json()
    intents = [e["parse_data"]["intent"]["name"] for e in tracker["events"] if e["event"] == "user"]
    assert "EXTERNAL_submission_accepted" in intents
    time.sleep(1.0)
    assert applications_with(stack, cccd) == codes
    citizen.http.close()


def test_worker_crash_mid_retry_still_makes_one_application(stack: Stack, citizen: Citizen) -> None:
    """A worker that posted the application and died before marking the job done: the next
    worker retries with the same key and the core API returns the same application."""
    from connectors.outbox import DUE_KEY, JOBS_KEY

    assert stack.outbox_worker is not None
    cccd = unique_cccd()
    fill_form_until_documents(citizen, cccd, unique_phone())
    citizen.text("đây", metadata={"attachments": TAX_DOCS})
    stack.outbox_worker.stop()
    stack.case_api.stop()
    try:
        assert "lưu an toàn" in citizen.text("/affirm")
    finally:
        stack.case_api.start()
        stack.case_api.wait_http(f"{stack.case_api_url}/health", 60)
    client = redis.Redis.from_url(stack.redis_url or "")
    job_id, raw = next(iter(client.hgetall(JOBS_KEY).items()))
    job = json.loads(raw)
    # What the crashed worker did: claimed the job (lease in the future) and posted it.
    client.zadd(DUE_KEY, {job_id: time.time() + 2})
    first = httpx.post(
        f"{stack.case_api_url}/applications",
        json=job["payload"],
        headers={"Idempotency-Key": job["id"]},
    )
    assert first.status_code == 201
    client.close()
    worker = ManagedProcess(
        "outbox worker (restarted)",
        [sys.executable, "-m", "connectors.outbox_worker"],
        stack.config.run_dir / "logs" / "outbox_worker_restarted.log",
        env={**stack.outbox_worker.env, "OUTBOX_LEASE_S": "2"},
        cwd=ROOT,
    )
    worker.start()
    try:
        messages = wait_for(lambda: inbox(stack, citizen.sender), 30, "the notification")
    finally:
        worker.stop()
        stack.outbox_worker.start()
    assert applications_with(stack, cccd) == [first.json()["tracking_code"]]
    assert any(first.json()["tracking_code"] in str(m.get("text")) for m in messages)


def test_no_personal_data_in_any_log(stack: Stack) -> None:
    """Runs last in this module: every process's log after all the submissions above."""
    logs = sorted((stack.config.run_dir / "logs").glob("*.log"))
    assert logs, "no logs were written"
    assert len(TYPED_PERSONAL_DATA) > 5
    for log in logs:
        text = log.read_text(errors="replace")
        for value in TYPED_PERSONAL_DATA:
            assert value not in text, f"{value!r} found in {log.name}"
