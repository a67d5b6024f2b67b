"""Submissions the outbox worker handed to staff (the Redis list `staff:handover`, written by
connectors/outbox.py): listed for staff with the applicant masked, each one's conversation
put in the staff queue once, and marked handled by an agent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from connectors.console.handover import CONV, VERSION, Handover
from connectors.outbox import STAFF_KEY

SEEN = "console:handover:seen"
HANDLED = "console:handover:handled"
LIST_MAX = 200


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': enough to greet the caller, not to identify them."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0] + "." for w in words[1:])])


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    return "•" * max(0, len(digits) - 3) + "".join(digits[-3:]) if digits else ""


def view(record: dict[str, Any], handled: dict[str, Any] | None) -> dict[str, Any]:
    """What staff see of one handed-over job: never its ID number, address or e-mail."""
    job = record.get("job") or {}
    payload = job.get("payload") or {}
    applicant = payload.get("applicant") or {}
    return {
        "id": str(job.get("id", "")),
        "conversation": str(job.get("sender_id", "")),
        "procedure_code": payload.get("procedure_code"),
        "procedure_name": job.get("procedure_name") or "",
        "created_at": job.get("created_at"),
        "attempts": job.get("attempts"),
        "reason": record.get("reason", ""),
        "applicant": mask_name(str(applicant.get("full_name") or "")),
        "phone": mask_phone(str(applicant.get("phone") or "")),
        "handled_by": (handled or {}).get("by"),
        "handled_at": (handled or {}).get("at"),
    }


class HandedSubmissions:
    def __init__(
        self, redis: aioredis.Redis, handover: Handover, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = redis
        self._handover = handover
        self._clock = clock

    async def _records(self) -> list[dict[str, Any]]:
        raws = await self._redis.lrange(STAFF_KEY, -LIST_MAX, -1)
        records = []
        for raw in raws:
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("kind") == "submission":
                records.append(record)
        return records

    async def sync(self) -> int:
        """Puts the conversation of every newly handed submission in the staff queue, once
        (SADD decides, so several gateway processes do it once between them)."""
        if await self._redis.llen(STAFF_KEY) == await self._redis.scard(SEEN):
            return 0
        added = 0
        for record in await self._records():
            job = record.get("job") or {}
            job_id, cid = str(job.get("id", "")), str(job.get("sender_id", ""))
            if not job_id or not await self._redis.sadd(SEEN, job_id):
                continue
            added += 1
            if ":" in cid:
                channel, user_id = cid.split(":", 1)
                await self._redis.hsetnx(CONV + cid, "channel", channel)
                await self._redis.hsetnx(CONV + cid, "user_id", user_id)
                await self._redis.hsetnx(CONV + cid, "state", "bot")
                await self._handover.enqueue(cid)
                name = job.get("procedure_name") or ""
                await self._handover.note(cid, f"[Hồ sơ chuyển cán bộ] {name}")
        return added

    async def items(self) -> list[dict[str, Any]]:
        handled = await self._redis.hgetall(HANDLED)
        views = []
        for record in await self._records():
            job_id = str((record.get("job") or {}).get("id", ""))
            views.append(view(record, json.loads(handled[job_id]) if job_id in handled else None))
        # Not yet handled first, oldest first: they have waited longest.
        return sorted(views, key=lambda v: (v["handled_by"] is not None, v["created_at"] or 0))

    async def mark_handled(self, job_id: str, staff: str) -> bool:
        if job_id not in {v["id"] for v in await self.items()}:
            return False
        entry = json.dumps({"by": staff, "at": self._clock()})
        await self._redis.hset(HANDLED, job_id, entry)
        await self._redis.incr(VERSION)
        return True
