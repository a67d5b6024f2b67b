"""X-ZEvent-Signature: plain SHA-256 over app_id + raw body + timestamp + OA secret key."""

from __future__ import annotations

import hashlib
import json

from connectors.zalo.signature import signature_for, signature_valid, timestamp_fresh
from tests.fakes.payloads import load

APP_ID = "360846524940903967"
SECRET = "oa-secret-key"


def test_known_vector_from_the_reference_payload() -> None:
    raw = json.dumps(load("zalo_user_send_text.json")).encode()
    stamp = "154390853474"
    expected = hashlib.sha256(f"{APP_ID}".encode() + raw + stamp.encode() + SECRET.encode())
    assert signature_for(APP_ID, raw, stamp, SECRET) == f"mac={expected.hexdigest()}"


def test_valid_signature_and_each_way_to_break_it() -> None:
    raw = b'{"event_name":"user_send_text","timestamp":"1700000000000"}'
    header = signature_for(APP_ID, raw, "1700000000000", SECRET)
    assert signature_valid(header, APP_ID, raw, "1700000000000", SECRET)
    assert signature_valid(
        header.upper().replace("MAC=", "mac="), APP_ID, raw, "1700000000000", SECRET
    )
    assert not signature_valid(None, APP_ID, raw, "1700000000000", SECRET)
    assert not signature_valid("", APP_ID, raw, "1700000000000", SECRET)
    assert not signature_valid(header[4:], APP_ID, raw, "1700000000000", SECRET)  # no "mac="
    assert not signature_valid(header, APP_ID, raw + b" ", "1700000000000", SECRET)
    assert not signature_valid(header, APP_ID, raw, "1700000000001", SECRET)
    assert not signature_valid(header, "other-app", raw, "1700000000000", SECRET)
    assert not signature_valid(header, APP_ID, raw, "1700000000000", "other-secret")
    assert not signature_valid("mac=đ", APP_ID, raw, "1700000000000", SECRET)


def test_hmac_of_the_body_is_not_accepted() -> None:
    import hmac

    raw = b'{"a":1}'
    wrong = "mac=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert not signature_valid(wrong, APP_ID, raw, "1", SECRET)


def test_freshness() -> None:
    now = 1_700_000_000.0
    assert timestamp_fresh("1700000000000", now, 300)
    assert timestamp_fresh(str(int((now - 299) * 1000)), now, 300)
    assert not timestamp_fresh(str(int((now - 301) * 1000)), now, 300)
    assert not timestamp_fresh(str(int((now + 301) * 1000)), now, 300)
    assert not timestamp_fresh("154390853474", now, 300)  # the docs' example: 1974
    assert not timestamp_fresh("", now, 300)
    assert not timestamp_fresh("-5", now, 300)
    assert not timestamp_fresh("1e12", now, 300)
