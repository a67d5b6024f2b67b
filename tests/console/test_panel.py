"""The assistant panel's procedure answers (the citizen's own texts) and the submissions the
outbox handed to staff."""

from __future__ import annotations

from connectors.console.submissions import mask_name, mask_phone
from connectors.outbox import Outbox, OutboxJob
from tests.console.conftest import DOMAIN, ConsoleApp


def test_a_question_gets_the_procedure_checklist_fee_and_time(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    answer = console_app.post("/console/api/ask", {"question": "lệ phí đăng ký nhãn hiệu"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["code"] == "SHTT-01" and body["name"] == "Đăng ký nhãn hiệu"
    text = "\n".join(body["texts"])
    # The domain's own response texts, filled: the same sentences the citizen reads.
    for key in ("utter_procedure_documents", "utter_procedure_fee", "utter_procedure_time"):
        opening = DOMAIN["responses"][key][0]["text"].split("{")[0]
        assert opening in text, key
    assert "Lệ phí thủ tục Đăng ký nhãn hiệu:" in text and "đồng" in text
    assert "{" not in text  # every placeholder was filled
    by_code = console_app.post("/console/api/ask", {"question": "SHTT-01"}).json()
    assert by_code["texts"] == body["texts"]


def test_unknown_question_or_rasa_down_answers_in_vietnamese(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    missing = console_app.post("/console/api/ask", {"question": "xin chào"})
    assert missing.status_code == 404 and "Không tìm thấy thủ tục" in missing.json()["error"]
    assert console_app.post("/console/api/ask", {"question": " "}).status_code == 422
    assert console_app.post("/console/api/ask", {"question": "x" * 301}).status_code == 422
    console_app.fakes.rasa_down = True
    down = console_app.post("/console/api/ask", {"question": "đăng ký nhãn hiệu"})
    assert down.status_code == 502 and "Trợ lý ảo" in down.json()["error"]


def _hand_over(app: ConsoleApp, job_id: str, sender: str) -> None:
    job = OutboxJob(
        id=job_id,
        payload={
            "procedure_code": "TCDL-01",
            "applicant": {"full_name": "Nguyễn Văn An", "phone": "0912345678",
                          "id_number": "001099012345", "address": "12 Trần Duy Hưng"},
        },
        sender_id=sender,
        procedure_name="Cấp mã số mã vạch",
        attempts=20,
    )
    app.client.portal.call(Outbox(app.console.redis).hand_to_staff, job, "core API down")  # type: ignore[union-attr]


def test_handed_submissions_are_listed_queued_once_and_marked_handled(
    console_app: ConsoleApp,
) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    _hand_over(console_app, "key-1", "telegram:55")
    listing = console_app.client.get("/console/api/submissions")
    [item] = listing.json()["items"]
    assert item["id"] == "key-1" and item["procedure_name"] == "Cấp mã số mã vạch"
    assert item["applicant"] == "Nguyễn V. A." and item["phone"] == "•••••••678"
    assert item["conversation"] == "telegram:55" and item["handled_by"] is None
    for secret in ("0912345678", "001099012345", "Trần Duy Hưng", "Văn An"):
        assert secret not in listing.text
    # Its conversation entered the staff queue, once.
    convs = console_app.client.get("/console/api/conversations").json()
    [conv] = [c for c in convs["conversations"] if c["id"] == "telegram:55"]
    assert conv["state"] == "waiting" and conv["channel"] == "telegram"
    assert [s["id"] for s in convs["submissions"]] == ["key-1"]
    console_app.client.get("/console/api/submissions")
    assert console_app.redis.zrange("console:queue", 0, -1) == ["telegram:55"]

    assert console_app.post("/console/api/submissions/nope/handled").status_code == 404
    assert console_app.post("/console/api/submissions/key-1/handled").status_code == 200
    _hand_over(console_app, "key-2", "zalo:9")
    items = console_app.client.get("/console/api/submissions").json()["items"]
    assert [(i["id"], i["handled_by"]) for i in items] == [("key-2", None), ("key-1", "an.nguyen")]


def test_masks() -> None:
    assert mask_name("  ") == "" and mask_name("Lê Thị Bích Ngọc") == "Lê T. B. N."
    assert mask_phone("") == "" and mask_phone("+84 912 345 678") == "••••••••678"
