"""docker-compose.yml is valid and cannot drift from how the processes really start.

No Docker engine runs here: `docker-compose config` validates and resolves the file, and each
service's command must equal what stack.commands gives (the launcher that the integration
tests run outside Docker uses the same functions)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from stack import commands

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "compose-test-token"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is not installed (scripts/install-system-packages)")
    result = subprocess.run(
        [binary, "config"],
        cwd=ROOT,
        env={**os.environ, "RASA_AUTH_TOKEN": TOKEN},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(yaml.safe_load(result.stdout))


def test_the_token_is_required() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RASA_AUTH_TOKEN"}
    result = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "RASA_AUTH_TOKEN" in result.stderr


def test_every_service_has_a_health_check_and_a_restart_policy(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), name
        assert service.get("restart") == "unless-stopped", name


def test_state_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    assert {"redis-data", "caseapi-data"} <= set(compose["volumes"])
    assert "--appendonly" in compose["services"]["redis"]["command"]


def test_more_than_one_rasa_server_shares_redis(compose: dict[str, Any]) -> None:
    rasa = [s for name, s in compose["services"].items() if name.startswith("rasa")]
    assert len(rasa) >= 2
    for service in rasa:
        assert "bot/endpoints.redis.yml" in service["command"]
        assert service["environment"]["REDIS_HOST"] == "redis"


def test_commands_are_the_launchers_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    expected = {
        "caseapi": commands.caseapi("0.0.0.0", 8000, "/app/var/caseapi.sqlite3"),
        "actions": commands.actions(5055),
        "rasa-1": commands.rasa(
            TOKEN,
            "models/assistant.tar.gz",
            "bot/endpoints.redis.yml",
            "bot/credentials.yml",
            "0.0.0.0",
            5005,
        ),
        "rasa-2": commands.rasa(
            TOKEN,
            "models/assistant.tar.gz",
            "bot/endpoints.redis.yml",
            "bot/credentials.yml",
            "0.0.0.0",
            5005,
        ),
        "outbox-worker": commands.outbox_worker(),
        "gateway": commands.gateway("0.0.0.0", 8080),
        "voice": commands.voice("0.0.0.0", 8300),
    }
    assert set(expected) | {"redis"} == set(services)
    for name, argv in expected.items():
        assert services[name]["command"] == argv, name


def test_files_the_commands_name_exist() -> None:
    for path in (
        "bot/endpoints.redis.yml",
        "bot/credentials.yml",
        "Dockerfile",
        "requirements/lock.txt",
    ):
        assert (ROOT / path).exists(), path
