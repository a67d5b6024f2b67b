"""The stack of the reliability runs: redis-server (append-only file on), the reference core
API behind a fault proxy, the action server, two Rasa servers on the shared Redis tracker and
lock stores, the outbox worker, and the gateway spreading over both Rasa servers between the
fake Telegram and Zalo servers. Everything on free loopback ports, under one run directory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from reliability.proxy import FaultProxy
from stack import commands
from stack.processes import ManagedProcess, free_port
from stack.services import ROOT, Stack, StackConfig, local
from tests.fakes.gateway import TELEGRAM_TOKEN, Gateway, gateway_env, start_gateway
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

STAFF_USER, STAFF_PASSWORD = "fuzz.agent", "mat-khau-fuzz-12345"


@dataclass
class Harness:
    run_dir: Path
    stack: Stack
    case_api: ManagedProcess
    proxy: FaultProxy
    rasa_b: ManagedProcess | None
    rasa_b_url: str | None
    telegram: FakeTelegram
    zalo: FakeZalo
    gateway: Gateway

    @property
    def token(self) -> str:
        return self.stack.config.auth_token

    def rasa_status_url(self, base: str) -> str:
        return f"{base}/status?token={self.token}"

    def processes(self) -> dict[str, ManagedProcess]:
        """The server processes whose health and memory the fuzz run watches."""
        found = {
            "gateway": self.gateway.process,
            "rasa": self.stack.rasa,
            "actions": self.stack.actions,
            "core API": self.case_api,
        }
        if self.rasa_b is not None:
            found["rasa-b"] = self.rasa_b
        return found


def create_staff(env: dict[str, str]) -> None:
    """A console account, so the fuzz run reaches the signed-in API too."""
    subprocess.run(
        [sys.executable, "-m", "connectors.console", "create-staff", "--username", STAFF_USER,
         "--role", "agent"],
        input=STAFF_PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip


@contextmanager
def running(run_dir: Path, two_rasa: bool = True) -> Iterator[Harness]:
    """Starts everything, yields, stops everything it started (also on errors)."""
    logs = run_dir / "logs"
    with ExitStack() as cleanup:
        port = free_port()
        case_api = ManagedProcess(
            "core API",
            local(commands.caseapi("127.0.0.1", port, str(run_dir / "caseapi.sqlite3"))),
            logs / "caseapi.log",
            env={"PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        case_api.start()
        cleanup.callback(case_api.stop)
        case_api.wait_http(f"http://127.0.0.1:{port}/health", 60)
        proxy = FaultProxy(port).start()
        cleanup.callback(proxy.stop)

        stack = Stack(StackConfig(run_dir=run_dir, case_api_url=proxy.url))
        stack.start()
        cleanup.callback(stack.stop)  # also stops the second Rasa: it joins stack.processes
        rasa_b, rasa_b_url = stack.start_another_rasa(240) if two_rasa else (None, None)

        telegram = FakeTelegram(TELEGRAM_TOKEN).start()
        cleanup.callback(telegram.stop)
        zalo = FakeZalo().start()
        cleanup.callback(zalo.stop)
        assert stack.redis_url
        env = gateway_env(stack.rasa_url, stack.redis_url, telegram, zalo, run_dir / "media")
        env.update(
            RASA_URLS=",".join(u for u in (stack.rasa_url, rasa_b_url) if u),
            RASA_AUTH_TOKEN=stack.config.auth_token,
            CONSOLE_DB=str(run_dir / "console.sqlite3"),
            CASE_API_URL=proxy.url,
        )
        create_staff(env)
        gateway = start_gateway("gateway", env, logs)
        cleanup.callback(gateway.stop)
        yield Harness(run_dir, stack, case_api, proxy, rasa_b, rasa_b_url, telegram, zalo, gateway)
