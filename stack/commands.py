"""The command line of every process, in one place.

`python -m stack` (and so `make run`, the tests and the benchmarks) and docker-compose.yml
start exactly these; tests/test_compose.py renders them with the compose file's values and
fails when the two drift apart. "python" and "rasa" are resolved to the virtualenv's
programs by the launcher.
"""

from __future__ import annotations


def caseapi(host: str, port: int, db: str) -> list[str]:
    return ["python", "-m", "caseapi", "--host", host, "--port", str(port), "--db", db]


def actions(port: int) -> list[str]:
    return ["rasa", "run", "actions", "--actions", "actions", "--port", str(port)]


def rasa(
    token: str, model: str, endpoints: str, credentials: str, host: str, port: int
) -> list[str]:
    return [
        # "--auth-token=…" in one word: a token may start with "-", which argparse would
        # take for an option.
        "rasa", "run", "--enable-api", f"--auth-token={token}", "--model", model,
        "--endpoints", endpoints, "--credentials", credentials,
        "--interface", host, "--port", str(port),
    ]  # fmt: skip


def outbox_worker() -> list[str]:
    return ["python", "-m", "connectors.outbox_worker"]


def gateway(host: str, port: int) -> list[str]:
    return ["python", "-m", "connectors.gateway", "--host", host, "--port", str(port)]


def voice(host: str, port: int) -> list[str]:
    return ["python", "-m", "voice", "--host", host, "--port", str(port)]
