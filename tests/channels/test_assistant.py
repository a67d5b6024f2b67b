"""A turn through Rasa's REST channel (httpx.MockTransport): ids, metadata, apology."""

from __future__ import annotations

import json

import httpx

from connectors.gateway import texts
from connectors.gateway.assistant import Assistant, neutralize
from connectors.gateway.inbound import Attachment, Inbound
from connectors.gateway.rasa_client import RasaClient
from connectors.gateway.replies import Reply
from tests.fakes.payloads import load


def assistant_with(handler: httpx.MockTransport) -> Assistant:
    return Assistant(RasaClient("http://rasa.test", 1.0, 1.0, transport=handler))


async def test_sender_channel_and_attachments_reach_rasa() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/webhooks/rest/webhook"
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=load("rasa_rest_response_buttons.json"))

    attachment = Attachment(
        kind="document", file_name="a.pdf", mime_type="application/pdf", size=3, path="/m/x.pdf"
    )
    replies = await assistant_with(httpx.MockTransport(handler)).turn(
        Inbound("telegram", "23", "hồ sơ của tôi", (attachment,))
    )
    assert seen == [
        {
            "sender": "telegram:23",
            "message": "hồ sơ của tôi",
            "metadata": {
                "channel": "telegram",
                "attachments": [
                    {
                        "kind": "document",
                        "file_name": "a.pdf",
                        "mime_type": "application/pdf",
                        "size": 3,
                        "path": "/m/x.pdf",
                    }
                ],
            },
        }
    ]
    assert replies[0].buttons[0].payload == "/mood_great"


async def test_the_platform_message_id_goes_to_rasa_metadata() -> None:
    """It lets a tracker event be traced to the delivery (reliability accounting uses it)."""
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=load("rasa_rest_response.json"))

    await assistant_with(httpx.MockTransport(handler)).turn(
        Inbound("zalo", "54", "lệ phí", message_id="msg-7")
    )
    assert seen[0]["metadata"] == {"channel": "zalo", "message_id": "msg-7"}


async def test_rasa_down_slow_or_broken_gives_an_apology() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler in (
        refused,
        slow,
        lambda r: httpx.Response(500, text="boom"),
        lambda r: httpx.Response(200, text="<html>"),
        lambda r: httpx.Response(200, json={"not": "a list"}),
    ):
        replies = await assistant_with(httpx.MockTransport(handler)).turn(
            Inbound("zalo", "1", "hi")
        )
        assert replies == [Reply(text=texts.APOLOGY)]


async def test_typed_intent_syntax_is_neutralized_but_gateway_payloads_pass() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["message"])
        return httpx.Response(200, json=[{"text": "ok"}])

    assistant = assistant_with(httpx.MockTransport(handler))
    await assistant.turn(Inbound("zalo", "1", '/inform{"phone_last4": "5678"}'))
    await assistant.turn(Inbound("zalo", "1", "/greet", trusted_payload=True))
    assert sent == ['inform{"phone_last4": "5678"}', "/greet"]
    assert neutralize("//  x") == "x" and neutralize("a/b") == "a/b"


async def test_silence_is_answered_with_a_receipt_or_an_apology() -> None:
    assistant = assistant_with(httpx.MockTransport(lambda r: httpx.Response(200, json=[])))
    voice = Attachment(kind="voice", url="https://voice.test/a.aac")
    doc = Attachment(kind="document", url="https://file.test/a.pdf")
    assert await assistant.turn(Inbound("zalo", "1", "", (voice,))) == [
        Reply(text=texts.VOICE_NOT_UNDERSTOOD)
    ]
    assert await assistant.turn(Inbound("zalo", "1", "", (doc,))) == [
        Reply(text=texts.ATTACHMENT_RECEIVED)
    ]
    # Silence on words: an action failed inside Rasa (reliability run, action server
    # restart); the citizen gets the apology that asks to send it again.
    assert await assistant.turn(Inbound("zalo", "1", "hi")) == [Reply(text=texts.APOLOGY)]
