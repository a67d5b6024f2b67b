"""Simulated citizens on the four paths of the load run, each message with a unique marker.

A citizen holds one conversation per flow, sends a step, waits for the answer, then pauses
1-3 s (reading and typing on a phone) before the next step. After an apology or no answer it
sends the same words once more, as the apology asks ("Bạn vui lòng gửi lại"). A webhook that
answers 503 gets the same update again a second later, as Telegram and Zalo redeliver.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from benchmarks.drivers import Arrivals, telegram_update, zalo_event
from reliability.accounting import Turn, outcome
from reliability.flows import Flow, Step, pick
from reliability.harness import Harness
from tests.fakes.gateway import TELEGRAM_SECRET
from tests.fakes.recorder import Call

PATHS = ("rest-a", "rest-b", "telegram", "zalo")
PAUSE_S = (1.0, 3.0)
ANSWER_TIMEOUT_S = 60.0  # longer than the gateway queue plus its 10 s Rasa timeout under overload
REDELIVERIES = 5
Post = Callable[[], Awaitable[httpx.Response]]


@dataclass
class LoadWindow:
    """When citizens stop starting conversations: after the phase's duration, and not before
    the fault script has finished plus some time to see the recovery."""

    stop_at: float
    fault_running: bool = False

    def over(self) -> bool:
        return not self.fault_running and time.perf_counter() >= self.stop_at


@dataclass
class Clients:
    rest_a: httpx.AsyncClient
    rest_b: httpx.AsyncClient | None
    gateway: httpx.AsyncClient


class Driver:
    """Sends one step on a path and waits for its answer; fills what the turn knows now
    (the final answer sets of chat turns come from the fakes' windows afterwards)."""

    def __init__(self, harness: Harness, clients: Clients) -> None:
        self.h, self.c = harness, clients
        self.arrivals = Arrivals(asyncio.get_running_loop())
        harness.telegram.calls.listen(self.arrivals.notify)
        harness.zalo.sends.listen(self.arrivals.notify)
        # Ids unique across runs sharing one Redis (the gateway de-duplicates by them).
        self.ids = itertools.count(int(time.time() * 1000) % 10**12 * 1000)

    def conversation(self, path: str, phase: str, citizen: int, n: int) -> tuple[str, str]:
        """(Rasa sender id, the fake platform's key) of a fresh conversation."""
        if path == "telegram":
            chat_id = str(next(self.ids) % 2**52)
            return f"telegram:{chat_id}", chat_id
        if path == "zalo":
            user_id = f"rel{next(self.ids)}"
            return f"zalo:{user_id}", user_id
        return f"rel-{phase}-{citizen}-{n}", ""

    def marker(self, path: str) -> str:
        number = next(self.ids)
        return str(number % 2**52) if path == "telegram" else f"{path}-{number}"

    async def send(self, turn: Turn, step: Step) -> list[str]:
        if turn.path == "telegram":
            return await self._telegram(turn, step)
        if turn.path == "zalo":
            return await self._zalo(turn, step)
        return await self._rest(turn, step)

    async def _rest(self, turn: Turn, step: Step) -> list[str]:
        http = self.c.rest_a if turn.path == "rest-a" else self.c.rest_b
        assert http is not None
        body = {
            "sender": turn.conversation,
            "message": step.text,
            "metadata": {"message_id": turn.marker, **step.metadata},
        }
        try:
            response = await http.post("/webhooks/rest/webhook", json=body)
        except httpx.HTTPError:
            return []
        turn.status = response.status_code
        turn.first_reply_at = time.perf_counter()
        if response.status_code == 200:
            try:
                turn.replies = [str(m.get("text") or "") for m in response.json()]
            except ValueError:
                turn.replies = []
        return turn.replies

    async def _deliver(self, turn: Turn, post: Post) -> bool:
        """Posts until accepted or out of redeliveries; True when the gateway took it."""
        for attempt in range(1, REDELIVERIES + 1):
            turn.attempts = attempt
            try:
                response = await post()
                turn.status = response.status_code
            except httpx.HTTPError:
                turn.status = None
            if turn.status == 200:
                return True
            await asyncio.sleep(1.0)
        return False

    async def _telegram(self, turn: Turn, step: Step) -> list[str]:
        chat_id = int(turn.key)
        update = telegram_update(chat_id, step.text, next(self.ids) % 2**52, int(turn.marker))
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}

        def read() -> list[str]:
            return [
                html.unescape(str(c.params.get("text"))) for c in self.h.telegram.sent_to(chat_id)
            ]

        return await self._answer(
            turn,
            lambda: self.c.gateway.post("/webhooks/telegram", json=update, headers=headers),
            lambda: self.h.telegram.sent_to(chat_id),
            read,
        )

    async def _zalo(self, turn: Turn, step: Step) -> list[str]:
        body, headers = self.h.zalo.signed(zalo_event(turn.key, step.text, turn.marker))

        def read() -> list[str]:
            calls = self.h.zalo.delivered_to(turn.key)
            return [str((c.params.get("message") or {}).get("text") or "") for c in calls]

        return await self._answer(
            turn,
            lambda: self.c.gateway.post("/webhooks/zalo", content=body, headers=headers),
            lambda: self.h.zalo.delivered_to(turn.key),
            read,
        )

    async def _answer(
        self,
        turn: Turn,
        post: Post,
        calls: Callable[[], list[Call]],
        read: Callable[[], list[str]],
    ) -> list[str]:
        before = len(calls())
        if not await self._deliver(turn, post):
            return []
        try:
            await self.arrivals.reply(turn.key, calls, before, ANSWER_TIMEOUT_S)
        except asyncio.TimeoutError:
            return []
        texts: list[str] = read()[before:]
        return texts


async def citizen(
    driver: Driver,
    phase: str,
    index: int,
    path: str,
    window: LoadWindow,
    turns: list[Turn],
    flows: list[tuple[str, Flow]],
) -> None:
    rng = random.Random(f"{phase}-{index}")  # noqa: S311 - reproducible simulation, not secrets
    await asyncio.sleep(rng.uniform(0.0, 5.0))  # arrivals spread over the first seconds
    previous: Turn | None = None
    for n in itertools.count():
        if window.over():
            return
        flow = pick(rng, submissions=path.startswith("rest"))
        conversation, key = driver.conversation(path, phase, index, n)
        flows.append((conversation, flow))
        for number, step in enumerate(flow.steps):
            retry_of: str | None = None
            for _ in range(2):  # the step, and once more after an apology or silence
                # A submission in progress is finished: its fate is checked afterwards.
                if window.over() and flow.cccd is None:
                    return
                turn = Turn(
                    path, conversation, key, driver.marker(path), flow.name, number,
                    step.expect, time.perf_counter(), retry_of=retry_of,
                )  # fmt: skip
                if previous is not None and previous.key == key and key:
                    previous.window_end = turn.sent_at
                turns.append(turn)
                previous = turn
                replies = await driver.send(turn, step)
                await asyncio.sleep(rng.uniform(*PAUSE_S))
                probe = Turn(path, "", "x", "", "", 0, (), 0.0, status=turn.status, replies=replies)
                if outcome(probe) == "answered":
                    break
                retry_of = turn.marker
