"""Tests of the Rasa components: VietnameseTokenizer and TrackingCodeExtractor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.tokenizer import VietnameseTokenizer
from nlu.components.tracking_codes import TrackingCodeExtractor

CODE = "000.00.17.G17-241219-0001"


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def tokenizer(storage: LocalModelStorage, context: ExecutionContext) -> VietnameseTokenizer:
    config = VietnameseTokenizer.get_default_config()
    return VietnameseTokenizer.create(config, storage, Resource("tokenizer"), context)


@pytest.fixture
def extractor(storage: LocalModelStorage, context: ExecutionContext) -> TrackingCodeExtractor:
    config = TrackingCodeExtractor.get_default_config()
    return TrackingCodeExtractor.create(config, storage, Resource("codes"), context)


def tokens_of(tokenizer: VietnameseTokenizer, text: str) -> list[Any]:
    [message] = tokenizer.process([Message(data={TEXT: text})])
    return list(message.get(TOKENS_NAMES[TEXT]))


class TestVietnameseTokenizer:
    def test_tokens_keep_original_text_and_offsets(self, tokenizer: VietnameseTokenizer) -> None:
        text = "Tôi muốn Đăng Ký nhãn hiệu"
        tokens = tokens_of(tokenizer, text)
        assert [t.text for t in tokens] == ["Tôi", "muốn", "Đăng", "Ký", "nhãn", "hiệu"]
        assert all(text[t.start : t.end] == t.text for t in tokens)

    def test_accented_unaccented_and_shorthand_share_lemmas(
        self, tokenizer: VietnameseTokenizer
    ) -> None:
        variants = ["Đăng Ký Nhãn Hiệu", "dang ky nhan hieu", "đăng kí nhãn hiệu"]
        lemmas = {tuple(t.lemma for t in tokens_of(tokenizer, v)) for v in variants}
        assert lemmas == {("dang", "ki", "nhan", "hieu")}

    def test_shorthand_lemmas(self, tokenizer: VietnameseTokenizer) -> None:
        tokens = tokens_of(tokenizer, "đki nhãn hiệu ntn, ko dc à?")
        assert [t.lemma for t in tokens] == [
            "dang ki", "nhan", "hieu", "nhu the nao", "khong", "duoc", "a",
        ]  # fmt: skip

    def test_clause_end_reading(self, tokenizer: VietnameseTokenizer) -> None:
        assert tokens_of(tokenizer, "da phai a")[-1].lemma == "a"
        assert tokens_of(tokenizer, "a muon hoi")[0].lemma == "anh"

    def test_spoken_numbers_fold_to_digits(self, tokenizer: VietnameseTokenizer) -> None:
        tokens = tokens_of(tokenizer, "sđt không chín một hai ba")
        assert [t.lemma for t in tokens] == ["so dien thoai"] + ["09123"] * 5

    def test_ordinary_number_words_stay_words(self, tokenizer: VietnameseTokenizer) -> None:
        assert [t.lemma for t in tokens_of(tokenizer, "một cửa")] == ["mot", "cua"]

    def test_training_data_annotations_line_up(self, tokenizer: VietnameseTokenizer) -> None:
        text = "cho tôi hỏi thủ tục đăng ký nhãn hiệu"
        start = text.index("đăng")
        entity = {"entity": "procedure", "start": start, "end": len(text), "value": text[start:]}
        example = Message(data={TEXT: text, INTENT: "ask_procedure", ENTITIES: [entity]})
        data = tokenizer.process_training_data(TrainingData([example]))
        tokens = data.training_examples[0].get(TOKENS_NAMES[TEXT])
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        assert entity["start"] in starts and entity["end"] in ends

    def test_count_vectors_see_variants_as_one(
        self,
        tokenizer: VietnameseTokenizer,
        storage: LocalModelStorage,
        context: ExecutionContext,
    ) -> None:
        examples = [
            Message(data={TEXT: "làm như thế nào", INTENT: "ask"}),
            Message(data={TEXT: "Đăng ký nhãn hiệu", INTENT: "register"}),
        ]
        data = tokenizer.process_training_data(TrainingData(examples))
        featurizer = CountVectorsFeaturizer.create(
            CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
        )
        featurizer.train(data)

        def sentence_vector(text: str) -> np.ndarray:
            [message] = featurizer.process(tokenizer.process([Message(data={TEXT: text})]))
            _, sentence = message.get_sparse_features(TEXT)
            assert sentence is not None
            return np.asarray(sentence.features.todense())

        registered = sentence_vector("Đăng ký nhãn hiệu")
        assert registered.sum() > 0
        assert np.array_equal(registered, sentence_vector("dang ki nhan hieu"))
        assert np.array_equal(registered, sentence_vector("đki nhãn hiệu"))
        assert np.array_equal(sentence_vector("làm ntn"), sentence_vector("lam nhu the nao"))


class TestTrackingCodeExtractor:
    def test_entities_with_original_offsets(self, extractor: TrackingCodeExtractor) -> None:
        text = f"mã {CODE.lower()} 4 số cuối 5678"
        [message] = extractor.process([Message(data={TEXT: text})])
        entities = message.get(ENTITIES)
        assert [(e["entity"], e["value"]) for e in entities] == [
            ("tracking_code", CODE),
            ("phone_last4", "5678"),
        ]
        for entity in entities:
            assert entity["extractor"] == "TrackingCodeExtractor"
            assert entity["confidence"] == 1.0
        assert text[entities[0]["start"] : entities[0]["end"]] == CODE.lower()
        assert text[entities[1]["start"] : entities[1]["end"]] == "5678"

    def test_spoken_code(self, extractor: TrackingCodeExtractor) -> None:
        text = (
            "mã hồ sơ không không không chấm không không chấm mười bảy chấm gờ mười bảy "
            "gạch hai bốn một hai một chín gạch không không không một"
        )
        [message] = extractor.process([Message(data={TEXT: text})])
        [entity] = message.get(ENTITIES)
        assert entity["value"] == CODE
        assert (entity["start"], entity["end"]) == (9, len(text))

    def test_keeps_entities_of_other_extractors(self, extractor: TrackingCodeExtractor) -> None:
        earlier = {"entity": "procedure", "start": 0, "end": 3, "value": "abc"}
        message = Message(data={TEXT: f"abc {CODE}", ENTITIES: [earlier]})
        [message] = extractor.process([message])
        assert [e["entity"] for e in message.get(ENTITIES)] == ["procedure", "tracking_code"]

    def test_nothing_found(self, extractor: TrackingCodeExtractor) -> None:
        [message] = extractor.process([Message(data={TEXT: "xin chào"})])
        assert message.get(ENTITIES) == []

    def test_optional_types(self, storage: LocalModelStorage, context: ExecutionContext) -> None:
        config = {"entities": ["citizen_id"], "partial_codes": "tracking_code_suffix"}
        extractor = TrackingCodeExtractor.create(config, storage, Resource("x"), context)
        [message] = extractor.process([Message(data={TEXT: "241219-0001 cccd 001234567890"})])
        assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [
            ("tracking_code_suffix", "241219-0001"),
            ("citizen_id", "001234567890"),
        ]

    @pytest.mark.parametrize(
        ("text", "value", "span"),
        [
            ("hồ sơ mã 260103-0057 ở đâu", "260103-0057", "260103-0057"),
            ("check hs mã g06-260116-0203 giúp e", "G06-260116-0203", "g06-260116-0203"),
            (
                "hồ sơ giê không sáu gạch hai sáu không hai không một gạch không không một năm",
                "G06-260201-0015",
                "giê không sáu gạch hai sáu không hai không một gạch không không một năm",
            ),
            (
                "hồ sơ mã hai lăm mười hai mười chín gạch không không không bảy",
                "251219-0007",
                "hai lăm mười hai mười chín gạch không không không bảy",
            ),
        ],
    )
    def test_partial_codes_are_tracking_codes_by_default(
        self, extractor: TrackingCodeExtractor, text: str, value: str, span: str
    ) -> None:
        [message] = extractor.process([Message(data={TEXT: text})])
        [entity] = message.get(ENTITIES)
        assert (entity["entity"], entity["value"]) == ("tracking_code", value)
        assert text[entity["start"] : entity["end"]] == span

    def test_partial_codes_can_be_dropped(
        self, storage: LocalModelStorage, context: ExecutionContext
    ) -> None:
        config = {"partial_codes": None}
        extractor = TrackingCodeExtractor.create(config, storage, Resource("x"), context)
        [message] = extractor.process([Message(data={TEXT: "hồ sơ 260103-0057"})])
        assert message.get(ENTITIES) == []

    def test_unknown_type_is_a_config_error(self) -> None:
        with pytest.raises(ValueError, match="unknown entity types"):
            TrackingCodeExtractor({"entities": ["colour"]})
