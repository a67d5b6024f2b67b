"""Stopping and restarting the process on the same database keeps everything."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.caseapi.conftest import DEMO_CODE, STAFF_HEADERS, STAFF_TOKEN, Server, application_body

pytestmark = pytest.mark.integration


def test_restart_keeps_data(tmp_path: Path) -> None:
    server = Server(
        tmp_path / "db.sqlite3", tmp_path / "server.log", {"CASE_API_STAFF_TOKEN": STAFF_TOKEN}
    )
    body = application_body()
    key = uuid.uuid4().hex
    with server.start().client() as http:
        created = http.post("/applications", json=body, headers={"Idempotency-Key": key}).json()
        code = created["tracking_code"]
        moved = http.post(
            f"/applications/{code}/transitions",
            headers=STAFF_HEADERS,
            json={"to": "in_review", "actor": "canbo.test"},
        )
        assert moved.status_code == 200
        before = http.get(
            f"/applications/{code}", params={"phone_last4": body["applicant"]["phone"][-4:]}
        ).json()
        total_before = http.get("/procedures").json()["total"]
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal (exit -15).
    assert server.stop() in (0, -15)
    assert "Application shutdown complete" in server.log()

    with server.start().client() as http:
        after = http.get(
            f"/applications/{code}", params={"phone_last4": body["applicant"]["phone"][-4:]}
        )
        assert after.status_code == 200 and after.json()["history"] == before["history"]
        assert after.json()["stage"] == "in_review"
        replay = http.post("/applications", json=body, headers={"Idempotency-Key": key})
        assert replay.json() == created and replay.headers["idempotent-replayed"] == "true"
        nxt = http.post("/applications", json=application_body()).json()["tracking_code"]
        assert int(nxt[-4:]) == int(code[-4:]) + 1  # the sequence is not reused
        assert (
            http.get(f"/applications/{DEMO_CODE}", params={"phone_last4": "5678"}).status_code
            == 200
        )
        assert http.get("/procedures").json()["total"] == total_before
        audit = http.get("/audit", headers=STAFF_HEADERS).json()
        assert any(e["tracking_code"] == code for e in audit["items"])
    server.stop()
    assert server.log().count("seeded 12 demo applications") == 1  # not seeded twice
