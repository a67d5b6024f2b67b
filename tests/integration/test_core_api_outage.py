"""The core API down or hanging: a clear apology within 3 seconds, then recovery."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from stack.services import Stack
from tests.integration.conftest import Citizen

pytestmark = pytest.mark.integration

DEMO_CODE = "000.00.17.G17-241219-0001"
APOLOGY = "tạm gián đoạn"


@pytest.fixture
def core_api_down(stack: Stack) -> Iterator[None]:
    stack.case_api.stop()
    try:
        yield
    finally:
        stack.case_api.start()
        stack.case_api.wait_http(f"{stack.case_api_url}/health", 60)


@pytest.fixture
def core_api_hanging(stack: Stack, core_api_down: None) -> Iterator[None]:
    """Something listens on the core API's port but never answers."""
    port = int(stack.case_api_url.rsplit(":", 1)[1])
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(64)
    try:
        yield
    finally:
        server.close()


def timed(citizen: Citizen, message: str) -> tuple[str, float]:
    started = time.monotonic()
    reply = citizen.text(message)
    return reply, time.monotonic() - started


def test_status_while_core_api_is_down(citizen: Citizen, core_api_down: None) -> None:
    reply, seconds = timed(citizen, f"hồ sơ {DEMO_CODE} đến đâu rồi")
    assert APOLOGY in reply
    assert seconds < 3.0
    assert "Traceback" not in reply


def test_status_while_core_api_hangs(citizen: Citizen, core_api_hanging: None) -> None:
    reply, seconds = timed(citizen, f"hồ sơ {DEMO_CODE} đến đâu rồi")
    assert APOLOGY in reply
    assert seconds < 3.0


def test_service_recovers_after_the_outage(stack: Stack) -> None:
    citizen = Citizen(stack.rasa_url)
    stack.case_api.stop()
    assert APOLOGY in citizen.text(f"hồ sơ {DEMO_CODE} đến đâu rồi")
    stack.case_api.start()
    stack.case_api.wait_http(f"{stack.case_api_url}/health", 60)
    assert "4 số cuối" in citizen.text(f"hồ sơ {DEMO_CODE} đến đâu rồi")
    assert "Trạng thái" in citizen.text("5678")
