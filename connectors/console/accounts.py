"""Staff accounts in SQLite (var/console.sqlite3): role, password hash and sign-in throttle."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from connectors.console.passwords import burn_time, hash_password, verify_password

ROLES = ("agent", "supervisor")
# Usable as the core API's X-Staff-Id as is.
USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,32}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
    password_hash TEXT NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
)
"""


class AccountExists(Exception):
    pass


class Outcome(Enum):
    OK = "ok"
    BAD = "bad"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    role: str | None = None


class Accounts:
    """Blocking calls (scrypt, SQLite): the web layer runs them in a worker thread."""

    def __init__(
        self,
        path: str,
        max_failures: int = 10,
        lockout_s: float = 900.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._path = path
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._clock = clock
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=5.0)

    def create(self, username: str, role: str, password: str) -> None:
        if not USERNAME_RE.match(username):
            raise ValueError("username: 3-32 of a-z 0-9 . _ -")
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        encoded = hash_password(password)
        try:
            with self._connect() as db:
                db.execute(
                    "INSERT INTO staff (username, role, password_hash, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (username, role, encoded, self._clock()),
                )
        except sqlite3.IntegrityError as err:
            raise AccountExists(username) from err

    def sign_in(self, username: str, password: str) -> SignIn:
        """Ten wrong passwords in a row lock the account for the lockout period; while locked
        not even the right password opens it, so guessing gains nothing."""
        now = self._clock()
        with self._connect() as db:
            row = db.execute(
                "SELECT role, password_hash, failed, locked_until FROM staff WHERE username = ?",
                (username,),
            ).fetchone()
        if row is None:
            burn_time(password)
            return SignIn(Outcome.BAD)
        role, encoded, failed, locked_until = row
        if locked_until > now:
            return SignIn(Outcome.LOCKED)
        if verify_password(password, encoded):
            with self._connect() as db:
                db.execute(
                    "UPDATE staff SET failed = 0, locked_until = 0 WHERE username = ?", (username,)
                )
            return SignIn(Outcome.OK, role)
        failed += 1
        locked = failed >= self._max_failures
        with self._connect() as db:
            db.execute(
                "UPDATE staff SET failed = ?, locked_until = ? WHERE username = ?",
                (0 if locked else failed, now + self._lockout_s if locked else 0, username),
            )
        return SignIn(Outcome.LOCKED if locked else Outcome.BAD)
