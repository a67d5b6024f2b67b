"""Tests of nlu.normalize: folding, tone placement, shorthand, fillers, pipeline."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.normalize import (
    SHORTHANDS,
    expand_shorthand,
    expand_words,
    fold,
    match_key,
    normalize,
    strip_fillers,
    to_nfc_modern,
)

NFD = "NFD"

# Text made of the pieces real messages are made of, so properties hit the
# interesting paths (shorthand, number words, codes) rather than random noise.
_PIECES = [
    "không", "ko", "k", "dc", "đk", "dk", "đki", "bn", "j", "ntn", "e", "a", "c",
    "một", "hai", "ba", "năm", "mười", "mươi", "lăm", "trăm", "nghìn", "chấm",
    "gạch", "tư", "mốt", "0912", "5", "150", "tt", "01/2018/TT-VPCP", "nhãn",
    "hiệu", "hoà", "thuý", "Đăng", "Ký", "ờ", "ạ", "?", ",", ".", "-", "alooo",
    "5k", "dangky", "A/C", "sđt", "CCCD", "000.00.17.G17-241219-0001", "ơi",
]  # fmt: skip
messages = st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join)
vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâeêioôơuưy dđ bchklmnpqrstvxg àáảãạằắẳẵặầấẩẫậ èéẻẽẹềếểễệ "
            "ìíỉĩị òóỏõọồốổỗộờớởỡợ ùúủũụừứửữự ỳýỷỹỵ ĐÀÁ"
        )
    ),
    max_size=40,
)


class TestFold:
    def test_accents_case_and_forms_fold_equal(self) -> None:
        accented = "Đăng Ký Nhãn Hiệu"
        assert fold(accented) == "dang ky nhan hieu"
        assert fold(unicodedata.normalize(NFD, accented)) == "dang ky nhan hieu"
        assert fold("dang ky nhan hieu") == "dang ky nhan hieu"

    def test_collapses_whitespace(self) -> None:
        assert fold("  giấy \t phép\n ") == "giay phep"

    def test_d_variants(self) -> None:
        assert fold("ĐÐđð") == "dddd"

    def test_full_width_letters(self) -> None:
        assert fold("ＸＱＵＡＮＧ") == "xquang"

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(vietnamese_text)
    def test_idempotent_and_form_insensitive(self, text: str) -> None:
        assert fold(fold(text)) == fold(text)
        assert fold(unicodedata.normalize(NFD, text)) == fold(text)
        assert fold(text).isascii() or not fold(text).isalpha()


class TestToNfcModern:
    @pytest.mark.parametrize(
        ("given_text", "expected"),
        [
            ("hoà", "hòa"),
            ("thuý", "thúy"),
            ("khoẻ", "khỏe"),
            ("oà", "òa"),
            ("quạ", "quạ"),
            ("quý", "quý"),
            ("gìa", "già"),
            ("gì", "gì"),
            ("hòang", "hoàng"),
            ("người", "người"),
            ("giường", "giường"),
            ("Nguyễn", "Nguyễn"),
            ("khuỷu", "khuỷu"),
            ("uỷ ban", "ủy ban"),
            ("tuỳ", "tùy"),
            ("HOÀ BÌNH", "HÒA BÌNH"),
            ("Hoà", "Hòa"),
        ],
    )
    def test_canonical_tone_placement(self, given_text: str, expected: str) -> None:
        assert to_nfc_modern(given_text) == expected
        assert to_nfc_modern(unicodedata.normalize(NFD, given_text)) == expected

    def test_leaves_non_vietnamese_words(self) -> None:
        assert to_nfc_modern("café X-quang GS1") == "café X-quang GS1"

    def test_output_is_nfc(self) -> None:
        text = to_nfc_modern(unicodedata.normalize(NFD, "đăng ký nhãn hiệu"))
        assert unicodedata.is_normalized("NFC", text)

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(vietnamese_text)
    def test_keeps_letters_and_is_idempotent(self, text: str) -> None:
        once = to_nfc_modern(text)
        assert fold(once) == fold(text)
        assert to_nfc_modern(once) == once
        assert len(once) == len(unicodedata.normalize("NFC", text))


class TestExpandShorthand:
    @pytest.mark.parametrize(
        ("given_text", "expected"),
        [
            ("ko dc", "không được"),
            ("hok bít", "không biết"),
            ("hông có", "không có"),
            ("đki nhãn hiệu", "đăng ký nhãn hiệu"),
            ("dky sáng chế", "đăng ký sáng chế"),
            ("đk nhãn hiệu", "đăng ký nhãn hiệu"),
            ("muốn dk mã vạch", "muốn đăng ký mã vạch"),
            ("có dk ko", "có được không"),
            ("làm dk", "làm được"),
            ("dk ko", "được không"),
            ("cần j", "cần gì"),
            ("phí bn", "phí bao nhiêu"),
            ("bn ơi", "bạn ơi"),
            ("làm ntn", "làm như thế nào"),
            ("sđt của e", "số điện thoại của em"),
            ("sdt", "số điện thoại"),
            ("cmnd hay cccd", "căn cước hay căn cước"),
            ("a/c cho e hỏi", "anh chị cho em hỏi"),
            ("ad ơi", "admin ơi"),
            ("mn vs", "mọi người với"),
            ("xong r", "xong rồi"),
            ("sao z", "sao vậy"),
            ("hs gp tt", "hồ sơ giấy phép thủ tục"),
            ("ng nộp", "người nộp"),
            ("trc khi", "trước khi"),
            ("thik", "thích"),
        ],
    )
    def test_table(self, given_text: str, expected: str) -> None:
        assert expand_shorthand(given_text) == expected

    @pytest.mark.parametrize(
        ("given_text", "expected"),
        [
            ("da phai a", "da phai a"),  # unaccented "ạ" closing the sentence
            ("co a, tiep tuc", "co a, tiep tuc"),
            ("a muốn hỏi", "anh muốn hỏi"),
            ("a lô a lô", "a lô a lô"),
            ("tks b nhiu", "cảm ơn bạn nhiều"),
            ("phí bn nhiu", "phí bao nhiêu nhiêu"),
            ("tk ad", "cảm ơn admin"),
            ("có tk r", "có tờ khai rồi"),
            ("cgcn từ nc ngoài", "chuyển giao công nghệ từ nước ngoài"),
            ("cho e nc vs cán bộ", "cho em nói chuyện với cán bộ"),
            ("hs mv, gpbc, kdcn", "hồ sơ mã vạch, giấy phép bưu chính, kiểu dáng công nghiệp"),
            ("gia hạn nh", "gia hạn nhãn hiệu"),
            ("doanh nghiệp KH&CN", "doanh nghiệp KH&CN"),
            ("chao ad nhaa", "chao admin nha"),
            ("chàooo b ơiii", "chào bạn ơi"),
            ("bn là AI k", "bạn là AI không"),
            ("bn có phải ng thật k", "bạn có phải người thật không"),
            ("bn ngày có kq", "bao nhiêu ngày có kết quả"),
            ("phí là bn", "phí là bao nhiêu"),
            ("cmon b nhé", "cảm ơn bạn nhé"),
            ("thankss", "cảm ơn"),
            ("pai pai", "bye bye"),
        ],
    )
    def test_context_from_punctuation_and_domain(self, given_text: str, expected: str) -> None:
        assert expand_shorthand(given_text) == expected

    def test_case_insensitive_and_keeps_capital(self) -> None:
        assert expand_shorthand("Ko DC") == "Không Được"
        assert expand_shorthand("TT 01") == "Thông tư 01"

    def test_elongations_collapse(self) -> None:
        assert expand_shorthand("alooo ad") == "alo admin"
        assert expand_shorthand("nhiềuuuu quáaaa") == "nhiều quá"
        assert expand_shorthand("kooo") == "không"

    def test_real_doubles_and_numbers_survive_elongation(self) -> None:
        assert expand_shorthand("xoong boong 000 III") == "xoong boong 000 III"

    def test_context_readings(self) -> None:
        assert expand_shorthand("tt 01/2018") == "thông tư 01/2018"
        assert expand_shorthand("phí 150 k") == "phí 150 nghìn"
        assert expand_shorthand("2 tr") == "2 triệu"
        assert expand_shorthand("nđ 65") == "nghị định 65"

    def test_enumeration_letters_stay(self) -> None:
        assert expand_shorthand("điểm a khoản 1") == "điểm a khoản 1"
        assert expand_shorthand("loại C") == "loại C"
        assert expand_shorthand("vitamin E") == "vitamin E"
        assert expand_shorthand("e 5") == "e 5"

    def test_identifiers_untouched(self) -> None:
        for text in ["01/2018/TT-VPCP", "e-mail", "a.b@dc.vn", "000.00.17.G17-241219-0001"]:
            assert expand_shorthand(text) == text

    def test_run_together_and_units(self) -> None:
        assert expand_shorthand("dangky nhanhieu") == "đăng ký nhãn hiệu"
        assert expand_shorthand("xquang") == "X-quang"
        assert expand_shorthand("5k 2tr 30ngày") == "5 nghìn 2 triệu 30 ngày"

    def test_ordinary_words_untouched(self) -> None:
        text = "Tôi muốn đăng ký nhãn hiệu cho sản phẩm"
        assert expand_shorthand(text) == text

    def test_expand_words_is_aligned(self) -> None:
        assert expand_words(["hs", "ntn", "ạ"]) == ["hồ sơ", "như thế nào", "ạ"]

    def test_table_expansions_are_not_shorthand(self) -> None:
        # expanding twice must change nothing (normalize is idempotent)
        for entry in SHORTHANDS.values():
            for reading in (entry.expansion, entry.alternative):
                if reading:
                    assert expand_shorthand(reading) == reading


class TestStripFillers:
    @pytest.mark.parametrize(
        ("given_text", "expected"),
        [
            ("ờ thì cái cho tôi hỏi cái thủ tục ấy ạ", "cho tôi hỏi thủ tục"),
            ("ờ, à, cho hỏi nha", "cho hỏi"),
            ("ừm tôi muốn ờ đăng ký", "tôi muốn đăng ký"),
            ("cái gì vậy ạ", "cái gì vậy"),
            ("cái này bao nhiêu tiền", "cái này bao nhiêu tiền"),
            ("anh ấy nộp rồi", "anh ấy nộp rồi"),
            ("nếu đủ hồ sơ thì nộp ở đâu nhé", "nếu đủ hồ sơ thì nộp ở đâu"),
            ("thì thì tôi muốn hỏi", "tôi muốn hỏi"),
            ("hai cái giấy", "hai cái giấy"),
            ("ừ đúng rồi", "ừ đúng rồi"),
            ("đúng ừ rồi", "đúng rồi"),
            ("cho em hỏi ạ, phí bao nhiêu", "cho em hỏi, phí bao nhiêu"),
            ("à lô à lô cô ơi", "à lô à lô cô ơi"),
        ],
    )
    def test_rules(self, given_text: str, expected: str) -> None:
        assert strip_fillers(given_text) == expected

    @pytest.mark.parametrize("answer", ["ừ", "ạ", "ờ"])
    def test_answer_only_utterance_kept(self, answer: str) -> None:
        assert strip_fillers(answer) == answer

    def test_keeps_codes_intact(self) -> None:
        text = "ờ mã 000.00.17.G17-241219-0001 ạ"
        assert strip_fillers(text) == "mã 000.00.17.G17-241219-0001"


class TestNormalize:
    def test_pipeline(self) -> None:
        text = "cho e hỏi sđt   ko chín một hai ba bốn năm sáu bảy tám  dc ko ???"
        assert normalize(text) == "cho em hỏi số điện thoại 0912345678 được không?"

    def test_spoken_code_becomes_canonical(self) -> None:
        text = (
            "tra cứu hồ sơ không không không chấm không không chấm không một chấm gờ "
            "không sáu gạch hai sáu không một một bốn gạch không không ba hai"
        )
        assert normalize(text) == "tra cứu hồ sơ 000.00.01.G06-260114-0032"
        assert normalize("mã 000 . 00 . 17 . g17 - 241219 - 0001") == (
            "mã 000.00.17.G17-241219-0001"
        )

    def test_keeps_diacritics_and_case(self) -> None:
        assert normalize("Thủ tục Đăng ký Nhãn hiệu") == "Thủ tục Đăng ký Nhãn hiệu"

    def test_nfd_and_old_tones(self) -> None:
        assert normalize(unicodedata.normalize(NFD, "hoà  bình")) == "hòa bình"

    def test_invisible_characters_and_dashes(self) -> None:
        assert normalize("X\u2013quang\u200b ") == "X-quang"

    def test_ordinary_number_words_stay(self) -> None:
        assert normalize("một cửa không có") == "một cửa không có"
        assert normalize("mười ngày") == "10 ngày"

    @settings(max_examples=200, deadline=None)
    @given(messages)
    def test_idempotent(self, text: str) -> None:
        once = normalize(text)
        assert normalize(once) == once

    @settings(deadline=None)  # a loaded CI machine must not fail a property
    @given(vietnamese_text)
    def test_idempotent_on_letters(self, text: str) -> None:
        once = normalize(text)
        assert normalize(once) == once


class TestMatchKey:
    def test_spellings_share_a_key(self) -> None:
        keys = {
            match_key(t)
            for t in [
                "Đăng Ký Nhãn Hiệu",
                "đăng kí nhãn hiệu",
                "dang ki nhan hieu",
                "đki nhãn hiệu",
            ]
        }
        assert keys == {"dang ki nhan hieu"}

    def test_punctuation_splits(self) -> None:
        assert match_key("X-quang") == "x quang"

    def test_i_y_only_after_consonant(self) -> None:
        assert match_key("kỹ thuật quy trình tay") == "ki thuat quy trinh tay"
