"""The gateway (with the console and a staff account) between the fake platforms and the
session's real stack, for the short fuzz run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reliability.harness import create_staff
from stack.services import Stack
from tests.fakes.gateway import Gateway, start_gateway
from tests.integration.channels import conftest as channels

# The channel tests' session fixtures, shared rather than copied.
fake_telegram = channels.fake_telegram
fake_zalo = channels.fake_zalo
channel_env = channels.channel_env


@pytest.fixture(scope="module")
def fuzz_gateway(
    stack: Stack, channel_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    env = {
        **channel_env,
        "RASA_AUTH_TOKEN": stack.config.auth_token,
        "CONSOLE_DB": str(tmp_path_factory.mktemp("fuzz-console") / "console.sqlite3"),
        "CASE_API_URL": stack.case_api_url,
    }
    create_staff(env)
    running = start_gateway("fuzz-gateway", env, tmp_path_factory.mktemp("fuzz-logs"))
    yield running
    running.stop()
