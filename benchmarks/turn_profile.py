"""Where a turn's time goes: bare parse, a turn answered by a response alone, a turn that runs
one custom action, and the same response-only turn late in a long conversation.

Run: python -m benchmarks.turn_profile   (writes its section of docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from benchmarks.report import update_section
from stack.services import Stack, StackConfig


def median_ms(call: Callable[[int], object], n: int) -> float:
    timings = []
    for i in range(n):
        started = time.perf_counter()
        call(i)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def profile(stack: Stack, n: int) -> dict[str, float]:
    token = stack.config.auth_token
    with httpx.Client(base_url=stack.rasa_url, timeout=30.0) as http:

        def say(sender: str, text: str) -> object:
            return http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})

        say("warm-up", "lệ phí đăng ký nhãn hiệu")  # loads the catalogue cache
        long_sender = f"long-{uuid.uuid4().hex[:6]}"
        return {
            "bare /model/parse": median_ms(
                lambda i: http.post(
                    "/model/parse", params={"token": token}, json={"text": "xin chào"}
                ),
                n,
            ),
            "turn answered by a response (new conversation)": median_ms(
                lambda i: say(f"greet-{i}", "xin chào"), n
            ),
            "turn running one custom action (new conversation)": median_ms(
                lambda i: say(f"fee-{i}", "lệ phí đăng ký nhãn hiệu"), n
            ),
            f"response turn, same conversation, over its first {n} turns": median_ms(
                lambda i: say(long_sender, "xin chào"), n
            ),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--report", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as run_dir:
        stack = Stack(StackConfig(run_dir=Path(run_dir), redis=None))
        stack.start()
        try:
            results = profile(stack, args.n)
        finally:
            stack.stop()
    lines = [
        "## Where a turn's time goes (issue 2 follow-up)",
        "",
        f"Command: `python -m benchmarks.turn_profile -n {args.n}`; "
        "one request at a time, medians.",
        "",
        "| measurement | median ms |",
        "|---|---|",
        *(f"| {name} | {ms:.1f} |" for name, ms in results.items()),
        "",
        "A turn answered by a response alone costs little more than the parse; each custom "
        "action adds a round trip to the action server, and the cost grows with the length of "
        "the conversation that Rasa handles on every turn.",
    ]
    body = "\n".join(lines)
    update_section(args.report, "turn-profile", body)
    print(body)


if __name__ == "__main__":
    main()
