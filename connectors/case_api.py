"""httpx client of the ministry's core case-management API (contract: caseapi/openapi.yaml)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import httpx

from connectors.settings import Settings

JSON = dict[str, Any]


class CaseApiError(Exception):
    """Base class of every failure the assistant must turn into a polite answer."""


class CaseApiUnavailable(CaseApiError):
    """The core API is down, too slow, or answered with a server error."""


class NotFound(CaseApiError):
    """The procedure or tracking code does not exist."""


class PhoneMismatch(CaseApiError):
    """The last four phone digits do not match the application (or were not given)."""


class TooManyAttempts(CaseApiError):
    """The core API itself locked look-ups of this code after repeated wrong digits."""


class Rejected(CaseApiError):
    """The core API refused a submission (validation, or the procedure is not online)."""

    def __init__(self, status: int, body: JSON) -> None:
        super().__init__(f"submission refused with {status}: {body.get('error')}")
        self.status = status
        self.body = body


class CaseApiClient:
    """One instance per process; all calls share its connection pool and timeouts."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None):
        timeout = httpx.Timeout(
            settings.case_api_read_timeout_s, connect=settings.case_api_connect_timeout_s
        )
        self._http = httpx.AsyncClient(
            base_url=settings.case_api_url, timeout=timeout, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = await self._http.get(path, params=params)
        except httpx.HTTPError as err:  # timeouts, refused connections, broken responses
            raise CaseApiUnavailable(str(err) or type(err).__name__) from err
        if response.status_code >= 500:
            raise CaseApiUnavailable(f"core API answered {response.status_code}")
        return response

    @staticmethod
    def _json(response: httpx.Response) -> JSON:
        try:
            body = response.json()
        except ValueError as err:
            raise CaseApiUnavailable("core API answered with something that is not JSON") from err
        if not isinstance(body, dict):
            raise CaseApiUnavailable("core API answered with an unexpected JSON shape")
        return body

    async def list_procedures(self) -> list[JSON]:
        response = await self._get("/procedures")
        if response.status_code != 200:
            raise CaseApiUnavailable(f"procedure list answered {response.status_code}")
        items = self._json(response).get("items", [])
        return [item for item in items if isinstance(item, dict)]

    async def get_procedure(self, code: str) -> JSON:
        response = await self._get(f"/procedures/{quote(code, safe='')}")
        if response.status_code == 404:
            raise NotFound(code)
        if response.status_code != 200:
            raise CaseApiUnavailable(f"procedure answered {response.status_code}")
        return self._json(response)

    async def get_procedures(self, codes: list[str]) -> list[JSON]:
        """Full records of several procedures, fetched concurrently over the shared pool."""
        return list(await asyncio.gather(*(self.get_procedure(code) for code in codes)))

    async def application_exists(self, tracking_code: str) -> bool:
        """True when the code is known; asks without phone digits, so it reveals no details."""
        response = await self._get(f"/applications/{quote(tracking_code, safe='')}")
        if response.status_code == 404:
            return False
        if response.status_code in (200, 403):
            return True
        raise CaseApiUnavailable(f"application probe answered {response.status_code}")

    async def get_status(self, tracking_code: str, phone_last4: str) -> JSON:
        response = await self._get(
            f"/applications/{quote(tracking_code, safe='')}", params={"phone_last4": phone_last4}
        )
        if response.status_code == 404:
            raise NotFound(tracking_code)
        if response.status_code == 403:
            raise PhoneMismatch(tracking_code)
        if response.status_code == 429:
            raise TooManyAttempts(tracking_code)
        if response.status_code != 200:
            raise CaseApiUnavailable(f"status answered {response.status_code}")
        return self._json(response)

    async def submit_application(self, payload: JSON, idempotency_key: str) -> JSON:
        """POST /applications; the key makes a retry return the first application."""
        try:
            response = await self._http.post(
                "/applications", json=payload, headers={"Idempotency-Key": idempotency_key}
            )
        except httpx.HTTPError as err:
            raise CaseApiUnavailable(str(err) or type(err).__name__) from err
        if response.status_code >= 500:
            raise CaseApiUnavailable(f"core API answered {response.status_code}")
        body = self._json(response)
        if response.status_code in (200, 201):
            return body
        raise Rejected(response.status_code, body)
