import json
from pathlib import Path

import pytest

from actions import documents

CATALOGUE = {
    p["code"]: p
    for p in json.loads((Path(__file__).parents[2] / "caseapi/data/procedures.json").read_text())
}
TRADEMARK = CATALOGUE["SHTT-01"]["components"]


def names(indexes: list[int], components: list) -> list[str]:
    return [components[i]["name"] for i in indexes]


def test_user_names_the_documents_they_have() -> None:
    found = documents.mentioned_components(
        "tôi có tờ khai và mẫu nhãn rồi, còn thiếu gì?", TRADEMARK
    )
    assert names(found, TRADEMARK) == ["Tờ khai đăng ký nhãn hiệu", "Mẫu nhãn hiệu"]


def test_without_diacritics_and_with_a_power_of_attorney() -> None:
    found = documents.mentioned_components("em co to khai voi giay uy quyen roi", TRADEMARK)
    assert names(found, TRADEMARK) == ["Tờ khai đăng ký nhãn hiệu", "Giấy ủy quyền"]


def test_nothing_named_means_nothing_found() -> None:
    assert documents.mentioned_components("còn thiếu gì không", TRADEMARK) == []


def test_generic_words_do_not_match_every_certificate() -> None:
    components = CATALOGUE["TCDL-01"]["components"]
    assert documents.mentioned_components("tôi có giấy chứng nhận rồi", components) == []
    found = documents.mentioned_components("có giấy chứng nhận đăng ký doanh nghiệp", components)
    assert names(found, components) == [components[1]["name"]]


@pytest.mark.parametrize(
    ("attachment", "problem"),
    [
        ({"file_name": "to-khai.pdf", "mime_type": "application/pdf", "size": 1000}, None),
        ({"file_name": "anh.JPG", "mime_type": "", "size": 1000}, None),
        ({"file_name": "virus.exe", "mime_type": "application/octet-stream", "size": 10}, "JPG"),
        ({"file_name": "to-khai.pdf", "mime_type": "application/pdf", "size": 11 * 2**20}, "10 MB"),
        ({"file_name": "empty.png", "mime_type": "image/png", "size": 0}, "rỗng"),
        ({"file_name": "x.png", "mime_type": "image/png", "size": "big"}, "rỗng"),
    ],
)
def test_attachment_type_and_size(attachment: dict, problem: str | None) -> None:
    found = documents.attachment_problem(attachment, max_bytes=10 * 2**20)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_files_go_to_the_named_item_then_to_the_first_missing_one() -> None:
    label = {"file_name": "mau_nhan_hieu.png", "mime_type": "image/png", "size": 5}
    assert documents.component_for(label, TRADEMARK, taken=set()) == 1
    unnamed = {"file_name": "IMG_0001.jpg", "mime_type": "image/jpeg", "size": 5}
    assert documents.component_for(unnamed, TRADEMARK, taken={1}) == 0
    assert documents.component_for(unnamed, TRADEMARK, taken={0, 1, 2}) == 3
