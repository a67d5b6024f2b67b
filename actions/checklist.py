"""Document check: what the user has, what is still missing, what is only sometimes needed.

Either the user names what they have ("tôi có tờ khai và mẫu nhãn rồi, còn thiếu gì?") and
gets the answer at once, or the assistant walks through the checklist one item at a time
with yes/no buttons (checklist_form)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import documents, services
from actions.procedure import find_procedure_or_apologize
from actions.utterance import is_wordless

Component = dict[str, Any]


def checklist_result(components: Sequence[Component], have: set[int]) -> str:
    """Three short lists: had, missing and required, needed only in some cases."""
    lines: list[str] = []
    had = [components[i]["name"] for i in sorted(have)]
    missing = [
        c["name"] for i, c in enumerate(components) if c.get("required", True) and i not in have
    ]
    sometimes = [
        c for i, c in enumerate(components) if not c.get("required", True) and i not in have
    ]
    if had:
        lines += ["✅ Đã có:", *(f"• {name}" for name in had)]
    if missing:
        lines += ["❌ Còn thiếu (bắt buộc):", *(f"• {name}" for name in missing)]
    else:
        lines.append("👍 Bạn đã đủ các giấy tờ bắt buộc.")
    if sometimes:
        lines.append("ℹ️ Chỉ cần trong một số trường hợp:")
        lines += [
            f"• {c['name']}" + (f" — {c['condition']}" if c.get("condition") else "")
            for c in sometimes
        ]
    return "\n".join(lines)


class ActionCheckDocuments(Action):
    def name(self) -> str:
        return "action_check_documents"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record, events = await find_procedure_or_apologize(dispatcher, tracker, "check")
        if record is None:
            return events
        components = record.get("components") or []
        named = documents.mentioned_components(tracker.latest_message.get("text") or "", components)
        if named or not components:
            dispatcher.utter_message(
                response="utter_checklist_result",
                name=record["name"],
                result=checklist_result(components, set(named)),
            )
            return events
        dispatcher.utter_message(response="utter_checklist_intro", name=record["name"])
        state = {"procedure": record["code"], "index": 0, "have": []}
        return [
            *events,
            SlotSet("checklist_state", state),
            SlotSet("checklist_answer", None),
            FollowupAction("checklist_form"),
        ]


async def state_and_components(tracker: Tracker) -> tuple[dict[str, Any], list[Component], str]:
    state = dict(tracker.get_slot("checklist_state") or {})
    record = await services.catalogue().get(str(state.get("procedure"))) or {}
    return state, list(record.get("components") or []), str(record.get("name", ""))


class ActionAskChecklistAnswer(Action):
    def name(self) -> str:
        return "action_ask_checklist_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state, components, _ = await state_and_components(tracker)
        index = int(state.get("index", 0))
        if index >= len(components):
            return []
        component = components[index]
        note = (
            f" (chỉ cần {component['condition'][0].lower()}{component['condition'][1:]})"
            if (not component.get("required", True) and component.get("condition"))
            else ""
        )
        dispatcher.utter_message(
            response="utter_checklist_question",
            number=index + 1,
            total=len(components),
            item=component["name"],
            note=note,
        )
        return []


class ValidateChecklistForm(FormValidationAction):
    def name(self) -> str:
        return "validate_checklist_form"

    async def validate_checklist_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        state, components, _ = await state_and_components(tracker)
        if value not in ("yes", "no") or is_wordless(tracker):
            return {"checklist_answer": None}
        index = int(state.get("index", 0))
        have = list(state.get("have", []))
        if value == "yes" and index < len(components):
            have.append(index)
        state.update(index=index + 1, have=have)
        done = state["index"] >= len(components)
        return {"checklist_answer": "done" if done else None, "checklist_state": state}


class ActionChecklistSummary(Action):
    def name(self) -> str:
        return "action_checklist_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state, components, name = await state_and_components(tracker)
        if components:
            dispatcher.utter_message(
                response="utter_checklist_result",
                name=name,
                result=checklist_result(components, set(state.get("have", []))),
            )
        return [SlotSet("checklist_state", None), SlotSet("checklist_answer", None)]
