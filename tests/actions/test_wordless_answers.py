"""A yes/no question is not answered by a message without words (a captionless photo, an
empty text), whatever intent the NLU gave it: an empty text parses as `affirm`."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.checklist import ValidateChecklistForm
from actions.submission import ValidateSubmissionForm
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize("text", ["", "   ", "\n"])
async def test_a_wordless_yes_does_not_send_the_application(text: str) -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateSubmissionForm().validate_submission_confirmed(
        "yes", dispatcher, make_tracker(text, "affirm"), {}
    )
    assert result == {"submission_confirmed": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_submission_needs_yes"]


@pytest.mark.parametrize(("text", "value"), [("có", "yes"), ("/affirm", "yes"), ("không", "no")])
async def test_a_spoken_or_tapped_answer_is_taken(text: str, value: str) -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateSubmissionForm().validate_submission_confirmed(
        value, dispatcher, make_tracker(text, "affirm" if value == "yes" else "deny"), {}
    )
    assert result == {"submission_confirmed": value}
    assert dispatcher.messages == []


@pytest.mark.usefixtures("live_services")
async def test_a_wordless_yes_does_not_tick_a_checklist_item() -> None:
    state = {"procedure": "SHTT-01", "index": 0, "have": []}
    photo = make_tracker("", "affirm", slots={"checklist_state": state})
    result = await ValidateChecklistForm().validate_checklist_answer(
        "yes", CollectingDispatcher(), photo, {}
    )
    assert result == {"checklist_answer": None}
    typed = make_tracker("có rồi", "affirm", slots={"checklist_state": state})
    result = await ValidateChecklistForm().validate_checklist_answer(
        "yes", CollectingDispatcher(), typed, {}
    )
    assert result["checklist_state"]["have"] == [0]
