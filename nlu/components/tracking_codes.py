"""Entities that need no training: tracking codes and the phone's last 4 digits.

Uses ``nlu.codes``: typed, sloppy and spoken codes all give the canonical
value, with start/end pointing at what the user wrote. Which entity types are
emitted is configurable; by default ``tracking_code`` and ``phone_last4``.
``citizen_id`` can be added.

A partial code ("260116-0203", "G06-260116-0203") is what the user gave as
their code, so by default it is a ``tracking_code`` too (the training and
evaluation data annotate it so); the dialogue can then say the code is
incomplete rather than ignore it. Set ``partial_codes: tracking_code_suffix``
to emit it under its own type, or ``partial_codes: null`` to drop it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from nlu.codes import (
    CodeMatch,
    find_citizen_id,
    find_partial_code,
    find_phone_last4,
    find_tracking_codes,
)

Finder = Callable[[str], list[CodeMatch]]


def _as_list(finder: Callable[[str], CodeMatch | None]) -> Finder:
    def find_all(text: str) -> list[CodeMatch]:
        match = finder(text)
        return [match] if match else []

    return find_all


FINDERS: dict[str, Finder] = {
    "tracking_code": find_tracking_codes,
    "phone_last4": _as_list(find_phone_last4),
    "citizen_id": _as_list(find_citizen_id),
}
PARTIAL_FINDER = _as_list(find_partial_code)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TrackingCodeExtractor(GraphComponent, EntityExtractorMixin):
    """Adds tracking_code and phone_last4 entities found by ``nlu.codes``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Entity types to emit, and the type partial codes are emitted as (or None)."""
        return {"entities": ["tracking_code", "phone_last4"], "partial_codes": "tracking_code"}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        unknown = set(self._config["entities"]) - set(FINDERS)
        if unknown:
            raise ValueError(f"unknown entity types {sorted(unknown)}; known: {sorted(FINDERS)}")
        self._finders: list[tuple[str, Finder]] = [
            (entity_type, FINDERS[entity_type]) for entity_type in self._config["entities"]
        ]
        if self._config["partial_codes"]:
            self._finders.append((str(self._config["partial_codes"]), PARTIAL_FINDER))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TrackingCodeExtractor:
        """Creates the component (see parent class for full docstring)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Appends the entities found in each message's text."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            found = self.add_extractor_name(self.extract(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities of the configured types, in order of appearance."""
        entities = [
            {
                ENTITY_ATTRIBUTE_TYPE: entity_type,
                ENTITY_ATTRIBUTE_START: match.start,
                ENTITY_ATTRIBUTE_END: match.end,
                ENTITY_ATTRIBUTE_VALUE: match.value,
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            for entity_type, finder in self._finders
            for match in finder(text)
        ]
        return sorted(entities, key=lambda e: (e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_TYPE]))
