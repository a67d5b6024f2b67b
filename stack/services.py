"""The assistant's processes: redis-server, reference core API, action server, Rasa."""

from __future__ import annotations

import secrets
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from stack import commands
from stack.processes import ManagedProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = ROOT / "models" / "assistant.tar.gz"


def local(argv: list[str]) -> list[str]:
    """A command of stack.commands with python and rasa taken from this virtualenv."""
    bin_dir = Path(sys.executable).parent
    programs = {"python": sys.executable, "rasa": str(bin_dir / "rasa")}
    return [programs.get(argv[0], argv[0]), *argv[1:]]


def redis_env(redis_url: str) -> dict[str, str]:
    """REDIS_* variables for bot/endpoints.redis.yml (Rasa's Redis stores take host/port/db)."""
    parsed = urlparse(redis_url)
    db = parsed.path.lstrip("/") or "0"
    return {
        "REDIS_URL": redis_url,
        "REDIS_HOST": parsed.hostname or "localhost",
        "REDIS_PORT": str(parsed.port or 6379),
        "REDIS_DB": db,
        "REDIS_PASSWORD": parsed.password or "",
    }


@dataclass
class StackConfig:
    run_dir: Path
    model_path: Path = DEFAULT_MODEL
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    case_api_port: int = field(default_factory=free_port)
    # "local" starts a redis-server of our own; a redis:// URL uses that one; None: no Redis.
    redis: str | None = "local"
    redis_port: int = field(default_factory=free_port)
    auth_token: str = field(default_factory=lambda: secrets.token_hex(24))
    case_api_url: str | None = None  # set to use an external core API instead of ours
    # The chat-channel gateway (Telegram, Zalo webhooks) and the voice service; off in tests,
    # which start their own with fake Telegram/Zalo servers.
    gateway_port: int | None = None
    voice_port: int | None = None


class Stack:
    """Starts the processes concurrently, waits until each answers, stops them in reverse."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: list[ManagedProcess] = []
        logs = config.run_dir / "logs"
        self.redis_url: str | None = None
        if config.redis == "local":
            self.redis_url = f"redis://127.0.0.1:{config.redis_port}/0"
        elif config.redis:
            self.redis_url = config.redis
        self.case_api_url = config.case_api_url or f"http://127.0.0.1:{config.case_api_port}"
        self.actions_url = f"http://127.0.0.1:{config.actions_port}"
        self.rasa_url = f"http://127.0.0.1:{config.rasa_port}"
        common_env = {
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "CASE_API_URL": self.case_api_url,
        }
        if config.redis == "local":
            redis_dir = config.run_dir / "redis"
            redis_dir.mkdir(parents=True, exist_ok=True)
            self.redis = ManagedProcess(
                "redis-server",
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(config.redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    str(redis_dir),
                    "--appendonly",
                    "yes",
                    "--save",
                    "",
                ],
                logs / "redis.log",
            )
            self.processes.append(self.redis)
        if config.case_api_url is None:
            db = str(config.run_dir / "caseapi.sqlite3")
            self.case_api = ManagedProcess(
                "core API",
                local(commands.caseapi("127.0.0.1", config.case_api_port, db)),
                logs / "caseapi.log",
                env=common_env,
                cwd=ROOT,
            )
            self.processes.append(self.case_api)
        if self.redis_url:
            common_env["REDIS_URL"] = self.redis_url
        self.actions = ManagedProcess(
            "action server",
            local(commands.actions(config.actions_port)),
            logs / "actions.log",
            env=common_env,
            cwd=ROOT,
        )
        rasa_env = {**common_env, "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook"}
        endpoints = ROOT / "bot" / "endpoints.yml"
        if self.redis_url:
            rasa_env.update(redis_env(self.redis_url))
            endpoints = ROOT / "bot" / "endpoints.redis.yml"
        self._rasa_env, self._rasa_endpoints, self._logs = rasa_env, endpoints, logs
        self.rasa = self._rasa_process("rasa", config.rasa_port)
        self.processes += [self.actions, self.rasa]
        self.outbox_worker: ManagedProcess | None = None
        if self.redis_url:
            # Submits applications queued while the core API was down (needs Redis).
            self.outbox_worker = ManagedProcess(
                "outbox worker",
                local(commands.outbox_worker()),
                logs / "outbox_worker.log",
                env={**common_env, "RASA_URL": self.rasa_url, "RASA_AUTH_TOKEN": config.auth_token},
                cwd=ROOT,
            )
            self.processes.append(self.outbox_worker)
        self.gateway: ManagedProcess | None = None
        if config.gateway_port is not None:
            self.gateway = ManagedProcess(
                "gateway",
                local(commands.gateway("127.0.0.1", config.gateway_port)),
                logs / "gateway.log",
                env={**common_env, "RASA_URL": self.rasa_url, **self.voice_env()},
                cwd=ROOT,
            )
            self.processes.append(self.gateway)
        self.voice: ManagedProcess | None = None
        if config.voice_port is not None:
            self.voice = ManagedProcess(
                "voice",
                local(commands.voice("127.0.0.1", config.voice_port)),
                logs / "voice.log",
                env=common_env,
                cwd=ROOT,
            )
            self.processes.append(self.voice)

    def voice_env(self) -> dict[str, str]:
        """VOICE_URL for the gateway when this stack runs the voice service (else voice off)."""
        if self.config.voice_port is None:
            return {}
        return {"VOICE_URL": f"http://127.0.0.1:{self.config.voice_port}"}

    def _rasa_process(self, name: str, port: int) -> ManagedProcess:
        argv = commands.rasa(
            self.config.auth_token,
            str(self.config.model_path),
            str(self._rasa_endpoints),
            str(ROOT / "bot" / "credentials.yml"),
            "127.0.0.1",
            port,
        )
        return ManagedProcess(
            name, local(argv), self._logs / f"{name}.log", env=self._rasa_env, cwd=ROOT
        )

    def start_another_rasa(self, timeout_s: float = 180.0) -> tuple[ManagedProcess, str]:
        """One more Rasa server on the same model, action server and (Redis) stores."""
        if not self.redis_url:
            raise RuntimeError("several Rasa servers need Redis to share conversations")
        port = free_port()
        process = self._rasa_process(f"rasa-{port}", port)
        self.processes.append(process)
        process.start()
        url = f"http://127.0.0.1:{port}"
        process.wait_http(f"{url}/status?token={self.config.auth_token}", timeout_s)
        return process, url

    def start(self, timeout_s: float = 180.0) -> None:
        try:
            for process in self.processes:
                process.start()
            waits = []
            if self.config.redis == "local":
                waits.append(lambda: self.redis.wait_tcp(self.config.redis_port, 20))
            if self.config.case_api_url is None:
                waits.append(lambda: self.case_api.wait_http(f"{self.case_api_url}/health", 60))
            waits.append(lambda: self.actions.wait_http(f"{self.actions_url}/health", 120))
            gateway, voice = self.gateway, self.voice
            if gateway is not None:
                url = f"http://127.0.0.1:{self.config.gateway_port}/health"
                waits.append(lambda: gateway.wait_http(url, 60))
            if voice is not None:
                voice_url = f"http://127.0.0.1:{self.config.voice_port}/health"
                waits.append(lambda: voice.wait_http(voice_url, 120))
            waits.append(
                lambda: self.rasa.wait_http(
                    f"{self.rasa_url}/status?token={self.config.auth_token}",
                    timeout_s,
                )
            )
            with ThreadPoolExecutor(len(waits)) as pool:
                for future in [pool.submit(w) for w in waits]:
                    future.result()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
