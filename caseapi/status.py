"""The status view of a file: what a citizen (or audited staff) may see.

It carries no personal data: no name, ID number, phone, e-mail or address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from caseapi import deadlines, stages


def status_view(
    row: dict[str, Any], history: list[dict[str, Any]], now: datetime
) -> dict[str, Any]:
    """Build the ``GET /applications/{code}`` body from a stored row and its history."""
    stage = row["stage"]
    deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
    still_open = stages.is_open(stage)
    late = deadlines.is_late(now, deadline, still_open)
    last = history[-1] if history else None
    last_note = last["note"] if last and last["stage"] == stage else None
    return {
        "tracking_code": row["tracking_code"],
        "procedure_code": row["procedure_code"],
        "procedure_name": row["procedure_name"],
        "stage": stage,
        "stage_label": stages.STAGE_LABELS[stage],
        "responsible_unit": stages.responsible_unit(stage, row["agency"], row["level"]),
        "received_at": row["received_at"],
        "deadline": row["deadline"],
        "is_late": late,
        "days_overdue": deadlines.days_overdue(now, deadline, still_open),
        "next_step": stages.next_step(
            stage,
            deadline=deadline,
            late=late,
            delivery_method=row["delivery_method"],
            level=row["level"],
            last_note=last_note,
        ),
        "history": [
            {
                "stage": h["stage"],
                "stage_label": stages.STAGE_LABELS[h["stage"]],
                "at": h["at"],
                "unit": h["unit"],
                "note": h["note"],
            }
            for h in history
        ],
    }
