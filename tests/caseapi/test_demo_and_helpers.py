"""Demo data, the phone-digit limiter and log-path sanitising (no server)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from caseapi import demo
from caseapi.catalogue import Catalogue, load_file
from caseapi.deadlines import VN_TZ
from caseapi.ratelimit import FailureLimiter
from caseapi.status import status_view
from caseapi.storage import Storage
from caseapi.web import safe_path
from tests.caseapi.conftest import DEMO_CODE

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=VN_TZ)  # a Friday


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Storage:
    storage = Storage(tmp_path_factory.mktemp("demo") / "db.sqlite3")
    catalogue = Catalogue(load_file()[0])
    assert demo.seed(storage, catalogue.get, NOW) == storage.count_applications()
    return storage


def view(storage: Storage, code: str) -> dict[str, Any]:
    found = storage.get_application(code)
    assert found is not None
    return status_view(found[0], found[1], NOW)


def test_demo_file_shape() -> None:
    entries = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
    assert 10 <= len(entries) <= 15
    codes = [e["tracking_code"] for e in entries]
    assert DEMO_CODE in codes and len(set(codes)) == len(codes)
    first = next(e for e in entries if e["tracking_code"] == DEMO_CODE)
    assert first["applicant"]["phone"].endswith("5678")


def test_mandatory_demo_code(seeded: Storage) -> None:
    status = view(seeded, DEMO_CODE)
    assert status["stage"] == "returned"
    assert status["received_at"] == "2024-12-19T09:12:00+07:00"
    assert status["is_late"] is False


def test_demo_covers_every_situation(seeded: Storage) -> None:
    entries = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
    views = [view(seeded, e["tracking_code"]) for e in entries]
    stages_seen = {v["stage"] for v in views}
    assert stages_seen == {
        "received",
        "in_review",
        "supplement_requested",
        "approved",
        "returned",
        "rejected",
    }
    assert any(v["is_late"] for v in views)
    assert any(v["deadline"] and not v["is_late"] and v["stage"] == "in_review" for v in views)
    assert any(v["deadline"] is None for v in views)
    for v in views:
        times = [h["at"] for h in v["history"]]
        assert times == sorted(times) and times[-1] <= NOW.isoformat()


def test_demo_late_file_counts_days(seeded: Storage) -> None:
    late = view(seeded, "000.00.17.G17-241219-0002")
    assert late["is_late"] is True and late["days_overdue"] > 0
    on_time = view(seeded, "000.00.17.G17-241219-0003")
    assert on_time["is_late"] is False and on_time["days_overdue"] == 0


def test_seeding_keeps_new_codes_clear_of_demo_codes(seeded: Storage) -> None:
    rows = seeded._read("SELECT last FROM daily_sequence WHERE unit_code = '000.00.17.G17'")
    assert rows[0]["last"] == 12


def test_limiter_window() -> None:
    t = [0.0]
    limiter = FailureLimiter(max_failures=3, window=60, clock=lambda: t[0])
    for _ in range(2):
        limiter.record_failure("A")
    assert not limiter.blocked("A")
    limiter.record_failure("A")
    assert limiter.blocked("A") and not limiter.blocked("B")
    assert 1 <= limiter.retry_after("A") <= 61
    t[0] = 61.0
    assert not limiter.blocked("A")


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/applications/000.00.17.G17-241219-0001", "/applications/000.00.17.G17-241219-0001"),
        ("/applications/0912345678", "/applications/{…}"),
        ("/applications/001090012345/transitions", "/applications/{…}/transitions"),
        ("/procedures/SHTT-01", "/procedures/SHTT-01"),
        ("/procedures/Nguyễn Văn An", "/procedures/{…}"),
        ("/health", "/health"),
    ],
)
def test_safe_path(path: str, logged: str) -> None:
    assert safe_path(path) == logged


def test_readme_lists_every_demo_code() -> None:
    readme = (Path(demo.__file__).parent / "README.md").read_text(encoding="utf-8")
    for entry in json.loads(demo.DEMO_FILE.read_text(encoding="utf-8")):
        assert entry["tracking_code"] in readme
        assert entry["applicant"]["phone"][-4:] in readme
