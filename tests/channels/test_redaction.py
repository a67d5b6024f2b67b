"""Secrets, phone numbers and ID numbers never reach the log output."""

from __future__ import annotations

import io
import logging

from connectors.gateway.redaction import RedactingFilter, redact

TOKEN = "7000000001:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


def test_configured_secrets_and_token_shapes_are_masked() -> None:
    text = f"POST https://api.telegram.org/bot{TOKEN}/sendMessage secret=s3cr3t-value"
    masked = redact(text, ["s3cr3t-value"])
    assert TOKEN not in masked and "s3cr3t-value" not in masked
    assert redact("bot123456:" + "x" * 35, []) == "bot***"


def test_phone_and_id_numbers_are_masked_but_ids_and_codes_kept() -> None:
    text = (
        "sdt 0912345678, +84 912 345 678, 84912345678; CCCD 001099012345; CMND 123456789; "
        "telegram:123456789 zalo:246845883529197922 mã 000.00.17.G17-241219-0001 ts 1708905600000"
    )
    masked = redact(text, [])
    for secret in ("0912345678", "912 345 678", "84912345678", "001099012345", "123456789;"):
        assert secret not in masked
    for kept in (
        "telegram:123456789",
        "zalo:246845883529197922",
        "000.00.17.G17-241219-0001",
        "1708905600000",
    ):
        assert kept in masked


def test_access_tokens_in_headers_or_forms_are_masked() -> None:
    masked = redact("headers {'access_token': 'abc.def'} body refresh_token=xyz&app_id=1", [])
    assert "abc.def" not in masked and "xyz" not in masked and "app_id=1" in masked


def test_filter_masks_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(["topsecret"]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("user phone %s token %s", "0987654321", "topsecret")
        try:
            raise RuntimeError("failed with topsecret")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "0987654321" not in output and "topsecret" not in output
    assert "RuntimeError" in output
