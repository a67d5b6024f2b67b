"""Sending consultation messages: POST /v3.0/oa/message/cs with the OA access token."""

from __future__ import annotations

from typing import Any

import httpx

from connectors.zalo.tokens import TokenManager, ZaloAuthError

EXPIRED_TOKEN = -216


class ZaloApiError(Exception):
    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class ZaloClient:
    def __init__(self, api_base_url: str, tokens: TokenManager, http: httpx.AsyncClient) -> None:
        self._url = f"{api_base_url}/v3.0/oa/message/cs"
        self._tokens = tokens
        self._http = http

    async def _post(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(self._url, json=body, headers={"access_token": token})
            answer = response.json()
        except (httpx.HTTPError, ValueError) as err:
            raise ZaloApiError(None, type(err).__name__) from err
        if not isinstance(answer, dict):
            raise ZaloApiError(None, f"unexpected answer (HTTP {response.status_code})")
        return answer

    async def send(self, user_id: str, message: dict[str, Any]) -> str | None:
        """Sends one message; an expired token is refreshed once and the send retried once."""
        body = {"recipient": {"user_id": user_id}, "message": message}
        try:
            token = await self._tokens.access_token()
            answer = await self._post(token, body)
            if answer.get("error") == EXPIRED_TOKEN:
                token = await self._tokens.refresh(stale_access_token=token)
                answer = await self._post(token, body)
        except ZaloAuthError as err:
            raise ZaloApiError(EXPIRED_TOKEN, str(err)) from err
        code = answer.get("error")
        if code != 0:
            raise ZaloApiError(code if isinstance(code, int) else None, str(answer.get("message")))
        data = answer.get("data")
        return str(data.get("message_id")) if isinstance(data, dict) else None
