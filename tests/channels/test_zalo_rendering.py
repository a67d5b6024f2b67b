"""Zalo: text split under 2000 characters, buttons as oa.query.show, titles mapped back."""

from __future__ import annotations

from connectors.gateway.replies import Button, Reply
from connectors.gateway.state import MemoryStore
from connectors.zalo.buttons import ButtonMemory
from connectors.zalo.render import MAX_BUTTONS, TEXT_LIMIT, render


def test_plain_text_is_sent_as_is() -> None:
    [message] = render(Reply(text="<b>Trạng thái</b> & *đang xử lý*"))
    assert message.body == {"text": "<b>Trạng thái</b> & *đang xử lý*"}


def test_long_text_is_split_and_buttons_go_on_the_last_message() -> None:
    buttons = tuple(
        Button(f"Thủ tục {i}", f'/ask_procedure{{"procedure_code": "{i}"}}') for i in range(7)
    )
    messages = render(Reply(text="Giấy tờ cần chuẩn bị. " * 300, buttons=buttons))
    assert len(messages) > 1 and all(len(m.text) <= TEXT_LIMIT for m in messages)
    assert all("attachment" not in m.body for m in messages[:-1])
    attachment = messages[-1].body["attachment"]
    assert attachment["type"] == "template"
    shown = attachment["payload"]["buttons"]
    assert len(shown) == MAX_BUTTONS
    assert shown[0] == {"title": "Thủ tục 0", "type": "oa.query.show", "payload": "Thủ tục 0"}
    first_button = messages[-1].buttons[0][1]
    assert first_button.payload == '/ask_procedure{"procedure_code": "0"}'


def test_buttons_without_text_still_have_a_prompt() -> None:
    [message] = render(Reply(buttons=(Button("A", "/a"),)))
    assert message.text and message.body["attachment"]["payload"]["buttons"][0]["title"] == "A"


async def test_a_tapped_title_is_mapped_back_to_its_payload() -> None:
    memory = ButtonMemory(MemoryStore(), ttl_s=60)
    await memory.remember(
        "u", [("Đăng ký nhãn hiệu", Button("Đăng ký nhãn hiệu", "/ask_procedure{}"))]
    )
    assert await memory.resolve("u", "  đăng ký   nhãn hiệu ") == "/ask_procedure{}"
    assert await memory.resolve("u", "đăng ký sáng chế") is None
    assert await memory.resolve("other", "Đăng ký nhãn hiệu") is None
    await memory.forget("u")
    assert await memory.resolve("u", "Đăng ký nhãn hiệu") is None
