"""Action tests run against the real reference core API, started once per module."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import services
from stack.processes import ManagedProcess, free_port
from stack.services import ROOT


@pytest.fixture(scope="module")
def core_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    run_dir: Path = tmp_path_factory.mktemp("caseapi")
    process = ManagedProcess(
        "core API",
        [
            sys.executable,
            "-m",
            "caseapi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(run_dir / "caseapi.sqlite3"),
        ],
        run_dir / "caseapi.log",
        cwd=ROOT,
    )
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_http(f"{url}/health", 30)
        yield url
    finally:
        process.stop()


@pytest.fixture
async def live_services(core_api: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The action server's services, configured through the environment as in production."""
    monkeypatch.setenv("CASE_API_URL", core_api)
    await services.reset()
    yield
    await services.reset()


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
