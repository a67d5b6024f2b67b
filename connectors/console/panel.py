"""The assistant panel's status look-up for staff: the core API's audited staff read (no
phone digits needed, none shown) and, for supervisors, its audit log."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

JSON = dict[str, Any]


class PanelError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def without_phone(value: Any) -> Any:
    """Drops every field whose name mentions a phone, at any depth."""
    if isinstance(value, dict):
        return {k: without_phone(v) for k, v in value.items() if "phone" not in k.lower()}
    if isinstance(value, list):
        return [without_phone(v) for v in value]
    return value


class StaffLookup:
    def __init__(
        self, base_url: str, token: str | None, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=httpx.Timeout(3.0, connect=1.0), transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _get(self, path: str, staff_id: str, params: dict[str, str] | None = None) -> JSON:
        if not self._token:
            raise PanelError(503, "Chưa cấu hình quyền tra cứu của cán bộ (CASE_API_STAFF_TOKEN).")
        headers = {"Authorization": f"Bearer {self._token}", "X-Staff-Id": staff_id}
        try:
            response = await self._http.get(path, headers=headers, params=params)
        except httpx.HTTPError as err:
            raise PanelError(502, "Hệ thống quản lý hồ sơ không phản hồi.") from err
        if response.status_code == 404:
            raise PanelError(404, "Không tìm thấy hồ sơ với mã này.")
        if response.status_code != 200:
            raise PanelError(502, f"Hệ thống quản lý hồ sơ trả lời mã {response.status_code}.")
        body = response.json()
        if not isinstance(body, dict):
            raise PanelError(502, "Hệ thống quản lý hồ sơ trả lời không đúng định dạng.")
        return body

    async def status(self, tracking_code: str, staff_id: str) -> JSON:
        body = await self._get(f"/applications/{quote(tracking_code, safe='')}", staff_id)
        result: JSON = without_phone(body)
        return result

    async def audit(self, staff_id: str, limit: int = 100) -> JSON:
        return await self._get("/audit", staff_id, {"limit": str(limit)})
