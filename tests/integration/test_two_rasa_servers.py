"""Horizontal scale on Rasa's own mechanisms: two Rasa servers share the Redis tracker and
lock stores, and one conversation driven alternately through both keeps its state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from stack.services import Stack
from tests.integration.conftest import Citizen

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def second_rasa(stack: Stack) -> Iterator[str]:
    process, url = stack.start_another_rasa()
    yield url
    process.stop()


def test_a_form_continues_across_servers(stack: Stack, second_rasa: str) -> None:
    sender = f"two-servers-{uuid.uuid4().hex[:8]}"
    first, second = Citizen(stack.rasa_url, sender), Citizen(second_rasa, sender)
    assert "cá nhân hay doanh nghiệp" in first.text("tôi muốn nộp hồ sơ cấp mã số mã vạch")
    assert "họ và tên" in second.text('/inform{"applicant_type": "individual"}')
    assert "CCCD" in first.text("Phạm Thị Hoa")
    assert "điện thoại" in second.text("001203009876")
    assert "E-mail" in first.text("0912999888")
    # The slots filled on both servers are all there: cancel says what it dropped.
    assert "hủy việc nộp hồ sơ" in second.text("thôi hủy")


def test_status_form_and_follow_up_across_servers(stack: Stack, second_rasa: str) -> None:
    sender = f"two-servers-{uuid.uuid4().hex[:8]}"
    first, second = Citizen(stack.rasa_url, sender), Citizen(second_rasa, sender)
    assert "4 số cuối" in first.text("hồ sơ 000.00.17.G17-241219-0001 đến đâu rồi")
    assert "Trạng thái" in second.text("5678")
    first.text("thủ tục đăng ký nhãn hiệu như thế nào?")
    assert "Lệ phí thủ tục Đăng ký nhãn hiệu" in second.text("thế còn lệ phí bao nhiêu?")
