"""Starting the real gateway process against the fakes, for the integration tests and the
benchmark alike."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from stack.processes import ManagedProcess, StartupError, free_port
from stack.services import ROOT
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

TELEGRAM_TOKEN = "7000000001:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
TELEGRAM_SECRET = "integration-webhook-secret"


@dataclass
class Gateway:
    url: str
    process: ManagedProcess
    http: httpx.Client

    def log(self) -> str:
        return self.process.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.http.close()
        self.process.stop()


IN_HOURS = "2026-12-07T10:00:00+07:00"


def gateway_env(
    rasa_url: str, redis_url: str, telegram: FakeTelegram, zalo: FakeZalo, media: Path
) -> dict[str, str]:
    return {
        "PYTHONPATH": str(ROOT),
        "RASA_URL": rasa_url,
        "REDIS_URL": redis_url,
        "GATEWAY_MEDIA_DIR": str(media),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "TELEGRAM_FILE_BASE_URL": telegram.file_base_url,
        "ZALO_APP_ID": zalo.app_id,
        "ZALO_OA_SECRET_KEY": zalo.oa_secret_key,
        "ZALO_APP_SECRET": zalo.app_secret,
        "ZALO_ACCESS_TOKEN": zalo.access_token,
        "ZALO_REFRESH_TOKEN": zalo.refresh_token,
        "ZALO_API_BASE_URL": zalo.url,
        "ZALO_OAUTH_URL": zalo.oauth_url,
        # A Monday morning for the console's working-hours calendar, so what a citizen who
        # asks for a person is told does not depend on when the suite runs.
        "CONSOLE_NOW": IN_HOURS,
    }


def start_gateway(name: str, env: dict[str, str], logs: Path, timeout_s: float = 60) -> Gateway:
    """`python -m connectors.gateway` on a free port; returns once both channels are ready."""
    port = free_port()
    process = ManagedProcess(
        name,
        [sys.executable, "-m", "connectors.gateway", "--port", str(port)],
        logs / f"{name}.log",
        env=env,
        cwd=ROOT,
    )
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_http(f"{url}/health", timeout_s)
        http = httpx.Client(base_url=url, timeout=10.0)
        deadline = time.monotonic() + timeout_s
        while http.get("/health").json().get("channels", {}).get("telegram") != "ready":
            if time.monotonic() > deadline:
                raise StartupError(f"{name}: Telegram never ready\n{process.log_tail()}")
            time.sleep(0.1)
    except BaseException:
        process.stop()
        raise
    return Gateway(url, process, http)
