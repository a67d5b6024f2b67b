"""Demo applications seeded into an empty database.

Dates in ``data/demo_applications.json`` are mostly offsets from the moment of
seeding (``received_working_days_ago``, ``after_working_days``) so that "late"
and "on time" files stay meaningful whenever the demo is started; an entry may
instead give absolute ``received_at``/``at`` timestamps. The date segment of a
demo tracking code is nominal and need not equal its received date.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from caseapi import deadlines, stages
from caseapi.storage import HistoryEntry, Storage
from caseapi.validation import validate_application

DEMO_FILE = Path(__file__).with_name("data") / "demo_applications.json"


def _received_at(entry: dict[str, Any], now: datetime) -> datetime:
    if "received_at" in entry:
        return datetime.fromisoformat(entry["received_at"])
    hh, mm = (int(x) for x in entry.get("received_time", "09:00").split(":"))
    if "received_working_days_ago" in entry:
        day = deadlines.subtract_working_days(now.date(), entry["received_working_days_ago"])
    else:
        day = now.date() - timedelta(days=entry["received_days_ago"])
    return min(datetime.combine(day, time(hh, mm), tzinfo=deadlines.VN_TZ), now)


def _history(entry: dict[str, Any], received: datetime, now: datetime) -> list[HistoryEntry]:
    out: list[HistoryEntry] = []
    current = stages.RECEIVED
    for h in entry.get("history", []):
        if "at" in h:
            at = datetime.fromisoformat(h["at"])
        else:
            day = deadlines.add_working_days(received.date(), h["after_working_days"])
            at = datetime.combine(day, time(10, 30), tzinfo=deadlines.VN_TZ)
        at = min(at, now)
        if not stages.can_transition(current, h["stage"]):
            raise ValueError(f"{entry['tracking_code']}: {current} -> {h['stage']} not allowed")
        current = h["stage"]
        out.append(HistoryEntry(h["stage"], at, h.get("note"), h.get("actor", "demo")))
    return out


def seed(
    storage: Storage,
    get_procedure: Callable[[str], dict[str, Any] | None],
    now: datetime,
    path: Path = DEMO_FILE,
) -> int:
    """Insert every demo file; returns how many were inserted."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        app, errors = validate_application(entry)
        if app is None:
            raise ValueError(f"{entry.get('tracking_code')}: {errors}")
        procedure = get_procedure(app.procedure_code)
        if procedure is None:
            raise ValueError(f"{entry['tracking_code']}: unknown procedure {app.procedure_code}")
        received = _received_at(entry, now)
        pt = procedure["processing_time"]
        deadline = deadlines.compute_deadline(received.date(), pt["days"], pt["day_kind"])
        history = _history(entry, received, now)
        storage.seed_application(
            entry["tracking_code"], app, procedure, received, deadline, history
        )
    return len(entries)
