"""One real stack per test run: redis-server, the reference core API, the action server and
Rasa, each on a free port, talked to over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from stack import commands
from stack.processes import ManagedProcess, free_port
from stack.services import DEFAULT_MODEL, ROOT, Stack, StackConfig, local


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make test` (it trains first)")
    running = Stack(StackConfig(run_dir=tmp_path_factory.mktemp("stack")))
    running.start()
    yield running
    running.stop()


class Citizen:
    """One conversation over Rasa's REST channel."""

    def __init__(self, rasa_url: str, sender: str | None = None) -> None:
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"
        self.http = httpx.Client(base_url=rasa_url, timeout=30.0)

    def say(self, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        response = self.http.post("/webhooks/rest/webhook", json=body)
        assert response.status_code == 200, response.text
        replies = response.json()
        assert isinstance(replies, list)
        return replies

    def text(self, message: str, metadata: dict[str, Any] | None = None) -> str:
        return "\n".join(str(r.get("text", "")) for r in self.say(message, metadata))


@pytest.fixture
def citizen(stack: Stack) -> Iterator[Citizen]:
    person = Citizen(stack.rasa_url)
    yield person
    person.http.close()


@pytest.fixture(scope="session")
def voice_url(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real voice service (Whisper base): the stack's own when it runs one, else started
    here with the stack's command line. Google TTS is made unreachable: nothing leaves."""
    if stack.voice is not None:
        yield f"http://127.0.0.1:{stack.config.voice_port}"
        return
    port = free_port()
    process = ManagedProcess(
        "voice",
        local(commands.voice("127.0.0.1", port)),
        tmp_path_factory.mktemp("voice-logs") / "voice.log",
        env={
            "PYTHONPATH": str(ROOT),
            "VOICE_TTS_ONLINE": "0",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "VOICE_CPU_THREADS": "2",
        },
        cwd=ROOT,
    )
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_http(f"{url}/health", 120)
    except BaseException:
        process.stop()
        raise
    yield url
    process.stop()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """One Playwright driver for the whole run, shared by the kiosk and console browsers: the
    sync API cannot start a second driver in this thread while the first one lives."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver
