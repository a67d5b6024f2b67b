"""The ASGI app in-process (httpx.ASGITransport): configuration-dependent behaviour."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from caseapi.app import create_app
from caseapi.config import Settings
from tests.caseapi.conftest import DEMO_CODE, application_body

Scenario = Callable[[httpx.AsyncClient], Awaitable[None]]


@contextlib.asynccontextmanager
async def running(tmp_path: Path, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(db_path=tmp_path / "db.sqlite3", **settings))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://caseapi") as client:
            yield client


def run(tmp_path: Path, scenario: Scenario, **settings: Any) -> None:
    async def main() -> None:
        async with running(tmp_path, **settings) as client:
            await scenario(client)

    asyncio.run(main())


def test_staff_endpoints_off_without_token(tmp_path: Path) -> None:
    async def scenario(c: httpx.AsyncClient) -> None:
        for response in (
            await c.get("/audit"),
            await c.get(
                f"/applications/{DEMO_CODE}",
                headers={"Authorization": "Bearer x", "X-Staff-Id": "a"},
            ),
            await c.post(
                f"/applications/{DEMO_CODE}/transitions", json={"to": "in_review", "actor": "a"}
            ),
        ):
            assert response.status_code == 503
            assert response.json() == {
                "error": "staff_access_not_configured",
                "message": "staff access not configured",
            }

    run(tmp_path, scenario)


def test_wrong_digits_lock_the_code_but_probes_do_not(tmp_path: Path) -> None:
    async def scenario(c: httpx.AsyncClient) -> None:
        url = f"/applications/{DEMO_CODE}"
        for _ in range(5):
            assert (await c.get(url)).status_code == 403  # no digits: a probe, not counted
        for _ in range(3):
            assert (await c.get(url, params={"phone_last4": "0000"})).status_code == 403
        locked = await c.get(url, params={"phone_last4": "5678"})
        assert locked.status_code == 429 and locked.json()["error"] == "too_many_attempts"
        assert int(locked.headers["Retry-After"]) > 0
        assert (await c.get(url)).status_code == 403
        other = await c.get(
            "/applications/000.00.17.G17-241219-0002", params={"phone_last4": "5678"}
        )
        assert other.status_code == 200

    run(tmp_path, scenario, max_phone_failures=3)


def test_unit_code_from_settings_and_no_demo(tmp_path: Path) -> None:
    async def scenario(c: httpx.AsyncClient) -> None:
        created = await c.post("/applications", json=application_body())
        assert created.status_code == 201
        assert created.json()["tracking_code"].startswith("000.00.99.H38-")
        missing = await c.get(f"/applications/{DEMO_CODE}", params={"phone_last4": "5678"})
        assert missing.status_code == 404

    run(tmp_path, scenario, unit_code="000.00.99.H38", seed_demo=False)


def test_unexpected_errors_answer_json_500(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(db_path=tmp_path / "db.sqlite3"))

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            api = app.state.api

            def broken(code: str) -> None:
                raise RuntimeError("disk on fire")

            api.storage.get_application = broken
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://caseapi") as c:
                r = await c.get("/applications/0912345678", params={"phone_last4": "5678"})
                assert r.status_code == 500 and r.json() == {"error": "internal_error"}

    asyncio.run(scenario())
    assert "RuntimeError" in caplog.text and "0912345678" not in caplog.text


def test_bad_unit_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CASE_API_UNIT_CODE"):
        create_app(Settings(db_path=tmp_path / "db.sqlite3", unit_code="G06"))


def test_settings_from_env(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "CASE_API_DB": str(tmp_path / "x.db"),
            "CASE_API_STAFF_TOKEN": "",
            "CASE_API_UNIT_CODE": "000.00.02.G06",
        }
    )
    assert s.db_path == tmp_path / "x.db" and s.staff_token is None
    assert s.unit_code == "000.00.02.G06"
    assert Settings.from_env({}, db_path="a.db").unit_code == "000.00.01.G06"
