"""The gateway process itself: fast acknowledgements, an apology when Rasa is down, and logs
without secrets."""

from __future__ import annotations

import time

import pytest

from stack.processes import free_port
from tests.fakes.gateway import TELEGRAM_SECRET, TELEGRAM_TOKEN, Gateway, start_gateway
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.integration.channels.conftest import TelegramCitizen, ZaloCitizen

pytestmark = pytest.mark.integration


def test_health(gateway: Gateway) -> None:
    body = gateway.http.get("/health").json()
    assert body["status"] == "ok" and body["store"] == "ok"
    assert body["channels"] == {"telegram": "ready", "zalo": "ready"}


def test_webhooks_are_acknowledged_well_within_a_second(
    gateway: Gateway, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> None:
    telegram, zalo = TelegramCitizen(gateway, fake_telegram), ZaloCitizen(gateway, fake_zalo)
    for _ in range(5):
        started = time.perf_counter()
        assert telegram.post(telegram.update("thủ tục đăng ký nhãn hiệu")).status_code == 200
        assert zalo.post(zalo.event("thủ tục đăng ký nhãn hiệu")).status_code == 200
        assert time.perf_counter() - started < 1.0
    fake_telegram.wait_sent(telegram.user_id, 5, timeout_s=60)
    fake_zalo.wait_delivered(zalo.user_id, 5, timeout_s=60)


def test_rasa_down_gives_an_apology_not_silence(
    channel_env: dict[str, str],
    fake_telegram: FakeTelegram,
    fake_zalo: FakeZalo,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    env = {**channel_env, "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_READ_TIMEOUT": "2"}
    broken = start_gateway("gateway-no-rasa", env, tmp_path_factory.mktemp("gateway-4-logs"))
    try:
        telegram, zalo = TelegramCitizen(broken, fake_telegram), ZaloCitizen(broken, fake_zalo)
        assert "Xin lỗi" in telegram.say("xin chào")
        assert "Xin lỗi" in zalo.say("xin chào")
    finally:
        broken.stop()


def test_logs_hold_no_secret_and_no_phone_number(
    gateway: Gateway, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> None:
    telegram = TelegramCitizen(gateway, fake_telegram)
    telegram.say("số điện thoại của tôi là 0912345678")
    log = gateway.log()
    assert "gateway ready" in log
    for secret in (
        TELEGRAM_TOKEN,
        TELEGRAM_TOKEN.split(":")[1],
        TELEGRAM_SECRET,
        fake_zalo.app_secret,
        fake_zalo.oa_secret_key,
        fake_zalo.access_token,
        fake_zalo.refresh_token,
        "0912345678",
    ):
        assert secret not in log
