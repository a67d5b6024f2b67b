"""Markdown of a load run for docs/reliability.md: one table per phase, the fault timeline,
recovery per path, and the submissions' fate."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from reliability.accounting import Outcome, outcome

if TYPE_CHECKING:
    from reliability.load import PhaseResult

COLUMNS: tuple[Outcome, ...] = ("answered", "apology", "silent", "refused", "failed")


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"  # NaN: no answered turn


def phase_table(result: PhaseResult) -> str:
    sent = len(result.turns)
    answered = sum(1 for t in result.turns if outcome(t) == "answered")
    lines = [
        f"### Phase `{result.name}`: {result.citizens} citizens, {result.duration_s:g} s",
        "",
        f"Load average at the start: `{result.uptime}`. {sent} messages sent in "
        f"{result.load_s:.0f} s (**{sent / result.load_s:.1f} offered/s**), "
        f"{answered} answered (**{answered / result.load_s:.1f} turns/s**); the phase "
        f"took {result.elapsed_s:.0f} s with the drain and the tracker reads.",
        "",
        "| path | messages | answered | apology | silent | refused (503 ×5) | failed (REST "
        "error) | processed twice | answer not the one the state calls for | p50 ms "
        "| p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path, s in result.paths.items():
        counts = " | ".join(str(s.outcomes.get(c, 0)) for c in COLUMNS)
        silent = s.outcomes.get("silent", 0)
        if silent:
            counts = counts.replace(
                f" | {silent} | ",
                f" | {silent} ({s.unprocessed_silent} never reached Rasa) | ",
                1,
            )
        lines.append(
            f"| {path} | {s.turns} | {counts} | {s.duplicates} | {s.state_broken} "
            f"| {_ms(s.p50_ms)} | {_ms(s.p95_ms)} | {_ms(s.p99_ms)} |"
        )
    lines += ["", f"Platform messages outside every answer window (late or extra): {result.stray}."]
    if result.timeline:
        lines += ["", "Timeline (seconds from the phase's start):", ""]
        lines += [f"- {at:.1f} s: {event}" for at, event in result.timeline]
    if result.recoveries:
        lines += ["", "| path | failed turns after the fault | first failure | first success "
                  "after the last failure |", "|---|---|---|---|"]  # fmt: skip
        for path, r in result.recoveries.items():
            first = "–" if r.first_failure_s is None else f"+{r.first_failure_s:.1f} s"
            back = "never" if r.recovered_s is None else f"+{r.recovered_s:.1f} s"
            lines.append(f"| {path} | {r.failed} | {first} | {back if r.failed else '–'} |")
    if result.unhealthy:
        lines += ["", f"**Not running after the phase: {', '.join(result.unhealthy)}.**"]
    return "\n".join(lines)


def render(
    command: str, results: list[PhaseResult], fates: Counter[str], left: int, cores: int
) -> str:
    lines = [
        f"## Load and faults: {results[0].citizens if results else 0} citizens",
        "",
        f"Command: `{command}` ({cores} cores shared with other engineers' test runs). "
        "Paths: `rest-a`/`rest-b` are Rasa's REST channel on the first/second Rasa server "
        "(no fail-over: a client pointed at a dead server fails); `telegram`/`zalo` are "
        "webhooks to the gateway, which spreads conversations over both servers and fails "
        "over when one refuses connections. Latency: REST round trip, or webhook sent → "
        "first reply at the fake platform. Outcomes: *apology* = the gateway's apology or an "
        "action's own (core API down); *silent* = accepted but no message before the "
        "citizen's next one; *processed twice* = the message's marker is on two user events "
        "of the trackers.",
        "",
    ]
    for result in results:
        lines += [phase_table(result), ""]
    lines += [
        "### Submissions (all phases)",
        "",
        f"Outbox jobs still queued 180 s after the last phase: {left}.",
        "",
    ]
    lines += [f"- {fate}: {count}" for fate, count in sorted(fates.items())] or ["- none"]
    return "\n".join(lines)
