"""Deadlines in working and calendar days, lateness, and the stage graph."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseapi import deadlines, stages
from caseapi.deadlines import VN_TZ, add_working_days, compute_deadline, subtract_working_days

FRI = date(2025, 1, 3)
SAT = date(2025, 1, 4)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (FRI, 0, FRI),
        (FRI, 1, date(2025, 1, 6)),  # Monday
        (SAT, 1, date(2025, 1, 6)),  # filed on a weekend: next working day
        (date(2025, 1, 6), 5, date(2025, 1, 13)),  # Mon + 5 = next Mon
        (date(2024, 12, 19), 20, date(2025, 1, 16)),  # the demo barcode file
    ],
)
def test_add_working_days(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due


def test_holidays_are_skipped_when_given() -> None:
    assert add_working_days(FRI, 1, holidays={date(2025, 1, 6)}) == date(2025, 1, 7)


def test_subtract_is_inverse_on_working_days() -> None:
    for n in (1, 5, 23, 40):
        assert add_working_days(subtract_working_days(date(2026, 12, 4), n), n) == date(2026, 12, 4)


def test_compute_deadline_kinds() -> None:
    assert compute_deadline(FRI, 5, "working") == date(2025, 1, 10)
    assert compute_deadline(FRI, 5, "calendar") == date(2025, 1, 8)
    assert compute_deadline(FRI, None, None) is None
    with pytest.raises(ValueError):
        compute_deadline(FRI, 5, "lunar")
    with pytest.raises(ValueError):
        add_working_days(FRI, -1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN_TZ)


def test_late_only_after_the_whole_deadline_day() -> None:
    due = date(2025, 1, 10)
    assert not deadlines.is_late(at(due, 23), due, True)
    assert deadlines.is_late(at(date(2025, 1, 11), 0), due, True)
    assert deadlines.days_overdue(at(date(2025, 1, 13)), due, True) == 3
    assert not deadlines.is_late(at(date(2025, 2, 1)), due, False)
    assert deadlines.days_overdue(at(date(2025, 2, 1)), due, False) == 0
    assert not deadlines.is_late(at(date(2030, 1, 1)), None, True)


def test_lateness_uses_vietnam_date() -> None:
    due = date(2025, 1, 10)
    utc_evening = datetime.fromisoformat("2025-01-10T18:00:00+00:00")  # 01:00 on the 11th in VN
    assert deadlines.is_late(utc_evening, due, True)


def test_stage_labels_are_exact() -> None:
    assert stages.STAGE_LABELS == {
        "received": "Đã tiếp nhận",
        "in_review": "Đang thẩm định",
        "supplement_requested": "Yêu cầu bổ sung hồ sơ",
        "approved": "Đã có kết quả, chờ trả",
        "returned": "Đã trả kết quả",
        "rejected": "Từ chối giải quyết",
    }


def test_stage_graph() -> None:
    assert set(stages.TRANSITIONS) == set(stages.STAGE_LABELS)
    reachable, todo = {"received"}, ["received"]
    while todo:
        for nxt in stages.TRANSITIONS[todo.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                todo.append(nxt)
    assert reachable == set(stages.STAGE_LABELS)
    assert stages.TRANSITIONS["returned"] == stages.TRANSITIONS["rejected"] == frozenset()
    assert not stages.can_transition("received", "approved")
    assert not stages.can_transition("received", "received")
    assert stages.can_transition("supplement_requested", "in_review")
    assert {s for s in stages.STAGE_LABELS if not stages.is_open(s)} == {
        "approved",
        "returned",
        "rejected",
    }


@pytest.mark.parametrize("stage", list(stages.STAGE_LABELS))
@pytest.mark.parametrize("method", ["counter", "post"])
def test_next_step_is_a_vietnamese_sentence(stage: str, method: str) -> None:
    text = stages.next_step(stage, deadline=date(2025, 1, 10), late=False, delivery_method=method)
    assert text.endswith(".") and len(text) > 30
    assert any(ch in text for ch in "ăâđêôơư")


def test_next_step_mentions_deadline_note_and_lateness() -> None:
    due = date(2025, 1, 10)
    assert "10/01/2025" in stages.next_step(
        "in_review", deadline=due, late=False, delivery_method="counter"
    )
    assert "quá hạn" in stages.next_step(
        "in_review", deadline=due, late=True, delivery_method="counter"
    )
    assert "Bổ sung bản sao" in stages.next_step(
        "supplement_requested",
        deadline=due,
        late=False,
        delivery_method="post",
        last_note="Bổ sung bản sao hợp đồng.",
    )
    assert "bưu chính" in stages.next_step(
        "approved", deadline=due, late=False, delivery_method="post"
    )
