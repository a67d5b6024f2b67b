"""Channel gateway latency: webhook acknowledgement and end-to-end reply, per channel.

50 simulated citizens per channel hold the same conversations as the baseline, which drives
them straight through Rasa's REST channel in the same run, against the same Rasa server, with
the same pacing. Telegram and Zalo are local fake servers (tests/fakes); everything behind
the gateway is real: Rasa, the action server, the reference core API and redis-server.

- acknowledgement: the webhook's HTTP round trip (signature/secret check, Redis de-dup, queue);
- reply: from sending the webhook to the first reply message reaching the fake platform;
- baseline: the same turn's POST /webhooks/rest/webhook round trip.

Citizens arrive over the first 3 s and pause 1-3 s between turns (people read and type):
Telegram allows a bot about 30 messages per second and PTB's rate limiter enforces that, so
50 users typing without pause would measure Telegram's flood limit rather than the gateway.

Run: python -m benchmarks.channels_bench [--users 50 --turns 300 --rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.drivers import QUIET_S, Arrivals, telegram_update, zalo_event
from benchmarks.report import percentile, update_section
from benchmarks.turn_latency import CONVERSATIONS
from stack.services import Stack, StackConfig
from tests.fakes.gateway import TELEGRAM_SECRET, gateway_env, start_gateway
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

BASELINE = "REST baseline"


@dataclass
class Results:
    ack_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0


Turn = Callable[[str, str, Results], Awaitable[None]]


class Channels:
    """One `turn(conversation_user, text, results)` per channel, all over real HTTP."""

    def __init__(
        self,
        rest: httpx.AsyncClient,
        gateway: httpx.AsyncClient,
        telegram: FakeTelegram,
        zalo: FakeZalo,
    ) -> None:
        self.rest, self.gateway, self.telegram, self.zalo = rest, gateway, telegram, zalo
        self.arrivals = Arrivals(asyncio.get_running_loop())
        telegram.calls.listen(self.arrivals.notify)
        zalo.sends.listen(self.arrivals.notify)
        self._ids = itertools.count(800_000_000)
        self._tg_users: dict[str, int] = {}

    async def rest_turn(self, user: str, text: str, results: Results) -> None:
        started = time.perf_counter()
        response = await self.rest.post(
            "/webhooks/rest/webhook", json={"sender": f"rest-{user}", "message": text}
        )
        results.reply_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or not response.json():
            results.errors += 1
        await asyncio.sleep(QUIET_S)  # the same pause the channel turns spend detecting the end

    async def telegram_turn(self, user: str, text: str, results: Results) -> None:
        chat_id = self._tg_users.setdefault(user, next(self._ids))
        self.arrivals.event(str(chat_id))
        update = telegram_update(chat_id, text, next(self._ids), next(self._ids))
        before = len(self.telegram.sent_to(chat_id))
        started = time.perf_counter()
        response = await self.gateway.post(
            "/webhooks/telegram",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        )
        results.ack_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            results.errors += 1
            return
        first = await self.arrivals.reply(
            str(chat_id), lambda: self.telegram.sent_to(chat_id), before
        )
        results.reply_ms.append((first.at - started) * 1000)

    async def zalo_turn(self, user: str, text: str, results: Results) -> None:
        user_id = f"bench{user}"
        self.arrivals.event(user_id)
        event = zalo_event(user_id, text, f"bench-{next(self._ids)}")
        body, headers = self.zalo.signed(event)
        before = len(self.zalo.delivered_to(user_id))
        started = time.perf_counter()
        response = await self.gateway.post("/webhooks/zalo", content=body, headers=headers)
        results.ack_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            results.errors += 1
            return
        first = await self.arrivals.reply(user_id, lambda: self.zalo.delivered_to(user_id), before)
        results.reply_ms.append((first.at - started) * 1000)


async def run_phase(name: str, turn: Turn, users: int, turns: int, seed: int) -> Results:
    """`users` citizens at once, fresh conversations, until `turns` turns were taken."""
    results = Results()
    quota = [turns]

    async def citizen(index: int) -> None:
        rng = random.Random(seed * 1000 + index)  # same conversations and pauses per phase
        # Citizens arrive over the first seconds, not all in the same millisecond: a herd of
        # 50 simultaneous first messages would measure the synchronised start, not the gateway.
        await asyncio.sleep(rng.uniform(0.0, 3.0))
        for n in itertools.count():
            for text in rng.choice(CONVERSATIONS):
                if quota[0] <= 0:
                    return
                quota[0] -= 1
                try:
                    await turn(f"{name}-{index}-{n}", text, results)
                except (httpx.HTTPError, TimeoutError):
                    results.errors += 1
                await asyncio.sleep(rng.uniform(1.0, 3.0))

    started = time.perf_counter()
    await asyncio.gather(*(citizen(i) for i in range(users)))
    results.elapsed_s = time.perf_counter() - started
    return results


async def measure(
    stack: Stack,
    gateway_url: str,
    telegram: FakeTelegram,
    zalo: FakeZalo,
    users: int,
    turns: int,
    rounds: int,
) -> dict[str, Results]:
    """Rounds of one phase per channel, in rotating order, each channel's rounds pooled.

    Load from other work on the shared box drifts over minutes; interleaving short phases
    spreads that drift over every channel instead of landing on whichever ran last.
    """
    limits = httpx.Limits(max_connections=users + 10)
    async with (
        httpx.AsyncClient(base_url=stack.rasa_url, timeout=60.0, limits=limits) as rest,
        httpx.AsyncClient(base_url=gateway_url, timeout=60.0, limits=limits) as gateway,
    ):
        channels = Channels(rest, gateway, telegram, zalo)
        for text in CONVERSATIONS[0] + CONVERSATIONS[2]:  # warm-up: catalogue, first calls
            await channels.rest_turn("warmup", text, Results())
            await channels.telegram_turn("warmup", text, Results())
            await channels.zalo_turn("warmup", text, Results())
        phases: list[tuple[str, Turn]] = [
            (BASELINE, channels.rest_turn),
            ("Telegram", channels.telegram_turn),
            ("Zalo", channels.zalo_turn),
        ]
        results = {name: Results() for name, _ in phases}
        per_phase = max(1, turns // rounds)
        for round_ in range(rounds):
            for name, turn in phases[round_ % 3 :] + phases[: round_ % 3]:
                got = await run_phase(f"{name[:4]}{round_}", turn, users, per_phase, seed=round_)
                pooled = results[name]
                pooled.ack_ms += got.ack_ms
                pooled.reply_ms += got.reply_ms
                pooled.errors += got.errors
                pooled.elapsed_s += got.elapsed_s
                print(f"round {round_ + 1} {name}: p50 {percentile(got.reply_ms, 50):.0f} ms")
    return results


def render(results: dict[str, Results], users: int, turns: int, rounds: int) -> str:
    baseline = results[BASELINE]
    lines = [
        "## Channel gateway: webhook acknowledgement and reply latency (issue 5)",
        "",
        f"Command: `python -m benchmarks.channels_bench --users {users} --turns {turns} "
        f"--rounds {rounds}`, {os.cpu_count()} cores shared with other work, Redis tracker "
        f"store. {users} citizens per channel at once (arriving over 3 s), 1–3 s pause between "
        "turns; Telegram and Zalo are the local fakes of tests/fakes, all else is real (gateway "
        "process, Rasa, action server, core API, redis-server). The baseline holds the same "
        "conversations straight through Rasa's REST channel in the same run; the three run in "
        f"{rounds} interleaved rounds (rotating order) and each one's rounds are pooled.",
        "",
        "| path | turns | errors | ack p50 ms | ack p95 ms "
        "| reply p50 ms | reply p95 ms | reply p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        ack = (
            [f"{percentile(r.ack_ms, 50):.1f}", f"{percentile(r.ack_ms, 95):.1f}"]
            if r.ack_ms
            else ["–", "–"]
        )
        reply = [f"{percentile(r.reply_ms, q):.0f}" for q in (50, 95, 99)]
        lines.append(f"| {name} | {len(r.reply_ms)} | {r.errors} | {' | '.join(ack + reply)} |")
    lines.append("")
    for channel in ("Telegram", "Zalo"):
        r = results[channel]
        p95_ratio = percentile(r.reply_ms, 95) / percentile(baseline.reply_ms, 95)
        p50_ratio = percentile(r.reply_ms, 50) / percentile(baseline.reply_ms, 50)
        lines.append(
            f"- {channel}: acknowledgement p95 **{percentile(r.ack_ms, 95):.1f} ms** "
            f"(target < 50 ms); reply p95 **{p95_ratio:.2f}×** the REST baseline "
            f"(target ≤ 1.3×), p50 {p50_ratio:.2f}×."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--turns", type=int, default=300, help="turns per path, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--report", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as run_dir:
        stack = Stack(StackConfig(run_dir=Path(run_dir)))
        telegram, zalo = FakeTelegram("7000000001:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"), FakeZalo()
        stack.start()
        telegram.start()
        zalo.start()
        try:
            assert stack.redis_url
            env: dict[str, Any] = gateway_env(
                stack.rasa_url, stack.redis_url, telegram, zalo, Path(run_dir) / "media"
            )
            gateway = start_gateway("gateway", env, Path(run_dir) / "logs")
            try:
                results = asyncio.run(
                    measure(stack, gateway.url, telegram, zalo, args.users, args.turns, args.rounds)
                )
            finally:
                gateway.stop()
        finally:
            zalo.stop()
            telegram.stop()
            stack.stop()
    body = render(results, args.users, args.turns, args.rounds)
    update_section(args.report, "channels", body)
    print(body)


if __name__ == "__main__":
    main()
