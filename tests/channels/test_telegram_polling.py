"""Polling mode (only TELEGRAM_BOT_TOKEN set, for local development) against the fake API."""

from __future__ import annotations

import json

import httpx

from connectors.gateway.app import create_app
from connectors.settings import GatewaySettings, Settings, TelegramSettings
from connectors.telegram.compat import fill_required_fields
from tests.fakes.payloads import load
from tests.fakes.server import ThreadedServer
from tests.fakes.telegram import FakeTelegram

TOKEN = "7000000002:BBHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


def test_polling_mode_answers_updates_from_get_updates() -> None:
    telegram = FakeTelegram(TOKEN).start()
    rasa = httpx.MockTransport(
        lambda r: httpx.Response(
            200, json=[{"text": "Bạn nói: " + json.loads(r.content)["message"]}]
        )
    )
    settings = Settings(
        gateway=GatewaySettings(rasa_url="http://rasa.test"),
        telegram=TelegramSettings(
            bot_token=TOKEN, api_base_url=telegram.base_url, file_base_url=telegram.file_base_url
        ),
    )
    gateway = ThreadedServer(create_app(settings, rasa_transport=rasa), lifespan="on").start()
    try:
        update = load("telegram_text.json")
        update["message"]["text"] = "xin chào"
        telegram.push_update(update)
        [sent] = telegram.wait_sent(23, timeout_s=15)
        assert sent.params["text"] == "Bạn nói: xin chào"
        assert telegram.calls.all(lambda c: c.method == "getUpdates")
        assert httpx.post(f"{gateway.url}/webhooks/telegram", json=update).status_code == 404
    finally:
        gateway.stop()
        telegram.stop()


def test_simplified_payloads_get_the_fields_ptb_requires() -> None:
    filled = fill_required_fields(load("telegram_photo_caption_aiogram.json"))
    assert all(p["file_unique_id"] == p["file_id"] for p in filled["message"]["photo"])
    official = fill_required_fields(load("telegram_start_official_docs.json"))
    assert official["message"]["from"]["is_bot"] is False
    assert "is_bot" not in official["message"]["chat"]
    contact = fill_required_fields(load("telegram_contact_aiogram.json"))
    assert "is_bot" not in contact["message"]["contact"]
