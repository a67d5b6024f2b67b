"""Sign-in, sessions, CSRF, throttling and roles of the console."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from connectors.console.accounts import Accounts, Outcome
from connectors.console.passwords import hash_password, verify_password
from stack.services import ROOT
from tests.console.conftest import PASSWORD, ConsoleApp

PAGES = ["/console", "/console/console.js"]
API_GET = ["/console/api/me", "/console/api/conversations", "/console/api/stream",
           "/console/api/audit", "/console/api/conversations/telegram:1/messages",
           "/console/api/intents", "/console/api/review", "/console/api/review/export",
           "/console/api/submissions"]
API_POST = ["/console/api/logout", "/console/api/status",
            "/console/api/conversations/telegram:1/take",
            "/console/api/conversations/telegram:1/release",
            "/console/api/conversations/telegram:1/reply",
            "/console/api/conversations/telegram:1/flag",
            "/console/api/ask", "/console/api/submissions/job-1/handled"]
SUPERVISOR_ONLY = ["/console/api/audit", "/console/api/review", "/console/api/review/export"]


def test_scrypt_hash_round_trip_and_salted() -> None:
    one, two = hash_password("một mật khẩu dài"), hash_password("một mật khẩu dài")
    assert one != two and one.startswith("scrypt$16384$8$1$")
    assert verify_password("một mật khẩu dài", one)
    assert not verify_password("mot mat khau dai", one)
    assert not verify_password("x", "garbage")


def test_anonymous_refused_everywhere(console_app: ConsoleApp) -> None:
    client = console_app.client
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/login"
    for path in API_GET:
        assert client.get(path).status_code == 401, path
    for path in API_POST:
        assert client.post(path, json={}).status_code == 401, path


def test_sign_in_sets_strict_httponly_cookie(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    response = console_app.sign_in("an.nguyen")
    assert response.status_code == 303 and response.headers["location"] == "/console"
    cookie = response.headers["set-cookie"].lower()
    assert "console_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # only with CONSOLE_SECURE_COOKIES=1 (behind TLS)
    me = console_app.client.get("/console/api/me").json()
    assert me["username"] == "an.nguyen" and me["role"] == "agent" and me["csrf"]
    page = console_app.client.get("/console")
    assert page.status_code == 200 and "script-src 'self'" in page.headers[
        "content-security-policy"]


def test_post_without_or_with_wrong_csrf_is_refused(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    client = console_app.client
    for path in API_POST:
        assert client.post(path, json={}).status_code == 403, path
        assert client.post(path, json={}, headers={"X-CSRF-Token": "x"}).status_code == 403
    login = client.post("/console/login", data={"username": "an.nguyen", "password": PASSWORD})
    assert login.status_code == 403  # the sign-in form has its own token


def test_ten_wrong_passwords_lock_the_account(console_app: ConsoleApp) -> None:
    console_app.create_staff("binh.tran")
    for _ in range(9):
        assert console_app.sign_in("binh.tran", "sai-mat-khau-000").status_code == 401
    locked = console_app.sign_in("binh.tran", "sai-mat-khau-000")
    assert locked.status_code == 429 and "tạm khóa" in locked.text
    # Locked: even the right password is refused, and no session is made.
    assert console_app.sign_in("binh.tran").status_code == 429
    assert console_app.client.get("/console/api/me").status_code == 401


def test_lock_expires_after_the_lockout(tmp_path: object) -> None:
    now = [1000.0]
    accounts = Accounts(f"{tmp_path}/a.sqlite3", 3, 900.0, clock=lambda: now[0])
    accounts.create("chi.le", "agent", PASSWORD)
    for _ in range(3):
        accounts.sign_in("chi.le", "wrong-password")
    assert accounts.sign_in("chi.le", PASSWORD).outcome is Outcome.LOCKED
    now[0] += 901
    assert accounts.sign_in("chi.le", PASSWORD).outcome is Outcome.OK
    assert accounts.sign_in("nobody", PASSWORD).outcome is Outcome.BAD


def test_agent_cannot_read_supervisor_pages_supervisor_can(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.create_staff("giam.sat", "supervisor")
    console_app.sign_in("an.nguyen")
    for path in SUPERVISOR_ONLY:
        assert console_app.client.get(path).status_code == 403, path
    console_app.sign_in("giam.sat")
    for path in SUPERVISOR_ONLY:
        assert console_app.client.get(path).status_code == 200, path


def test_one_address_is_throttled_across_accounts(console_app: ConsoleApp) -> None:
    """No single account reaches its lockout, yet the address guessing them all is stopped
    (the unit-test settings allow 30 failures per address)."""
    accounts = [f"nv.{i:02d}" for i in range(4)]
    for name in accounts:
        console_app.create_staff(name)
    for attempt in range(30):
        response = console_app.sign_in(accounts[attempt % 4], "sai-mat-khau-000")
        assert response.status_code == 401, attempt
    refused = console_app.sign_in(accounts[0])  # even the right password, from this address
    assert refused.status_code == 429 and "quá nhiều lần đăng nhập sai" in refused.text
    assert console_app.client.get("/console/api/me").status_code == 401
    # Another address is not affected (the test transport's client address, changed in place:
    # a second TestClient would run on another event loop than the Redis pool).
    console_app.client._transport.client = ("203.0.113.9", 50000)  # type: ignore[attr-defined]
    assert console_app.sign_in(accounts[0]).status_code == 303


def test_cookies_are_secure_when_the_request_came_over_https(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.client.base_url = "https://testserver"  # type: ignore[assignment]
    assert "; secure" in console_app.client.get("/console/login").headers["set-cookie"].lower()
    response = console_app.sign_in("an.nguyen")
    assert response.status_code == 303
    assert "; secure" in response.headers["set-cookie"].lower()


def test_logout_ends_the_session(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    assert console_app.post("/console/api/logout").status_code == 200
    assert console_app.client.get("/console/api/me").status_code == 401


@pytest.mark.parametrize("password", ["", "ngan"])
def test_create_staff_refuses_short_password(tmp_path: object, password: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "connectors.console", "create-staff", "--username", "dung.pham",
         "--role", "agent"],
        input=password + "\n", capture_output=True, text=True, cwd=ROOT,
        env={"CONSOLE_DB": f"{tmp_path}/c.sqlite3", "PATH": "/usr/bin"}, check=False,
    )
    assert result.returncode == 2


def test_create_staff_reads_password_from_stdin(tmp_path: object) -> None:
    db = f"{tmp_path}/c.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "connectors.console", "create-staff", "--username", "dung.pham",
         "--role", "supervisor"],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT,
        env={"CONSOLE_DB": db, "PATH": "/usr/bin"}, check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        role, encoded = conn.execute("SELECT role, password_hash FROM staff").fetchone()
    assert role == "supervisor" and verify_password(PASSWORD, encoded)
    assert PASSWORD not in result.stdout + result.stderr
