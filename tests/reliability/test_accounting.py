"""Exactly-one-answer accounting: windows, outcomes, duplicates, recovery."""

from __future__ import annotations

from connectors.gateway.texts import APOLOGY
from reliability.accounting import (
    Message,
    Turn,
    fill_windows,
    outcome,
    processed_counts,
    recovery,
    summarize,
)


def chat_turn(
    marker: str, sent_at: float, end: float, replies: list[str] | None = None, key: str = "7"
) -> Turn:
    turn = Turn("telegram", f"telegram:{key}", key, marker, "status", 0, (), sent_at, end, 200)
    turn.replies = replies or []
    return turn


def tracker(*markers: str) -> dict[str, object]:
    events = [{"event": "user", "metadata": {"message_id": m}} for m in markers]
    return {"events": [*events, {"event": "bot", "text": "x"}]}


def test_each_message_gets_the_platform_messages_of_its_window() -> None:
    first, second = chat_turn("1", 10.0, 20.0), chat_turn("2", 20.0, float("inf"))
    stray = fill_windows(
        [first, second],
        {"7": [Message(9.0, "before"), Message(11.0, "a"), Message(11.2, "b"), Message(21, "c")]},
    )
    assert stray == 1
    assert first.replies == ["a", "b"] and first.first_reply_at == 11.0
    assert second.replies == ["c"]


def test_outcomes() -> None:
    answered = chat_turn("1", 0, 1, replies=["Trạng thái: đã trả kết quả"])
    apology = chat_turn("2", 0, 1, replies=[APOLOGY])
    degraded = chat_turn(
        "3", 0, 1, replies=["Xin lỗi, hệ thống đang tạm gián đoạn nên tôi chưa tra cứu được."]
    )
    saved = chat_turn("6", 0, 1, replies=["…đang tạm gián đoạn. Hồ sơ của bạn đã được lưu an toàn"])
    silent = chat_turn("4", 0, 1)
    refused = chat_turn("5", 0, 1, replies=["x"])
    refused.status = 503
    rest = Turn("rest-a", "c", "", "r1", "fee", 0, (), 0.0, status=500)
    assert [outcome(t) for t in (answered, apology, degraded, silent, refused, rest, saved)] == [
        "answered", "apology", "apology", "silent", "refused", "failed", "answered"
    ]  # fmt: skip


def test_a_marker_on_two_user_events_is_a_duplicate_and_unanswered_ones_are_split() -> None:
    once = chat_turn("1", 0, 1, replies=["ok"])
    twice = chat_turn("2", 1, 2, replies=["ok"])
    lost_before = chat_turn("3", 2, 3)
    lost_after = chat_turn("4", 3, 4)
    counts = processed_counts([tracker("1", "2"), tracker("2", "4")])
    summary = summarize([once, twice, lost_before, lost_after], counts)["telegram"]
    assert summary.duplicates == 1
    assert summary.unprocessed_silent == 1 and summary.processed_silent == 1


def test_state_check_counts_only_conversations_answered_so_far() -> None:
    def step(marker: str, at: float, replies: list[str], conversation: str = "c") -> Turn:
        turn = Turn("rest-a", conversation, "", marker, "status", 1, ("Trạng thái",), at)
        turn.status, turn.replies = 200, replies
        return turn

    lost = [step("a", 0, ["Trạng thái: đã nhận"]), step("b", 1, ["mã hồ sơ?"])]
    after_failure = [step("c", 0, [APOLOGY], "d"), step("e", 1, ["mã hồ sơ?"], "d")]
    fine = [step("f", 0, ["Trạng thái: đang xử lý"], "g")]
    assert summarize(lost + after_failure + fine, processed_counts([]))["rest-a"].state_broken == 1


def test_recovery_is_the_first_success_after_the_last_failure() -> None:
    turns = [
        chat_turn("1", 5.0, 6, replies=["ok"]),  # before the fault: not counted
        chat_turn("2", 11.0, 12),
        chat_turn("3", 12.0, 13, replies=["ok"]),
        chat_turn("4", 14.0, 15, replies=[APOLOGY]),
        chat_turn("5", 17.0, 18, replies=["ok"]),
    ]
    r = recovery(turns, fault_at=10.0)
    assert (r.failed, r.first_failure_s, r.recovered_s) == (2, 1.0, 7.0)
    assert recovery(turns[:1], 10.0).failed == 0
    assert recovery(turns[:2], 10.0).recovered_s is None
