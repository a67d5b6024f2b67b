"""Zalo webhook authenticity: X-ZEvent-Signature and the event's age.

Zalo signs with plain SHA-256 over app_id + raw body + timestamp + OA secret key (not HMAC),
where timestamp is the body's own `timestamp` field. The raw bytes are hashed exactly as
received: re-serialising the parsed JSON would change them.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "x-zevent-signature"


def signature_for(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256(
        app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    ).hexdigest()
    return f"mac={digest}"


def signature_valid(
    header: str | None, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str
) -> bool:
    if not header:
        return False
    expected = signature_for(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(expected.encode(), header.strip().lower().encode())


def timestamp_fresh(timestamp: str, now_s: float, max_age_s: float) -> bool:
    """Refuses replays of old deliveries, and timestamps from the future beyond clock skew.

    Zalo's retries of an unanswered webhook come up to an hour later; the gateway always
    answers 200 at once, so a legitimate delivery is never older than a few seconds.
    """
    if not timestamp.isdigit():
        return False
    age_s = now_s - int(timestamp) / 1000
    return -max_age_s <= age_s <= max_age_s
