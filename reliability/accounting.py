"""Exactly-one-answer accounting of a load run: pure functions over what was sent, what the
fake platforms received and what Rasa's trackers hold.

Every message carries a unique marker (the platform message id; `metadata.message_id` on the
REST path) that the gateway passes to Rasa, so the tracker shows how many times each message
was processed. A chat citizen sends its next message only after the previous answer (or its
wait timed out), so every platform message sent to that user between two of its sends is
the answer to the first of them: its answer set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from benchmarks.report import percentile
from connectors.gateway.texts import APOLOGY

Outcome = Literal["answered", "apology", "silent", "refused", "failed"]
# The actions' own apologies when the core API is down: an answer, but a degraded one.
# ("…đang tạm gián đoạn. Hồ sơ của bạn đã được lưu an toàn…" is a confirmation: not here.)
DEGRADED = ("chưa tra cứu được", "chưa thể nộp hồ sơ")


@dataclass
class Turn:
    path: str  # rest-a, rest-b (the two Rasa servers), telegram, zalo
    conversation: str  # Rasa's sender id
    key: str  # whom the fake platform files the answers under ("" on REST)
    marker: str
    flow: str
    step: int
    expect: tuple[str, ...]
    sent_at: float
    window_end: float = float("inf")
    status: int | None = None  # HTTP status of the webhook / REST call; None: no answer
    attempts: int = 1  # deliveries of the same update (a platform redelivers after a 503)
    replies: list[str] = field(default_factory=list)
    first_reply_at: float | None = None
    retry_of: str | None = None  # the marker of the failed attempt this one repeats


@dataclass(frozen=True)
class Message:
    at: float
    text: str


def fill_windows(turns: list[Turn], received: dict[str, list[Message]]) -> int:
    """Gives each chat turn the platform messages of its window; returns the stray ones
    (after a citizen's last window closed, or before its first send)."""
    by_key: dict[str, list[Turn]] = {}
    for turn in turns:
        if turn.key:
            by_key.setdefault(turn.key, []).append(turn)
    stray = 0
    for key, messages in received.items():
        mine = sorted(by_key.get(key, []), key=lambda t: t.sent_at)
        for message in messages:
            owner = next((t for t in mine if t.sent_at <= message.at < t.window_end), None)
            if owner is None:
                stray += 1
                continue
            owner.replies.append(message.text)
            if owner.first_reply_at is None or message.at < owner.first_reply_at:
                owner.first_reply_at = message.at
    return stray


def outcome(turn: Turn) -> Outcome:
    if turn.status is None or (turn.key == "" and turn.status != 200):
        return "failed"  # REST: the client got an error or nothing
    if turn.status != 200:
        return "refused"  # a webhook answered 503 to every redelivery
    if not turn.replies:
        return "silent"
    if any(APOLOGY in r or any(d in r for d in DEGRADED) for r in turn.replies):
        return "apology"
    return "answered"


def state_intact(turn: Turn) -> bool:
    """False when an answered step's answer is not the one its conversation state calls for."""
    text = "\n".join(turn.replies)
    return not turn.expect or any(e in text for e in turn.expect)


def latency_ms(turn: Turn) -> float | None:
    """Until the REST response, or the first platform message of the answer set."""
    return None if turn.first_reply_at is None else (turn.first_reply_at - turn.sent_at) * 1000


def processed_counts(trackers: Iterable[dict[str, Any]]) -> Counter[str]:
    """How many user events of the trackers carry each marker."""
    counts: Counter[str] = Counter()
    for tracker in trackers:
        for event in tracker.get("events") or []:
            if event.get("event") == "user":
                marker = (event.get("metadata") or {}).get("message_id")
                if marker:
                    counts[str(marker)] += 1
    return counts


@dataclass
class Recovery:
    failed: int
    first_failure_s: float | None  # relative to the fault
    recovered_s: float | None  # first answered turn sent after the last failure


def recovery(turns: list[Turn], fault_at: float) -> Recovery:
    after = sorted((t for t in turns if t.sent_at >= fault_at), key=lambda t: t.sent_at)
    failures = [t for t in after if outcome(t) != "answered"]
    if not failures:
        return Recovery(0, None, 0.0)
    last = failures[-1].sent_at
    back = next((t for t in after if t.sent_at > last and outcome(t) == "answered"), None)
    return Recovery(
        len(failures),
        failures[0].sent_at - fault_at,
        None if back is None else back.sent_at - fault_at,
    )


@dataclass
class PathSummary:
    turns: int
    outcomes: Counter[Outcome]
    duplicates: int  # messages processed more than once
    unprocessed_silent: int  # silent and never reached Rasa: lost before the assistant
    processed_silent: int  # reached Rasa but no answer reached the citizen
    state_broken: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def state_lost(turns: list[Turn]) -> set[str]:
    """Markers of answered turns whose answer is not the one their conversation's state calls
    for, although every earlier turn of the conversation was answered normally (after a
    failed turn the assistant may rightly have reset the form, or moved it on)."""
    broken: set[str] = set()
    clean: dict[str, bool] = {}
    for turn in sorted(turns, key=lambda t: t.sent_at):
        history_ok = clean.get(turn.conversation, True)
        answered = outcome(turn) == "answered"
        if answered and history_ok and not state_intact(turn):
            broken.add(turn.marker)
        clean[turn.conversation] = history_ok and answered
    return broken


def summarize(turns: list[Turn], processed: Counter[str]) -> dict[str, PathSummary]:
    paths: dict[str, PathSummary] = {}
    broken = state_lost(turns)
    for path in sorted({t.path for t in turns}):
        mine = [t for t in turns if t.path == path]
        outcomes = Counter(outcome(t) for t in mine)
        latencies = [
            ms for t in mine if outcome(t) == "answered" and (ms := latency_ms(t)) is not None
        ]
        silent = [t for t in mine if outcome(t) == "silent"]
        paths[path] = PathSummary(
            turns=len(mine),
            outcomes=outcomes,
            duplicates=sum(1 for t in mine if processed[t.marker] > 1),
            unprocessed_silent=sum(1 for t in silent if processed[t.marker] == 0),
            processed_silent=sum(1 for t in silent if processed[t.marker] > 0),
            state_broken=sum(1 for t in mine if t.marker in broken),
            p50_ms=percentile(latencies, 50),
            p95_ms=percentile(latencies, 95),
            p99_ms=percentile(latencies, 99),
        )
    return paths
