"""The console's intent look-up (a tracker read, about a parse's cost) runs after the citizen
has the answer: a slow or failing look-up never delays or costs a reply."""

from __future__ import annotations

import asyncio
from typing import cast

from connectors.console.rasa_control import RasaControl, Understood
from connectors.console.watch import WatchedAssistant
from connectors.gateway.inbound import Inbound
from tests.console.conftest import ConsoleApp
from tests.console.test_handover import ScriptedAssistant


class SlowRasa:
    """Answers the look-up only when the test lets it."""

    def __init__(self, fail: bool = False) -> None:
        self.go = asyncio.Event()
        self.fail = fail

    async def understood(self, conversation_id: str, sent: set[str]) -> Understood | None:
        await self.go.wait()
        if self.fail:
            raise RuntimeError("Rasa went away")
        return Understood("ask_fee", 0.9)


def test_the_reply_does_not_wait_for_the_intent_look_up(console_app: ConsoleApp) -> None:
    portal = console_app.client.portal
    assert portal is not None
    rasa = portal.call(SlowRasa)  # its Event belongs to the app's loop
    bot = WatchedAssistant(
        ScriptedAssistant({"lệ phí?": "Lệ phí là…"}),
        console_app.console.handover,
        cast(RasaControl, rasa),
    )
    replies = portal.call(bot.turn, Inbound("web", "8", "lệ phí?"))
    assert [r.text for r in replies] == ["Lệ phí là…"]  # answered while the look-up waits
    said = portal.call(console_app.console.handover.transcript, "web:8")[0]
    assert said["from"] == "user" and "intent" not in said
    portal.call(rasa.go.set)
    portal.call(bot.settled)
    said = portal.call(console_app.console.handover.transcript, "web:8")[0]
    assert (said["intent"], said["confidence"]) == ("ask_fee", 0.9)


def test_a_failing_look_up_costs_nothing_but_the_label(console_app: ConsoleApp) -> None:
    portal = console_app.client.portal
    assert portal is not None
    rasa = portal.call(SlowRasa, True)
    bot = WatchedAssistant(
        ScriptedAssistant({}), console_app.console.handover, cast(RasaControl, rasa)
    )
    assert [r.text for r in portal.call(bot.turn, Inbound("web", "9", "chào"))] == ["Dạ vâng."]
    portal.call(rasa.go.set)
    portal.call(bot.settled)
    messages = portal.call(console_app.console.handover.transcript, "web:9")
    assert [m["from"] for m in messages] == ["user", "bot"]
    assert "intent" not in messages[0]
