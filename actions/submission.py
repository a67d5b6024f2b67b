"""Submitting an application: start, the form's checks and questions, the submission itself,
and the announcement when a queued submission goes through later."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import applicant_fields as fields
from actions import documents, formatting, services
from actions.procedure import find_procedure_or_apologize
from actions.utterance import is_wordless
from connectors.case_api import CaseApiUnavailable, Rejected
from connectors.outbox import OutboxJob
from connectors.settings import Settings
from nlu.normalize import fold

logger = logging.getLogger(__name__)

FORM_SLOTS = [
    "applicant_type",
    "full_name",
    "id_number",
    "phone",
    "email",
    "delivery_method",
    "delivery_address",
    "documents_done",
    "submission_confirmed",
    "correct_field",
]
CORRECTABLE = {
    "full_name": "Họ tên",
    "id_number": "Số CCCD / mã số thuế",
    "phone": "Số điện thoại",
    "email": "E-mail",
    "delivery_method": "Cách nhận kết quả",
    "documents_done": "Giấy tờ",
}
NO_EMAIL = "-"
NO_EMAIL_WORDS = {
    "khong",
    "khong co",
    "ko",
    "k",
    "ko co",
    "k co",
    "chua co",
    "khong dung",
    "bo qua",
}


def reset_form() -> list[EventType]:
    events: list[EventType] = [SlotSet(name, None) for name in FORM_SLOTS]
    return [*events, SlotSet("submission_documents", None), SlotSet("submission_procedure", None)]


def latest_attachments(tracker: Tracker) -> list[dict[str, Any]]:
    """Files sent with the latest user message (`metadata.attachments` from the channel)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            attachments = (event.get("metadata") or {}).get("attachments") or []
            return [a for a in attachments if isinstance(a, dict)][:20]
    return []


class ActionStartSubmission(Action):
    """Finds the procedure; starts the form when it can be filed online, else says where."""

    def name(self) -> str:
        return "action_start_submission"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record, events = await find_procedure_or_apologize(dispatcher, tracker, "submit")
        if record is None:
            return events
        components = record.get("components") or []
        if "online" not in (record.get("submission_modes") or []):
            post = "post" in (record.get("submission_modes") or [])
            dispatcher.utter_message(
                response="utter_submission_offline",
                name=record["name"],
                post_note="" if post else " — thủ tục này không nhận hồ sơ qua bưu chính",
                documents=formatting.documents_list(components),
            )
            return events
        dispatcher.utter_message(response="utter_submission_start", name=record["name"])
        prefilled = (
            [] if documents.required_indexes(components) else [SlotSet("documents_done", "none")]
        )
        return [
            *events,
            *reset_form(),
            SlotSet("submission_procedure", record["code"]),
            SlotSet("submission_documents", []),
            *prefilled,
            FollowupAction("submission_form"),
        ]


async def procedure_record(tracker: Tracker) -> dict[str, Any] | None:
    code = tracker.get_slot("submission_procedure")
    return await services.catalogue().get(code) if code else None


class ValidateSubmissionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_submission_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        wanted = list(domain_slots)
        if tracker.get_slot("delivery_method") != "post":
            wanted.remove("delivery_address")
        if tracker.get_slot("submission_confirmed") != "no":
            wanted.remove("correct_field")
        return wanted

    def _checked(
        self, slot: str, checked: fields.Checked, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        if checked.value is None:
            dispatcher.utter_message(response="utter_invalid_field", reason=checked.error)
        return {slot: checked.value}

    async def validate_applicant_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = fold(str(value))
        if value == "business" or any(w in text for w in ("doanh nghiep", "cong ty", "to chuc")):
            return {"applicant_type": "business"}
        if value == "individual" or "ca nhan" in text:
            return {"applicant_type": "individual"}
        dispatcher.utter_message(response="utter_ask_applicant_type")
        return {"applicant_type": None}

    async def validate_full_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("full_name", fields.check_full_name(str(value)), dispatcher)

    async def validate_id_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("applicant_type") == "business":
            return self._checked("id_number", fields.check_tax_code(str(value)), dispatcher)
        return self._checked("id_number", fields.check_citizen_id(str(value)), dispatcher)

    async def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("phone", fields.check_mobile(str(value)), dispatcher)

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if fold(str(value)).strip(" .!") in NO_EMAIL_WORDS:
            return {"email": NO_EMAIL}
        return self._checked("email", fields.check_email(str(value)), dispatcher)

    async def validate_delivery_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = fold(str(value))
        if value == "post" or any(w in text for w in ("buu", "gui ve", "chuyen phat", "ship")):
            return {"delivery_method": "post"}
        if value == "counter" or any(
            w in text for w in ("mot cua", "truc tiep", "tai quay", "den lay", "nhan tai")
        ):
            return {"delivery_method": "counter", "delivery_address": None}
        dispatcher.utter_message(response="utter_ask_delivery_method")
        return {"delivery_method": None}

    async def validate_delivery_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("delivery_address", fields.check_address(str(value)), dispatcher)

    async def validate_documents_done(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        record = await procedure_record(tracker)
        components = (record or {}).get("components") or []
        attached: list[dict[str, Any]] = list(tracker.get_slot("submission_documents") or [])
        taken = {int(d["component_index"]) for d in attached}
        limit = Settings.from_env().max_attachment_bytes
        for attachment in latest_attachments(tracker):
            file_name = str(attachment.get("file_name") or "tệp")[:80]
            problem = documents.attachment_problem(attachment, limit)
            index = None if problem else documents.component_for(attachment, components, taken)
            if problem or index is None:
                reason = problem or "hồ sơ đã đủ các mục, không cần thêm tệp này."
                dispatcher.utter_message(
                    response="utter_document_refused", file_name=file_name, reason=reason
                )
                continue
            taken.add(index)
            attached.append(
                {
                    "component_index": index,
                    "component": components[index]["name"],
                    "filename": file_name,
                    "content_type": str(attachment.get("mime_type") or "application/octet-stream"),
                    "size": int(attachment["size"]),
                    "url": attachment.get("url")
                    if str(attachment.get("url", "")).startswith("http")
                    else None,
                }
            )
            dispatcher.utter_message(
                response="utter_document_received",
                file_name=file_name,
                component=components[index]["name"],
            )
        missing = [
            components[i]["name"] for i in documents.required_indexes(components) if i not in taken
        ]
        if missing:
            if attached:
                dispatcher.utter_message(
                    response="utter_documents_missing", missing=documents.numbered(missing)
                )
            return {"documents_done": None, "submission_documents": attached}
        return {"documents_done": "yes", "submission_documents": attached}

    async def validate_submission_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Sending the application needs an explicit yes: a captionless photo is not one.
        if value in ("yes", "no") and not is_wordless(tracker):
            return {"submission_confirmed": value}
        dispatcher.utter_message(response="utter_submission_needs_yes")
        return {"submission_confirmed": None}

    async def validate_correct_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        slot = value if value in CORRECTABLE else match_field(str(value))
        if slot is None:
            return {"correct_field": None}
        cleared: dict[str, Any] = {"correct_field": None, "submission_confirmed": None, slot: None}
        if slot == "delivery_method":
            cleared["delivery_address"] = None
        if slot == "documents_done":
            cleared["submission_documents"] = []
        return cleared


def match_field(text: str) -> str | None:
    """Which field the user wants to correct, from free text ("sửa số điện thoại")."""
    folded = fold(text)
    keywords = {
        "full_name": ("ten",),
        "id_number": ("cccd", "can cuoc", "cmnd", "ma so thue", "mst"),
        "phone": ("dien thoai", "sdt", "so dt"),
        "email": ("email", "e-mail", "mail", "thu dien tu"),
        "delivery_method": ("nhan ket qua", "dia chi", "buu dien", "cach nhan"),
        "documents_done": ("giay to", "tep", "file", "tai lieu", "ho so dinh kem"),
    }
    for slot, words in keywords.items():
        if any(w in folded for w in words):
            return slot
    return None


class ActionAskDocumentsDone(Action):
    def name(self) -> str:
        return "action_ask_documents_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = await procedure_record(tracker)
        components = (record or {}).get("components") or []
        taken = {int(d["component_index"]) for d in tracker.get_slot("submission_documents") or []}
        missing = [components[i] for i in documents.required_indexes(components) if i not in taken]
        optional = [
            c for i, c in enumerate(components) if not c.get("required", True) and i not in taken
        ]
        dispatcher.utter_message(
            response="utter_documents_to_send",
            documents=formatting.documents_list([*missing, *optional]),
        )
        return []


class ActionAskSubmissionConfirmed(Action):
    """Reads the whole application back before anything is sent."""

    def name(self) -> str:
        return "action_ask_submission_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = await procedure_record(tracker) or {}
        business = tracker.get_slot("applicant_type") == "business"
        delivery = "Tại Bộ phận Một cửa, 113 Trần Duy Hưng, Hà Nội"
        if tracker.get_slot("delivery_method") == "post":
            delivery = f"Qua bưu điện, về: {tracker.get_slot('delivery_address')}"
        attached = tracker.get_slot("submission_documents") or []
        email = tracker.get_slot("email")
        dispatcher.utter_message(
            response="utter_submission_summary",
            procedure=record.get("name", ""),
            full_name=tracker.get_slot("full_name"),
            applicant_type="doanh nghiệp/tổ chức" if business else "cá nhân",
            id_label="Mã số thuế" if business else "Số CCCD",
            id_number=tracker.get_slot("id_number"),
            phone=tracker.get_slot("phone"),
            email="không có" if email in (None, NO_EMAIL) else email,
            delivery=delivery,
            documents=", ".join(d["filename"] for d in attached) or "không có",
        )
        return []


class ActionAskCorrectField(Action):
    def name(self) -> str:
        return "action_ask_correct_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        buttons = [
            {"title": title, "payload": f"/inform{json.dumps({'correct_field': slot})}"}
            for slot, title in CORRECTABLE.items()
        ]
        dispatcher.utter_message(response="utter_which_field", buttons=buttons)
        return []


def application_payload(tracker: Tracker) -> dict[str, Any]:
    business = tracker.get_slot("applicant_type") == "business"
    email = tracker.get_slot("email")
    post = tracker.get_slot("delivery_method") == "post"
    return {
        "procedure_code": tracker.get_slot("submission_procedure"),
        "applicant": {
            "full_name": tracker.get_slot("full_name"),
            "id_type": "tax_code" if business else "cccd",
            "id_number": tracker.get_slot("id_number"),
            "phone": tracker.get_slot("phone"),
            "email": None if email in (None, NO_EMAIL) else email,
        },
        "delivery": {
            "method": "post" if post else "counter",
            "address": tracker.get_slot("delivery_address") if post else None,
        },
        "documents": [
            {k: d[k] for k in ("component", "filename", "content_type", "size", "url")}
            for d in tracker.get_slot("submission_documents") or []
        ],
        "channel": tracker.get_latest_input_channel(),
    }


def idempotency_key(tracker: Tracker, payload: dict[str, Any]) -> str:
    """Same conversation, same form run, same content: same key, so a retry or a double
    confirmation can never create a second application."""
    form_started = next(
        (
            e.get("timestamp")
            for e in reversed(tracker.events)
            if e.get("event") == "active_loop" and e.get("name") == "submission_form"
        ),
        None,
    )
    material = json.dumps(
        [tracker.sender_id, form_started, payload], sort_keys=True, ensure_ascii=False
    )
    return "sub-" + hashlib.sha256(material.encode()).hexdigest()[:48]


class ActionSubmitApplication(Action):
    def name(self) -> str:
        return "action_submit_application"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("submission_confirmed") != "yes":
            dispatcher.utter_message(response="utter_submission_cancelled")
            return reset_form()
        payload = application_payload(tracker)
        key = idempotency_key(tracker, payload)
        record = await procedure_record(tracker) or {}
        try:
            result = await services.case_api().submit_application(payload, key)
        except Rejected as err:
            logger.warning("submission refused by the core API (%s)", err.status)
            reason = str(
                err.body.get("message") or err.body.get("error") or "thông tin chưa hợp lệ"
            )
            dispatcher.utter_message(response="utter_submission_rejected", reason=reason[:200])
            await hand_to_staff(tracker, payload, key, record, f"refused: {err.status}")
            return reset_form()
        except CaseApiUnavailable:
            queued = await queue_for_later(tracker, payload, key, record)
            dispatcher.utter_message(
                response="utter_submission_queued" if queued else "utter_submission_failed"
            )
            return reset_form() if queued else []
        dispatcher.utter_message(
            response="utter_submission_accepted",
            tracking_code=result.get("tracking_code"),
            deadline=formatting.format_date(result.get("deadline")),
        )
        return [*reset_form(), SlotSet("last_tracking_code", result.get("tracking_code"))]


def submission_job(
    tracker: Tracker, payload: dict[str, Any], key: str, record: dict[str, Any]
) -> OutboxJob:
    return OutboxJob(
        id=key, payload=payload, sender_id=tracker.sender_id, procedure_name=record.get("name", "")
    )


async def queue_for_later(
    tracker: Tracker, payload: dict[str, Any], key: str, record: dict[str, Any]
) -> bool:
    outbox = services.outbox()
    if outbox is None:
        return False
    job = submission_job(tracker, payload, key, record)
    try:
        await outbox.enqueue(job)
    except Exception as err:
        logger.error("outbox unavailable: %s", type(err).__name__)
        return False
    logger.info("submission queued in the outbox")
    return True


async def hand_to_staff(
    tracker: Tracker, payload: dict[str, Any], key: str, record: dict[str, Any], reason: str
) -> None:
    outbox = services.outbox()
    if outbox is None:
        return
    job = submission_job(tracker, payload, key, record)
    try:
        await outbox.hand_to_staff(job, reason)
    except Exception as err:
        logger.error("could not hand the submission to staff: %s", type(err).__name__)


class ActionAnnounceSubmission(Action):
    """Triggered by the outbox worker (EXTERNAL_submission_accepted) once a queued file is in."""

    def name(self) -> str:
        return "action_announce_submission"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = {e["entity"]: e.get("value") for e in tracker.latest_message.get("entities", [])}
        code = entities.get("tracking_code")
        dispatcher.utter_message(
            response="utter_submission_accepted",
            tracking_code=code,
            deadline=formatting.format_date(entities.get("deadline")),
        )
        return [SlotSet("last_tracking_code", code)]


class ActionAnnounceHandedToStaff(Action):
    def name(self) -> str:
        return "action_announce_handed_to_staff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = {e["entity"]: e.get("value") for e in tracker.latest_message.get("entities", [])}
        dispatcher.utter_message(
            response="utter_submission_handed_to_staff", procedure=entities.get("procedure") or ""
        )
        return []
