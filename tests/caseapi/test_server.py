"""The real server process over HTTP: the contract other parts code against."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from typing import Any

import httpx
import pytest
import yaml

from tests.caseapi.conftest import DEMO_CODE, STAFF_HEADERS, STAFF_TOKEN, Server, application_body

pytestmark = pytest.mark.integration


def create(
    http: httpx.Client, body: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    return http.post("/applications", json=body or application_body(), headers=headers)


def created_code(http: httpx.Client, body: dict[str, Any] | None = None) -> tuple[str, str]:
    body = body or application_body()
    response = create(http, body)
    assert response.status_code == 201, response.text
    return response.json()["tracking_code"], body["applicant"]["phone"][-4:]


# -- basics -------------------------------------------------------------------


def test_health_and_openapi(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok"}
    doc = http.get("/openapi.yaml")
    assert doc.status_code == 200 and "yaml" in doc.headers["content-type"]
    spec = yaml.safe_load(doc.text)
    assert spec["openapi"].startswith("3.")
    assert {
        "/health",
        "/procedures",
        "/procedures/{code}",
        "/applications",
        "/applications/{tracking_code}",
        "/applications/{tracking_code}/transitions",
        "/audit",
    } <= set(spec["paths"])


def test_unknown_route_and_method_answer_json(http: httpx.Client) -> None:
    r = http.get("/nope/<script>")
    assert r.status_code == 404 and r.json() == {"error": "not_found"}
    r = http.delete("/procedures")
    assert r.status_code == 405 and r.json() == {"error": "method_not_allowed"}


# -- catalogue ----------------------------------------------------------------


def test_procedures_without_query(http: httpx.Client) -> None:
    body = http.get("/procedures").json()
    assert body["total"] == len(body["items"]) >= 45
    first = body["items"][0]
    assert set(first) == {"code", "name", "field", "agency", "level", "fully_online"}
    limited = http.get("/procedures", params={"limit": 5}).json()
    assert len(limited["items"]) == 5 and limited["total"] == body["total"]


@pytest.mark.parametrize("q", ["dang ky nhan hieu", "ĐĂNG KÝ NHÃN HIỆU", "Dang Ky Nhan Hieu"])
def test_search_ignores_diacritics_and_case(http: httpx.Client, q: str) -> None:
    body = http.get("/procedures", params={"q": q}).json()
    top = body["items"][0]
    assert top["code"] == "SHTT-01" and top["name"] == "Đăng ký nhãn hiệu"
    assert top["score"] == 100
    assert all(0 <= i["score"] <= 100 for i in body["items"])


def test_search_field_filter_and_bad_limit(http: httpx.Client) -> None:
    body = http.get("/procedures", params={"q": "giay phep", "field": "buu chinh"}).json()
    assert body["items"] and {i["field"] for i in body["items"]} == {"Bưu chính"}
    assert http.get("/procedures", params={"limit": "abc"}).status_code == 422
    hostile = http.get("/procedures", params={"q": "' OR 1=1; DROP TABLE procedures; --"})
    assert hostile.status_code == 200 and hostile.json()["total"] >= 0


def test_get_procedure(http: httpx.Client) -> None:
    p = http.get("/procedures/shtt-01").json()
    assert p["code"] == "SHTT-01"
    assert {"components", "fee", "processing_time", "legal_basis", "notes"} <= set(p)
    r = http.get("/procedures/XYZ-99")
    assert r.status_code == 404 and r.json() == {"error": "procedure_not_found"}


# -- status -------------------------------------------------------------------


def test_demo_status_lookup(http: httpx.Client) -> None:
    r = http.get(f"/applications/ {DEMO_CODE.lower()} ", params={"phone_last4": "5678"})
    assert r.status_code == 200
    status = r.json()
    assert status["tracking_code"] == DEMO_CODE
    assert status["stage"] == "returned" and status["stage_label"] == "Đã trả kết quả"
    assert set(status) == {
        "tracking_code",
        "procedure_code",
        "procedure_name",
        "stage",
        "stage_label",
        "responsible_unit",
        "received_at",
        "deadline",
        "is_late",
        "days_overdue",
        "next_step",
        "history",
    }
    assert [h["stage"] for h in status["history"]] == [
        "received",
        "in_review",
        "approved",
        "returned",
    ]
    assert r.headers["cache-control"] == "no-store"


def test_status_errors(http: httpx.Client) -> None:
    r = http.get("/applications/000.00.17.G17-241219-9999", params={"phone_last4": "5678"})
    assert r.status_code == 404 and r.json() == {"error": "application_not_found"}
    r = http.get("/applications/not-a-code", params={"phone_last4": "5678"})
    assert r.status_code == 404
    for digits in (None, "1234", "56789", "abcd", ""):
        params = {} if digits is None else {"phone_last4": digits}
        r = http.get(f"/applications/{DEMO_CODE}", params=params)
        assert r.status_code == 403 and r.json() == {"error": "phone_mismatch"}


def test_status_has_no_personal_data(http: httpx.Client) -> None:
    body = application_body()
    body["applicant"].update(
        full_name="Đinh Riêng Tư", id_number="079123456789", email="rieng.tu@example.com"
    )
    body["delivery"]["address"] = "Ngõ Bí Mật 7"
    code, last4 = created_code(http, body)
    text = http.get(f"/applications/{code}", params={"phone_last4": last4}).text
    for secret in (
        "Đinh Riêng Tư",
        "079123456789",
        body["applicant"]["phone"],
        body["applicant"]["phone"][1:],
        "rieng.tu@example.com",
        "Ngõ Bí Mật",
    ):
        assert secret not in text


# -- filing -------------------------------------------------------------------


def test_create_and_read_back(http: httpx.Client) -> None:
    body = application_body()
    body["applicant"]["phone"] = "+84 " + body["applicant"]["phone"][1:]
    r = create(http, body)
    assert r.status_code == 201
    created = r.json()
    assert set(created) == {"tracking_code", "procedure_code", "stage", "received_at", "deadline"}
    assert created["stage"] == "received" and created["procedure_code"] == "CGCN-01"
    assert created["tracking_code"].startswith("000.00.01.G06-")
    assert created["deadline"] > created["received_at"][:10]  # 5 working days later
    assert "idempotent-replayed" not in r.headers
    assert r.headers["location"] == f"/applications/{created['tracking_code']}"
    status = http.get(
        f"/applications/{created['tracking_code']}",
        params={"phone_last4": body["applicant"]["phone"][-4:]},
    ).json()
    assert status["stage_label"] == "Đã tiếp nhận" and status["is_late"] is False


def test_codes_follow_the_daily_sequence(http: httpx.Client) -> None:
    a, _ = created_code(http)
    b, _ = created_code(http)
    assert a[:-4] == b[:-4] and int(b[-4:]) == int(a[-4:]) + 1


def test_unknown_time_gives_null_deadline(http: httpx.Client) -> None:
    r = create(http, application_body(procedure_code="SHTT-01"))
    assert r.status_code == 201 and r.json()["deadline"] is None


def test_filing_validation(http: httpx.Client) -> None:
    r = create(http, application_body(procedure_code="NOPE-01"))
    assert r.status_code == 422 and "procedure_code" in r.json()["fields"]
    r = create(http, application_body(procedure_code="SHTT-06"))  # counter/post only
    assert r.status_code == 422 and r.json()["error"] == "online_filing_not_allowed"
    body = application_body(delivery={"method": "post", "address": ""})
    body["applicant"].update(phone="0212345678", id_number="123", email="x@")
    r = create(http, body)
    assert r.status_code == 422
    assert r.json()["error"] == "validation_error"
    assert set(r.json()["fields"]) == {
        "applicant.phone",
        "applicant.id_number",
        "applicant.email",
        "delivery.address",
    }
    r = http.post("/applications", json=[1, 2, 3])
    assert r.status_code == 422


def test_malformed_and_oversized_bodies(http: httpx.Client) -> None:
    for raw in (b"{not json", b"\xff\xfe{}", b'{"a": NaN}', b"", b"[" * 100_000):
        r = http.post("/applications", content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, raw[:20]
        assert r.json()["error"] == "malformed_json"
    big = json.dumps(application_body(channel="x" * 1_100_000)).encode()
    r = http.post("/applications", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    chunked = http.post("/applications", content=iter([b" " * 65536] * 20))  # no length
    assert chunked.status_code == 413
    assert http.get("/health").status_code == 200


def test_hostile_strings_are_stored_and_returned_verbatim(
    server: Server, http: httpx.Client
) -> None:
    evil = "Robert'); DROP TABLE applications;-- <script>alert('x')</script> %_\\"
    body = application_body()
    body["applicant"]["full_name"] = evil
    body["delivery"]["address"] = evil
    code, last4 = created_code(http, body)
    r = http.post(
        f"/applications/{code}/transitions",
        headers=STAFF_HEADERS,
        json={"to": "supplement_requested", "actor": "canbo.test", "note": evil},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json()["history"][-1]["note"] == evil
    assert evil in r.json()["next_step"]
    with sqlite3.connect(server.db) as db:  # the table survived and holds the text as is
        stored = db.execute(
            "SELECT applicant FROM applications WHERE tracking_code = ?", (code,)
        ).fetchone()[0]
    assert json.loads(stored)["full_name"] == evil
    assert http.get(f"/applications/{code}", params={"phone_last4": last4}).status_code == 200


# -- idempotency --------------------------------------------------------------


def test_idempotent_replay_and_conflict(http: httpx.Client) -> None:
    key = uuid.uuid4().hex
    body = application_body()
    first = create(http, body, **{"Idempotency-Key": key})
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False)
    again = http.post(
        "/applications",
        content=reordered.encode(),
        headers={"Idempotency-Key": key, "Content-Type": "application/json"},
    )
    assert first.status_code == 201 and again.status_code in (200, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = application_body()
    conflict = create(http, other, **{"Idempotency-Key": key})
    assert conflict.status_code == 409 and conflict.json()["error"] == "idempotency_key_reused"
    assert create(http, body, **{"Idempotency-Key": "bad key with spaces"}).status_code == 422


async def _burst(url: str, bodies: list[dict[str, Any]], keys: list[str]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(base_url=url, timeout=20.0, limits=limits) as client:
        return list(
            await asyncio.gather(
                *(
                    client.post("/applications", json=b, headers={"Idempotency-Key": k})
                    for b, k in zip(bodies, keys, strict=True)
                )
            )
        )


def test_twenty_concurrent_requests_one_key_make_one_application(server: Server) -> None:
    body = application_body()
    key = uuid.uuid4().hex
    responses = asyncio.run(_burst(server.url, [body] * 20, [key] * 20))
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["tracking_code"] for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") != "true" for r in responses) == 1
    with sqlite3.connect(server.db) as db:
        n = db.execute(
            "SELECT COUNT(*) FROM applications WHERE phone_last4 = ?",
            (body["applicant"]["phone"][-4:],),
        ).fetchone()[0]
    assert n == 1


def test_concurrent_different_keys_get_distinct_consecutive_codes(server: Server) -> None:
    bodies = [application_body() for _ in range(12)]
    responses = asyncio.run(_burst(server.url, bodies, [uuid.uuid4().hex for _ in bodies]))
    codes = sorted(r.json()["tracking_code"] for r in responses)
    seqs = [int(c[-4:]) for c in codes]
    assert len(set(codes)) == 12 and seqs == list(range(seqs[0], seqs[0] + 12))


# -- partial codes ------------------------------------------------------------


def test_find_by_suffix_and_phone(http: httpx.Client) -> None:
    code, last4 = created_code(http)
    found = http.get("/applications", params={"phone_last4": last4, "suffix": code[-11:].lower()})
    assert found.status_code == 200
    assert found.json() == [
        {
            "tracking_code": code,
            "procedure_name": found.json()[0]["procedure_name"],
            "stage_label": "Đã tiếp nhận",
        }
    ]
    wrong = "0000" if last4 != "0000" else "1111"
    assert (
        http.get("/applications", params={"phone_last4": wrong, "suffix": code[-11:]}).json() == []
    )
    demo = http.get("/applications", params={"phone_last4": "5678", "suffix": "241219-0001"})
    assert [i["tracking_code"] for i in demo.json()] == [DEMO_CODE]
    for params in (
        {"phone_last4": "56", "suffix": "0001"},
        {"phone_last4": "5678", "suffix": "%"},
        {"phone_last4": "5678", "suffix": "____"},
        {"phone_last4": "5678"},
    ):
        assert http.get("/applications", params=params).status_code == 422


# -- staff --------------------------------------------------------------------


def test_staff_auth(http: httpx.Client) -> None:
    url = f"/applications/{DEMO_CODE}"
    for auth in ("Bearer wrong", "Basic " + STAFF_TOKEN, "Bearer", STAFF_TOKEN):
        r = http.get(url, headers={"Authorization": auth, "X-Staff-Id": "canbo.a"})
        assert r.status_code == 401 and r.json() == {"error": "unauthorized"}
    assert (
        http.post(f"{url}/transitions", json={"to": "in_review", "actor": "x"}).status_code == 401
    )
    assert http.get("/audit").status_code == 401
    r = http.get(url, headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert r.status_code == 400 and r.json()["error"] == "staff_id_required"


def test_staff_read_is_audited(http: httpx.Client) -> None:
    staff = {
        "Authorization": f"Bearer {STAFF_TOKEN}",
        "X-Staff-Id": f"canbo.{uuid.uuid4().hex[:6]}",
    }
    r = http.get(f"/applications/{DEMO_CODE}", headers=staff)
    assert r.status_code == 200 and r.json()["tracking_code"] == DEMO_CODE
    assert http.get("/applications/000.00.17.G17-241219-9998", headers=staff).status_code == 404
    audit = http.get("/audit", headers=STAFF_HEADERS).json()
    mine = [e for e in audit["items"] if e["staff_id"] == staff["X-Staff-Id"]]
    assert {(e["action"], e["tracking_code"]) for e in mine} == {
        ("read_status", DEMO_CODE),
        ("read_status", "000.00.17.G17-241219-9998"),
    }
    assert all(e["at"] for e in mine)


def test_transition_graph(http: httpx.Client) -> None:
    code, last4 = created_code(http)

    def move(to: str, note: str | None = None) -> httpx.Response:
        return http.post(
            f"/applications/{code}/transitions",
            headers=STAFF_HEADERS,
            json={"to": to, "note": note, "actor": "canbo.test"},
        )

    r = move("approved")
    assert r.status_code == 409
    assert r.json() == {
        "error": "transition_not_allowed",
        "from": "received",
        "to": "approved",
        "allowed": ["in_review", "rejected", "supplement_requested"],
    }
    for stage in ("in_review", "supplement_requested", "in_review", "approved", "returned"):
        r = move(stage, note=f"ghi chú {stage}")
        assert r.status_code == 200, r.text
        assert r.json()["stage"] == stage
    assert move("rejected").status_code == 409
    assert move("in_review").status_code == 409
    status = http.get(f"/applications/{code}", params={"phone_last4": last4}).json()
    assert [h["stage"] for h in status["history"]] == [
        "received",
        "in_review",
        "supplement_requested",
        "in_review",
        "approved",
        "returned",
    ]
    assert status["history"][2]["note"] == "ghi chú supplement_requested"
    assert "actor" not in status["history"][1]
    assert move("teleported").status_code == 422
    r = http.post(f"/applications/{code}/transitions", headers=STAFF_HEADERS, json={"to": "x"})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"to", "actor"}
    r = http.post(
        "/applications/000.00.17.G17-241219-9997/transitions",
        headers=STAFF_HEADERS,
        json={"to": "in_review", "actor": "a"},
    )
    assert r.status_code == 404
    audit = http.get("/audit", headers=STAFF_HEADERS, params={"limit": 1000}).json()["items"]
    assert sum(e["tracking_code"] == code for e in audit) == 5


def test_demo_lateness_over_http(http: httpx.Client) -> None:
    late = http.get("/applications/000.00.17.G17-241219-0002", params={"phone_last4": "5678"})
    assert late.json()["is_late"] is True and "quá hạn" in late.json()["next_step"]
    ip = http.get("/applications/000.00.17.G17-241219-0009", params={"phone_last4": "8777"})
    assert ip.json()["deadline"] is None and ip.json()["is_late"] is False


# -- logs ---------------------------------------------------------------------


def test_no_personal_data_in_server_logs(server: Server, http: httpx.Client) -> None:
    body = application_body()
    body["applicant"].update(
        full_name="Vương Nhật Ký", id_number="038200012399", email="nhat.ky.secret@example.com"
    )
    body["delivery"]["address"] = "Số 1 Ngõ Không Được Ghi Log"
    phone = body["applicant"]["phone"]
    code, last4 = created_code(http, body)
    http.get(f"/applications/{code}", params={"phone_last4": last4})
    http.get(f"/applications/{code}", params={"phone_last4": "0000"})
    http.get(f"/applications/{phone}", params={"phone_last4": last4})  # phone typed as a code
    http.get("/applications", params={"phone_last4": last4, "suffix": code[-11:]})
    http.post("/applications", json={**body, "procedure_code": "NOPE-01"})
    log = server.log()
    assert code in log  # the log is there and does record the request
    for secret in (
        "Vương Nhật Ký",
        "038200012399",
        phone,
        phone[1:],
        "nhat.ky.secret",
        "Không Được Ghi Log",
        "Hoàng Thị Kiểm Thử",
        "phone_last4",
        "0912345678",
        "Nguyễn Văn An",
    ):
        assert secret not in log, secret
    assert "Traceback" not in log
