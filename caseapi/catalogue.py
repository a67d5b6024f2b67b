"""The procedure catalogue: loading, checking and summarising records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseapi import search

DATA_DIR = Path(__file__).with_name("data")
PROCEDURES_FILE = DATA_DIR / "procedures.json"

REQUIRED_KEYS = (
    "code",
    "national_code",
    "name",
    "aliases",
    "keywords",
    "field",
    "agency",
    "level",
    "submission_modes",
    "fully_online",
    "processing_time",
    "fee",
    "components",
    "legal_basis",
    "result",
    "source",
    "updated",
    "notes",
)
SUMMARY_KEYS = ("code", "name", "field", "agency", "level", "fully_online")

Procedure = dict[str, Any]


class CatalogueError(ValueError):
    """The catalogue file breaks the record schema."""


def check_procedure(p: Procedure) -> None:
    """Raise CatalogueError if ``p`` is not a well-formed record."""
    code = p.get("code", "?")
    missing = [k for k in REQUIRED_KEYS if k not in p]
    if missing:
        raise CatalogueError(f"{code}: missing {missing}")
    if p["level"] not in ("central", "provincial"):
        raise CatalogueError(f"{code}: bad level")
    if not set(p["submission_modes"]) <= {"counter", "post", "online"}:
        raise CatalogueError(f"{code}: bad submission_modes")
    pt = p["processing_time"]
    if (pt["days"] is None) != (pt["day_kind"] is None):
        raise CatalogueError(f"{code}: days and day_kind must be both set or both null")
    if pt["day_kind"] not in (None, "working", "calendar"):
        raise CatalogueError(f"{code}: bad day_kind")
    for item in p["fee"]["items"]:
        if item["amount_vnd"] is not None and not isinstance(item["amount_vnd"], int):
            raise CatalogueError(f"{code}: fee amount must be int or null")
    for c in p["components"]:
        if c["original"] not in ("original", "copy", "certified_copy"):
            raise CatalogueError(f"{code}: bad component original flag")
        if not c["required"] and not c["condition"]:
            raise CatalogueError(f"{code}: optional component without condition")


def load_file(path: Path = PROCEDURES_FILE) -> tuple[list[Procedure], str]:
    """Records of the catalogue file and the file's SHA-256."""
    raw = path.read_bytes()
    records = json.loads(raw)
    if not isinstance(records, list):
        raise CatalogueError("catalogue must be a JSON list")
    seen: set[str] = set()
    for p in records:
        check_procedure(p)
        if p["code"] in seen:
            raise CatalogueError(f"duplicate code {p['code']}")
        seen.add(p["code"])
    return records, hashlib.sha256(raw).hexdigest()


def summary(p: Procedure, score: int | None = None) -> dict[str, Any]:
    """The short form used in lists."""
    out = {k: p[k] for k in SUMMARY_KEYS}
    if score is not None:
        out["score"] = score
    return out


@dataclass
class Catalogue:
    """In-memory catalogue with its search index."""

    procedures: list[Procedure]
    _by_code: dict[str, Procedure] = field(init=False, repr=False)
    _index: search.Index = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.procedures = sorted(self.procedures, key=lambda p: str(p["code"]))
        self._by_code = {p["code"].upper(): p for p in self.procedures}
        self._index = search.Index(
            [
                search.build_entry(p["code"], p["name"], p["aliases"], p["keywords"])
                for p in self.procedures
            ]
        )

    def get(self, code: str) -> Procedure | None:
        """The record for ``code`` (case-insensitive) or None."""
        return self._by_code.get(code.strip().upper())

    def find(
        self, q: str | None = None, field_name: str | None = None
    ) -> list[tuple[Procedure, int | None]]:
        """Records matching the query and field filter, best first."""
        wanted_field = search.fold(field_name) if field_name else None

        def in_field(p: Procedure) -> bool:
            return wanted_field is None or wanted_field in search.fold(p["field"])

        if not q or not q.strip():
            return [(p, None) for p in self.procedures if in_field(p)]
        hits = self._index.search(q)
        found = [(self._by_code[c.upper()], s) for c, s in hits]
        return [(p, s) for p, s in found if in_field(p)]
