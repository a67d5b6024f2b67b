"""validate_status_form and action_show_status against the real reference core API."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import lockout
from actions.status import ActionShowStatus, ValidateStatusForm
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.usefixtures("live_services")
CODE = "000.00.17.G17-241219-0001"
RESET = [
    SlotSet("tracking_code", None),
    SlotSet("phone_last4", None),
    SlotSet("status_outcome", None),
]


async def show(slots: dict[str, Any]) -> tuple[list, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await ActionShowStatus().run(dispatcher, make_tracker("x", "inform", slots=slots), {})
    return events, dispatcher


async def test_right_digits_show_the_status_and_forget_the_digits() -> None:
    events, dispatcher = await show({"tracking_code": CODE, "phone_last4": "5678"})
    assert events == RESET
    [message] = dispatcher.messages
    assert message["response"] == "utter_status"
    assert message["tracking_code"] == CODE
    assert message["stage_label"] and message["next_step"]


async def test_wrong_digits_ask_again_and_count() -> None:
    events, dispatcher = await show({"tracking_code": CODE, "phone_last4": "0000"})
    attempts = events[0].get("value") if isinstance(events[0], dict) else None
    assert events[0]["event"] == "slot" and events[0]["name"] == "phone_attempts"
    assert events[1:] == [
        SlotSet("phone_last4", None),
        ActiveLoop("status_form"),
        SlotSet("requested_slot", "phone_last4"),
    ]
    assert [m["response"] for m in dispatcher.messages] == ["utter_phone_mismatch"]
    assert dispatcher.messages[0]["remaining"] == 4
    assert attempts is not None and len(attempts["failures"][CODE]) == 1


async def test_the_fifth_wrong_try_locks_and_right_digits_stay_locked() -> None:
    state: Any = None
    for i in range(4):
        state = lockout.record_failure(state, CODE, now=__import__("time").time() - i)
    events, dispatcher = await show(
        {"tracking_code": CODE, "phone_last4": "0000", "phone_attempts": state}
    )
    assert dispatcher.messages[0]["response"] == "utter_status_locked"
    locked_state = events[0]["value"]
    assert lockout.is_locked(locked_state, CODE)
    events, dispatcher = await show(
        {"tracking_code": CODE, "phone_last4": "5678", "phone_attempts": locked_state}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_status_locked"]
    assert events == RESET


async def test_unknown_code_is_reported_by_the_validator() -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateStatusForm().validate_tracking_code(
        "000.00.01.G06-200101-9999", dispatcher, make_tracker("x", "inform"), {}
    )
    assert result == {"tracking_code": None}
    assert dispatcher.messages[0]["response"] == "utter_tracking_code_unknown"


async def test_validator_canonicalises_a_sloppy_code() -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateStatusForm().validate_tracking_code(
        " 000.00.17.g17 - 241219 - 0001 ", dispatcher, make_tracker("x", "inform"), {}
    )
    assert result == {"tracking_code": CODE}
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["abc", "12", "không nhớ"])
async def test_validator_explains_bad_digits(text: str) -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateStatusForm().validate_phone_last4(
        text, dispatcher, make_tracker(text, "inform"), {}
    )
    assert result == {"phone_last4": None}
    assert dispatcher.messages[0]["response"] == "utter_phone_last4_invalid"


async def test_validator_takes_the_last_four_of_a_full_number() -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateStatusForm().validate_phone_last4(
        "số của tôi là 0912 345 678", dispatcher, make_tracker("x", "inform"), {}
    )
    assert result == {"phone_last4": "5678"}


async def test_a_locked_code_is_reported_even_before_digits_are_asked() -> None:
    events, dispatcher = await show({"tracking_code": CODE, "status_outcome": "locked"})
    assert [m["response"] for m in dispatcher.messages] == ["utter_status_locked"]
    assert events == RESET
