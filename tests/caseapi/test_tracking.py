"""Tracking codes (Circular 01/2018/TT-VPCP Art. 19) and their daily sequence in storage."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from caseapi import tracking
from caseapi.deadlines import VN_TZ
from caseapi.storage import IdempotencyConflict, Storage
from caseapi.validation import NewApplication, validate_application
from tests.caseapi.conftest import application_body

UNIT = "000.00.01.G06"
PROCEDURE = {
    "code": "CGCN-01",
    "name": "Đăng ký chuyển giao công nghệ",
    "agency": "Bộ KH&CN",
    "level": "central",
}


def test_format_and_parse_round_trip() -> None:
    code = tracking.format_tracking_code("000.00.17.H57", date(2023, 9, 15), 12)
    assert code == "000.00.17.H57-230915-0012"  # the fact sheet's example
    parsed = tracking.parse_tracking_code(f"  {code.lower()} ")
    assert parsed == tracking.TrackingCode("000.00.17.H57", date(2023, 9, 15), 12)
    assert str(parsed) == code


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "000.00.17.H57-230915-12",
        "000.00.17.H57-231315-0012",
        "00.00.17.H57-230915-0012",
        "000.00.17.557-230915-0012",
        "000.00.17.H57-230915-0012-1",
        "0912345678",
    ],
)
def test_parse_rejects_malformed(bad: str) -> None:
    assert tracking.parse_tracking_code(bad) is None


def test_format_guards() -> None:
    with pytest.raises(ValueError):
        tracking.format_tracking_code("G06", date(2025, 1, 1), 1)
    with pytest.raises(tracking.SequenceExhausted):
        tracking.format_tracking_code(UNIT, date(2025, 1, 1), 10_000)
    assert tracking.is_valid_unit_code("000.00.01.G06")
    assert not tracking.is_valid_unit_code("000.00.01.g06")


def _new_app(phone: str = "0912000001") -> NewApplication:
    body = application_body()
    body["applicant"]["phone"] = phone
    app, errors = validate_application(body)
    assert app is not None, errors
    return app


def _create(storage: Storage, when: datetime, key: str | None = None, h: str = "x") -> str:
    app = _new_app()
    created = storage.create_application(app, PROCEDURE, UNIT, when, None, key, h)
    return str(created.body["tracking_code"])


def test_sequence_is_per_day(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "db.sqlite3")
    day1 = datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
    codes = [_create(storage, day1) for _ in range(3)]
    assert codes == [f"{UNIT}-250303-000{i}" for i in (1, 2, 3)]
    assert _create(storage, day1 + timedelta(days=1)) == f"{UNIT}-250304-0001"
    storage.close()


def test_sequence_unique_under_threads_and_two_connections(tmp_path: Path) -> None:
    """Two Storage objects on one file stand in for two processes sharing the database."""
    a, b = Storage(tmp_path / "db.sqlite3"), Storage(tmp_path / "db.sqlite3")
    when = datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
    codes: list[str] = []
    lock = threading.Lock()

    def worker(storage: Storage) -> None:
        for _ in range(5):
            code = _create(storage, when)
            with lock:
                codes.append(code)

    threads = [threading.Thread(target=worker, args=(s,)) for s in (a, b) * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == len(set(codes)) == 40
    assert {int(c[-4:]) for c in codes} == set(range(1, 41))
    a.close()
    b.close()


def test_idempotency_in_storage(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "db.sqlite3")
    when = datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
    first = _create(storage, when, key="k1", h="hash-a")
    assert _create(storage, when, key="k1", h="hash-a") == first
    with pytest.raises(IdempotencyConflict):
        _create(storage, when, key="k1", h="hash-b")
    assert storage.count_applications() == 1
    storage.close()
