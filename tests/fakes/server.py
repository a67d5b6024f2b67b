"""Runs an ASGI app with uvicorn in a background thread, on a free loopback port."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Literal, TypeVar

import uvicorn
from starlette.types import ASGIApp

from stack.processes import free_port


class ThreadedServer:
    def __init__(
        self, app: ASGIApp, port: int | None = None, lifespan: Literal["on", "off"] = "off"
    ) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan=lifespan,
            access_log=False,
            ws="none",  # Rasa pins an old websockets that uvicorn's auto-detection trips on
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 10.0) -> ThreadedServer:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


FakeT = TypeVar("FakeT", bound="FakeService")


class FakeService:
    """A fake third-party HTTP service on its own ThreadedServer (`self.server`, set by the
    subclass once its routes exist): started and stopped by the tests, reached at `url`."""

    server: ThreadedServer

    def start(self: FakeT) -> FakeT:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url
