"""Zalo's free-reply window: up to 8 replies within 48 hours of the user's last message.

A reply outside the window would be refused (or billed); it is not sent blind but handed to
staff. The counter lives in Redis with the window's TTL, so every process and a restarted
gateway see the same remaining budget.
"""

from __future__ import annotations

import logging

from connectors.gateway.state import PREFIX, Store

log = logging.getLogger(__name__)


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
        """Spends one reply of the budget; False if the window is closed or used up.

        With the store unreachable (Redis restarting) the reply is sent: the user has just
        written, so the window is open, and Zalo refuses a send outside it, which then goes
        to staff. Dropping the answer instead lost replies in the reliability run.
        """
        try:
            used = await self._store.incr_if_exists(self._key(user_id))
        except Exception as err:  # any store failure: the answer must not be lost
            log.warning("reply window unknown (%s): sending", type(err).__name__)
            return True
        return used is not None and used <= self._max_replies
