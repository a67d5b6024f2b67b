"""What reading the intent of each turn costs the console (issue 7): the REST turn itself as
the baseline, then the tracker read the console does (`include_events=NONE`), against the two
alternatives it rejected (the whole tracker, and a second NLU parse), along one conversation.

Run: python -m benchmarks.console_intent   (writes its section of docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path

import httpx

from benchmarks.report import percentile, update_section
from connectors.console.rasa_control import RasaControl
from stack.services import Stack, StackConfig

TEXTS = ("xin chào", "lệ phí đăng ký nhãn hiệu", "thời hạn giải quyết bao lâu", "cảm ơn")


async def timed(samples: list[float], call: Awaitable[object]) -> object:
    """Times the awaiting (a coroutine does nothing until then)."""
    started = time.perf_counter()
    result = await call
    samples.append((time.perf_counter() - started) * 1000)
    return result


async def measure(stack: Stack, n: int) -> tuple[dict[str, list[float]], int]:
    token = stack.config.auth_token
    control = RasaControl(stack.rasa_url, token)
    sender = f"web:bench-{uuid.uuid4().hex[:8]}"
    found = 0
    samples: dict[str, list[float]] = {
        "REST turn (baseline)": [],
        "console's read: tracker, include_events=NONE": [],
        "whole tracker (include_events=ALL)": [],
        "second parse (/model/parse)": [],
    }
    names = list(samples)
    async with httpx.AsyncClient(base_url=stack.rasa_url, timeout=30.0) as http:
        await http.post("/webhooks/rest/webhook", json={"sender": "warm", "message": TEXTS[1]})
        for i in range(n):
            text = TEXTS[i % len(TEXTS)]
            await timed(
                samples[names[0]],
                http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}),
            )
            got = await timed(samples[names[1]], control.understood(sender, {text}))
            found += got is not None
            await timed(
                samples[names[2]],
                http.get(
                    f"/conversations/{sender}/tracker",
                    params={"token": token, "include_events": "ALL"},
                ),
            )
            await timed(
                samples[names[3]],
                http.post("/model/parse", params={"token": token}, json={"text": text}),
            )
    await control.aclose()
    return samples, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=60, help="turns in the one conversation")
    parser.add_argument("--report", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as run_dir:
        stack = Stack(StackConfig(run_dir=Path(run_dir)))
        stack.start()
        try:
            samples, found = asyncio.run(measure(stack, args.n))
        finally:
            stack.stop()
    tail = max(1, args.n // 6)
    lines = [
        "## Console: the intent of each turn (issue 7)",
        "",
        f"Command: `python -m benchmarks.console_intent -n {args.n}`; one conversation of "
        f"{args.n} turns with Redis tracker store, one request at a time. The intent was "
        f"read for {found} of {args.n} turns.",
        "",
        f"| measurement | median ms | p90 ms | median of the last {tail} turns |",
        "|---|---|---|---|",
        *(
            f"| {name} | {statistics.median(v):.1f} | {percentile(v, 90):.1f} | "
            f"{statistics.median(v[-tail:]):.1f} |"
            for name, v in samples.items()
        ),
        "",
        "The console makes this read for every turn it watches, after the citizen has the "
        "answer (so it costs Rasa's time, not the reply's); compare it with the turn itself "
        "and with the alternatives in the same run.",
    ]
    body = "\n".join(lines)
    update_section(args.report, "console-intent", body)
    print(body)


if __name__ == "__main__":
    main()
