"""action_answer_procedure and action_route_inform against the real reference core API."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionRouteInform
from actions.procedure import ActionAnswerProcedure
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.usefixtures("live_services")


async def run(tracker_args: dict, action: object = None) -> tuple[list, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    act = action or ActionAnswerProcedure()
    events = await act.run(dispatcher, make_tracker(**tracker_args), {})  # type: ignore[attr-defined]
    return events, dispatcher


async def test_documents_of_a_clear_procedure() -> None:
    events, dispatcher = await run(
        {
            "text": "đăng ký nhãn hiệu cần giấy tờ gì",
            "intent": "ask_documents",
            "entities": [{"entity": "procedure", "value": "đăng ký nhãn hiệu"}],
        }
    )
    assert events == [SlotSet("procedure_code", "SHTT-01"), SlotSet("pending_topic", None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_procedure_documents"]
    assert dispatcher.messages[0]["documents"].startswith("1. ")


async def test_fee_of_an_unverified_fee_adds_the_warning() -> None:
    _, dispatcher = await run({"text": "phí đăng ký nhãn hiệu", "intent": "ask_fee"})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_procedure_fee", "utter_unverified"]
    assert "150.000 đồng" in dispatcher.messages[0]["fee"]


async def test_follow_up_uses_the_procedure_in_the_slot() -> None:
    events, dispatcher = await run(
        {
            "text": "thế còn mất bao lâu",
            "intent": "ask_processing_time",
            "slots": {"procedure_code": "TCDL-01"},
        }
    )
    assert events == [SlotSet("pending_topic", None)]
    assert dispatcher.messages[0]["response"] == "utter_procedure_time"
    assert "mã số mã vạch" in dispatcher.messages[0]["name"]


async def test_ambiguous_question_gives_buttons_that_carry_the_topic() -> None:
    events, dispatcher = await run({"text": "cho tôi hỏi về giấy phép", "intent": "ask_fee"})
    assert events == [SlotSet("pending_topic", "fee")]
    [message] = dispatcher.messages
    assert message["response"] == "utter_choose_procedure"
    assert 2 <= len(message["buttons"]) <= 3
    payload = message["buttons"][0]["payload"]
    assert payload.startswith("/ask_fee{")
    assert json.loads(payload[len("/ask_fee") :])["procedure_code"]


async def test_a_pressed_button_answers_that_procedure() -> None:
    events, dispatcher = await run(
        {
            "text": '/ask_fee{"procedure_code": "BC-01"}',
            "intent": "ask_fee",
            "entities": [{"entity": "procedure_code", "value": "BC-01"}],
        }
    )
    assert events[0] == SlotSet("procedure_code", "BC-01")
    assert dispatcher.messages[0]["response"] == "utter_procedure_fee"


async def test_nothing_to_go_on_asks_which_procedure() -> None:
    events, dispatcher = await run({"text": "lệ phí bao nhiêu", "intent": "ask_fee"})
    assert events == [SlotSet("pending_topic", "fee")]
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_which_procedure"]


async def test_unknown_mention_says_so() -> None:
    _, dispatcher = await run(
        {
            "text": "thủ tục xyz abc",
            "intent": "ask_procedure",
            "entities": [{"entity": "procedure", "value": "xyz abc"}],
        }
    )
    assert dispatcher.messages[0]["response"] == "utter_procedure_not_found"


async def test_bare_name_after_the_question_answers_the_pending_topic() -> None:
    _, dispatcher = await run(
        {
            "text": "cấp mã số mã vạch",
            "intent": "inform",
            "slots": {"pending_topic": "documents"},
            "entities": [{"entity": "procedure", "value": "cấp mã số mã vạch"}],
        },
        ActionRouteInform(),
    )
    assert dispatcher.messages[0]["response"] == "utter_procedure_documents"


async def test_bare_tracking_code_starts_the_status_form() -> None:
    events, dispatcher = await run(
        {
            "text": "000.00.17.G17-241219-0001",
            "intent": "inform",
            "entities": [{"entity": "tracking_code", "value": "000.00.17.G17-241219-0001"}],
        },
        ActionRouteInform(),
    )
    assert events == [FollowupAction("status_form")]
    assert dispatcher.messages == []


async def test_a_follow_up_with_a_stray_word_keeps_the_procedure() -> None:
    # "thế" folds to "the", as does "thẻ" in "cấp thẻ kiểm định viên": not a new procedure.
    _, dispatcher = await run(
        {
            "text": "thế còn lệ phí bao nhiêu?",
            "intent": "ask_fee",
            "slots": {"procedure_code": "SHTT-01"},
        }
    )
    assert dispatcher.messages[0]["name"] == "Đăng ký nhãn hiệu"


async def test_a_follow_up_naming_another_procedure_switches() -> None:
    _, dispatcher = await run(
        {
            "text": "thế phí đăng ký sáng chế thì sao",
            "intent": "ask_fee",
            "slots": {"procedure_code": "SHTT-01"},
        }
    )
    assert "sáng chế" in dispatcher.messages[0]["name"]
