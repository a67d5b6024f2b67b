"""A cached copy of the core API's procedure catalogue, with the resolver built over it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from connectors.case_api import CaseApiClient
from nlu.procedure_resolver import ProcedureResolver, Resolution

Record = dict[str, Any]


class ProcedureCatalogue:
    """Fetches every procedure record once per TTL; resolving a mention needs no network."""

    def __init__(self, client: CaseApiClient, ttl_s: float = 600.0) -> None:
        self._client = client
        self._ttl_s = ttl_s
        self._records: dict[str, Record] = {}
        self._resolver: ProcedureResolver | None = None
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    async def _ensure_fresh(self) -> ProcedureResolver:
        if self._resolver is not None and time.monotonic() - self._loaded_at < self._ttl_s:
            return self._resolver
        async with self._lock:
            if self._resolver is None or time.monotonic() - self._loaded_at >= self._ttl_s:
                summaries = await self._client.list_procedures()
                records = await self._client.get_procedures([str(s["code"]) for s in summaries])
                self._records = {str(r["code"]): r for r in records}
                self._resolver = ProcedureResolver(records)
                self._loaded_at = time.monotonic()
        return self._resolver

    async def resolve(self, mention: str, limit: int = 3) -> Resolution:
        resolver = await self._ensure_fresh()
        return resolver.resolve(mention, limit=limit)

    async def get(self, code: str) -> Record | None:
        await self._ensure_fresh()
        return self._records.get(code)
