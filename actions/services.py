"""Process-wide services of the action server, created lazily on first use."""

from __future__ import annotations

from actions.catalogue import ProcedureCatalogue
from connectors.case_api import CaseApiClient
from connectors.settings import Settings

_client: CaseApiClient | None = None
_catalogue: ProcedureCatalogue | None = None


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
    global _client, _catalogue
    if _client is not None:
        await _client.aclose()
    _client, _catalogue = None, None
