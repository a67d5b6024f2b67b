"""The gateway as a real subprocess between the fake Telegram/Zalo servers and the real
stack (Rasa, action server, core API, redis-server) of tests/integration/conftest.py."""

from __future__ import annotations

import html
import itertools
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from stack.services import Stack
from tests.fakes.gateway import TELEGRAM_SECRET, TELEGRAM_TOKEN, Gateway, gateway_env, start_gateway
from tests.fakes.payloads import load
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.integration.conftest import Citizen

QUIET_S = 0.4  # a turn's replies are complete once nothing more arrives for this long


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TELEGRAM_TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def fake_zalo() -> Iterator[FakeZalo]:
    fake = FakeZalo(app_id="3608465249409039", refresh_delay_s=0.2).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def channel_env(
    stack: Stack,
    fake_telegram: FakeTelegram,
    fake_zalo: FakeZalo,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    assert stack.redis_url
    media = tmp_path_factory.mktemp("media")
    return gateway_env(stack.rasa_url, stack.redis_url, fake_telegram, fake_zalo, media)


@pytest.fixture(scope="session")
def voice_gateway(
    channel_env: dict[str, str], voice_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    """A gateway with voice on; the others run without, so only voice tests load Whisper."""
    # The fake Zalo CDN serves audio from 127.0.0.1, which production refuses to fetch.
    env = {**channel_env, "VOICE_URL": voice_url, "VOICE_ALLOW_PRIVATE_DOWNLOADS": "1"}
    running = start_gateway("gateway-voice", env, tmp_path_factory.mktemp("gateway-voice-logs"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def gateway(
    channel_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    running = start_gateway("gateway", channel_env, tmp_path_factory.mktemp("gateway-logs"))
    yield running
    running.stop()


_update_ids = itertools.count(900_000_000)
_users = itertools.count(610_000_000)
_msg_ids = itertools.count(1)


class TelegramCitizen:
    """One private chat with the bot, driven through the gateway's webhook."""

    def __init__(self, gateway: Gateway, fake: FakeTelegram, user_id: int | None = None) -> None:
        self.gateway, self.fake = gateway, fake
        self.user_id = user_id or next(_users)

    def update(
        self, text: str | None = None, template: str = "telegram_text.json"
    ) -> dict[str, Any]:
        update = load(template)
        update["update_id"] = next(_update_ids)
        message = update.get("message") or update["callback_query"]["message"]
        message["chat"]["id"] = self.user_id
        (update.get("callback_query") or message)["from"]["id"] = self.user_id
        if text is not None:
            message["text"] = text
        return update

    def post(self, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return self.gateway.http.post("/webhooks/telegram", json=update, headers=headers)

    def _wait_turn(self, before: int, timeout_s: float = 30.0) -> list[dict[str, Any]]:
        self.fake.wait_sent(self.user_id, before + 1, timeout_s)
        count = len(self.fake.sent_to(self.user_id))
        while True:
            time.sleep(QUIET_S)
            now = len(self.fake.sent_to(self.user_id))
            if now == count:
                return [c.params for c in self.fake.sent_to(self.user_id)[before:]]
            count = now

    def send(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        before = len(self.fake.sent_to(self.user_id))
        response = self.post(update)
        assert response.status_code == 200, response.text
        return self._wait_turn(before)

    def say(self, text: str) -> str:
        """The bot's answer as the citizen reads it (HTML entities unescaped)."""
        return "\n".join(html.unescape(p["text"]) for p in self.send(self.update(text)))

    def tap(self, callback_data: str) -> str:
        update = self.update(template="telegram_callback_query.json")
        update["callback_query"]["data"] = callback_data
        update["callback_query"]["id"] = str(next(_update_ids))
        return "\n".join(html.unescape(p["text"]) for p in self.send(update))


class ZaloCitizen:
    """One Zalo user writing to the OA, driven through signed webhook deliveries."""

    def __init__(self, gateway: Gateway, fake: FakeZalo, user_id: str | None = None) -> None:
        self.gateway, self.fake = gateway, fake
        self.user_id = user_id or f"54{next(_users)}{next(_users)}"

    def event(self, text: str) -> dict[str, Any]:
        event = load("zalo_user_send_text.json")
        event["sender"]["id"] = self.user_id
        event["message"] = {"text": text, "msg_id": f"it-{next(_msg_ids)}-{time.time_ns()}"}
        return event

    def post(self, event: dict[str, Any], **kwargs: Any) -> httpx.Response:
        body, headers = self.fake.signed(event, **kwargs)
        return self.gateway.http.post("/webhooks/zalo", content=body, headers=headers)

    def send(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        before = len(self.fake.delivered_to(self.user_id))
        response = self.post(event)
        assert response.status_code == 200, response.text
        self.fake.wait_delivered(self.user_id, before + 1, 30.0)
        count = len(self.fake.delivered_to(self.user_id))
        while True:
            time.sleep(QUIET_S)
            now = len(self.fake.delivered_to(self.user_id))
            if now == count:
                return [c.params["message"] for c in self.fake.delivered_to(self.user_id)[before:]]
            count = now

    def say(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.send(self.event(text)))


# Questions whose answer carries buttons: candidate procedures, then the document checklist's
# yes/no (whichever the current model and dialogue produce).
BUTTON_QUESTIONS = [
    "cho tôi hỏi về giấy phép",
    "kiểm tra giúp hồ sơ cấp mã số mã vạch của tôi đủ chưa",
]


def skip_unless_rest_has_buttons(stack: Stack, sent: object) -> None:
    """No buttons on the channel: a channel bug only if Rasa's REST channel offers them."""
    for question in BUTTON_QUESTIONS:
        rest = Citizen(stack.rasa_url)
        try:
            if any(r.get("buttons") for r in rest.say(question)):
                pytest.fail(f"REST offers buttons for {question!r}; the channel sent: {sent}")
        finally:
            rest.http.close()
    pytest.skip("the current model answers none of BUTTON_QUESTIONS with buttons")


def last_user_message(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """The latest user event of a conversation, from Rasa's tracker (internal API, token)."""
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.config.auth_token},
        timeout=10,
    )
    response.raise_for_status()
    users = [e for e in response.json()["events"] if e["event"] == "user"]
    assert users, f"no user message in {conversation_id}"
    event: dict[str, Any] = users[-1]
    return event
