"""Answers about a procedure: overview, documents, fee, processing time, how to submit."""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting, services
from connectors.case_api import CaseApiError

logger = logging.getLogger(__name__)
Record = dict[str, Any]
FOLLOW_UP_SWITCH_SCORE = 0.8

TOPIC_BY_INTENT = {
    "ask_procedure": "info",
    "ask_documents": "documents",
    "check_documents": "check",
    "ask_fee": "fee",
    "ask_processing_time": "time",
    "submit_application": "submit",
}
INTENT_BY_TOPIC = {
    "info": "ask_procedure",
    "documents": "ask_documents",
    "fee": "ask_fee",
    "time": "ask_processing_time",
    "submit": "submit_application",
    "check": "check_documents",
}


def latest_entities(tracker: Tracker, entity: str) -> list[str]:
    return [
        str(e["value"])
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == entity
    ]


def render(dispatcher: CollectingDispatcher, record: Record, topic: str) -> None:
    """Send the answer about one catalogue record for one topic."""
    name = record.get("name", "")
    fee = record.get("fee") or {}
    time_block = record.get("processing_time") or {}
    unverified = False
    if topic in ("documents", "check"):
        documents = formatting.documents_list(record.get("components") or [])
        dispatcher.utter_message(
            response="utter_procedure_documents", name=name, documents=documents
        )
    elif topic == "fee":
        dispatcher.utter_message(
            response="utter_procedure_fee", name=name, fee=formatting.fee_text(fee)
        )
        unverified = formatting.has_unverified(fee)
    elif topic == "time":
        text = time_block.get("text") or "chưa có thông tin"
        dispatcher.utter_message(response="utter_procedure_time", name=name, time=text)
        unverified = formatting.has_unverified(time_block)
    elif topic == "submit":
        dispatcher.utter_message(
            response="utter_procedure_submit",
            name=name,
            modes=formatting.submission_modes(record),
            online=formatting.online_note(record),
        )
    else:
        dispatcher.utter_message(
            response="utter_procedure_info",
            name=name,
            field=record.get("field", ""),
            agency=record.get("agency", ""),
            level=formatting.LEVEL_LABELS.get(str(record.get("level")), ""),
            modes=formatting.submission_modes(record),
            online=formatting.online_note(record),
            result=record.get("result") or "chưa có thông tin",
        )
    if topic in ("info", "time") and record.get("notes"):
        dispatcher.utter_message(response="utter_procedure_caveat", notes=record["notes"])
    if unverified:
        dispatcher.utter_message(response="utter_unverified")


def chosen(record: Record) -> list[EventType]:
    return [SlotSet("procedure_code", record["code"]), SlotSet("pending_topic", None)]


async def find_procedure(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
) -> tuple[Record | None, list[EventType]]:
    """The catalogue record the user means. When unsure it asks back (candidate buttons
    that carry the topic, or "which procedure?") and returns no record.

    Raises CaseApiError when the catalogue cannot be read."""
    catalogue = services.catalogue()
    chosen_codes = latest_entities(tracker, "procedure_code")
    mentions = latest_entities(tracker, "procedure")
    text = tracker.latest_message.get("text") or ""
    if chosen_codes:
        record = await catalogue.get(chosen_codes[0])
        if record is not None:
            return record, chosen(record)
    previous = tracker.get_slot("procedure_code")
    resolution = None
    for query in [*mentions, text]:
        if query.strip():
            resolution = await catalogue.resolve(query)
            if resolution.confident:
                break
    best = resolution.best if resolution is not None and resolution.confident else None
    # Without a mention the whole message is matched; in a follow-up ("thế còn lệ phí?") a
    # stray word can look like a procedure, so only a strong match replaces the previous one.
    if best is not None and (mentions or not previous or best.score >= FOLLOW_UP_SWITCH_SCORE):
        record = await catalogue.get(best.code)
        if record is not None:
            return record, chosen(record)
    if previous and not mentions:
        # A follow-up such as "còn lệ phí thì sao?" keeps talking about the same procedure.
        record = await catalogue.get(previous)
        if record is not None:
            return record, [SlotSet("pending_topic", None)]
    if resolution is not None and resolution.candidates:
        intent = INTENT_BY_TOPIC[topic]
        buttons = [
            {
                "title": candidate.name,
                "payload": f"/{intent}{json.dumps({'procedure_code': candidate.code})}",
            }
            for candidate in resolution.candidates[:3]
        ]
        dispatcher.utter_message(response="utter_choose_procedure", buttons=buttons)
    elif mentions:
        dispatcher.utter_message(response="utter_procedure_not_found", mention=mentions[0][:80])
    else:
        dispatcher.utter_message(response="utter_ask_which_procedure")
    return None, [SlotSet("pending_topic", topic)]


async def find_procedure_or_apologize(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
) -> tuple[Record | None, list[EventType]]:
    """find_procedure, with the apology already sent when the catalogue cannot be read."""
    try:
        return await find_procedure(dispatcher, tracker, topic)
    except CaseApiError as err:
        logger.warning("procedure look-up failed: %s", type(err).__name__)
        dispatcher.utter_message(response="utter_service_unavailable")
        return None, []


async def answer_procedure(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
) -> list[EventType]:
    """Resolve which procedure the user means, then answer, ask back, or ask which one."""
    record, events = await find_procedure_or_apologize(dispatcher, tracker, topic)
    if record is not None:
        render(dispatcher, record, topic)
    return events


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = TOPIC_BY_INTENT.get(str(intent)) or tracker.get_slot("pending_topic") or "info"
        return await answer_procedure(dispatcher, tracker, topic)
