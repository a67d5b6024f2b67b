"""Telegram: commands, HTML escaping, splitting under 4096 and inline keyboards."""

from __future__ import annotations

import json

from connectors.gateway.replies import Button, Reply
from connectors.gateway.splitting import utf16_len
from connectors.gateway.state import MemoryStore
from connectors.telegram.callbacks import MAX_CALLBACK_BYTES, CallbackPayloads
from connectors.telegram.commands import parse_command, to_rasa
from connectors.telegram.render import MESSAGE_LIMIT, render


def test_commands() -> None:
    assert parse_command("/start") == ("start", [])
    assert parse_command("/start dGVzdEBleGFtcGxlLmNvbQ==") == (
        "start",
        ["dGVzdEBleGFtcGxlLmNvbQ=="],
    )
    assert parse_command("/TraCuu@motcua_bot 000.00.17.G17-241219-0001") == (
        "tracuu",
        ["000.00.17.G17-241219-0001"],
    )
    assert parse_command("xin chào") is None
    assert parse_command("/ ") is None
    assert to_rasa("start", ["payload"]) == "/greet"
    assert to_rasa("help", []) == "/ask_help"
    assert to_rasa("huy", []) == "/cancel"
    assert to_rasa("tracuu", []) == "/check_status"
    assert to_rasa("nope", []) is None
    payload = to_rasa("tracuu", ['x"}, "phone_last4": "5678'])
    assert payload is not None
    assert json.loads(payload[len("/check_status") :]) == {
        "tracking_code": 'x"}, "phone_last4": "5678'
    }


async def test_hostile_text_is_escaped_not_interpreted() -> None:
    [message] = await render(
        Reply(text="<b>x</b> & <a href='javascript:1'>y</a> *z* _w_"),
        CallbackPayloads(MemoryStore()),
    )
    assert (
        message.html_text
        == "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href='javascript:1'&gt;y&lt;/a&gt; *z* _w_"
    )
    assert message.keyboard is None


async def test_long_answers_split_under_the_limit_with_the_keyboard_last() -> None:
    paragraph = "📄 Giấy tờ cần chuẩn bị: tờ khai, mẫu nhãn hiệu <đúng kích thước> & chứng từ phí. "
    reply = Reply(
        text=(paragraph * 40 + "\n\n") * 3,
        buttons=(Button("Có", "/affirm"), Button("Không", "/deny")),
    )
    messages = await render(reply, CallbackPayloads(MemoryStore()))
    assert len(messages) > 1
    for message in messages:
        visible = message.html_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert utf16_len(visible) <= MESSAGE_LIMIT
    assert all(m.keyboard is None for m in messages[:-1])
    keyboard = messages[-1].keyboard
    assert keyboard is not None
    assert [[b.text for b in row] for row in keyboard.inline_keyboard] == [["Có"], ["Không"]]


async def test_callback_data_fits_64_bytes_and_round_trips() -> None:
    payloads = CallbackPayloads(MemoryStore())
    short = "/affirm"
    long = '/ask_procedure{"procedure_code": "1.001234.000.00.00.H00-đăng-ký-nhãn-hiệu"}'
    for payload in (short, long):
        data = await payloads.encode(payload)
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        assert await payloads.decode(data) == payload
    assert (await payloads.encode(short)).startswith("p:")
    assert (await payloads.encode(long)).startswith("r:")
    assert await payloads.decode("button2_test") is None  # not from our keyboards
    assert await payloads.decode("r:unknown") is None
