"""Settings read from the environment and the command line, in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Receiving-unit code for the first part of tracking codes (Circular 01/2018/TT-VPCP
# Art. 19, segment V1V2V3.Z1Z2.Y1Y2.MX1X2). "G06" is MST's level-1 code (Decision
# 09/2025/QĐ-TTg); the other segments are illustrative, not an official assignment.
DEFAULT_UNIT_CODE = "000.00.01.G06"
DEFAULT_DB_PATH = "var/caseapi.sqlite3"
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the reference core API."""

    db_path: Path
    unit_code: str = DEFAULT_UNIT_CODE
    staff_token: str | None = None
    seed_demo: bool = True
    max_phone_failures: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, db_path: str | None = None) -> Settings:
        """Build settings from ``env`` (default ``os.environ``); ``db_path`` wins."""
        env = os.environ if env is None else env
        token = env.get("CASE_API_STAFF_TOKEN") or None
        return cls(
            db_path=Path(db_path or env.get("CASE_API_DB") or DEFAULT_DB_PATH),
            unit_code=env.get("CASE_API_UNIT_CODE") or DEFAULT_UNIT_CODE,
            staff_token=token,
            seed_demo=env.get("CASE_API_SEED_DEMO", "1") not in ("0", "false", "no"),
            max_phone_failures=int(env.get("CASE_API_MAX_PHONE_FAILURES") or 10),
        )
