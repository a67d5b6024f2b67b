"""A thread-safe list of what a fake received, with waits for tests and benchmarks."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    # Whom the call concerns (chat id, Zalo user id): indexed, so waits stay cheap.
    key: str | None = None
    at: float = field(default_factory=time.perf_counter)


class Recorder:
    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._by_key: dict[str, list[Call]] = {}
        self._listeners: list[Callable[[Call], None]] = []
        self._changed = threading.Condition()

    def add(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            if call.key is not None:
                self._by_key.setdefault(call.key, []).append(call)
            self._changed.notify_all()
            listeners = list(self._listeners)
        for listener in listeners:
            listener(call)

    def listen(self, listener: Callable[[Call], None]) -> None:
        """Called (in the fake's thread) for every new call: lets asyncio code wait without
        polling, e.g. through loop.call_soon_threadsafe."""
        with self._changed:
            self._listeners.append(listener)

    def all(self, predicate: Callable[[Call], bool] = lambda _: True) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if predicate(c)]

    def for_key(self, key: str) -> list[Call]:
        with self._changed:
            return list(self._by_key.get(key, ()))

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()
            self._by_key.clear()

    def wait(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout_s: float = 20.0
    ) -> list[Call]:
        """Blocks until `count` matching calls arrived; raises TimeoutError with what did."""
        with self._changed:
            ok = self._changed.wait_for(
                lambda: sum(1 for c in self._calls if predicate(c)) >= count, timeout_s
            )
            found = [c for c in self._calls if predicate(c)]
        if not ok:
            raise TimeoutError(f"expected {count} matching calls, got {len(found)}: {found}")
        return found

    async def wait_async(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout_s: float = 20.0
    ) -> list[Call]:
        """The same for asyncio code: polls, so it never blocks the event loop."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = self.all(predicate)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} matching calls, got {len(found)}")
            await asyncio.sleep(0.005)
