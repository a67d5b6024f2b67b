"""Zalo's free-reply window: up to 8 replies within 48 hours of the user's last message.

A reply outside the window would be refused (or billed); it is not sent blind but handed to
staff. The counter lives in Redis with the window's TTL, so every process and a restarted
gateway see the same remaining budget.
"""

from __future__ import annotations

from connectors.gateway.state import PREFIX, Store


class ReplyWindow:
    def __init__(self, store: Store, window_s: float, max_replies: int) -> None:
        self._store = store
        self._window_s = window_s
        self._max_replies = max_replies

    @staticmethod
    def _key(user_id: str) -> str:
        return f"{PREFIX}zalo:window:{user_id}"

    async def open(self, user_id: str) -> None:
        """The user wrote (or followed): a fresh window and a fresh budget."""
        await self._store.set(self._key(user_id), "0", ttl_s=self._window_s)

    async def take(self, user_id: str) -> bool:
        """Spends one reply of the budget; False if the window is closed or used up."""
        used = await self._store.incr_if_exists(self._key(user_id))
        return used is not None and used <= self._max_replies
