"""The working-hours calendar, on an injected clock: weekends, holidays, Tết, and the minutes
around opening and closing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from connectors.console.hours import (
    Office,
    WorkingHours,
    describe,
    parse_holidays,
    parse_hours,
    parse_weekdays,
)
from connectors.settings import Settings

HANOI = timezone(timedelta(hours=7))
HOURS = WorkingHours()


def at(day: str, hhmm: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm), tzinfo=HANOI)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at("2026-12-07", "07:29"), False),  # Monday, a minute before opening
        (at("2026-12-07", "07:30"), True),
        (at("2026-12-07", "16:59"), True),
        (at("2026-12-07", "17:00"), False),  # closing time is closed
        (at("2026-12-05", "10:00"), False),  # Saturday
        (at("2026-12-06", "10:00"), False),  # Sunday
        (at("2026-09-02", "10:00"), False),  # National Day, a Wednesday
        (at("2026-02-17", "10:00"), False),  # first day of Tết Bính Ngọ
    ],
)
def test_open_or_closed(moment: datetime, is_open: bool) -> None:
    assert HOURS.is_open(moment) is is_open


def test_the_clock_is_read_in_vietnam_time() -> None:
    # 00:45 UTC on Monday is 07:45 in Hanoi: open; 10:05 UTC is 17:05: closed.
    assert HOURS.is_open(datetime(2026, 12, 7, 0, 45, tzinfo=timezone.utc))
    assert not HOURS.is_open(datetime(2026, 12, 7, 10, 5, tzinfo=timezone.utc))


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (at("2026-12-04", "17:00"), at("2026-12-07", "07:30")),  # Friday evening -> Monday
        (at("2026-12-05", "09:00"), at("2026-12-07", "07:30")),  # Saturday -> Monday
        (at("2026-12-07", "06:00"), at("2026-12-07", "07:30")),  # early Monday -> same day
        (at("2026-12-07", "07:29"), at("2026-12-07", "07:30")),
        (at("2026-12-07", "07:30"), at("2026-12-08", "07:30")),  # open: the next opening
        (at("2026-02-13", "17:30"), at("2026-02-23", "07:30")),  # Tết: back on 23/02
        (at("2026-04-24", "18:00"), at("2026-04-28", "07:30")),  # Hùng Kings' day, moved
        (at("2026-12-31", "17:00"), at("2027-01-04", "07:30")),  # New Year, then weekend
    ],
)
def test_next_opening(moment: datetime, opening: datetime) -> None:
    assert HOURS.next_opening(moment) == opening


def test_no_working_day_means_no_opening() -> None:
    assert WorkingHours(weekdays=frozenset()).next_opening(at("2026-12-07", "10:00")) is None


def test_described_in_vietnamese() -> None:
    assert describe(at("2026-12-07", "07:30")) == "07:30 thứ Hai, 07/12/2026"
    assert describe(at("2026-12-13", "08:00")) == "08:00 Chủ nhật, 13/12/2026"


def test_office_on_a_fixed_clock() -> None:
    office = Office(HOURS, fixed_now=at("2026-12-05", "09:00"))
    assert not office.is_open()
    assert office.next_opening() == "07:30 thứ Hai, 07/12/2026"


def test_parsers() -> None:
    assert parse_hours("08:00-16:30") == (time(8), time(16, 30))
    with pytest.raises(ValueError):
        parse_hours("17:00-07:30")
    assert parse_weekdays("1-5") == frozenset(range(5))
    assert parse_weekdays("1-3,6") == frozenset({0, 1, 2, 5})
    with pytest.raises(ValueError):
        parse_weekdays("0-5")
    assert parse_holidays(["2026-01-01, 2026-04-30  # comment", "", "# only"]) == {
        date(2026, 1, 1),
        date(2026, 4, 30),
    }


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("CONSOLE_HOURS", "08:00-16:00")
    monkeypatch.setenv("CONSOLE_WORKDAYS", "1-6")
    monkeypatch.setenv("CONSOLE_HOLIDAYS", "2026-12-08")
    monkeypatch.setenv("CONSOLE_NOW", "2026-12-07T16:30:00+07:00")
    console = Settings.from_env().console
    office = Office(console.working_hours, console.fixed_now)
    assert not office.is_open()
    assert office.next_opening() == "08:00 thứ Tư, 09/12/2026"
    monkeypatch.setenv("CONSOLE_NOW", "2026-12-07T16:30:00")
    with pytest.raises(ValueError):
        Settings.from_env()
