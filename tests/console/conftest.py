"""A throwaway redis-server and a console app on it, with Rasa and the core API faked through
httpx.MockTransport; deliveries to non-Telegram/Zalo channels land on Redis lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import redis
import yaml
from starlette.applications import Starlette
from starlette.testclient import TestClient

from caseapi.catalogue import load_file, summary
from connectors.console.service import Console
from connectors.console.web import console_routes
from connectors.console.webchat import webchat_routes
from connectors.gateway.assistant import Assistant
from connectors.gateway.inbound import Inbound
from connectors.gateway.rasa_client import RasaClient
from connectors.settings import ConsoleSettings, Settings
from stack.services import ROOT

PASSWORD = "mat-khau-rat-dai-123"
# A Monday at 10:00 in Hanoi: inside working hours, so the queue answers with a place.
IN_HOURS = datetime(2026, 12, 7, 10, 0, tzinfo=timezone(timedelta(hours=7)))


# Rasa's domain as `GET /domain` serves it: the real domain files, merged.
DOMAIN: dict[str, Any] = {"intents": [], "responses": {}}
for _file in sorted((ROOT / "bot" / "domain").glob("*.yml")):
    _part = yaml.safe_load(_file.read_text(encoding="utf-8")) or {}
    DOMAIN["intents"] += _part.get("intents", [])
    DOMAIN["responses"].update(_part.get("responses", {}))
PROCEDURES, _ = load_file()


@dataclass
class Fakes:
    rasa_events: list[tuple[str, str]] = field(default_factory=list)
    staff_reads: list[tuple[str, str]] = field(default_factory=list)
    # What the fake tracker says Rasa understood of each conversation's latest message.
    latest: dict[str, dict[str, Any]] = field(default_factory=dict)
    rasa_down: bool = False
    rest_turns: list[tuple[str, str]] = field(default_factory=list)

    def rasa(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/webhooks/rest/webhook":  # the gateway's turn (no token)
            return self.rest(json.loads(request.content))
        assert request.url.params.get("token") == "rasa-token"
        if self.rasa_down:
            return httpx.Response(503)
        if request.url.path == "/domain":
            assert request.headers["accept"] == "application/json"
            return httpx.Response(200, json=DOMAIN)
        # The raw path: Rasa does not decode %3A, so "web%3A42" would be another conversation.
        cid = request.url.raw_path.decode().split("?")[0].split("/")[2]
        if request.method == "GET":
            assert request.url.params["include_events"] == "NONE"
            return httpx.Response(200, json={"latest_message": self.latest.get(cid)})
        self.rasa_events.append((cid, json.loads(request.content)["event"]))
        return httpx.Response(200, json={"events": []})

    def rest(self, body: dict[str, Any]) -> httpx.Response:
        self.rest_turns.append((body["sender"], body["message"]))
        if body["message"] == "chọn thủ tục":
            buttons = [{"title": "Đăng ký nhãn hiệu", "payload": '/inform{"procedure":"x"}'}]
            return httpx.Response(200, json=[{"text": "Bạn chọn thủ tục nào?",
                                              "buttons": buttons}])
        return httpx.Response(200, json=[{"text": "Dạ vâng: " + body["message"]}])

    def case_api(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/procedures":
            return httpx.Response(200, json={"items": [summary(p) for p in PROCEDURES]})
        if request.url.path.startswith("/procedures/"):
            code = request.url.path.rsplit("/", 1)[1]
            found = [p for p in PROCEDURES if p["code"] == code]
            return httpx.Response(200, json=found[0]) if found else httpx.Response(404)
        assert request.headers["authorization"] == "Bearer staff-token"
        staff = request.headers["x-staff-id"]
        if request.url.path == "/audit":
            items = [{"at": "t", "staff_id": s, "action": "read_status", "tracking_code": c}
                     for s, c in self.staff_reads]
            return httpx.Response(200, json={"items": items, "total": len(items)})
        code = request.url.path.rsplit("/", 1)[1]
        self.staff_reads.append((staff, code))
        if code.endswith("9999"):
            return httpx.Response(404, json={"error": "application_not_found"})
        return httpx.Response(200, json={
            "tracking_code": code, "procedure_name": "Cấp mã số mã vạch",
            "stage_label": "Đang thẩm định", "applicant_phone_last4": "5678",
        })


@dataclass
class ConsoleApp:
    client: TestClient
    console: Console
    fakes: Fakes
    redis: redis.Redis

    def create_staff(self, username: str, role: str = "agent") -> None:
        self.console.accounts.create(username, role, PASSWORD)

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        form = self.client.get("/console/login")
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        return self.client.post(
            "/console/login",
            data={"username": username, "password": password, "csrf": csrf},
            follow_redirects=False,
        )

    def csrf(self) -> str:
        token: str = self.client.get("/console/api/me").json()["csrf"]
        return token

    def say(self, bot: Any, user: str, text: str) -> list[str]:
        """One citizen turn through a watched assistant, on the app's event loop."""
        replies = self.client.portal.call(bot.turn, Inbound("web", user, text))  # type: ignore[union-attr]
        if hasattr(bot, "settled"):  # what Rasa understood is recorded after the answer
            self.client.portal.call(bot.settled)  # type: ignore[union-attr]
        return [r.text for r in replies]

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.client.post(path, json=body or {}, headers={"X-CSRF-Token": self.csrf()})


@pytest.fixture
def console_app(redis_url: str, tmp_path: Path) -> Iterator[ConsoleApp]:
    sync = redis.Redis.from_url(redis_url, decode_responses=True)
    sync.flushdb()
    settings = replace(
        Settings(),
        redis_url=redis_url,
        rasa_auth_token="rasa-token",
        console=ConsoleSettings(
            db_path=str(tmp_path / "console.sqlite3"),
            case_api_staff_token="staff-token",
            fixed_now=IN_HOURS,
        ),
    )
    fakes = Fakes()
    console = Console.from_settings(
        settings,
        rasa_transport=httpx.MockTransport(fakes.rasa),
        case_api_transport=httpx.MockTransport(fakes.case_api),
    )
    assert console is not None
    app = Starlette(routes=console_routes(console) + webchat_routes(console))
    # What the web chat takes from the gateway: its watched assistant (on the fake Rasa).
    rasa = RasaClient(("http://rasa.test",), 1.0, 5.0, httpx.MockTransport(fakes.rasa))
    app.state.gateway = SimpleNamespace(assistant=console.watch(Assistant(rasa)))
    with TestClient(app, base_url="http://testserver") as client:
        yield ConsoleApp(client, console, fakes, sync)
    sync.close()
