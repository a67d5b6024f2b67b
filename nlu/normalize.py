"""Vietnamese text normalisation: one entry point for every text that enters.

Users type with or without diacritics, in NFC or NFD, in chat shorthand
("ko dc", "đki nhãn hiệu", "phí bn"), and speech transcripts arrive with
fillers ("ờ thì cái") and numbers read aloud. Everything here is pure
(no I/O) so it can run on every message and be tested directly.

- ``fold``: the accent-, case- and Unicode-form-insensitive key for matching.
- ``to_nfc_modern``: NFC with one canonical tone-mark placement.
- ``expand_shorthand``: chat shorthand and elongations to full words.
- ``strip_fillers``: hesitations and particles out of speech transcripts.
- ``normalize``: the pipeline used wherever text enters (idempotent).
- ``match_key``: ``fold(expand_shorthand(...))`` plus i/y spelling unification,
  the key used by the procedure resolver and the tokenizer's lemmas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nlu.spoken_numbers import spoken_to_digits

__all__ = [
    "SHORTHANDS",
    "Shorthand",
    "clause_ends_between",
    "expand_shorthand",
    "expand_words",
    "fold",
    "match_key",
    "normalize",
    "strip_fillers",
    "to_nfc_modern",
]

# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------

# Đ has no Unicode decomposition, so stripping combining marks leaves it; the
# Icelandic eth and African D look identical and turn up in pasted text.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ɖ": "d", "Ɖ": "D"})


def fold(text: str) -> str:
    """Lower-case, strip every diacritic (đ→d) and collapse whitespace.

    NFKD first, so NFC, NFD and compatibility forms (full-width letters) all
    fold to the same key.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_D_TABLE).lower().split())


# ---------------------------------------------------------------------------
# to_nfc_modern: canonical tone-mark placement
# ---------------------------------------------------------------------------

_TONE_MARKS = {
    "\u0300": "\u0300",  # huyền
    "\u0301": "\u0301",  # sắc
    "\u0303": "\u0303",  # ngã
    "\u0309": "\u0309",  # hỏi
    "\u0323": "\u0323",  # nặng
    "\u0340": "\u0300",  # deprecated grave tone mark
    "\u0341": "\u0301",  # deprecated acute tone mark
}
_SHAPED_VOWELS = frozenset("ăâêôơư")
_VOWELS = frozenset("aăâeêioôơuưy")
_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
_FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
# Vowel nuclei (with any glide) that Vietnamese syllables use; anything else
# (English words, typos) is left untouched rather than "corrected".
_NUCLEI = frozenset(
    [
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "i",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iê",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "oo",
        "ôi",
        "ơi",
        "ua",
        "uâ",
        "ue",
        "uê",
        "ui",
        "uô",
        "uơ",
        "uy",
        "ưa",
        "ưi",
        "ưu",
        "ươ",
        "yê",
        "ya",
        "iêu",
        "yêu",
        "oai",
        "oay",
        "oao",
        "oeo",
        "uây",
        "uôi",
        "ươi",
        "ươu",
        "uya",
        "uyê",
        "uyu",
    ]
)


@dataclass
class _Letter:
    base: str  # lower-case letter with its shape mark (ă, ê, ư ...) but no tone
    upper: bool
    tone: str | None


def _split_letters(word: str) -> list[_Letter] | None:
    """Decompose a word into letters, each with at most one tone; None if odd."""
    letters: list[_Letter] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not letters:
                return None
            if ch in _TONE_MARKS:
                if letters[-1].tone is not None:
                    return None
                letters[-1].tone = _TONE_MARKS[ch]
            else:
                letters[-1].base = unicodedata.normalize("NFC", letters[-1].base + ch)
        else:
            letters.append(_Letter(ch.lower(), ch.isupper(), None))
    return letters


def _split_syllable(bare: str) -> tuple[str, str, str] | None:
    """Split a toneless lower-case syllable into (initial, nucleus, final)."""
    for initial in (*_INITIALS, ""):
        if not bare.startswith(initial):
            continue
        rest = bare[len(initial) :]
        if initial == "gi" and (not rest or rest[0] not in _VOWELS):
            continue  # "gì", "gìn": the i is the vowel, g the initial
        end = 0
        while end < len(rest) and rest[end] in _VOWELS:
            end += 1
        nucleus, final = rest[:end], rest[end:]
        if nucleus in _NUCLEI and final in _FINALS:
            return initial, nucleus, final
    return None


def _tone_index(nucleus: str, final: str) -> int:
    """Index inside the nucleus that carries the tone (hòa, thúy, quạ style)."""
    shaped = [i for i, ch in enumerate(nucleus) if ch in _SHAPED_VOWELS]
    if shaped:
        return shaped[-1]
    if final:
        return len(nucleus) - 1
    if len(nucleus) == 3:
        return 1
    return 0


def _place_tone(word: str) -> str:
    letters = _split_letters(word)
    if letters is None:
        return word
    tones = [letter.tone for letter in letters if letter.tone]
    if len(tones) != 1:
        return word
    bare = "".join(letter.base for letter in letters)
    if len(bare) != len(letters):
        return word
    parts = _split_syllable(bare)
    if parts is None:
        return word
    initial, nucleus, final = parts
    target = len(initial) + _tone_index(nucleus, final)
    out = []
    for i, letter in enumerate(letters):
        ch = letter.base + (tones[0] if i == target else "")
        ch = unicodedata.normalize("NFC", ch)
        out.append(ch.upper() if letter.upper else ch)
    return "".join(out)


_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")


def to_nfc_modern(text: str) -> str:
    """NFC with canonical tone placement, keeping case and every diacritic.

    The canonical form is the one Vietnamese keyboards and the procedure
    catalogue use: in open syllables with two vowels the tone sits on the
    first ("hòa", "thúy", "khỏe"), after a shaped vowel on that vowel
    ("người"), before a final consonant on the last vowel ("hoàng"); the u of
    "qu" and the i of "gi" belong to the initial ("quạ", "già"). Misplaced
    marks ("hòang") are moved; words that are not Vietnamese syllables are
    only NFC-normalised.
    """
    nfc = unicodedata.normalize("NFC", text)
    return _LETTER_RUN_RE.sub(lambda m: _place_tone(m.group()), nfc)


# ---------------------------------------------------------------------------
# expand_shorthand
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shorthand:
    """One shorthand and how its neighbours choose between readings.

    ``expansion`` is the default reading (None: only expand in context).
    Neighbour words are compared folded (no accents, lower case).
    """

    expansion: str | None
    alternative: str | None = None
    alternative_after: frozenset[str] = frozenset()
    alternative_before: frozenset[str] = frozenset()
    after_number: str | None = None
    before_number: str | None = None
    keep_after: frozenset[str] = frozenset()
    keep_before: frozenset[str] = frozenset()
    keep_before_number: bool = False
    keep_at_clause_end: bool = False  # unaccented "a" ending a clause is "ạ"
    alternative_first: bool = False  # the alternative when the word opens the text


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "đk", "dk": in this domain mostly "đăng ký" ("đk nhãn hiệu", "muốn đk");
# "được" when a modal or verb precedes ("có dk", "làm dk") or a question or
# politeness particle follows ("dk ko", "dk ạ").
_DUOC_AFTER = _words(
    "co khong ko k kh chua da se lam di vay the roi cung van moi sao nao xem duoc dc nop gui nhan"
)
_DUOC_BEFORE = _words("khong ko k kh hok hong hem khum khg chua roi a nhe nha nhi luon ha ah")
# Single letters read as pronouns ("a", "c", "e") are enumeration labels after
# these words ("điểm a khoản 1", "loại C", "vitamin E").
_ENUMERATORS = _words(
    "diem loai hang nhom muc khoan phu luc cap mau phan khoi lop bang tiet "
    "vitamin so chuong dieu phuong an truong hop"
)
# "bn" is the amount ("phí bn", "bn ngày") unless a word around it makes it
# the person: "bn ơi", "bn là AI", "cảm ơn bn", "cho bn".
_BAN_AFTER = _words("chao on cam giup hoi voi cho cua va")
_BAN_BEFORE = _words(
    "oi la co lam muon can da dang o giup hoi biet nho thay phai chao dung noi tra"
)

_D = Shorthand  # short alias for the table below


def _letter(expansion: str, after_number: str | None = None, **context: Any) -> Shorthand:
    """A one-letter shorthand; such letters also label items ("điểm a", "loại C", "E 5")."""
    return Shorthand(
        expansion,
        after_number=after_number,
        keep_after=_ENUMERATORS,
        keep_before_number=True,
        **context,
    )


SHORTHANDS: Mapping[str, Shorthand] = {
    # negation; "k" after a number is a thousand ("phí 150 k")
    **dict.fromkeys(["ko", "kh", "khg", "hok", "hk", "hem", "hông", "khum", "kô"], _D("không")),
    "k": _letter("không", after_number="nghìn"),
    # được / đăng ký
    **dict.fromkeys(["dc", "đc", "đươc"], _D("được")),
    **dict.fromkeys(
        ["dk", "đk"],
        _D(
            "đăng ký",
            alternative="được",
            alternative_after=_DUOC_AFTER,
            alternative_before=_DUOC_BEFORE,
        ),
    ),
    **dict.fromkeys(
        ["đki", "dki", "đky", "dky", "đkí", "dkí", "đký", "dký", "đăngký", "dangky"],
        _D("đăng ký"),
    ),
    **dict.fromkeys(["đkkd", "dkkd"], _D("đăng ký kinh doanh")),
    # question words; "bn ơi", "cảm ơn bn": the friend, not the amount
    **dict.fromkeys(["j", "ji"], _letter("gì")),
    **dict.fromkeys(["bnh", "bnhiu", "bnhieu", "bnhiêu", "baonhiu"], _D("bao nhiêu")),
    "bn": _D(
        "bao nhiêu",
        alternative="bạn",
        alternative_after=_BAN_AFTER,
        alternative_before=_BAN_BEFORE,
    ),
    "nhiu": _D("nhiều", alternative="nhiêu", alternative_after=_words("bao bn")),
    "nhìu": _D("nhiều"),
    "ntn": _D("như thế nào"),
    "bh": _D("bao giờ"),
    **dict.fromkeys(["bjo", "bgio", "bgiờ", "bjờ"], _D("bây giờ")),
    # people and address terms
    "e": _letter("em"),
    # unaccented "a" closing a clause is the particle "ạ"; "a lô" is "alô"
    "a": _letter("anh", keep_at_clause_end=True, keep_before=_words("lo")),
    "b": _letter("bạn"),
    "c": _letter("chị"),
    **dict.fromkeys(["a/c", "ac", "a/chị"], _D("anh chị")),
    "ae": _D("anh em"),
    **dict.fromkeys(["ad", "adm"], _D("admin")),
    **dict.fromkeys(["mn", "mng", "mnguoi"], _D("mọi người")),
    "ng": _D("người"),
    "ngta": _D("người ta"),
    **dict.fromkeys(["mk", "mik", "mjk", "mjnh"], _D("mình")),
    "nv": _D("nhân viên"),
    # small words
    "vs": _D("với"),
    "r": _letter("rồi"),
    **dict.fromkeys(["z", "v"], _letter("vậy")),
    **dict.fromkeys(["zậy", "dzậy", "zạ", "dzạ"], _D("vậy")),
    "trc": _D("trước"),
    "thik": _D("thích"),
    **dict.fromkeys(["cx", "cg"], _D("cũng")),
    "ms": _D("mới"),
    "lm": _D("làm"),
    **dict.fromkeys(["mún", "mun"], _D("muốn")),
    **dict.fromkeys(["bik", "bít"], _D("biết")),
    **dict.fromkeys(["lun", "luon"], _D("luôn")),
    "onl": _D("online"),
    "ch": _D("chưa"),
    "nt": _D("nhắn tin"),
    "nc": _D("nói chuyện", alternative="nước", alternative_before=_words("ngoai")),
    "xiền": _D("tiền"),
    "nhoa": _D("nha"),
    "thui": _D("thôi"),
    "iu": _D("yêu"),
    "wa": _D("quá"),
    "h": _letter("giờ"),
    "hnay": _D("hôm nay"),
    "tgian": _D("thời gian"),
    **dict.fromkeys(
        ["tks", "thks", "thanks", "thank", "thx", "cmon", "cmơn", "camon", "camơn"], _D("cảm ơn")
    ),
    **dict.fromkeys(["pai", "bai", "bye"], _D("bye")),
    "bb": _D("bye bye"),
    # the domain
    **dict.fromkeys(["sđt", "sdt", "đt", "dt"], _D("số điện thoại")),
    **dict.fromkeys(["cmnd", "cccd", "cmt"], _D("căn cước")),
    "hs": _D("hồ sơ"),
    "gp": _D("giấy phép"),
    "tt": _D("thủ tục", before_number="thông tư"),
    **dict.fromkeys(["nđ", "nd"], _D("nội dung", before_number="nghị định")),
    **dict.fromkeys(["qđ", "qd"], _D(None, before_number="quyết định")),
    "kq": _D("kết quả"),
    "ktra": _D("kiểm tra"),
    "hđ": _D("hợp đồng"),
    "dv": _D("dịch vụ"),
    "cq": _D("cơ quan"),
    "pk": _D("phòng khám"),
    "vb": _D("văn bằng"),
    "nh": _D("nhãn hiệu"),
    "mv": _D("mã vạch"),
    "gh": _D("gia hạn"),
    "vt": _D("viễn thông"),
    "pd": _D("phê duyệt"),
    "cc": _D("chứng chỉ"),
    "gpbc": _D("giấy phép bưu chính"),
    "kdcn": _D("kiểu dáng công nghiệp"),
    "cgcn": _D("chuyển giao công nghệ"),
    **dict.fromkeys(["cdđl", "cddl"], _D("chỉ dẫn địa lý")),
    "hdsd": _D("hướng dẫn sử dụng"),
    "bhxh": _D("bảo hiểm xã hội"),
    # "tk" opening a message is thanks ("tk ad"), elsewhere the form ("có tk")
    "tk": _D("tờ khai", alternative="cảm ơn", alternative_first=True),
    "sp": _D("sản phẩm"),
    "dn": _D("doanh nghiệp"),
    "cty": _D("công ty"),
    "stk": _D("số tài khoản"),
    "shtt": _D("sở hữu trí tuệ"),
    "khcn": _D("khoa học và công nghệ"),
    "msmv": _D("mã số mã vạch"),
    "tr": _D(None, after_number="triệu"),
}

# Words typed without spaces ("dangky", "nhanhieu"); keyed by the folded form.
_RUN_TOGETHER: Mapping[str, str] = {
    "nhanhieu": "nhãn hiệu",
    "thuonghieu": "thương hiệu",
    "sangche": "sáng chế",
    "thutuc": "thủ tục",
    "hoso": "hồ sơ",
    "giayphep": "giấy phép",
    "baonhieu": "bao nhiêu",
    "nhuthenao": "như thế nào",
    "thenao": "thế nào",
    "mavach": "mã vạch",
    "masomavach": "mã số mã vạch",
    "maso": "mã số",
    "xquang": "X-quang",
    "kieudang": "kiểu dáng",
    "lephi": "lệ phí",
    "chuyengiao": "chuyển giao",
    "congnghe": "công nghệ",
    "tanso": "tần số",
    "buuchinh": "bưu chính",
    "sodienthoai": "số điện thoại",
    "cancuoc": "căn cước",
    "tracuu": "tra cứu",
    "khongduoc": "không được",
}
# A number with a unit glued on ("5k", "2tr", "30ngày"); keyed by folded unit.
_UNIT_SUFFIXES: Mapping[str, str] = {
    "k": "nghìn",
    "nghin": "nghìn",
    "ngan": "ngàn",
    "tr": "triệu",
    "trieu": "triệu",
    "ty": "tỷ",
    "ti": "tỷ",
    "ngay": "ngày",
    "thang": "tháng",
    "nam": "năm",
    "dong": "đồng",
    "vnd": "đồng",
}
_NUMBER_UNIT_RE = re.compile(r"^(\d+(?:[.,]\d+)?)([^\W\d_]+)$")
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
_JOINERS = frozenset("./-_@:&+")
_WORD_RE = re.compile(r"[^\W_]+(?:/[^\W_]+)*")
_NUMBER_RE = re.compile(r"^\d")  # "150", "01/2018", "2,5"


def _collapse_elongation(word: str) -> str:
    """Collapse elongations ("alooo" → "alo"): 3+ repeats of a letter become one.

    Two repeats are kept ("xoong", "boong" are words); digits and Roman
    numerals ("III") are never touched.
    """
    if _ROMAN_RE.match(word):
        return word
    out: list[str] = []
    run = 0
    for ch in word:
        if out and ch.isalpha() and fold(ch) == fold(out[-1]):
            run += 1
            if run >= 2:
                # drop the 3rd+ copy and, once it is clearly elongated, the 2nd
                if run == 2:
                    out.pop()
                continue
            out.append(ch)
        else:
            run = 0
            out.append(ch)
    return "".join(out)


def _match_case(source: str, expansion: str) -> str:
    """Capitalised shorthand gives a capitalised expansion ("TT 01" → "Thông tư 01")."""
    if source[:1].isupper():
        return expansion[:1].upper() + expansion[1:]
    return expansion


def _is_number(word: str | None) -> bool:
    return word is not None and bool(_NUMBER_RE.match(word))


@dataclass(frozen=True)
class _Context:
    prev: str | None
    next: str | None
    first: bool
    clause_end: bool  # punctuation or the end of the text follows


def _choose_reading(entry: Shorthand, context: _Context) -> str | None:
    prev, nxt = context.prev, context.next
    prev_key = fold(prev) if prev else ""
    next_key = fold(nxt) if nxt and not context.clause_end else ""
    if entry.after_number and _is_number(prev):
        return entry.after_number
    if entry.before_number and _is_number(nxt):
        return entry.before_number
    if prev_key in entry.keep_after or next_key in entry.keep_before:
        return None
    if entry.keep_before_number and _is_number(nxt):
        return None
    if entry.keep_at_clause_end and context.clause_end:
        return None
    if entry.alternative and (
        prev_key in entry.alternative_after
        or next_key in entry.alternative_before
        or (entry.alternative_first and context.first)
    ):
        return entry.alternative
    return entry.expansion


# Particles typed with a doubled last letter ("nhaa", "ơii", "khôngg").
_DOUBLED_ENDINGS = _words(
    "nha nhe oi a ha ne nhi di khong chao roi vay nhoa ak thanks thank tks ok oke bye hi alo"
)


def _collapse_doubled_ending(word: str) -> str:
    if len(word) >= 2 and word[-1] == word[-2] and fold(word[:-1]) in _DOUBLED_ENDINGS:
        return word[:-1]
    return word


def _expand_one(words: Sequence[str], i: int, clause_ends: Sequence[bool]) -> str:
    """Expansion of ``words[i]`` given its neighbours (the word itself if none)."""
    # the table first: "cccd" is an acronym, not an elongated "cd"
    word = words[i]
    if word.lower() not in SHORTHANDS:
        word = _collapse_doubled_ending(_collapse_elongation(word))
    context = _Context(
        prev=words[i - 1] if i > 0 else None,
        next=words[i + 1] if i + 1 < len(words) else None,
        first=i == 0,
        clause_end=clause_ends[i] if i < len(clause_ends) else i + 1 == len(words),
    )
    entry = SHORTHANDS.get(word.lower())
    if entry is not None:
        reading = _choose_reading(entry, context)
        return _match_case(word, reading) if reading else word
    folded = fold(word)
    if folded in _RUN_TOGETHER and " " not in word:
        return _match_case(word, _RUN_TOGETHER[folded])
    number_unit = _NUMBER_UNIT_RE.match(word)
    if number_unit and fold(number_unit.group(2)) in _UNIT_SUFFIXES:
        return f"{number_unit.group(1)} {_UNIT_SUFFIXES[fold(number_unit.group(2))]}"
    return word


def expand_words(words: Sequence[str], clause_ends: Sequence[bool] = ()) -> list[str]:
    """Expand each word of a tokenised text; the result is aligned with ``words``.

    One word may expand to several ("ntn" → "như thế nào"), so items can
    contain spaces. ``clause_ends[i]`` says punctuation follows word i (by
    default only the last word ends a clause). Used by the Rasa tokenizer.
    """
    return [_expand_one(words, i, clause_ends) for i in range(len(words))]


def clause_ends_between(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For words at ``spans`` of ``text``: is the gap after each one a clause break?"""
    ends = []
    for index, (_, end) in enumerate(spans):
        gap_end = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        gap = text[end:gap_end]
        ends.append(index + 1 == len(spans) or any(ch in _CLAUSE_PUNCT for ch in gap))
    return ends


_CLAUSE_PUNCT = frozenset(",.?!;:…")


def _is_joined(text: str, start: int, end: int) -> bool:
    """True if the word is glued into an identifier ("01/2018/TT-VPCP", "e-mail")."""
    before = start >= 2 and text[start - 1] in _JOINERS and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] in _JOINERS and text[end + 1].isalnum()
    return before or after


def expand_shorthand(text: str) -> str:
    """Expand chat shorthand, typos and glued words into full Vietnamese words.

    Word-bounded and case-insensitive; words inside identifiers (codes, legal
    references, e-mail addresses) are left alone but still serve as context
    ("tt 01/2018" is a circular). See ``SHORTHANDS`` for the readings and the
    context rules that choose between them.
    """
    text = unicodedata.normalize("NFC", text)  # NFD marks would split words
    matches = list(_WORD_RE.finditer(text))
    if not matches:
        return text
    ends = clause_ends_between(text, [m.span() for m in matches])
    expanded = expand_words([m.group() for m in matches], ends)
    out: list[str] = []
    cursor = 0
    for match, replacement in zip(matches, expanded, strict=True):
        if _is_joined(text, match.start(), match.end()):
            continue
        out.append(text[cursor : match.start()])
        out.append(replacement)
        cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)


# ---------------------------------------------------------------------------
# strip_fillers
# ---------------------------------------------------------------------------

# Hesitation sounds carry no content anywhere in an utterance.
_HESITATIONS = frozenset(
    ["ờ", "ơ", "ừm", "ưm", "hừm", "ờm", "ơm", "uhm", "um", "hmm", "hm", "à", "ừa"]
)
# "ừ" is a filler mid-utterance but an answer ("yes") when it opens one.
_ANSWER_WORDS = frozenset({"ừ"})
# Sentence-final particles: politeness or softening, dropped at a clause end.
_FINAL_PARTICLES = frozenset(["ạ", "nhé", "nha", "nhá", "ha", "hen", "nhỉ", "á", "nè"])
# "ấy" after these is a pronoun ("anh ấy" = he), not a filler.
_AY_HEADS = frozenset(
    ["anh", "chị", "em", "ông", "bà", "cô", "chú", "bác", "cậu", "bạn", "nó", "cái", "người"]
)
# "cái" heads a noun phrase before these ("cái gì", "cái này").
_CAI_HEADS = frozenset(["gì", "này", "nào", "đó", "kia", "ấy", "đấy", "chi", "nọ"])
_QUANTIFIERS = frozenset(
    ["một", "hai", "ba", "bốn", "năm", "mấy", "các", "những", "mỗi", "từng", "vài"]
)
_CLAUSE_END = frozenset(",.?!;:…")
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int


def _is_boundary(token: str | None) -> bool:
    return token is None or token in _CLAUSE_END


def _is_filler(tokens: Sequence[str], i: int) -> bool:
    word = tokens[i].lower()
    prev = tokens[i - 1].lower() if i > 0 else None
    nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else None
    if word in _HESITATIONS:
        return not (word == "à" and nxt in ("lô", "lo"))  # "à lô" is "alô"
    if word in _ANSWER_WORDS:
        return prev is not None
    if word in _FINAL_PARTICLES:
        return _is_boundary(nxt)
    if word == "ấy":
        return _is_boundary(nxt) and prev not in _AY_HEADS
    if word == "thì":
        # utterance- or clause-initial, or stuttered; "nếu ... thì ..." stays
        return _is_boundary(prev) or prev == "thì" or prev in _HESITATIONS
    if word == "cái":
        return nxt not in _CAI_HEADS and prev not in _QUANTIFIERS
    return False


def _strip_once(text: str) -> str:
    toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    words = [t.text for t in toks]
    drop = {i for i in range(len(toks)) if _is_filler(words, i)}
    # punctuation left with nothing before it (", cho tôi hỏi") goes too
    kept_before = False
    for i, tok in enumerate(toks):
        if i in drop:
            continue
        if tok.text in _CLAUSE_END and not kept_before:
            drop.add(i)
            continue
        kept_before = True
    out: list[str] = []
    cursor = 0
    for i in sorted(drop):
        out.append(text[cursor : toks[i].start])
        cursor = toks[i].end
    out.append(text[cursor:])
    cleaned = " ".join("".join(out).split())
    return re.sub(r"\s+([,.?!;:…])", r"\1", cleaned)


def strip_fillers(text: str) -> str:
    """Remove speech fillers from a transcript, keeping content words.

    Rules (why each exists):
    - hesitations (ờ, ơ, ừm, à ...) go everywhere;
    - "ừ" goes unless it opens the utterance (then it means "yes");
    - final particles (ạ, nhé, nha, ha, nhỉ, á, nè) go at a clause end only;
    - "ấy" goes at a clause end unless it follows a pronoun ("anh ấy");
    - "thì" goes at a clause start or when stuttered, not in "nếu ... thì";
    - "cái" goes unless it heads "cái gì/này/đó..." or follows a quantity
      ("hai cái");
    - if nothing would be left, the text is returned unchanged (an utterance
      that is only "ừ" or "dạ ạ" is an answer).
    Removal repeats until stable, so "ờ thì cái" clears in one call.
    """
    current = " ".join(to_nfc_modern(text).split())
    while True:
        stripped = _strip_once(current)
        if stripped == current:
            break
        current = stripped
    if not any(ch.isalnum() for ch in current):
        return " ".join(text.split())
    return current


# ---------------------------------------------------------------------------
# normalize and match_key
# ---------------------------------------------------------------------------

_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_PUNCT_TABLE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,?!;:])")
_REPEATED_PUNCT_RE = re.compile(r"([?!,;:])\1+")


def _clean_punctuation(text: str) -> str:
    text = _INVISIBLE_RE.sub("", text).translate(_PUNCT_TABLE)
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    return _REPEATED_PUNCT_RE.sub(r"\1", text)


def normalize(text: str) -> str:
    """The one entry point for text from chat, speech or the console search.

    NFKC + canonical tones, punctuation and whitespace cleanup, shorthand
    expansion, spoken numbers to digits. Diacritics and case of everything
    else are kept, and ``normalize(normalize(t)) == normalize(t)``.
    """
    text = to_nfc_modern(unicodedata.normalize("NFKC", text))
    # Shorthand and number words feed each other ("ko ko ko" → "không không
    # không" → "000", then "000 k" reads as a thousand), so repeat until stable.
    for _ in range(_MAX_PASSES):
        previous = text
        text = _clean_punctuation(text)
        text = expand_shorthand(text)
        text = spoken_to_digits(text)
        text = _canonical_codes(" ".join(text.split()))
        if text == previous:
            break
    return text


_MAX_PASSES = 4


def _canonical_codes(text: str) -> str:
    """Tracking codes in their canonical form ("000.00.01 chấm gờ 06-…" → "000.00.01.G06-…")."""
    from nlu.codes import find_tracking_codes  # codes needs spoken_numbers only; no cycle

    out: list[str] = []
    cursor = 0
    for match in find_tracking_codes(text):
        out += [text[cursor : match.start], match.value]
        cursor = match.end
    out.append(text[cursor:])
    return "".join(out)


# i and y are interchangeable after a consonant in single-vowel syllables
# ("kỹ/kĩ", "lý/lí", "đăng ký/kí"); the key spells them all with "i".
_Y_AFTER_CONSONANT_RE = re.compile(r"\b([bcdghklmnpqrstvx]|ch|kh|ph|th|tr|nh|ng)y\b")


def match_key(text: str) -> str:
    """Key for fuzzy matching: shorthand expanded, folded, i/y unified.

    "đki nhãn hiệu", "dang ki nhan hieu" and "Đăng Ký Nhãn Hiệu" share a key.
    Punctuation other than spaces becomes a space ("X-quang" → "x quang").
    """
    folded = fold(expand_shorthand(_clean_punctuation(text)))
    folded = re.sub(r"[^\w\s]|_", " ", folded)
    folded = _Y_AFTER_CONSONANT_RE.sub(lambda m: m.group(1) + "i", folded)
    return " ".join(folded.split())
