"""Handover: queue entry, take-over (pause), agent replies, hand back (resume), and the
assistant panel's audited status look-up."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from connectors.console import texts
from connectors.console.handover import mask_personal
from connectors.console.hours import Office, WorkingHours
from connectors.console.watch import WatchedAssistant
from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.replies import Reply
from stack.services import ROOT
from tests.console.conftest import ConsoleApp


class ScriptedAssistant(Assistant):
    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def turn(self, inbound: Inbound) -> list[Reply]:
        self.asked.append(inbound.text)
        return [Reply(text=self.answers.get(inbound.text, "Dạ vâng."))]


def _domain_text(name: str) -> str:
    domain = yaml.safe_load(Path(ROOT / "bot/domain/core.yml").read_text(encoding="utf-8"))
    text: str = domain["responses"][name][0]["text"]
    return text


HUMAN = _domain_text("utter_request_human")
FALLBACK = _domain_text("utter_default")


def test_watched_prefixes_match_the_domain() -> None:
    assert HUMAN.startswith(texts.REQUEST_HUMAN_PREFIX)
    assert FALLBACK.startswith(texts.FALLBACK_PREFIX)


def test_personal_numbers_are_masked() -> None:
    assert mask_personal("5678") == "••••"
    assert "0912345678" not in mask_personal("số tôi là 0912345678")
    assert mask_personal("mã 000.00.01.G06-251219-0001") == "mã 000.00.01.G06-251219-0001"


def _watch(app: ConsoleApp, answers: dict[str, str]) -> tuple[WatchedAssistant, ScriptedAssistant]:
    inner = ScriptedAssistant(answers)
    return WatchedAssistant(inner, app.console.handover), inner


def _turn(app: ConsoleApp, bot: WatchedAssistant, user: str, text: str) -> list[str]:
    replies = app.client.portal.call(bot.turn, Inbound("web", user, text))  # type: ignore[union-attr]
    return [r.text for r in replies]


def test_two_fallbacks_in_a_row_enter_the_queue(console_app: ConsoleApp) -> None:
    bot, _ = _watch(console_app, {"???": FALLBACK})
    assert _turn(console_app, bot, "u1", "???") == [FALLBACK]
    second = _turn(console_app, bot, "u1", "???")
    assert second[-1] == texts.QUEUED.format(position=1)
    bot2, _ = _watch(console_app, {"gặp cán bộ": HUMAN})
    assert _turn(console_app, bot2, "u2", "gặp cán bộ")[-1] == texts.QUEUED.format(position=2)


def test_full_handover_cycle(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.create_staff("binh.tran")
    bot, inner = _watch(console_app, {"gặp cán bộ": HUMAN})
    _turn(console_app, bot, "42", "gặp cán bộ")
    console_app.sign_in("an.nguyen")
    listing = console_app.client.get("/console/api/conversations").json()["conversations"]
    [row] = [c for c in listing if c["id"] == "web:42"]
    assert row["state"] == "waiting" and row["waiting_since"] and row["channel"] == "web"

    assert console_app.post("/console/api/conversations/web:42/take").status_code == 200
    assert console_app.fakes.rasa_events == [("web:42", "pause")]
    # While held the citizen's words go to the console, not to the assistant.
    assert _turn(console_app, bot, "42", "<script>alert(1)</script> còn đó không?") == []
    assert inner.asked == ["gặp cán bộ"]
    reply = console_app.post("/console/api/conversations/web:42/reply", {"text": "Chào bạn"})
    assert reply.status_code == 200
    inbox = [json.loads(x)["text"] for x in console_app.redis.lrange("inbox:web:42", 0, -1)]
    assert inbox == [texts.TAKEN_OVER.format(agent="an.nguyen"), "Chào bạn"]

    # Another agent can neither take it nor reply nor hand it back.
    console_app.sign_in("binh.tran")
    assert console_app.post("/console/api/conversations/web:42/take").status_code == 409
    assert console_app.post("/console/api/conversations/web:42/reply",
                            {"text": "x"}).status_code == 409
    assert console_app.post("/console/api/conversations/web:42/release").status_code == 403

    console_app.sign_in("an.nguyen")
    assert console_app.post("/console/api/conversations/web:42/release").status_code == 200
    assert console_app.fakes.rasa_events[-1] == ("web:42", "resume")
    assert json.loads(console_app.redis.lrange("inbox:web:42", -1, -1)[0])["text"] == (
        texts.HANDED_BACK
    )
    assert _turn(console_app, bot, "42", "lệ phí bao nhiêu") == ["Dạ vâng."]
    log = console_app.client.get("/console/api/conversations/web:42/messages").json()["messages"]
    assert [m["from"] for m in log] == ["user", "bot", "bot", "bot", "user", "agent", "bot",
                                        "user", "bot"]
    assert log[4]["text"] == "<script>alert(1)</script> còn đó không?"  # stored as text


def test_status_lookup_is_audited_and_shows_no_phone(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    code = "000.00.01.G06-251219-0001"
    found = console_app.post("/console/api/status", {"code": code})
    assert found.status_code == 200
    assert found.json()["stage_label"] == "Đang thẩm định"
    assert "5678" not in found.text and "phone" not in found.text
    assert console_app.fakes.staff_reads == [("an.nguyen", code)]
    missing = console_app.post("/console/api/status", {"code": "000.00.01.G06-251219-9999"})
    assert missing.status_code == 404
    assert console_app.post("/console/api/status", {"code": "<b>"}).status_code == 422


def test_out_of_hours_messages_are_left_for_staff_and_listed_first(
    console_app: ConsoleApp,
) -> None:
    saturday = datetime(2026, 12, 5, 21, 0, tzinfo=timezone(timedelta(hours=7)))
    console_app.console.handover.office = Office(WorkingHours(), fixed_now=saturday)
    bot, inner = _watch(console_app, {"gặp cán bộ": HUMAN})
    closed = _turn(console_app, bot, "night", "gặp cán bộ")
    assert closed[-1] == texts.CLOSED.format(when="07:30 thứ Hai, 07/12/2026")
    left = _turn(console_app, bot, "night", "Tôi cần hỏi về hồ sơ, số tôi 0912345678")
    assert left == [texts.MESSAGE_LEFT.format(when="07:30 thứ Hai, 07/12/2026")]
    assert inner.asked == ["gặp cán bộ"]  # the left message did not go to the assistant
    _turn(console_app, bot, "later", "xin chào")  # a more recent conversation, not waiting

    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    listing = console_app.client.get("/console/api/conversations").json()["conversations"]
    assert [c["id"] for c in listing[:2]] == ["web:night", "web:later"]
    assert listing[0]["left_at"] and listing[0]["state"] == "waiting"
    log = console_app.client.get("/console/api/conversations/web:night/messages").json()
    [kept] = [m for m in log["messages"] if m.get("left")]
    assert "Tôi cần hỏi về hồ sơ" in kept["text"] and "0912345678" not in kept["text"]

    assert console_app.post("/console/api/conversations/web:night/take").status_code == 200
    listing = console_app.client.get("/console/api/conversations").json()["conversations"]
    assert [c["left_at"] for c in listing if c["id"] == "web:night"] == [None]


def test_out_of_hours_the_citizen_can_go_back_to_the_assistant(console_app: ConsoleApp) -> None:
    saturday = datetime(2026, 12, 5, 21, 0, tzinfo=timezone(timedelta(hours=7)))
    console_app.console.handover.office = Office(WorkingHours(), fixed_now=saturday)
    bot, inner = _watch(console_app, {"gặp cán bộ": HUMAN})
    _turn(console_app, bot, "n2", "gặp cán bộ")
    _turn(console_app, bot, "n2", "xin gọi lại cho tôi")
    assert _turn(console_app, bot, "n2", "Trợ lý ảo!") == [texts.BACK_TO_ASSISTANT]
    assert _turn(console_app, bot, "n2", "lệ phí bao nhiêu") == ["Dạ vâng."]
    assert inner.asked == ["gặp cán bộ", "lệ phí bao nhiêu"]
    assert console_app.redis.zrank("console:queue", "web:n2") is None
    # Staff still see what was left, first in the list.
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    [first, *_] = console_app.client.get("/console/api/conversations").json()["conversations"]
    assert (first["id"], first["state"]) == ("web:n2", "bot") and first["left_at"]
