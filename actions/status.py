"""Status of an application by tracking code, shown only with the phone's last 4 digits."""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import formatting, lockout, services
from connectors.case_api import CaseApiUnavailable, NotFound, PhoneMismatch, TooManyAttempts
from nlu.codes import find_phone_last4, find_tracking_codes

logger = logging.getLogger(__name__)

STATUS_SLOTS_RESET = [
    SlotSet("tracking_code", None),
    SlotSet("phone_last4", None),
    SlotSet("status_outcome", None),
]


def canonical_code(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    matches = find_tracking_codes(value)
    return matches[0].value if matches else None


class ValidateStatusForm(FormValidationAction):
    """Checks the form of what the user typed; the status itself is fetched at the end."""

    def name(self) -> str:
        return "validate_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # An outcome (locked, not reachable) ends the form early; action_show_status explains.
        if tracker.get_slot("status_outcome"):
            return []
        return domain_slots

    async def validate_tracking_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = canonical_code(value)
        if code is None:
            dispatcher.utter_message(response="utter_tracking_code_invalid")
            return {"tracking_code": None}
        if lockout.is_locked(tracker.get_slot("phone_attempts"), code):
            return {"tracking_code": code, "status_outcome": "locked"}
        try:
            exists = await services.case_api().application_exists(code)
        except CaseApiUnavailable:
            return {"tracking_code": code, "status_outcome": "unavailable"}
        if not exists:
            dispatcher.utter_message(response="utter_tracking_code_unknown", tracking_code=code)
            return {"tracking_code": None}
        return {"tracking_code": code}

    async def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        match = find_phone_last4(value) if isinstance(value, str) else None
        if match is None:
            dispatcher.utter_message(response="utter_phone_last4_invalid")
            return {"phone_last4": None}
        return {"phone_last4": match.value}


class ActionShowStatus(Action):
    """Fetches the status with the code and digits; wrong digits count towards the lock."""

    def name(self) -> str:
        return "action_show_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        code = canonical_code(tracker.get_slot("tracking_code"))
        digits = tracker.get_slot("phone_last4")
        attempts = tracker.get_slot("phone_attempts")
        outcome = tracker.get_slot("status_outcome")
        if outcome == "unavailable":
            dispatcher.utter_message(response="utter_service_unavailable")
            return STATUS_SLOTS_RESET
        if code is not None and (outcome == "locked" or lockout.is_locked(attempts, code)):
            dispatcher.utter_message(response="utter_status_locked", tracking_code=code)
            return STATUS_SLOTS_RESET
        if code is None or not digits:
            dispatcher.utter_message(response="utter_ask_tracking_code")
            return STATUS_SLOTS_RESET
        try:
            status = await services.case_api().get_status(code, str(digits))
        except PhoneMismatch:
            now = time.time()
            attempts = lockout.record_failure(attempts, code, now)
            events: list[EventType] = [SlotSet("phone_attempts", attempts)]
            if lockout.is_locked(attempts, code):
                logger.info("status look-up locked after repeated wrong digits")
                dispatcher.utter_message(response="utter_status_locked", tracking_code=code)
                return events + STATUS_SLOTS_RESET
            remaining = lockout.remaining_tries(attempts, code, now)
            dispatcher.utter_message(response="utter_phone_mismatch", remaining=remaining)
            # Back into the form, which asks for the digits again. Not FollowupAction: a fresh
            # activation would re-read the wrong digits from the message just handled.
            return [
                *events,
                SlotSet("phone_last4", None),
                ActiveLoop("status_form"),
                SlotSet("requested_slot", "phone_last4"),
            ]
        except TooManyAttempts:
            dispatcher.utter_message(response="utter_status_locked", tracking_code=code)
            return STATUS_SLOTS_RESET
        except NotFound:
            dispatcher.utter_message(response="utter_tracking_code_unknown", tracking_code=code)
            return STATUS_SLOTS_RESET
        except CaseApiUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable")
            return STATUS_SLOTS_RESET
        dispatcher.utter_message(
            response="utter_status",
            tracking_code=status.get("tracking_code", code),
            procedure_name=status.get("procedure_name", ""),
            stage_label=status.get("stage_label", ""),
            responsible_unit=status.get("responsible_unit") or "chưa có thông tin",
            received=formatting.format_date(status.get("received_at")),
            deadline=formatting.format_date(status.get("deadline")),
            lateness=formatting.lateness(status),
            next_step=status.get("next_step") or "chưa có thông tin",
        )
        return STATUS_SLOTS_RESET
