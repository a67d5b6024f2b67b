from actions import formatting

RECORD = {
    "submission_modes": ["counter", "post", "online"],
    "fully_online": False,
    "components": [
        {
            "name": "Tờ khai",
            "copies": 2,
            "form": "Mẫu 08",
            "original": "original",
            "required": True,
        },
        {
            "name": "Mẫu nhãn hiệu",
            "copies": 5,
            "form": None,
            "original": "original",
            "required": True,
        },
        {
            "name": "Giấy ủy quyền",
            "copies": 1,
            "original": "original",
            "required": False,
            "condition": "khi nộp qua đại diện",
        },
    ],
}


def test_money_uses_vietnamese_thousands_separator() -> None:
    assert formatting.format_vnd(150000) == "150.000 đồng"
    assert formatting.format_vnd(5_000_000) == "5.000.000 đồng"


def test_dates_render_day_first_and_survive_garbage() -> None:
    assert formatting.format_date("2026-01-05") == "05/01/2026"
    assert formatting.format_date("2026-01-05T08:30:00+07:00") == "05/01/2026"
    assert formatting.format_date(None) == "chưa xác định"
    assert formatting.format_date("not a date") == "chưa xác định"


def test_documents_are_numbered_and_conditional_items_set_apart() -> None:
    text = formatting.documents_list(RECORD["components"])
    lines = text.splitlines()
    assert lines[0] == "1. Tờ khai (Mẫu 08): 02 bản, bản chính"
    assert lines[1] == "2. Mẫu nhãn hiệu: 05 bản, bản chính"
    assert lines[2] == "Chỉ cần trong một số trường hợp:"
    assert lines[3] == "• Giấy ủy quyền: 01 bản, bản chính — khi nộp qua đại diện"


def test_documents_list_says_when_there_is_nothing() -> None:
    assert "chưa có thông tin" in formatting.documents_list([])


def test_fee_marks_unknown_and_unverified_amounts() -> None:
    fee = {
        "items": [
            {"name": "Phí nộp đơn", "amount_vnd": 150000, "unit": "đơn", "verified": True},
            {"name": "Phí tra cứu", "amount_vnd": None, "unit": "nhóm", "verified": False},
        ],
        "verified": False,
    }
    text = formatting.fee_text(fee)
    assert "• Phí nộp đơn: 150.000 đồng/đơn" in text
    assert "• Phí tra cứu: chưa xác minh được mức thu (chưa xác minh)" in text
    assert formatting.has_unverified(fee)
    assert not formatting.has_unverified({"items": [{"verified": True}], "verified": True})


def test_submission_modes_and_online_note() -> None:
    assert formatting.submission_modes(RECORD).count(";") == 2
    assert "chưa toàn trình" in formatting.online_note(RECORD)
    assert formatting.online_note({"fully_online": True}) == "Làm được toàn trình trực tuyến."
    assert "chưa nộp trực tuyến" in formatting.online_note({"submission_modes": ["counter"]})


def test_lateness_reads_the_status() -> None:
    assert "quá hạn 3 ngày" in formatting.lateness(
        {"stage": "in_review", "is_late": True, "days_overdue": 3}
    )
    assert (
        formatting.lateness({"stage": "returned", "is_late": False})
        == "Hồ sơ đã được giải quyết xong."
    )
    assert "trong thời hạn" in formatting.lateness(
        {"stage": "in_review", "is_late": False, "deadline": "2030-01-01"}
    )
    assert "Chưa xác định" in formatting.lateness({"stage": "received", "deadline": None})


def test_fee_without_items_falls_back_to_the_catalogue_sentence() -> None:
    assert formatting.fee_text({"text": "Không thu phí.", "items": []}) == "Không thu phí."
    assert formatting.fee_text({}) == "Chưa có thông tin về lệ phí."
