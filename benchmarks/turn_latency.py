"""Turn latency of the whole assistant through Rasa's REST channel, against bare parsing.

N simulated citizens talk at once (mixed flows, status look-ups included). In the same run,
the same Rasa server's bare `/model/parse` is timed at the same concurrency, so the overhead
of dialogue, actions and the core API shows as a ratio.

Run: make bench   (or python -m benchmarks.turn_latency --users 20 --turns 400 [--store redis])
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.report import percentile, update_section
from stack.services import Stack, StackConfig

DEMO_CODE = "000.00.17.G17-241219-0001"
CONVERSATIONS = [
    ["xin chào", "thủ tục đăng ký nhãn hiệu như thế nào?", "cần giấy tờ gì", "lệ phí bao nhiêu"],
    ["cap ma so ma vach mat bao lau", "cảm ơn"],
    [f"hồ sơ {DEMO_CODE} đến đâu rồi", "5678", "cảm ơn nhé"],
    ["đăng ký sáng chế cần giấy tờ gì?", "thời hạn giải quyết bao lâu"],
    ["giấy phép tiến hành công việc bức xạ nộp ở đâu", "phí thẩm định bao nhiêu", "tạm biệt"],
    ["bạn là người hay máy", "cho tôi gặp cán bộ"],
]
PARSE_TEXTS = [turn for conversation in CONVERSATIONS for turn in conversation]
# Rasa's in-memory stores (one process) or Redis tracker and lock stores (production).
STORES = {
    "memory": "in-memory tracker and lock store",
    "redis": "Redis tracker and lock store (a local redis-server)",
}
# A citizen reads the answer and types the next message: 1 to 3 seconds on a phone.
THINK_S = (1.0, 3.0)


async def citizen(
    http: httpx.AsyncClient,
    user: int,
    quota: list[int],
    latencies: list[float],
    think_s: tuple[float, float] = (0.0, 0.0),
) -> None:
    """One simulated citizen; think_s is the pause to read the answer and type the next one."""
    rng = random.Random(user)
    n = 0
    while quota[0] > 0:
        sender = f"bench-{user}-{n}"
        n += 1
        for text in rng.choice(CONVERSATIONS):
            if quota[0] <= 0:
                return
            quota[0] -= 1
            if think_s[1] > 0:
                await asyncio.sleep(rng.uniform(*think_s))
            started = time.perf_counter()
            response = await http.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": text}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            if not response.json():
                raise RuntimeError(f"no answer to {text!r}")


async def parser(
    http: httpx.AsyncClient,
    token: str,
    user: int,
    quota: list[int],
    latencies: list[float],
    think_s: tuple[float, float] = (0.0, 0.0),
) -> None:
    """The baseline: bare parses of the same texts, with the same pauses as `citizen`."""
    rng = random.Random(user)
    while quota[0] > 0:
        quota[0] -= 1
        if think_s[1] > 0:
            await asyncio.sleep(rng.uniform(*think_s))
        started = time.perf_counter()
        response = await http.post(
            "/model/parse", params={"token": token}, json={"text": rng.choice(PARSE_TEXTS)}
        )
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()


async def measure(stack: Stack, users: int, turns: int) -> dict[str, dict[str, float]]:
    limits = httpx.Limits(max_connections=users + 4)
    results: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(base_url=stack.rasa_url, timeout=60.0, limits=limits) as http:
        # Warm-up: load the catalogue cache and the model's first-call paths.
        for text in PARSE_TEXTS[:6]:
            await http.post("/webhooks/rest/webhook", json={"sender": "warmup", "message": text})
        scenarios = [
            ("parse", "sequential", 1, (0.0, 0.0)),
            ("turn", "sequential", 1, (0.0, 0.0)),
            ("parse", f"{users} users, no pause", users, (0.0, 0.0)),
            ("turn", f"{users} users, no pause", users, (0.0, 0.0)),
            ("parse", f"{users} citizens, 1-3 s between messages", users, THINK_S),
            ("turn", f"{users} citizens, 1-3 s between messages", users, THINK_S),
        ]
        for kind, name, concurrency, think in scenarios:
            latencies: list[float] = []
            quota = [turns if concurrency > 1 else max(50, turns // 4)]
            started = time.perf_counter()
            if kind == "parse":
                token = stack.config.auth_token
                tasks = [
                    parser(http, token, u, quota, latencies, think) for u in range(concurrency)
                ]
            else:
                tasks = [citizen(http, u, quota, latencies, think) for u in range(concurrency)]
            await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - started
            results[f"{kind} {name}"] = {
                "n": len(latencies),
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "p99": percentile(latencies, 99),
                "per_s": len(latencies) / elapsed,
            }
    return results


def render(
    results: dict[str, dict[str, float]], users: int, turns: int, store: str, load: str
) -> str:
    store_text = STORES[store]
    lines = [
        f"## Turn latency through the REST channel, {store_text} (issue 2)",
        "",
        f"Command: `python -m benchmarks.turn_latency --users {users} --turns {turns} "
        f"--store {store}` (part of `make bench`), {os.cpu_count()} cores, {store_text}; "
        f"load average before the run (other work shares the machine): {load}.",
        "A turn is one citizen message through Rasa, the action server and the reference core API; "
        "the baseline is the same Rasa server's bare `/model/parse` in the same run.",
        "",
        "| measurement | n | p50 ms | p95 ms | p99 ms | per second |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        cells = [f"{r['n']:.0f}"] + [f"{r[k]:.1f}" for k in ("p50", "p95", "p99", "per_s")]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    seq_ratio = results["turn sequential"]["p50"] / results["parse sequential"]["p50"]
    busy = f"{users} users, no pause"
    busy_ratio = results[f"turn {busy}"]["p50"] / results[f"parse {busy}"]["p50"]
    paced = f"{users} citizens, 1-3 s between messages"
    p95 = results[f"turn {paced}"]["p95"]
    p95_ratio = p95 / results[f"parse {paced}"]["p95"]
    lines += [
        "",
        f"- Full-turn p50 / bare-parse p50, one user at a time: **{seq_ratio:.2f}×** "
        "(target ≤ 3×); "
        f"with {users} users sending without pause (a saturation test, both queue): "
        f"{busy_ratio:.2f}×.",
        f"- Turn p95 with {users} concurrent citizens who pause 1–3 s between messages: "
        f"**{p95:.0f} ms** (target < 250 ms); {p95_ratio:.2f}× the p95 of bare parses sent "
        "with the same pauses in the same run (how much of it is the machine's noise).",
        f"- Without pauses {users} users offer more turns than 2 cores serve "
        f"(~{results[f'turn {busy}']['per_s']:.0f} turns/s here), so latency there is queueing.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser_ = argparse.ArgumentParser(description=__doc__)
    parser_.add_argument("--users", type=int, default=20)
    parser_.add_argument("--turns", type=int, default=400)
    parser_.add_argument("--store", choices=sorted(STORES), default="memory")
    parser_.add_argument("--report", type=Path, default=Path("docs/benchmarks.md"))
    args = parser_.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as run_dir:
        redis = "local" if args.store == "redis" else None
        stack = Stack(StackConfig(run_dir=Path(run_dir), redis=redis))
        stack.start()
        try:
            results = asyncio.run(measure(stack, args.users, args.turns))
        finally:
            stack.stop()
    body = render(results, args.users, args.turns, args.store, load)
    section = "turn-latency" if args.store == "memory" else f"turn-latency-{args.store}"
    update_section(args.report, section, body)
    print(body)


if __name__ == "__main__":
    main()
