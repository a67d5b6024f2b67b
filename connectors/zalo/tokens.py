"""The OA access token and its one-time refresh token, shared by every gateway process.

Zalo's refresh token works exactly once: two processes refreshing with the same one would
leave one of them (and, once its pair is saved, everyone) with a dead token. So a refresh
runs under a Redis lock, re-reads the pair first (another process may have refreshed while
we waited), and persists the new pair before anyone uses it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import asdict, dataclass

import httpx

from connectors.gateway.state import PREFIX, Store
from connectors.settings import ZaloSettings

log = logging.getLogger(__name__)
PAIR_KEY = f"{PREFIX}zalo:oauth"
LOCK_KEY = f"{PREFIX}zalo:oauth:lock"
# Refresh a little before the announced expiry instead of spending a send on a -216.
EARLY_REFRESH_S = 300.0


class ZaloAuthError(Exception):
    """No usable token: none configured, or Zalo refused the refresh."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: float | None = None


class TokenManager:
    def __init__(self, settings: ZaloSettings, store: Store, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._store = store
        self._http = http
        self._local = asyncio.Lock()  # callers in this process queue here, not on Redis
        # The pair as last seen, so a send does not cost a Redis round trip. If another
        # process refreshed meanwhile, Zalo answers -216 and refresh() re-reads the store.
        self._cached: TokenPair | None = None
        self.refresh_count = 0

    async def _load(self) -> TokenPair:
        raw = await self._store.get(PAIR_KEY)
        if raw is None:
            seed = self._seed()
            # Only the first process seeds; afterwards the persisted pair wins over the env,
            # whose refresh token has been used up by then.
            await self._store.set_if_absent(PAIR_KEY, json.dumps(asdict(seed)), 10 * 365 * 86400)
            raw = await self._store.get(PAIR_KEY)
        if raw is None:
            raise ZaloAuthError("no Zalo token pair stored")
        return TokenPair(**json.loads(raw))

    def _seed(self) -> TokenPair:
        s = self._settings
        if not s.access_token and not s.refresh_token:
            raise ZaloAuthError("ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN are not set")
        return TokenPair(s.access_token or "", s.refresh_token or "")

    async def access_token(self) -> str:
        pair = self._cached or await self._load()
        self._cached = pair
        if not pair.access_token or (
            pair.expires_at is not None and pair.expires_at - EARLY_REFRESH_S <= time.time()
        ):
            return await self.refresh(pair.access_token)
        return pair.access_token

    async def refresh(self, stale_access_token: str) -> str:
        """A fresh access token, refreshing only if nobody has replaced the stale one yet."""
        async with self._local, self._store.lock(LOCK_KEY, hold_s=30.0, wait_s=40.0):
            pair = self._cached = await self._load()
            if pair.access_token and pair.access_token != stale_access_token:
                return pair.access_token
            new_pair = await self._call_oauth(pair.refresh_token)
            await self._store.set(PAIR_KEY, json.dumps(asdict(new_pair)), 10 * 365 * 86400)
            self._cached = new_pair
            self.refresh_count += 1
            log.info("Zalo access token refreshed")
            return new_pair.access_token

    async def _call_oauth(self, refresh_token: str) -> TokenPair:
        s = self._settings
        if not refresh_token or not s.app_id or not s.app_secret:
            raise ZaloAuthError("cannot refresh: refresh token, app id or app secret missing")
        try:
            response = await self._http.post(
                s.oauth_url,
                headers={"secret_key": s.app_secret},
                data={
                    "refresh_token": refresh_token,
                    "app_id": s.app_id,
                    "grant_type": "refresh_token",
                },
            )
            body = response.json()
        except (httpx.HTTPError, ValueError) as err:
            # The refresh token may be spent already; an operator must issue a new one if so.
            log.critical("Zalo token refresh failed in transit (%s)", type(err).__name__)
            raise ZaloAuthError("token refresh failed in transit") from err
        if not isinstance(body, dict) or not body.get("access_token"):
            code = body.get("error") if isinstance(body, dict) else None
            log.critical("Zalo refused the token refresh (error %s)", code)
            raise ZaloAuthError(f"token refresh refused: {code}")
        expires_in = body.get("expires_in")
        expires_at = (
            time.time() + float(expires_in)
            if isinstance(expires_in, str | int) and str(expires_in).isdigit()
            else None
        )
        return TokenPair(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or refresh_token),
            expires_at=expires_at,
        )
