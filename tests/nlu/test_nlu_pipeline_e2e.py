"""Train a tiny NLU model with both components and parse with it (slow)."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest

CONFIG = """
recipe: default.v1
language: vi
assistant_id: nlu-components-test
pipeline:
  - name: nlu.components.tokenizer.VietnameseTokenizer
  - name: nlu.components.tracking_codes.TrackingCodeExtractor
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 20
    random_seed: 42
    entity_recognition: false
    constrain_similarities: true
policies: []
"""

NLU = """
version: "3.1"
nlu:
- intent: ask_procedure
  examples: |
    - Đăng ký nhãn hiệu cần những gì
    - thủ tục đăng ký nhãn hiệu như thế nào
    - tôi muốn đăng ký sáng chế
    - hồ sơ xin giấy phép X-quang gồm gì
    - cho tôi hỏi thủ tục cấp mã số mã vạch
    - làm bằng sáng chế thế nào
- intent: check_status
  examples: |
    - hồ sơ của tôi đến đâu rồi
    - tra cứu tình trạng hồ sơ 000.00.17.G17-241219-0001
    - kiểm tra tiến độ hồ sơ giúp tôi
    - mã hồ sơ 000.00.01.G06-251219-0007 xử lý xong chưa
    - hồ sơ của tôi đã có kết quả chưa
    - tình trạng hồ sơ của tôi thế nào
- intent: greet
  examples: |
    - xin chào
    - chào bạn
    - chào buổi sáng
    - alo có ai không
    - chào ad
    - xin chào ạ
"""


def _parse_all(model_path: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)

    async def parse() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


@pytest.mark.slow
def test_unaccented_message_gets_the_accented_intent_and_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.model_training import train_nlu

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    monkeypatch.chdir(tmp_path)  # Rasa's training cache (.rasa/) goes here
    config, nlu = tmp_path / "config.yml", tmp_path / "nlu.yml"
    config.write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    nlu.write_text(textwrap.dedent(NLU), encoding="utf-8")

    model = train_nlu(str(config), str(nlu), str(tmp_path / "models"))
    assert model is not None

    accented, plain, spoken = _parse_all(
        model,
        [
            "thủ tục đăng ký nhãn hiệu như thế nào",
            "thu tuc dang ky nhan hieu ntn",
            "tra cứu hồ sơ không không không chấm không không chấm mười bảy chấm gờ "
            "mười bảy gạch hai bốn một hai một chín gạch không không không một, "
            "bốn số cuối năm sáu bảy tám",
        ],
    )
    assert accented["intent"]["name"] == "ask_procedure"
    assert plain["intent"]["name"] == accented["intent"]["name"]
    assert spoken["intent"]["name"] == "check_status"
    found = {(e["entity"], e["value"], e["extractor"]) for e in spoken["entities"]}
    assert found == {
        ("tracking_code", "000.00.17.G17-241219-0001", "TrackingCodeExtractor"),
        ("phone_last4", "5678", "TrackingCodeExtractor"),
    }
