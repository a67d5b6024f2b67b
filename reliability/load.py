"""Load with exactly-one-answer accounting, optionally with a fault in the middle of it.

Each phase runs `--citizens` simulated citizens for `--duration` seconds, a quarter each on
Rasa's REST channel of the first and of the second Rasa server, on Telegram and on Zalo
(webhooks to the gateway; replies captured by the fake platforms). Citizens pause 1-3 s
between messages, as people read and type. A phase with a fault injects it `--fault-at`
seconds in (reliability/faults.py). Afterwards: every message's answer set (the fakes'
messages between two of its citizen's sends), how often Rasa processed it (its marker in
the trackers), the submissions in the core API after the outbox drained.

Run: python -m reliability.load [--citizens 200 --duration 60 --phases steady,kill-rasa,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import redis

from benchmarks.report import update_section
from reliability import report
from reliability.accounting import (
    Message,
    PathSummary,
    Recovery,
    Turn,
    fill_windows,
    processed_counts,
    recovery,
    summarize,
)
from reliability.citizens import PATHS, Clients, Driver, LoadWindow, citizen
from reliability.faults import FAULTS
from reliability.flows import SUBMITTED, Flow
from reliability.harness import Harness, running

DRAIN_S = 5.0
AFTER_FAULT_S = 15.0  # load continues this long after a fault is mended
OUTBOX_JOBS = "outbox:jobs"


@dataclass
class PhaseResult:
    name: str
    citizens: int
    duration_s: float
    load_s: float  # until the last citizen stopped (longer when a fault outlasts the phase)
    turns: list[Turn]
    paths: dict[str, PathSummary]
    recoveries: dict[str, Recovery]
    timeline: list[tuple[float, str]]
    stray: int
    elapsed_s: float
    uptime: str
    flows: list[tuple[str, Flow]] = field(default_factory=list)
    unhealthy: list[str] = field(default_factory=list)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


async def fetch_trackers(h: Harness, conversations: set[str]) -> list[dict[str, Any]]:
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=h.stack.rasa_url, timeout=60.0) as http:

        async def one(conversation: str) -> dict[str, Any]:
            async with limit:
                response = await http.get(
                    f"/conversations/{quote(conversation, safe='')}/tracker",
                    params={"token": h.token, "include_events": "ALL"},
                )
                response.raise_for_status()
                tracker: dict[str, Any] = response.json()
                return tracker

        return list(await asyncio.gather(*(one(c) for c in sorted(conversations))))


def received(h: Harness, turns: list[Turn]) -> dict[str, list[Message]]:
    found: dict[str, list[Message]] = {}
    for path, key in {(t.path, t.key) for t in turns if t.key}:
        if path == "telegram":
            calls = h.telegram.sent_to(key)
            found[key] = [Message(c.at, str(c.params.get("text"))) for c in calls]
        else:
            calls = h.zalo.delivered_to(key)
            found[key] = [
                Message(c.at, str((c.params.get("message") or {}).get("text"))) for c in calls
            ]
    return found


def unhealthy(h: Harness) -> list[str]:
    return [name for name, process in h.processes().items() if not process.running()]


async def run_phase(
    h: Harness, name: str, citizens: int, duration_s: float, fault_at_s: float
) -> PhaseResult:
    started = time.perf_counter()
    load_at_start = uptime()
    turns: list[Turn] = []
    flows: list[tuple[str, Flow]] = []
    timeline: list[tuple[float, str]] = []

    def mark(event: str) -> None:
        timeline.append((time.perf_counter() - started, event))
        print(f"  {time.perf_counter() - started:6.1f} s  {event}", flush=True)

    limits = httpx.Limits(max_connections=citizens + 10)
    timeout = httpx.Timeout(30.0, connect=5.0)
    async with (
        httpx.AsyncClient(base_url=h.stack.rasa_url, timeout=timeout, limits=limits) as rest_a,
        httpx.AsyncClient(
            base_url=h.rasa_b_url or h.stack.rasa_url, timeout=timeout, limits=limits
        ) as rest_b,
        httpx.AsyncClient(base_url=h.gateway.url, timeout=timeout, limits=limits) as gateway,
    ):
        driver = Driver(h, Clients(rest_a, rest_b, gateway))
        fault = FAULTS[name]

        window = LoadWindow(started + duration_s, fault_running=fault is not None)

        async def inject() -> None:
            if fault is not None:
                await asyncio.sleep(fault_at_s)
                try:
                    await fault(h, mark)
                finally:
                    window.stop_at = max(window.stop_at, time.perf_counter() + AFTER_FAULT_S)
                    window.fault_running = False

        injector = asyncio.create_task(inject())
        await asyncio.gather(
            *(
                citizen(driver, name, i, PATHS[i % len(PATHS)], window, turns, flows)
                for i in range(citizens)
            )
        )
        await injector
        load_s = time.perf_counter() - started
        mark("load over; draining")
        await asyncio.sleep(DRAIN_S)
    stray = fill_windows(turns, received(h, turns))
    trackers = await fetch_trackers(h, {t.conversation for t in turns})
    processed = processed_counts(trackers)
    fault_at = next((started + at for at, _ in timeline), started)
    return PhaseResult(
        name=name,
        citizens=citizens,
        duration_s=duration_s,
        load_s=load_s,
        turns=turns,
        paths=summarize(turns, processed),
        recoveries={
            p: recovery([t for t in turns if t.path == p], fault_at)
            for p in PATHS
            if FAULTS[name] is not None
        },
        timeline=timeline,
        stray=stray,
        elapsed_s=time.perf_counter() - started,
        uptime=load_at_start,
        flows=flows,
        unhealthy=unhealthy(h),
    )


def wait_outbox_empty(h: Harness, timeout_s: float) -> int:
    """The jobs still queued once the outbox worker had `timeout_s` to submit them."""
    client = redis.Redis.from_url(h.stack.redis_url or "")
    try:
        deadline = time.monotonic() + timeout_s
        while (left := int(client.hlen(OUTBOX_JOBS))) and time.monotonic() < deadline:
            time.sleep(1.0)
        return left
    finally:
        client.close()


def submissions(h: Harness, results: list[PhaseResult]) -> Counter[str]:
    """Each submission flow's fate: a confirmed one must be in the core API exactly once."""
    confirmed_in: set[str] = set()  # conversations told "submitted" or "saved, will submit"
    for result in results:
        for turn in result.turns:
            if turn.flow == "submission" and any(x in r for r in turn.replies for x in SUBMITTED):
                confirmed_in.add(turn.conversation)
    fates: Counter[str] = Counter()
    with sqlite3.connect(h.run_dir / "caseapi.sqlite3") as db:
        for result in results:
            for conversation, flow in result.flows:
                if flow.cccd is None:
                    continue
                rows = db.execute(
                    "SELECT COUNT(*) FROM applications WHERE applicant LIKE ?",
                    (f"%{flow.cccd}%",),
                ).fetchone()[0]
                confirmed = conversation in confirmed_in
                if rows > 1:
                    fates["filed more than once"] += 1
                elif confirmed:
                    fates["confirmed, filed once" if rows == 1 else "confirmed, NOT filed"] += 1
                else:
                    fates["not confirmed, filed" if rows else "not confirmed (unfinished)"] += 1
    return fates


async def run(
    args: argparse.Namespace, run_dir: Path
) -> tuple[list[PhaseResult], Counter[str], int]:
    results: list[PhaseResult] = []
    with running(run_dir) as h:
        print(f"stack up: {uptime()}", flush=True)
        for name in args.phases.split(","):
            print(f"phase {name}: {args.citizens} citizens for {args.duration:g} s", flush=True)
            result = await run_phase(h, name, args.citizens, args.duration, args.fault_at)
            print(report.phase_table(result), flush=True)
            results.append(result)
            dump(result, args.details)
        left = await asyncio.to_thread(wait_outbox_empty, h, 180.0)
        fates = submissions(h, results)
    return results, fates, left


def dump(result: PhaseResult, folder: Path) -> None:
    """Every turn of the phase, for looking into what the summary counts."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [t.__dict__ | {"window_end": min(t.window_end, 1e12)} for t in result.turns]
    (folder / f"{result.name}-{result.citizens}.json").write_text(
        json.dumps(rows, ensure_ascii=False, default=str), encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--fault-at", type=float, default=15.0)
    parser.add_argument("--phases", default=",".join(FAULTS))
    parser.add_argument("--report", type=Path, default=Path("docs/reliability.md"))
    parser.add_argument("--details", type=Path, default=Path("var/reliability"))
    parser.add_argument("--section", help="section of the report (default: load-CITIZENS)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reliability-") as run_dir:
        results, fates, left = asyncio.run(run(args, Path(run_dir)))
    command = (
        f"python -m reliability.load --citizens {args.citizens} --duration {args.duration:g} "
        f"--fault-at {args.fault_at:g} --phases {args.phases}"
        + (f" --section {args.section}" if args.section else "")
    )
    body = report.render(command, results, fates, left, os.cpu_count() or 0)
    update_section(args.report, args.section or f"load-{args.citizens}", body)
    print(body)


if __name__ == "__main__":
    main()
