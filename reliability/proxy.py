"""A fault-injecting TCP proxy in front of the core API, controlled by the run script.

Faults are injected between the assistant and the core API instead of inside the core API, so
the reference implementation stays exactly what a real deployment's contract is. The proxy
works per chunk, not per connection: httpx keeps connections alive, and a fault switched on
mid-run must hit the requests of connections opened before it.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Literal

from stack.processes import free_port

Mode = Literal["pass", "slow", "fail"]
# What a failing core API looks like from outside: a proper HTTP error, then the connection
# closes (a load balancer in front of a dead backend answers like this).
FAILURE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b'Content-Length: 27\r\nConnection: close\r\n\r\n{"error": "injected fault"}'
)
CHUNK = 65536


@dataclass
class FaultState:
    mode: Mode = "pass"
    delay_s: float = 0.0


class FaultProxy:
    """Listens on a free loopback port and forwards to `upstream_port` on loopback."""

    def __init__(self, upstream_port: int, port: int | None = None) -> None:
        self.upstream_port = upstream_port
        self.port = port or free_port()
        self.state = FaultState()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: Mode, delay_s: float = 0.0) -> None:
        """Takes effect for the next chunk of every connection, open or new."""
        self.state = FaultState(mode, delay_s)

    def start(self) -> FaultProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", self.port), self._loop
        )
        self._server = future.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            upstream_r, upstream_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        try:
            await asyncio.gather(
                self._pipe(client_r, upstream_w, client_w, requests=True),
                self._pipe(upstream_r, client_w, client_w, requests=False),
            )
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for writer in (client_w, upstream_w):
                writer.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        client_w: asyncio.StreamWriter,
        requests: bool,
    ) -> None:
        while data := await reader.read(CHUNK):
            state = self.state
            if requests and state.mode == "fail":
                client_w.write(FAILURE)
                await client_w.drain()
                raise ConnectionResetError("injected fault")
            if requests and state.mode == "slow":
                await asyncio.sleep(state.delay_s)
            writer.write(data)
            await writer.drain()
        writer.close()
