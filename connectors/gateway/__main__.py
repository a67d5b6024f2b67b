"""`python -m connectors.gateway --port 8080`: the channel gateway, configured from the env."""

from __future__ import annotations

import argparse
import logging

import uvicorn

from connectors.gateway.app import create_app
from connectors.gateway.redaction import configure_logging
from connectors.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m connectors.gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    settings = Settings.from_env()
    configure_logging(settings.secrets(), getattr(logging, args.log_level.upper(), logging.INFO))
    # log_config=None: uvicorn's records go through the redacting handler above. No access
    # log: request lines carry nothing useful and would only add noise per webhook.
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
        # The kiosk's WebSocket. wsproto, because Rasa pins an old `websockets` that uvicorn's
        # auto-detection trips on; frames over one utterance's audio are refused by uvicorn.
        ws="wsproto",
        ws_max_size=settings.kiosk.max_audio_bytes + 64 * 1024,
    )


if __name__ == "__main__":
    main()
