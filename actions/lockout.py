"""Counting wrong phone digits per tracking code, kept in a slot as plain JSON.

Five wrong tries for one code within 15 minutes lock that code for the rest of the
conversation, so a tracking code cannot be paired with phone digits by guessing.
"""

from __future__ import annotations

from typing import Any

MAX_FAILURES = 5
WINDOW_S = 15 * 60

State = dict[str, Any]


def _normalised(state: Any) -> State:
    if not isinstance(state, dict):
        return {"failures": {}, "locked": []}
    failures = state.get("failures")
    locked = state.get("locked")
    return {
        "failures": dict(failures) if isinstance(failures, dict) else {},
        "locked": list(locked) if isinstance(locked, list) else [],
    }


def is_locked(state: Any, code: str) -> bool:
    return code in _normalised(state)["locked"]


def record_failure(state: Any, code: str, now: float) -> State:
    """A new state with this failure counted (and the code locked on the fifth)."""
    new = _normalised(state)
    recent = [t for t in new["failures"].get(code, []) if now - float(t) < WINDOW_S]
    recent.append(now)
    new["failures"][code] = recent
    if len(recent) >= MAX_FAILURES and code not in new["locked"]:
        new["locked"].append(code)
    return new


def remaining_tries(state: Any, code: str, now: float) -> int:
    recent = [t for t in _normalised(state)["failures"].get(code, []) if now - float(t) < WINDOW_S]
    return max(0, MAX_FAILURES - len(recent))
