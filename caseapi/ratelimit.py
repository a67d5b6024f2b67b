"""Counting wrong phone digits per tracking code.

Four digits are only 10,000 guesses: after ``max_failures`` wrong answers within
``window`` seconds a code is locked for the rest of the window. In memory only,
so a restart forgets it; that is acceptable for a reference implementation.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_TRACKED_CODES = 10_000


class FailureLimiter:
    """Sliding-window failure counter keyed by tracking code."""

    def __init__(
        self,
        max_failures: int = 10,
        window: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
        return stamps

    def blocked(self, key: str) -> bool:
        """True while ``key`` has used up its failures."""
        return len(self._recent(key)) >= self.max_failures

    def retry_after(self, key: str) -> int:
        """Seconds until the oldest counted failure expires."""
        stamps = self._recent(key)
        if not stamps:
            return 0
        return max(1, int(self.window - (self._clock() - stamps[0])) + 1)

    def record_failure(self, key: str) -> None:
        stamps = self._recent(key)
        stamps.append(self._clock())
        self._failures[key] = stamps
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_TRACKED_CODES:
            self._failures.popitem(last=False)
