"""Fuzzing every public webhook, the console's sign-in and API, and Rasa's REST channel.

Hypothesis generates the requests (seeded, no shrinking: every example is a request to real
servers, and a failure is recorded rather than raised, so the run always completes its
count): mutations of the real platform payloads, generated JSON, broken encodings, random
bytes, right and wrong secrets and signatures. Checked: no 5xx except the gateway's intended
503 (overload, state store down); every request answered; wrong credentials never accepted;
every server still running and healthy afterwards; resident memory of each server sampled
along the run, growth after the warm-up under THRESHOLD_MB.

Run: python -m reliability.fuzz [--count 10000 --seed 8]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from benchmarks.report import update_section
from reliability.harness import STAFF_PASSWORD, STAFF_USER, running
from reliability.payloads import JSON, NASTY, body, samples
from stack.processes import ManagedProcess
from tests.fakes.gateway import TELEGRAM_SECRET
from tests.fakes.zalo import FakeZalo

THRESHOLD_MB = 30.0  # per server, between the end of the warm-up and the end of the run
WARMUP_SHARE = 0.05
TIMEOUT_S = 15.0
Draw = Callable[[st.SearchStrategy[Any]], Any]
API_ROUTES = [
    ("POST", "/console/api/logout"), ("GET", "/console/api/me"),
    ("GET", "/console/api/conversations"), ("GET", "/console/api/conversations/{cid}/messages"),
    ("POST", "/console/api/conversations/{cid}/take"),
    ("POST", "/console/api/conversations/{cid}/release"),
    ("POST", "/console/api/conversations/{cid}/reply"), ("POST", "/console/api/status"),
    ("GET", "/console/api/audit"),
]  # fmt: skip


@dataclass
class Targets:
    gateway_url: str
    rasa_url: str
    telegram_secret: str
    zalo: FakeZalo  # signs Zalo deliveries as Zalo does
    processes: dict[str, ManagedProcess]
    health: dict[str, str]  # server name -> URL that answers < 500 when it is healthy


@dataclass
class Session:
    cookie: str  # "Cookie" header of a signed-in staff member
    csrf: str


@dataclass
class Endpoint:
    name: str
    share: float
    build: Callable[[Draw], httpx.Request]
    # Statuses that are wrong although not 5xx (a wrong secret accepted, say).
    forbidden: Callable[[int], bool] = lambda _: False


@dataclass
class FuzzResult:
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    problem_count: Counter[str] = field(default_factory=Counter)
    rss_mb: dict[str, list[float]] = field(default_factory=dict)
    not_healthy: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def sent(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())

    def record(self, endpoint: str, status: int | None, problem: str | None) -> None:
        self.statuses.setdefault(endpoint, Counter())[status or 0] += 1
        if problem is not None:
            self.problem_count[endpoint] += 1
            if len(self.problems) < 30:
                self.problems.append(f"{endpoint}: {problem}")

    def growth_mb(self) -> dict[str, float]:
        return {name: series[-1] - series[1] for name, series in self.rss_mb.items()}


def rss_mb(process: ManagedProcess) -> float:
    """Resident memory of the process's whole group (a server and any helpers it spawned)."""
    assert process.process is not None
    group, total_kb = process.process.pid, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # field 5 of stat: process group id
                total_kb += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024  # rss pages
        except (OSError, IndexError, ValueError):
            continue
    return total_kb / 1024


def endpoints(t: Targets, session: Session) -> list[Endpoint]:
    telegram_samples, zalo_samples = samples("telegram"), samples("zalo")
    rest_samples = samples("rasa_rest_request")
    gateway, rasa = t.gateway_url, t.rasa_url

    def telegram(draw: Draw, right: bool) -> httpx.Request:
        raw, _ = draw(body(telegram_samples))
        headers = {"Content-Type": draw(st.sampled_from(["application/json", "text/plain"]))}
        if right:
            headers["X-Telegram-Bot-Api-Secret-Token"] = t.telegram_secret
        elif draw(st.booleans()):
            secret = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_0123456789", max_size=64))
            if secret != t.telegram_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return httpx.Request("POST", f"{gateway}/webhooks/telegram", content=raw, headers=headers)

    def zalo(draw: Draw, right: bool) -> httpx.Request:
        raw, value = draw(body(zalo_samples))
        if right and isinstance(value, dict):
            stamp = draw(st.one_of(st.none(), st.integers(0, 2**45)))
            raw, headers = t.zalo.signed(value, stamp)
        else:
            headers = {"Content-Type": "application/json"}
            # Visible ASCII: httpx itself refuses to send other header values.
            printable = st.characters(min_codepoint=33, max_codepoint=126)  # h11: no edge spaces
            value = st.text(alphabet=printable, max_size=80)
            signature = draw(st.one_of(st.none(), value.map(lambda s: f"mac={s}")))
            if signature is not None:
                headers["X-ZEvent-Signature"] = signature
        return httpx.Request("POST", f"{gateway}/webhooks/zalo", content=raw, headers=headers)

    def login(draw: Draw) -> httpx.Request:
        names = st.sampled_from(["username", "password", "csrf", "x"])
        values = st.one_of(st.text(max_size=80), NASTY.map(str))
        fields = draw(st.dictionaries(names, values, max_size=4))
        token = draw(st.text(alphabet="abcdef0123456789", min_size=1, max_size=32))
        if draw(st.booleans()):
            fields["csrf"] = token  # the login CSRF pair right, the rest fuzzed
        content = draw(st.one_of(st.just(urlencode(fields).encode()), st.binary(max_size=300)))
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Cookie": f"console_login_csrf={token}"}  # fmt: skip
        return httpx.Request("POST", f"{gateway}/console/login", content=content, headers=headers)

    def api(draw: Draw, signed_in: bool) -> httpx.Request:
        # Signed in, logging out would end the session and leave only 401s to fuzz.
        routes = [r for r in API_ROUTES if not (signed_in and r[1].endswith("/logout"))]
        method, route = draw(st.sampled_from(routes))
        ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_.%", min_size=1, max_size=40)
        cid = draw(st.one_of(st.sampled_from(["telegram:1", "zalo:2"]), ids))
        path = route.replace("{cid}", cid)
        content = json.dumps(draw(JSON)).encode() if method == "POST" else b""
        headers = {"Content-Type": "application/json"}
        if signed_in:
            headers["Cookie"] = session.cookie
            if draw(st.integers(0, 9)):  # mostly the right CSRF token, sometimes a wrong one
                headers["X-CSRF-Token"] = session.csrf
        else:
            cookie = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", max_size=50))
            headers["Cookie"] = f"console_session={cookie}"
        return httpx.Request(method, f"{gateway}{path}", content=content, headers=headers)

    def rest(draw: Draw) -> httpx.Request:
        raw, _ = draw(body(rest_samples))
        return httpx.Request(
            "POST",
            f"{rasa}/webhooks/rest/webhook",
            content=raw,
            headers={"Content-Type": "application/json"},
        )

    def refused(status: int) -> bool:  # wrong credentials accepted
        return 200 <= status < 300

    return [
        Endpoint("Telegram webhook, right secret", 0.20, lambda d: telegram(d, True)),
        Endpoint("Telegram webhook, wrong/no secret", 0.08, lambda d: telegram(d, False), refused),
        Endpoint("Zalo webhook, signed", 0.20, lambda d: zalo(d, True)),
        Endpoint("Zalo webhook, wrong/no signature", 0.08, lambda d: zalo(d, False), refused),
        Endpoint("console sign-in", 0.08, login, lambda s: s == 303),
        Endpoint("console API, anonymous", 0.08, lambda d: api(d, False), refused),
        Endpoint("console API, signed in", 0.08, lambda d: api(d, True)),
        Endpoint("Rasa REST channel", 0.20, rest),
    ]


def sign_in(http: httpx.Client, gateway_url: str) -> Session:
    form = http.get(f"{gateway_url}/console/login")
    token = form.cookies["console_login_csrf"]
    response = http.post(
        f"{gateway_url}/console/login",
        data={"username": STAFF_USER, "password": STAFF_PASSWORD, "csrf": token},
        headers={"Cookie": f"console_login_csrf={token}"},
    )
    match = re.search(r"console_session=([^;]+)", response.headers.get("set-cookie", ""))
    if response.status_code != 303 or match is None:
        raise RuntimeError(f"staff sign-in failed: {response.status_code}")
    cookie = f"console_session={match.group(1)}"
    me = http.get(f"{gateway_url}/console/api/me", headers={"Cookie": cookie}).json()
    return Session(cookie, me["csrf"])


def _send(
    http: httpx.Client, endpoint: Endpoint, request: httpx.Request, result: FuzzResult
) -> None:
    try:
        response = http.send(request)
    except httpx.HTTPError as err:
        result.record(
            endpoint.name, None, f"no answer ({type(err).__name__}) to {request.content[:120]!r}"
        )
        return
    status = response.status_code
    problem = None
    if status >= 500 and status != 503:
        problem = f"{status} for {request.method} {request.url.path} {request.content[:160]!r}"
    elif endpoint.forbidden(status):
        problem = (
            f"unexpected {status} for {request.method} {request.url.path} {request.content[:160]!r}"
        )
    result.record(endpoint.name, status, problem)


def run_endpoint(
    http: httpx.Client, endpoint: Endpoint, examples: int, seed_value: int, result: FuzzResult
) -> None:
    @seed(seed_value)
    @settings(
        max_examples=examples,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        _send(http, endpoint, endpoint.build(data.draw), result)

    if examples > 0:
        try:
            one()
        except Exception as err:  # a fuzzer bug must not hide the servers' results
            result.record(endpoint.name, None, f"fuzzer error {type(err).__name__}: {err}")


def fuzz(t: Targets, count: int, seed_value: int, samples_every: int = 1000) -> FuzzResult:
    result = FuzzResult()
    started = time.perf_counter()
    with httpx.Client(timeout=TIMEOUT_S) as http:
        session = sign_in(http, t.gateway_url)
        eps = endpoints(t, session)

        def sample() -> None:
            for name, process in t.processes.items():
                result.rss_mb.setdefault(name, []).append(rss_mb(process))

        sample()
        # Rounds: each endpoint's share, in slices, so memory is sampled along the way.
        warmup = max(len(eps), int(count * WARMUP_SHARE))
        slices = [warmup] + [samples_every] * ((count - warmup) // samples_every)
        if (rest := count - sum(slices)) > 0:
            slices.append(rest)
        for number, size in enumerate(slices):
            for index, endpoint in enumerate(eps):
                share = max(1, round(size * endpoint.share))
                run_endpoint(http, endpoint, share, seed_value * 1000 + number * 10 + index, result)
            sample()
    result.elapsed_s = time.perf_counter() - started
    time.sleep(1.0)  # let background turns finish before the health probes
    for name, process in t.processes.items():
        if not process.running():
            result.not_healthy.append(f"{name} not running")
            continue
        try:
            if httpx.get(t.health[name], timeout=10).status_code >= 500:
                result.not_healthy.append(f"{name} unhealthy")
        except httpx.HTTPError as err:
            result.not_healthy.append(f"{name}: {type(err).__name__}")
    return result


def render(command: str, result: FuzzResult, load: str) -> str:
    lines = [
        "## Fuzzing",
        "",
        f"Command: `{command}`; load average at the start: `{load}`. {result.sent} requests "
        f"in {result.elapsed_s:.0f} s. Checked: no 5xx other than 503, every request "
        "answered, wrong credentials never accepted, every server running and healthy "
        f"afterwards, resident memory growth after the warm-up < {THRESHOLD_MB:g} MB per "
        "server.",
        "",
        "| target | requests | statuses | problems |",
        "|---|---|---|---|",
    ]
    for name, statuses in result.statuses.items():
        shown = ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(statuses.items()))
        lines.append(
            f"| {name} | {sum(statuses.values())} | {shown} | {result.problem_count[name]} |"
        )
    lines += ["", "| server | RSS MB along the run (every ~1000 requests) | growth after warm-up |",
              "|---|---|---|"]  # fmt: skip
    for name, series in result.rss_mb.items():
        growth = series[-1] - series[1]
        flag = "" if growth < THRESHOLD_MB else " **over threshold**"
        lines.append(
            f"| {name} | {' → '.join(f'{v:.0f}' for v in series)} | {growth:+.1f} MB{flag} |"
        )
    lines += ["", f"Servers not healthy afterwards: {', '.join(result.not_healthy) or 'none'}."]
    if result.problems:
        lines += ["", "First problems:", ""] + [f"- `{p[:300]}`" for p in result.problems]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--report", type=Path, default=Path("docs/reliability.md"))
    args = parser.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    with (
        tempfile.TemporaryDirectory(prefix="fuzz-") as run_dir,
        running(Path(run_dir), two_rasa=False) as h,
    ):
        processes = h.processes()
        health = {
            "gateway": f"{h.gateway.url}/health",
            "rasa": h.rasa_status_url(h.stack.rasa_url),
            "actions": f"{h.stack.actions_url}/health",
            "core API": f"{h.proxy.url}/health",
        }
        targets = Targets(
            h.gateway.url, h.stack.rasa_url, TELEGRAM_SECRET, h.zalo, processes, health
        )
        result = fuzz(targets, args.count, args.seed)
    body_ = render(
        f"python -m reliability.fuzz --count {args.count} --seed {args.seed}", result, load
    )
    update_section(args.report, "fuzz", body_)
    print(body_)


if __name__ == "__main__":
    main()
