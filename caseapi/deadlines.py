"""Deadlines: received date plus a procedure's processing time.

Working days skip Saturdays and Sundays. Public holidays (Tết, 30/4, 1/5, 2/9 …)
are not built in because several follow the lunar calendar and are fixed by a
yearly decision; callers may pass them as ``holidays``.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
NO_HOLIDAYS: frozenset[date] = frozenset()


def now_vn() -> datetime:
    """The current time in Vietnam (UTC+7, no daylight saving)."""
    return datetime.now(VN_TZ)


def is_working_day(day: date, holidays: AbstractSet[date] = NO_HOLIDAYS) -> bool:
    """Monday to Friday and not a listed holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: AbstractSet[date] = NO_HOLIDAYS) -> date:
    """The ``days``-th working day after ``start`` (counting starts the next day)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def subtract_working_days(end: date, days: int, holidays: AbstractSet[date] = NO_HOLIDAYS) -> date:
    """The working day that lies ``days`` working days before ``end``."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = end
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def compute_deadline(
    received: date,
    days: int | None,
    day_kind: str | None,
    holidays: AbstractSet[date] = NO_HOLIDAYS,
) -> date | None:
    """Due date of a file received on ``received``; None when the time is unknown."""
    if days is None or day_kind is None:
        return None
    if day_kind == "working":
        return add_working_days(received, days, holidays)
    if day_kind == "calendar":
        return received + timedelta(days=days)
    raise ValueError(f"unknown day_kind: {day_kind!r}")


def local_date(moment: datetime) -> date:
    """The Vietnamese calendar date of an aware ``moment``."""
    return moment.astimezone(VN_TZ).date()


def is_late(now: datetime, deadline: date | None, stage_is_open: bool) -> bool:
    """Late when the due date has fully passed and the file is still being handled."""
    return stage_is_open and deadline is not None and local_date(now) > deadline


def days_overdue(now: datetime, deadline: date | None, stage_is_open: bool) -> int:
    """Calendar days past the due date; 0 when not late."""
    if not is_late(now, deadline, stage_is_open):
        return 0
    assert deadline is not None
    return (local_date(now) - deadline).days
