"""The assistant panel's procedure answers: the same words a citizen reads, for staff to read
out or copy. The question is resolved to a catalogue record by the action server's own
catalogue and resolver, the answer is made by its own `render` (actions/procedure.py), and
the response keys are filled from Rasa's domain, so nothing here restates the assistant."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from actions.catalogue import ProcedureCatalogue
from connectors.case_api import CaseApiError
from connectors.console.panel import PanelError
from connectors.console.rasa_control import RasaControlError

# What staff read out on the phone: what it is, the documents (the checklist), fee and time.
TOPICS = ("info", "documents", "fee", "time")
_SLOT = re.compile(r"\{(\w+)\}")
CODE_RE = re.compile(r"^[A-Z]{2,6}-\d{2,3}$")

Domain = Callable[[], Awaitable[dict[str, Any]]]


def fill(template: str, values: dict[str, Any]) -> str:
    """Rasa's own templating rule: `{name}` takes the value, unknown names stay as written."""
    return _SLOT.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def render_texts(record: dict[str, Any], responses: dict[str, Any]) -> list[str]:
    # Imported here: rasa-sdk (and sanic under it) loads only when staff first ask.
    from rasa_sdk.executor import CollectingDispatcher

    from actions.procedure import render

    out: list[str] = []
    for topic in TOPICS:
        dispatcher = CollectingDispatcher()
        render(dispatcher, record, topic)
        for message in dispatcher.messages:
            variants = responses.get(str(message.get("response"))) or [{}]
            template = str(variants[0].get("text") or message.get("text") or "")
            text = fill(template, {**message, **message.get("custom", {})})
            if text and text not in out:  # the caveat and the unverified note come once
                out.append(text)
    return out


class ProcedureAnswers:
    def __init__(self, catalogue: ProcedureCatalogue, domain: Domain) -> None:
        self._catalogue = catalogue
        self._domain = domain

    async def answer(self, question: str) -> dict[str, Any]:
        try:
            record = await self._catalogue.get(question) if CODE_RE.match(question) else None
            resolution = None if record else await self._catalogue.resolve(question)
            if resolution is not None and resolution.best is not None:
                record = await self._catalogue.get(resolution.best.code)
        except CaseApiError as err:
            raise PanelError(502, "Hệ thống quản lý hồ sơ không phản hồi.") from err
        others = [
            {"code": c.code, "name": c.name}
            for c in (resolution.candidates[1:] if resolution else [])
        ]
        if record is None:
            raise PanelError(404, "Không tìm thấy thủ tục phù hợp. Vui lòng nhập rõ hơn.")
        try:
            responses = (await self._domain()).get("responses") or {}
        except RasaControlError as err:  # Rasa down: the texts live in its domain
            raise PanelError(502, "Trợ lý ảo không phản hồi, chưa lấy được câu trả lời.") from err
        return {
            "code": record.get("code"),
            "name": record.get("name"),
            "confident": resolution.confident if resolution else True,
            "texts": render_texts(record, responses),
            "others": others,
        }
