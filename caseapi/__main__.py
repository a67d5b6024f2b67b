"""Run the reference core API.

``python -m caseapi --host 127.0.0.1 --port 8000 --db var/caseapi.sqlite3``
"""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from caseapi.app import create_app
from caseapi.config import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m caseapi",
        description="Reference implementation of the MST core case-management API.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--db", default=None, help="SQLite file (default: $CASE_API_DB or var/caseapi.sqlite3)"
    )
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        app = create_app(Settings.from_env(db_path=args.db))
    except ValueError as err:
        print(f"caseapi: {err}", file=sys.stderr)
        return 2
    # uvicorn's access log prints query strings (phone digits); ours does not.
    # No websockets: the pinned websockets package (for Rasa) is too old for uvicorn's.
    uvicorn.run(
        app, host=args.host, port=args.port, access_log=False, log_level=args.log_level, ws="none"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
