"""The core API client against httpx.MockTransport, and against a real server that hangs."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from connectors.case_api import CaseApiClient, CaseApiUnavailable, NotFound, PhoneMismatch
from connectors.settings import Settings

CODE = "000.00.17.G17-241219-0001"


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> CaseApiClient:
    return CaseApiClient(
        Settings(case_api_url="http://core.test"), transport=httpx.MockTransport(handler)
    )


async def test_status_sends_the_digits_and_maps_each_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        digits = request.url.params.get("phone_last4")
        if digits == "5678":
            return httpx.Response(200, json={"tracking_code": CODE, "stage": "in_review"})
        return httpx.Response(403, json={"error": "phone_mismatch"})

    client = client_for(handler)
    assert (await client.get_status(CODE, "5678"))["stage"] == "in_review"
    with pytest.raises(PhoneMismatch):
        await client.get_status(CODE, "0000")
    assert seen[0].url.path == f"/applications/{CODE}"
    await client.aclose()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, NotFound),
        (500, CaseApiUnavailable),
        (503, CaseApiUnavailable),
        (418, CaseApiUnavailable),
    ],
)
async def test_status_errors_are_mapped(status: int, error: type[Exception]) -> None:
    client = client_for(lambda request: httpx.Response(status, json={"error": "x"}))
    with pytest.raises(error):
        await client.get_status(CODE, "5678")


async def test_non_json_and_network_errors_become_unavailable() -> None:
    client = client_for(lambda request: httpx.Response(200, text="<html>proxy error</html>"))
    with pytest.raises(CaseApiUnavailable):
        await client.get_procedure("SHTT-01")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(CaseApiUnavailable):
        await client_for(refuse).list_procedures()


async def test_existence_probe_reveals_only_existence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "phone_last4" not in request.url.params
        known = request.url.path.endswith(CODE)
        return httpx.Response(403 if known else 404, json={})

    client = client_for(handler)
    assert await client.application_exists(CODE)
    assert not await client.application_exists("000.00.01.G06-251219-9999")


async def test_procedure_codes_are_escaped_in_the_path() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.raw_path.decode())
        return httpx.Response(404, json={})

    with pytest.raises(NotFound):
        await client_for(handler).get_procedure("../admin")
    assert paths == ["/procedures/..%2Fadmin"]


@pytest.fixture
def hanging_server() -> Iterator[int]:
    """A real TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


async def test_a_hanging_core_api_fails_within_the_budget(hanging_server: int) -> None:
    client = CaseApiClient(Settings(case_api_url=f"http://127.0.0.1:{hanging_server}"))
    started = time.monotonic()
    with pytest.raises(CaseApiUnavailable):
        await client.get_status(CODE, "5678")
    elapsed = time.monotonic() - started
    assert elapsed < 3.0
    await client.aclose()


async def test_get_procedures_fetches_concurrently() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={"code": request.url.path.rsplit("/", 1)[-1]})

    client = CaseApiClient(
        Settings(case_api_url="http://core.test"), transport=httpx.MockTransport(handler)
    )
    records = await client.get_procedures(["A", "B", "C"])
    assert [r["code"] for r in records] == ["A", "B", "C"]
    assert peak > 1


async def test_core_api_lock_is_its_own_error() -> None:
    from connectors.case_api import TooManyAttempts

    client = client_for(lambda request: httpx.Response(429, json={"error": "too_many_attempts"}))
    with pytest.raises(TooManyAttempts):
        await client.get_status(CODE, "5678")


async def test_submission_sends_the_idempotency_key_and_maps_refusals() -> None:
    from connectors.case_api import Rejected

    keys: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Idempotency-Key"))
        if b"bad" in request.content:
            return httpx.Response(422, json={"error": "validation_error", "fields": {"phone": "x"}})
        return httpx.Response(201, json={"tracking_code": CODE})

    client = client_for(handler)
    assert (await client.submit_application({"procedure_code": "SHTT-01"}, "k1"))[
        "tracking_code"
    ] == CODE
    with pytest.raises(Rejected) as refused:
        await client.submit_application({"procedure_code": "bad"}, "k2")
    assert refused.value.status == 422
    assert keys == ["k1", "k2"]
