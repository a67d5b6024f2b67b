"""Staff passwords hashed with scrypt (memory-hard, in the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# 2**14 x 8 x 128 B = 16 MiB per hash, ~50 ms here: slow for a guesser, fine for a sign-in.
N, R, P = 2**14, 8, 1
KEY_BYTES = 32
SALT_BYTES = 16
MAX_PASSWORD_CHARS = 1024
MIN_PASSWORD_CHARS = 10


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=64 * 2**20
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$key`: the parameters travel with the hash so they can be raised."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# Hashed once on first use: verifying against it keeps an unknown user's sign-in as slow as a
# known one's, so timing does not reveal which usernames exist.
_dummy: list[str] = []


def burn_time(password: str) -> None:
    if not _dummy:
        _dummy.append(hash_password(secrets.token_urlsafe(16)))
    verify_password(password, _dummy[0])
