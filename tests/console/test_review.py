"""Intent and confidence per user message, the "wrong answer" flag, the review queue and its
export as Rasa NLU training data (parsed back with Rasa's own reader)."""

from __future__ import annotations

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from connectors.console.review import export_nlu, training_text
from connectors.console.watch import WatchedAssistant
from tests.console.conftest import ConsoleApp
from tests.console.test_handover import ScriptedAssistant


def _flagged_conversation(app: ConsoleApp) -> list[dict[str, object]]:
    app.fakes.latest["web:7"] = {
        "text": "phí đăng ký nhãn hiệu, mail tôi an@vi.du [gấp]",
        "intent": {"name": "greet", "confidence": 0.41},
    }
    bot = WatchedAssistant(ScriptedAssistant({}), app.console.handover, app.console.rasa)
    app.say(bot, "7", "phí đăng ký nhãn hiệu, mail tôi an@vi.du [gấp]")
    app.fakes.latest["web:7"] = {"text": "something else", "intent": {"name": "greet"}}
    app.say(bot, "7", "số tôi 0912345678")  # the tracker's latest message is not this one
    messages: list[dict[str, object]] = app.client.get(
        "/console/api/conversations/web:7/messages"
    ).json()["messages"]
    return messages


def test_each_user_message_carries_what_rasa_understood(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.sign_in("an.nguyen")
    first, _, second, _ = _flagged_conversation(console_app)
    assert (first["from"], first["intent"], first["confidence"]) == ("user", "greet", 0.41)
    assert "intent" not in second and "0912345678" not in str(second["text"])


def test_flag_review_and_export(console_app: ConsoleApp) -> None:
    console_app.create_staff("an.nguyen")
    console_app.create_staff("giam.sat", "supervisor")
    console_app.sign_in("an.nguyen")
    messages = _flagged_conversation(console_app)
    intents = console_app.client.get("/console/api/intents").json()["intents"]
    assert "ask_fee" in intents and not any(i.startswith("EXTERNAL_") for i in intents)

    url = "/console/api/conversations/web:7/flag"
    user_ids = [str(m["id"]) for m in messages if m["from"] == "user"]
    bot_id = next(str(m["id"]) for m in messages if m["from"] == "bot")

    def flag(message_id: str, intent: str) -> int:
        return console_app.post(url, {"message_id": message_id, "intent": intent}).status_code

    assert flag(user_ids[0], "no_such") == 422
    assert flag(bot_id, "ask_fee") == 404
    assert flag("nope", "ask_fee") == 404
    assert flag(user_ids[0], "ask_fee") == 200
    assert flag(user_ids[1], "check_status") == 200

    console_app.sign_in("giam.sat")
    [fee, status] = console_app.client.get("/console/api/review").json()["items"]
    assert (fee["predicted"], fee["correct"], fee["flagged_by"]) == (
        "greet", "ask_fee", "an.nguyen")
    assert (status["predicted"], status["correct"]) == (None, "check_status")
    export = console_app.client.get("/console/api/review/export")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    data = RasaYAMLReader().reads(export.text)
    by_intent = {m.get("intent"): m.get("text") for m in data.intent_examples}
    assert by_intent == {
        "ask_fee": "phí đăng ký nhãn hiệu, mail tôi *** (gấp)",
        "check_status": "số tôi ***",
    }
    assert not data.entity_examples  # the brackets did not become an entity annotation


def test_export_of_nothing_and_of_duplicates_parses() -> None:
    assert RasaYAMLReader().reads(export_nlu([])).intent_examples == []
    item = {"text": "lệ phí: bao nhiêu? # hỏi", "correct": "ask_fee"}
    data = RasaYAMLReader().reads(export_nlu([item, item, {"text": "x", "correct": "bad name"}]))
    assert [m.get("text") for m in data.intent_examples] == ["lệ phí: bao nhiêu? # hỏi"]
    assert training_text("mã 001099012345 và ••••") == "mã *** và ***"
