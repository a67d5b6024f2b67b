"""Staff working hours: when the call centre is open and when it opens next, in Vietnam time.

Pure calendar logic (no I/O, the clock is passed in) so weekends, holidays and the minutes
around opening are tested directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

VIETNAM = "Asia/Ho_Chi_Minh"
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# A holiday list longer than this is a broken file, not a calendar.
MAX_SEARCH_DAYS = 400

# Public holidays with paid leave (Labour Code 2019, Art. 112) for 2026-2027, with the
# days off the government announces each year. Dates marked "yearly" are fixed by an annual
# notice (Tết and the bridge days around 2/9 and 30/4): check them against the notice and
# override with CONSOLE_HOLIDAYS / CONSOLE_HOLIDAYS_FILE.
DEFAULT_HOLIDAYS: tuple[str, ...] = (
    "2026-01-01",  # New Year's Day
    # Tết Bính Ngọ: the Lunar New Year falls on 17/02/2026; days off 14-22/02 (yearly).
    "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27",  # Hùng Kings' day, 10/3 lunar = 26/04/2026 (a Sunday): moved to Monday
    "2026-04-30", "2026-05-01",  # Reunification Day, Labour Day
    "2026-09-01", "2026-09-02",  # National Day (two days since 2021); bridge day yearly
    "2027-01-01",
    # Tết Đinh Mùi: the Lunar New Year falls on 06/02/2027; days off (yearly).
    "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
    "2027-04-16",  # Hùng Kings' day, 10/3 lunar = 16/04/2027
    "2027-04-30",  # Reunification Day
    "2027-05-03",  # Labour Day falls on Saturday 01/05/2027: the next working day off
    "2027-09-02", "2027-09-03",  # National Day, and the day next to it (yearly)
)  # fmt: skip


@dataclass(frozen=True)
class WorkingHours:
    opens: time = time(7, 30)
    closes: time = time(17, 0)
    # Monday = 0 … Sunday = 6.
    weekdays: frozenset[int] = frozenset(range(5))
    holidays: frozenset[date] = field(
        default_factory=lambda: frozenset(date.fromisoformat(d) for d in DEFAULT_HOLIDAYS)
    )
    zone: str = VIETNAM

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.zone))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def is_open(self, moment: datetime) -> bool:
        local = self._local(moment)
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime | None:
        """The first opening strictly after `moment` when closed (None when no working day
        comes within a year, e.g. no weekdays configured)."""
        local = self._local(moment)
        day = local.date()
        for _ in range(MAX_SEARCH_DAYS):
            start = datetime.combine(day, self.opens, tzinfo=ZoneInfo(self.zone))
            if self.is_working_day(day) and start > local:
                return start
            day += timedelta(days=1)
        return None


def describe(moment: datetime) -> str:
    """'07:30 thứ Hai, 07/12/2026' (in the moment's own time zone)."""
    return f"{moment:%H:%M} {WEEKDAY_NAMES[moment.weekday()]}, {moment:%d/%m/%Y}"


def parse_hours(raw: str) -> tuple[time, time]:
    """'07:30-17:00' -> (07:30, 17:00)."""
    start, _, end = raw.partition("-")
    opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    if opens >= closes:
        raise ValueError(f"working hours must open before they close: {raw!r}")
    return opens, closes


def parse_weekdays(raw: str) -> frozenset[int]:
    """'1-5' or '1,2,3,4,5,6' with Monday = 1 … Sunday = 7 (ISO), as Monday = 0 … 6."""
    days: set[int] = set()
    for part in raw.split(","):
        first, _, last = part.strip().partition("-")
        low = int(first)
        high = int(last) if last else low
        if not 1 <= low <= high <= 7:
            raise ValueError(f"weekdays are 1 (Monday) to 7 (Sunday): {raw!r}")
        days.update(range(low - 1, high))
    return frozenset(days)


def parse_holidays(lines: Iterable[str]) -> frozenset[date]:
    """ISO dates, one per line or comma-separated; '#' starts a comment."""
    days: set[date] = set()
    for line in lines:
        for item in line.split("#", 1)[0].split(","):
            if item.strip():
                days.add(date.fromisoformat(item.strip()))
    return frozenset(days)


class Office:
    """The working-hours calendar on a clock: the real one, or a fixed moment in tests."""

    def __init__(
        self,
        hours: WorkingHours,
        fixed_now: datetime | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.hours = hours
        self._clock = clock or (lambda: fixed_now or datetime.now(timezone.utc))

    def now(self) -> datetime:
        return self._clock()

    def is_open(self) -> bool:
        return self.hours.is_open(self.now())

    def next_opening(self) -> str | None:
        """When staff are back, in words ('07:30 thứ Hai, 07/12/2026'), or None if unknown."""
        opening = self.hours.next_opening(self.now())
        return describe(opening) if opening is not None else None
