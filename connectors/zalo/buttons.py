"""Which Rasa payload a tapped Zalo button stands for.

A `oa.query.show` button makes the citizen send its payload as an ordinary text message,
shown in the chat. The payload is therefore the button's readable title, and the gateway
remembers, per user, which Rasa payload each offered title stands for.
"""

from __future__ import annotations

import json
import unicodedata

from connectors.gateway.replies import Button
from connectors.gateway.state import PREFIX, Store


def normalized(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


class ButtonMemory:
    def __init__(self, store: Store, ttl_s: float) -> None:
        self._store = store
        self._ttl_s = ttl_s

    @staticmethod
    def _key(user_id: str) -> str:
        return f"{PREFIX}zalo:buttons:{user_id}"

    async def remember(self, user_id: str, buttons: list[tuple[str, Button]]) -> None:
        """(shown title, button) pairs offered in one turn; replaces the previous offer."""
        mapping = {normalized(title): button.payload for title, button in buttons}
        await self._store.set(self._key(user_id), json.dumps(mapping), ttl_s=self._ttl_s)

    async def resolve(self, user_id: str, text: str) -> str | None:
        raw = await self._store.get(self._key(user_id))
        if raw is None:
            return None
        payload = json.loads(raw).get(normalized(text))
        return payload if isinstance(payload, str) else None

    async def forget(self, user_id: str) -> None:
        await self._store.delete(self._key(user_id))
