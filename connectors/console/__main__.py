"""`python -m connectors.console create-staff --username X --role agent|supervisor`: the only
way staff accounts come to exist. The password is read from stdin (piped) or a prompt."""

from __future__ import annotations

import argparse
import getpass
import sys

from connectors.console.accounts import ROLES, AccountExists, Accounts
from connectors.console.passwords import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS
from connectors.settings import Settings


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise SystemExit("Hai lần nhập mật khẩu không khớp.")
        return first
    return sys.stdin.readline().rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.console")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-staff", help="create a staff account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    args = parser.parse_args(argv)
    password = _password()
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        print(f"Mật khẩu cần từ {MIN_PASSWORD_CHARS} ký tự.", file=sys.stderr)
        return 2
    settings = Settings.from_env().console
    try:
        Accounts(settings.db_path).create(args.username, args.role, password)
    except (ValueError, AccountExists) as err:
        print(f"Không tạo được tài khoản: {err}", file=sys.stderr)
        return 1
    print(f"Đã tạo tài khoản {args.username} ({args.role}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
