"""A terminal chat with the assistant over Rasa's REST channel; buttons are numbered."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def print_reply(reply: dict[str, Any], buttons: list[dict[str, str]]) -> None:
    if reply.get("text"):
        print(f"🤖 {reply['text']}")
    for button in reply.get("buttons") or []:
        if isinstance(button, dict):
            buttons.append(button)
            print(f"   [{len(buttons)}] {button.get('title')}")


def chat(rasa_url: str) -> None:
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Gõ câu hỏi rồi nhấn Enter (số để chọn nút, Ctrl-C để thoát).")
    buttons: list[dict[str, str]] = []
    with httpx.Client(base_url=rasa_url, timeout=30.0) as http:
        while True:
            try:
                text = input("🧑 ").strip()
            except EOFError:
                return
            if not text:
                continue
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                text = buttons[int(text) - 1]["payload"]
            buttons = []
            try:
                response = http.post(
                    "/webhooks/rest/webhook", json={"sender": sender, "message": text}
                )
                response.raise_for_status()
            except httpx.HTTPError as err:
                print(f"(không gửi được tin nhắn: {err})")
                continue
            for reply in response.json():
                print_reply(reply, buttons)
