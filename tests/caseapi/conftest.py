"""Fixtures for the reference core API: a real server process on a temporary database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

STAFF_TOKEN = "test-staff-token-4f1c"
STAFF_HEADERS = {"Authorization": f"Bearer {STAFF_TOKEN}", "X-Staff-Id": "canbo.test"}
DEMO_CODE = "000.00.17.G17-241219-0001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A ``python -m caseapi`` process and how to reach it."""

    db: Path
    log_path: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> Server:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASE_API_")}
        env.update({"PYTHONPATH": str(REPO_ROOT), **self.env_extra})
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "caseapi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                str(self.db),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"caseapi exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"caseapi did not answer /health within {timeout} s:\n{self.log()}")

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        code = self.proc.returncode
        self.proc = None
        return code

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10.0, **kwargs)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server with staff access for the whole caseapi test session."""
    tmp = tmp_path_factory.mktemp("caseapi")
    srv = Server(tmp / "caseapi.sqlite3", tmp / "server.log", {"CASE_API_STAFF_TOKEN": STAFF_TOKEN})
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture()
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


_counter = iter(range(1, 10_000))


def unique_phone() -> str:
    """A valid mobile number whose last 4 digits differ per call (within a run)."""
    n = next(_counter)
    return f"09{os.getpid() % 10_000:04d}{n:04d}"


def application_body(**overrides: Any) -> dict[str, Any]:
    """A valid POST /applications body; keyword arguments replace top-level keys."""
    body: dict[str, Any] = {
        "procedure_code": "CGCN-01",
        "applicant": {
            "full_name": "Hoàng Thị Kiểm Thử",
            "id_type": "cccd",
            "id_number": "001199000111",
            "phone": unique_phone(),
            "email": "kiem.thu@example.com",
        },
        "delivery": {"method": "post", "address": "Số 99 phố Thử Nghiệm, Hà Nội"},
        "documents": [
            {
                "component": "Hợp đồng chuyển giao công nghệ",
                "filename": "hop-dong.pdf",
                "content_type": "application/pdf",
                "size": 123456,
                "url": "https://files.example/hop-dong.pdf",
            }
        ],
        "channel": "telegram",
    }
    body.update(overrides)
    return body
