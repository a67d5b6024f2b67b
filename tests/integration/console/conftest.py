"""The real gateway (with the console) between the fake Telegram server and the real stack,
and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stack.services import ROOT, Stack
from tests.fakes.gateway import IN_HOURS, Gateway, start_gateway
from tests.integration.channels import conftest as channels

# The channel tests' session fixtures, shared rather than copied.
fake_telegram = channels.fake_telegram
fake_zalo = channels.fake_zalo
channel_env = channels.channel_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "console"
AGENT, PASSWORD = "an.nguyen", "mat-khau-e2e-12345"
SUPERVISOR = "giam.sat"
# The calendar's clock for the gateway (CONSOLE_NOW is read for tests only): IN_HOURS, a
# Monday morning in Hanoi, so the queue answers with a place whatever time CI runs, or
# Saturday night: staff are back at 07:30 on Monday 07/12/2026.
OUT_OF_HOURS = "2026-12-05T21:00:00+07:00"


def _create_staff(env: dict[str, str], username: str, role: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "connectors.console", "create-staff", "--username", username,
         "--role", role],
        input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True,
    )


def _console_gateway(
    name: str,
    now: str,
    staff: list[tuple[str, str]],
    stack: Stack,
    channel_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Gateway]:
    """A gateway with its own staff accounts and calendar clock, on the stack's Redis."""
    db = tmp_path_factory.mktemp(name) / "console.sqlite3"
    env = {**channel_env, "RASA_AUTH_TOKEN": stack.config.auth_token, "CONSOLE_DB": str(db),
           "CASE_API_URL": stack.case_api_url, "CONSOLE_NOW": now}
    for username, role in staff:
        _create_staff(env, username, role)
    running = start_gateway(name, env, tmp_path_factory.mktemp(f"{name}-logs"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def console_gateway(
    stack: Stack, channel_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    staff = [(AGENT, "agent"), (SUPERVISOR, "supervisor")]
    yield from _console_gateway(
        "console-gateway", IN_HOURS, staff, stack, channel_env, tmp_path_factory
    )


@pytest.fixture(scope="session")
def closed_gateway(
    stack: Stack, channel_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    """A second gateway on the same Redis whose calendar clock says Saturday night."""
    yield from _console_gateway(
        "console-closed", OUT_OF_HOURS, [(AGENT, "agent")], stack, channel_env, tmp_path_factory
    )


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required by the console tests")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
