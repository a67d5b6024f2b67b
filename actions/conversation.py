"""Small conversation-level actions: routing a bare answer, cancelling."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedure import answer_procedure, latest_entities
from actions.status import STATUS_SLOTS_RESET
from actions.submission import reset_form


class ActionRouteInform(Action):
    """A bare tracking code or phone digits starts a status look-up; anything else is a
    procedure mention answered for the topic the user asked about before."""

    def name(self) -> str:
        return "action_route_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if latest_entities(tracker, "tracking_code"):
            return [FollowupAction("status_form")]
        if latest_entities(tracker, "phone_last4") and not latest_entities(tracker, "procedure"):
            dispatcher.utter_message(response="utter_ask_tracking_code")
            return []
        topic = tracker.get_slot("pending_topic") or "info"
        return await answer_procedure(dispatcher, tracker, topic)


class ActionCancel(Action):
    """Stops whatever was going on; the wrong-digit counter is deliberately kept."""

    def name(self) -> str:
        return "action_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        submitting = tracker.get_slot("submission_procedure") is not None
        dispatcher.utter_message(
            response="utter_submission_cancelled" if submitting else "utter_cancelled"
        )
        return [
            *STATUS_SLOTS_RESET,
            SlotSet("pending_topic", None),
            SlotSet("checklist_state", None),
            *reset_form(),
        ]
