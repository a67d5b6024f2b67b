"""`python -m stack run`: start the whole assistant on fixed ports and chat in the terminal."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from stack.chat import chat
from stack.processes import StartupError
from stack.services import DEFAULT_MODEL, ROOT, Stack, StackConfig


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m stack")
    parser.add_argument(
        "command", choices=["run", "serve"], help="run: chat in the terminal; serve: only start"
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--run-dir", type=Path, default=ROOT / "var" / "run")
    args = parser.parse_args()
    config = StackConfig(
        run_dir=args.run_dir,
        model_path=args.model,
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
        case_api_port=int(os.environ.get("CASE_API_PORT", "8000")),
        # Our own redis-server (persisted under the run folder) unless REDIS_URL names one;
        # without redis-server installed, the in-memory stores serve a single process.
        redis=os.environ.get("REDIS_URL") or ("local" if shutil.which("redis-server") else None),
        redis_port=int(os.environ.get("REDIS_PORT", "6379")),
        gateway_port=int(os.environ.get("GATEWAY_PORT", "8080")),
        voice_port=None
        if os.environ.get("VOICE") == "off"
        else int(os.environ.get("VOICE_PORT", "8300")),
        case_api_url=os.environ.get("CASE_API_URL") or None,
        **(
            {"auth_token": os.environ["RASA_AUTH_TOKEN"]}
            if os.environ.get("RASA_AUTH_TOKEN")
            else {}
        ),
    )
    stack = Stack(config)
    print("Starting the core API, the action server and Rasa (about 40 s)…", flush=True)
    try:
        stack.start()
    except StartupError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"Ready. REST channel: {stack.rasa_url}/webhooks/rest/webhook")
    gateway = f"http://127.0.0.1:{config.gateway_port}"
    print(f"Channel gateway (Telegram, Zalo webhooks): {gateway}")
    print(f"Kiosk page: {gateway}/kiosk   Staff console: {gateway}/console")
    print(f"Logs: {config.run_dir / 'logs'}")
    try:
        if args.command == "run":
            chat(stack.rasa_url)
        else:
            stack.rasa.process.wait()  # type: ignore[union-attr]
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping…")
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
