"""A real redis-server for the unit tests that need one (connectors, console), one per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.processes import ManagedProcess, free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (scripts/install-system-packages)")
    port = free_port()
    run_dir: Path = tmp_path_factory.mktemp("redis")
    server = ManagedProcess(
        "redis-server",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(run_dir), "--save", ""],
        run_dir / "redis.log",
    )
    server.start()
    server.wait_tcp(port, 10)
    yield f"redis://127.0.0.1:{port}/0"
    server.stop()
