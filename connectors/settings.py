"""The one place where the assistant's processes read their environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError as err:
        raise ValueError(f"{name} must be a number, got {raw!r}") from err


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field has a default that works on a developer machine."""

    case_api_url: str = "http://localhost:8000"
    # The whole call budget stays under 3 s so a citizen never waits longer for an apology.
    case_api_connect_timeout_s: float = 1.0
    case_api_read_timeout_s: float = 2.0
    catalogue_ttl_s: float = 600.0
    redis_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            case_api_url=os.environ.get("CASE_API_URL", cls.case_api_url).rstrip("/"),
            case_api_connect_timeout_s=_float_env(
                "CASE_API_CONNECT_TIMEOUT", cls.case_api_connect_timeout_s
            ),
            case_api_read_timeout_s=_float_env(
                "CASE_API_READ_TIMEOUT", cls.case_api_read_timeout_s
            ),
            catalogue_ttl_s=_float_env("CATALOGUE_TTL", cls.catalogue_ttl_s),
            redis_url=os.environ.get("REDIS_URL") or None,
        )
