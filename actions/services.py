"""Process-wide services of the action server, created lazily on first use."""

from __future__ import annotations

from redis.asyncio import Redis

from actions.catalogue import ProcedureCatalogue
from connectors.case_api import CaseApiClient
from connectors.outbox import Outbox
from connectors.settings import Settings

_client: CaseApiClient | None = None
_catalogue: ProcedureCatalogue | None = None
_outbox: Outbox | None = None


def case_api() -> CaseApiClient:
    """The one httpx client of this process (its pool is shared by every action)."""
    global _client
    if _client is None:
        _client = CaseApiClient(Settings.from_env())
    return _client


def catalogue() -> ProcedureCatalogue:
    global _catalogue
    if _catalogue is None:
        _catalogue = ProcedureCatalogue(case_api(), ttl_s=Settings.from_env().catalogue_ttl_s)
    return _catalogue


async def reset() -> None:
    """Close and forget the process-wide services (tests, and a clean shutdown)."""
    global _client, _catalogue, _outbox
    if _client is not None:
        await _client.aclose()
    if _outbox is not None:
        await _outbox.redis.close()
    _client, _catalogue, _outbox = None, None, None


def outbox() -> Outbox | None:
    """The Redis outbox of submissions, or None when this deployment has no Redis."""
    global _outbox
    if _outbox is None:
        redis_url = Settings.from_env().redis_url
        if redis_url is None:
            return None
        _outbox = Outbox(Redis.from_url(redis_url, socket_timeout=2.0, socket_connect_timeout=2.0))
    return _outbox
