"""Tracking codes (mã hồ sơ) in the format of Circular 01/2018/TT-VPCP Art. 19.

``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``: the receiving unit's code, the date the
file was received and that day's 4-digit sequence number, e.g.
``000.00.17.H57-230915-0012``. Which authority each segment of the unit code
stands for is not verified here; only its shape is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

UNIT_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
TRACKING_CODE_RE = re.compile(
    r"^(?P<unit>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<day>\d{6})-(?P<seq>\d{4})$"
)
MAX_SEQUENCE = 9999


class SequenceExhausted(Exception):
    """More than 9,999 files in one day for one unit: the format has no room."""


@dataclass(frozen=True)
class TrackingCode:
    """A parsed tracking code."""

    unit_code: str
    day: date
    sequence: int

    def __str__(self) -> str:
        return format_tracking_code(self.unit_code, self.day, self.sequence)


def is_valid_unit_code(unit_code: str) -> bool:
    """True if ``unit_code`` has the ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` shape."""
    return bool(UNIT_CODE_RE.match(unit_code))


def format_tracking_code(unit_code: str, day: date, sequence: int) -> str:
    """Build the code of the ``sequence``-th file received by ``unit_code`` on ``day``."""
    if not is_valid_unit_code(unit_code):
        raise ValueError(f"invalid unit code: {unit_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise SequenceExhausted(f"sequence {sequence} out of range 1..{MAX_SEQUENCE}")
    return f"{unit_code}-{day:%y%m%d}-{sequence:04d}"


def normalize_tracking_code(raw: str) -> str:
    """Upper-case and trim what a user typed (``" 000.00.17.g17-241219-0001 "``)."""
    return raw.strip().upper()


def parse_tracking_code(raw: str) -> TrackingCode | None:
    """Parse a tracking code; None if it does not have the Art. 19 shape."""
    match = TRACKING_CODE_RE.match(normalize_tracking_code(raw))
    if not match:
        return None
    day_text = match.group("day")
    try:
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
    except ValueError:
        return None
    return TrackingCode(match.group("unit"), day, int(match.group("seq")))
