"""SQLite storage: catalogue copy, applications, history, idempotency keys, audit log.

One connection guarded by a lock serialises this process's access; every write
runs in ``BEGIN IMMEDIATE`` so that two processes sharing the file cannot
allocate the same daily sequence number or replay an idempotency key twice.
Methods are blocking; the web layer calls them in a worker thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseapi import stages, tracking
from caseapi.validation import NewApplication

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS procedures (
    code TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS applications (
    tracking_code TEXT PRIMARY KEY,
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    agency TEXT NOT NULL,
    level TEXT NOT NULL,
    stage TEXT NOT NULL,
    received_at TEXT NOT NULL,
    deadline TEXT,
    phone_last4 TEXT NOT NULL,
    applicant TEXT NOT NULL,
    delivery_method TEXT NOT NULL,
    delivery_address TEXT,
    documents TEXT NOT NULL,
    channel TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_phone ON applications (phone_last4);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_code TEXT NOT NULL REFERENCES applications (tracking_code),
    stage TEXT NOT NULL,
    at TEXT NOT NULL,
    unit TEXT NOT NULL,
    note TEXT,
    actor TEXT
);
CREATE INDEX IF NOT EXISTS history_code ON history (tracking_code, id);
CREATE TABLE IF NOT EXISTS daily_sequence (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_code, day)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    tracking_code TEXT NOT NULL REFERENCES applications (tracking_code),
    response TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    action TEXT NOT NULL,
    tracking_code TEXT NOT NULL
);
"""


class IdempotencyConflict(Exception):
    """The key was already used with a different request body."""


class NotFound(Exception):
    """No application has this tracking code."""


class TransitionNotAllowed(Exception):
    """The stage graph does not allow this move."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


@dataclass(frozen=True)
class Created:
    """Outcome of ``create_application``: the response body and whether it is a replay."""

    body: dict[str, Any]
    replayed: bool


@dataclass(frozen=True)
class HistoryEntry:
    """A stage change to record (used by seeding)."""

    stage: str
    at: datetime
    note: str | None
    actor: str | None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Storage:
    """All persistent state of the reference API."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=15.0
        )
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=15000")
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- meta and catalogue -------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def replace_catalogue(self, records: list[dict[str, Any]], digest: str) -> None:
        """Store the catalogue file's records (once per file version)."""
        with self._write() as db:
            db.execute("DELETE FROM procedures")
            db.executemany(
                "INSERT INTO procedures (code, data) VALUES (?, ?)",
                [(p["code"], json.dumps(p, ensure_ascii=False)) for p in records],
            )
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('catalogue_sha256', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (digest,),
            )

    def load_catalogue(self) -> list[dict[str, Any]]:
        return [json.loads(r["data"]) for r in self._read("SELECT data FROM procedures")]

    # -- applications -------------------------------------------------------

    @staticmethod
    def _next_sequence(db: sqlite3.Connection, unit_code: str, day: date) -> int:
        key = day.isoformat()
        row = db.execute(
            "SELECT last FROM daily_sequence WHERE unit_code = ? AND day = ?", (unit_code, key)
        ).fetchone()
        seq = (row["last"] if row else 0) + 1
        if seq > tracking.MAX_SEQUENCE:
            raise tracking.SequenceExhausted(f"{unit_code} {key}")
        db.execute(
            "INSERT INTO daily_sequence (unit_code, day, last) VALUES (?, ?, ?) "
            "ON CONFLICT (unit_code, day) DO UPDATE SET last = excluded.last",
            (unit_code, key, seq),
        )
        return seq

    @staticmethod
    def _insert(
        db: sqlite3.Connection,
        code: str,
        app: NewApplication,
        procedure: dict[str, Any],
        received_at: datetime,
        deadline: date | None,
    ) -> None:
        db.execute(
            "INSERT INTO applications (tracking_code, procedure_code, procedure_name, agency,"
            " level, stage, received_at, deadline, phone_last4, applicant, delivery_method,"
            " delivery_address, documents, channel, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                procedure["code"],
                procedure["name"],
                procedure["agency"],
                procedure["level"],
                stages.RECEIVED,
                _iso(received_at),
                deadline.isoformat() if deadline else None,
                app.phone[-4:],
                json.dumps(app.applicant_dict(), ensure_ascii=False),
                app.delivery_method,
                app.address,
                json.dumps([d.__dict__ for d in app.documents], ensure_ascii=False),
                app.channel,
                _iso(received_at),
            ),
        )
        unit = stages.responsible_unit(stages.RECEIVED, procedure["agency"], procedure["level"])
        db.execute(
            "INSERT INTO history (tracking_code, stage, at, unit, note, actor)"
            " VALUES (?, ?, ?, ?, NULL, NULL)",
            (code, stages.RECEIVED, _iso(received_at), unit),
        )

    def create_application(
        self,
        app: NewApplication,
        procedure: dict[str, Any],
        unit_code: str,
        received_at: datetime,
        deadline: date | None,
        idempotency_key: str | None = None,
        request_hash: str = "",
    ) -> Created:
        """Store a new file with the next code of the day, or replay a known key."""
        with self._write() as db:
            if idempotency_key is not None:
                row = db.execute(
                    "SELECT request_hash, response FROM idempotency_keys WHERE key = ?",
                    (idempotency_key,),
                ).fetchone()
                if row is not None:
                    if row["request_hash"] != request_hash:
                        raise IdempotencyConflict(idempotency_key)
                    return Created(json.loads(row["response"]), replayed=True)
            seq = self._next_sequence(db, unit_code, received_at.date())
            code = tracking.format_tracking_code(unit_code, received_at.date(), seq)
            self._insert(db, code, app, procedure, received_at, deadline)
            body = {
                "tracking_code": code,
                "procedure_code": procedure["code"],
                "stage": stages.RECEIVED,
                "received_at": _iso(received_at),
                "deadline": deadline.isoformat() if deadline else None,
            }
            if idempotency_key is not None:
                db.execute(
                    "INSERT INTO idempotency_keys (key, request_hash, tracking_code, response,"
                    " created_at) VALUES (?, ?, ?, ?, ?)",
                    (idempotency_key, request_hash, code, json.dumps(body), _iso(received_at)),
                )
            return Created(body, replayed=False)

    def seed_application(
        self,
        code: str,
        app: NewApplication,
        procedure: dict[str, Any],
        received_at: datetime,
        deadline: date | None,
        history: list[HistoryEntry],
    ) -> None:
        """Insert a demo file with a fixed code and its past stage changes."""
        parsed = tracking.parse_tracking_code(code)
        if parsed is None:
            raise ValueError(f"bad demo tracking code {code!r}")
        with self._write() as db:
            self._insert(db, code, app, procedure, received_at, deadline)
            for h in history:
                self._record_stage(db, code, procedure["agency"], procedure["level"], h)
            # Keep new codes of that unit and day from colliding with the demo code.
            db.execute(
                "INSERT INTO daily_sequence (unit_code, day, last) VALUES (?, ?, ?) "
                "ON CONFLICT (unit_code, day) DO UPDATE SET last = MAX(last, excluded.last)",
                (parsed.unit_code, parsed.day.isoformat(), parsed.sequence),
            )

    @staticmethod
    def _record_stage(
        db: sqlite3.Connection, code: str, agency: str, level: str, h: HistoryEntry
    ) -> None:
        unit = stages.responsible_unit(h.stage, agency, level)
        db.execute(
            "INSERT INTO history (tracking_code, stage, at, unit, note, actor)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code, h.stage, _iso(h.at), unit, h.note, h.actor),
        )
        db.execute(
            "UPDATE applications SET stage = ?, updated_at = ? WHERE tracking_code = ?",
            (h.stage, _iso(h.at), code),
        )

    def get_application(self, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The stored row and its history (oldest first), or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM applications WHERE tracking_code = ?", (code,)
            ).fetchone()
            if row is None:
                return None
            history = self._conn.execute(
                "SELECT stage, at, unit, note FROM history WHERE tracking_code = ? ORDER BY id",
                (code,),
            ).fetchall()
        return dict(row), [dict(h) for h in history]

    def find_by_suffix(
        self, suffix: str, phone_last4: str, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Files whose code ends with ``suffix`` and whose phone ends with the digits."""
        escaped = suffix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._read(
            "SELECT tracking_code, procedure_name, stage FROM applications"
            " WHERE phone_last4 = ? AND tracking_code LIKE ? ESCAPE '\\'"
            " ORDER BY received_at DESC LIMIT ?",
            (phone_last4, "%" + escaped, limit),
        )
        return [dict(r) for r in rows]

    def transition(
        self, code: str, target: str, note: str | None, actor: str, at: datetime
    ) -> None:
        """Move a file to ``target`` if the stage graph allows it."""
        with self._write() as db:
            row = db.execute(
                "SELECT stage, agency, level FROM applications WHERE tracking_code = ?", (code,)
            ).fetchone()
            if row is None:
                raise NotFound(code)
            if not stages.can_transition(row["stage"], target):
                raise TransitionNotAllowed(row["stage"], target)
            self._record_stage(
                db, code, row["agency"], row["level"], HistoryEntry(target, at, note, actor)
            )
            db.execute(
                "INSERT INTO audit_log (at, staff_id, action, tracking_code) VALUES (?, ?, ?, ?)",
                (_iso(at), actor, f"transition:{target}", code),
            )

    def count_applications(self) -> int:
        return int(self._read("SELECT COUNT(*) AS n FROM applications")[0]["n"])

    # -- audit --------------------------------------------------------------

    def add_audit(self, staff_id: str, action: str, code: str, at: datetime) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO audit_log (at, staff_id, action, tracking_code) VALUES (?, ?, ?, ?)",
                (_iso(at), staff_id, action, code),
            )

    def list_audit(self, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        """Newest entries first, and the total count."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, at, staff_id, action, tracking_code FROM audit_log"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
            total = self._conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        return [dict(r) for r in rows], int(total)
