"""Which procedure does the user mean? Fuzzy, accent-insensitive matching.

A mention ("cho tôi hỏi thủ tục làm bằng sáng chế với ạ", "dang ky thuong
hieu", "giấy phép đài phát") is matched against each procedure's name,
aliases and keywords, all keyed with ``match_key`` (shorthand expanded,
accents folded, i/y unified). Indexes are built once; a call touches only the
forms that share a word with the mention.

Score of one form (0..1), the record's score being its best form's:

    coverage × (0.5 + 0.5 × explained) × specificity × kind weight

- coverage: share of the form's words (idf-weighted) found in the mention,
  typos earning partial credit; extra words around the mention cost nothing;
- explained: share of the mention's content words that the record (any of its
  forms) accounts for, so "đăng ký thương hiệu ra nước ngoài" prefers the
  Madrid procedure to plain trademark registration;
- specificity: forms made only of common words ("giấy phép") score lower;
- kind weight: keywords count slightly less than names and aliases, everyday
  variants ("thương hiệu" for "nhãn hiệu") slightly less than the original.

``confident`` needs a clear best (above a floor) that leads the runner-up by a
margin; otherwise the caller asks back with the candidates.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from statistics import median
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from nlu.normalize import match_key

__all__ = ["Candidate", "ProcedureResolver", "Resolution"]

CONFIDENT_FLOOR = 0.6
CONFIDENT_MARGIN = 0.1
CANDIDATE_FLOOR = 0.3
EXPLAINED_SHARE = 0.5
# Ties between records sharing a keyword go to the one whose name fits best.
NAME_SHARE = 0.1
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_MIN_LENGTH = 4
UNKNOWN_WORD_WEIGHT = 1.0
KIND_WEIGHTS = {"name": 1.0, "alias": 1.0, "keyword": 0.9}
VARIANT_WEIGHT = 0.97  # times the weight of the form it was made from
# A form whose words add up to this many median-idf words is fully specific.
SPECIFIC_ENOUGH_MEDIANS = 1.2
# Renewal, amendment, reissue ... are variants of a base procedure: when the
# name says so but the mention has none of the words that ask for it, the
# record scores less ("chữ ký số" is the licence, not its renewal). Aliases are
# exempt: they are that record's own everyday phrasings ("gia hạn mã vạch").
MODIFIER_PENALTY = 0.8
_EDIT_WORDS = ("sua", "sua doi", "thay doi", "doi ten", "doi dia chi", "bo sung", "dieu chinh")
MODIFIERS: Mapping[str, tuple[str, ...]] = {
    "gia han": ("gia han", "het han"),
    "cap lai": ("cap lai", "mat", "lam lai", "hong", "rach", "het han", "doi ten"),
    "sua doi": _EDIT_WORDS,
    "bo sung": _EDIT_WORDS,
    "thay doi": _EDIT_WORDS,
    "cham dut": ("cham dut", "huy"),
    "huy bo": ("huy", "huy bo"),
}

# Question words and politeness carry no procedure (folded, i/y unified).
# Phrases go first, so "thủ tục" does not leave "thu" to match "thử nghiệm".
STOP_PHRASES = (
    "cho toi hoi", "cho em hoi", "cho minh hoi", "thu tuc", "le phi", "bao nhieu",
    "ho so", "giay to", "thoi gian", "bao lau", "vui long", "tra cuu", "huong dan",
    "quy trinh", "nhu the nao", "the nao", "lam sao", "o dau",
)  # fmt: skip
# Single words whose folded form collides with no catalogue word that matters
# ("bán", "chỉ", "thẻ", "di động" are NOT here although "bạn", "chị", "thế",
# "đi" fold the same).
STOPWORDS = frozenset(
    """cho toi em minh chung hoi muon can biet giup voi a oi nhe nha vay nao
    nhu gi la cua ve duoc khong nhung cac thi sao con admin nop ah ha nhi
    xem ad""".split()  # noqa: SIM905
)
# Everyday words for official ones: each form containing the official words
# also gets a variant with the everyday ones (weighted as "variant").
VARIANTS: tuple[tuple[str, str], ...] = (
    ("nhan hieu", "thuong hieu"),
    ("ma so ma vach", "ma vach"),
    ("sang che", "phat minh"),
    ("tan so", "song"),
    ("x quang", "chup phim"),
    ("x quang", "ich quang"),  # how "X" is read aloud
)
# Sounds that speech recognisers and regional accents merge: initial d/gi/r,
# s/x, tr/ch, k/c; final ng/n, nh/n, c/t, ch/t. A word unknown to the catalogue
# may still match a catalogue word of the same sound ("dấy phép bứt xạ").
SOUND_CREDIT = 0.85
_SOUND_INITIALS = (("ngh", "ng"), ("gh", "g"), ("gi", "z"), ("d", "z"), ("r", "z"),
                   ("s", "x"), ("tr", "ch"), ("k", "c"))  # fmt: skip
_SOUND_FINALS = (("ng", "n"), ("nh", "n"), ("ch", "t"), ("c", "t"))


@dataclass(frozen=True)
class Candidate:
    """A procedure the mention may refer to."""

    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """Ranked candidates (best first) and whether the best is clear enough."""

    candidates: list[Candidate]
    confident: bool

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class _Form:
    record: int
    tokens: tuple[str, ...]
    weight: float
    kind: str


@dataclass(frozen=True)
class _Query:
    """A mention, prepared: credited catalogue words and what explains it."""

    credits: dict[str, float]  # catalogue word → 1.0 (exact) or less (typo)
    explains: dict[str, float]  # catalogue word → weight of the mention it accounts for
    total: float  # weight of all content words of the mention
    modifiers: frozenset[str]


@dataclass(frozen=True)
class _Indexed:
    """A form with what scoring needs precomputed."""

    form: _Form
    idf: tuple[float, ...]
    words: frozenset[str]
    specificity: float


def _form_texts(record: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    name = str(record.get("name") or "")
    yield "name", name
    short_name = re.sub(r"\(.*?\)", " ", name)  # "Đăng ký sáng chế (cấp Bằng ...)"
    if short_name.strip() != name.strip():
        yield "name", short_name
    for alias in record.get("aliases") or []:
        yield "alias", str(alias)
    for keyword in record.get("keywords") or []:
        yield "keyword", str(keyword)


def _with_variants(key: str) -> Iterable[tuple[float, str]]:
    """The key itself (factor 1) and its everyday variants (factor VARIANT_WEIGHT)."""
    yield 1.0, key
    padded = f" {key} "
    for official, everyday in VARIANTS:
        if f" {official} " in padded:
            yield VARIANT_WEIGHT, padded.replace(f" {official} ", f" {everyday} ").strip()


def _sound_key(word: str) -> str:
    """A folded syllable as it sounds, merging commonly confused letters."""
    for written, sound in _SOUND_INITIALS:
        if word.startswith(written) and len(word) > len(written):
            word = sound + word[len(written) :]
            break
    for written, sound in _SOUND_FINALS:
        if word.endswith(written) and len(word) > len(written):
            return word[: -len(written)] + sound
    return word


def _content_key(key: str) -> str:
    """``key`` without stop phrases and stopwords (unchanged if nothing would remain)."""
    padded = f" {key} "
    for phrase in STOP_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    content = " ".join(t for t in padded.split() if t not in STOPWORDS)
    return content or key


def _modifiers_in(key: str) -> frozenset[str]:
    padded = f" {key} "
    return frozenset(m for m in MODIFIERS if f" {m} " in padded)


def _asked_modifiers(key: str) -> frozenset[str]:
    """Modifiers the mention asks for, directly or through an everyday word."""
    padded = f" {key} "
    return frozenset(
        m for m, triggers in MODIFIERS.items() if any(f" {t} " in padded for t in triggers)
    )


class ProcedureResolver:
    """Resolve everyday mentions to catalogue records; build once, call often."""

    def __init__(self, catalogue: Sequence[Mapping[str, Any]]) -> None:
        self._records = [(str(r["code"]), str(r.get("name") or r["code"])) for r in catalogue]
        self._modifiers = [_modifiers_in(match_key(name)) for _, name in self._records]
        self._forms = self._build_forms(catalogue)
        self._idf = self._build_idf()
        self._vocabulary = sorted(self._idf)
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            self._by_sound[_sound_key(word)].append(word)
        self._index: dict[str, set[int]] = defaultdict(set)
        for number, form in enumerate(self._forms):
            for token in form.tokens:
                self._index[token].add(number)
        self._record_words: list[set[str]] = [set() for _ in self._records]
        for form in self._forms:
            self._record_words[form.record].update(form.tokens)
        self._name_forms: list[tuple[tuple[str, ...], tuple[float, ...]]] = []
        for _, name in self._records:
            tokens = tuple(_content_key(match_key(re.sub(r"\(.*?\)", " ", name))).split())
            idf = tuple(self._idf.get(t, UNKNOWN_WORD_WEIGHT) for t in tokens)
            self._name_forms.append((tokens, idf))
        weights = sorted(self._idf.values())
        specific_enough = SPECIFIC_ENOUGH_MEDIANS * median(weights) if weights else 1.0
        self._indexed = [
            _Indexed(
                form,
                tuple(self._idf[t] for t in form.tokens),
                frozenset(form.tokens),
                min(1.0, sum(self._idf[t] for t in form.tokens) / specific_enough),
            )
            for form in self._forms
        ]

    @staticmethod
    def _build_forms(catalogue: Sequence[Mapping[str, Any]]) -> list[_Form]:
        forms: dict[tuple[int, tuple[str, ...]], _Form] = {}
        for number, record in enumerate(catalogue):
            for kind, text in _form_texts(record):
                for factor, key in _with_variants(_content_key(match_key(text))):
                    tokens = tuple(key.split())
                    form = _Form(number, tokens, KIND_WEIGHTS[kind] * factor, kind)
                    known = forms.get((number, tokens))
                    if tokens and (known is None or known.weight < form.weight):
                        forms[(number, tokens)] = form
        return list(forms.values())

    def _build_idf(self) -> dict[str, float]:
        records_with: dict[str, set[int]] = defaultdict(set)
        for form in self._forms:
            for token in form.tokens:
                records_with[token].add(form.record)
        total = max(len(self._records), 1)
        return {t: math.log(1 + total / len(r)) for t, r in records_with.items()}

    # -- the mention ------------------------------------------------------

    def _credits(self, tokens: Sequence[str]) -> tuple[dict[str, float], dict[str, str]]:
        """Catalogue words the mention contains, with credit (1 exact, less otherwise).

        Also returns, for each mention word, the catalogue word it stands for.
        Sound-alikes are credited even for known words: "dao" is a catalogue
        word (đào tạo) but in "chuyển dao công nghệ" it was "giao".
        """
        credits: dict[str, float] = {}
        stands_for: dict[str, str] = {}

        def credit(token: str, word: str, amount: float) -> None:
            credits[word] = max(credits.get(word, 0.0), amount)
            stands_for.setdefault(token, word)

        for token in tokens:
            if token in self._idf:
                credit(token, token, 1.0)
            for part in [] if token in self._idf else self._split_glued(token):
                credit(token, part, 1.0)
            if token in STOPWORDS:
                continue
            for word in self._by_sound.get(_sound_key(token), ()):
                credit(token, word, SOUND_CREDIT)
            if token in stands_for or len(token) < FUZZY_MIN_LENGTH:
                continue
            near = self._nearest(token)
            if near is not None:
                credit(token, near[0], 0.9 * near[1])
        return credits, stands_for

    def _nearest(self, token: str) -> tuple[str, float] | None:
        """The catalogue word a typo stands for ("nhna" → "nhan", not "nha")."""
        matches = process.extract(
            token,
            self._vocabulary,
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=FUZZY_MIN_SIMILARITY,
            limit=5,
        )
        if not matches:
            return None
        word, similarity, _ = max(
            matches, key=lambda m: (m[1], -abs(len(m[0]) - len(token)), self._idf[m[0]])
        )
        return word, float(similarity)

    def _split_glued(self, token: str) -> list[str]:
        """ "sangche" → ["sang", "che"] when both halves are catalogue words."""
        for cut in range(1, len(token)):
            left, right = token[:cut], token[cut:]
            if left in self._idf and right in self._idf and len(left) > 1 and len(right) > 1:
                return [left, right]
        return []

    def _query(self, mention: str) -> _Query:
        key = match_key(mention)
        tokens = _content_key(key).split()
        credits, stands_for = self._credits(tokens)
        explains: dict[str, float] = defaultdict(float)
        for token in tokens:
            if token in stands_for:
                explains[stands_for[token]] += self._idf.get(token, UNKNOWN_WORD_WEIGHT)
        total = sum(self._idf.get(t, UNKNOWN_WORD_WEIGHT) for t in tokens)
        return _Query(credits, dict(explains), total, _asked_modifiers(key))

    # -- scoring ----------------------------------------------------------

    @staticmethod
    def _coverage(tokens: Sequence[str], idf: Sequence[float], query: _Query) -> float:
        total = sum(idf)
        if not total:
            return 0.0
        return sum(w * query.credits.get(t, 0.0) for t, w in zip(tokens, idf, strict=True)) / total

    @staticmethod
    def _explained(words: AbstractSet[str], query: _Query) -> float:
        if not query.total:
            return 1.0
        return sum(w for word, w in query.explains.items() if word in words) / query.total

    def _form_score(self, item: _Indexed, query: _Query, record_explained: float) -> float:
        """coverage × explained share × specificity × kind weight (× modifier penalty)."""
        form = item.form
        coverage = self._coverage(form.tokens, item.idf, query)
        share = 1 - EXPLAINED_SHARE + EXPLAINED_SHARE * record_explained
        score = coverage * share * item.specificity * form.weight
        if form.kind != "alias" and not self._modifiers[form.record] <= query.modifiers:
            score *= MODIFIER_PENALTY
        return score

    def _record_scores(self, query: _Query) -> dict[int, float]:
        touched = {n for token in query.credits for n in self._index.get(token, ())}
        record_explained: dict[int, float] = {}
        scores: dict[int, float] = {}
        for number in touched:
            item = self._indexed[number]
            record = item.form.record
            if record not in record_explained:
                record_explained[record] = self._explained(self._record_words[record], query)
            score = self._form_score(item, query, record_explained[record])
            scores[record] = max(score, scores.get(record, 0.0))
        for record, score in scores.items():
            name, name_idf = self._name_forms[record]
            name_fit = self._coverage(name, name_idf, query)
            scores[record] = score * (1 - NAME_SHARE + NAME_SHARE * name_fit)
        return scores

    def resolve(self, mention: str, limit: int = 3) -> Resolution:
        """Rank procedures for ``mention``; see the module docstring for the score."""
        scores = self._record_scores(self._query(mention))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        candidates = [
            Candidate(self._records[r][0], self._records[r][1], round(min(s, 1.0), 4))
            for r, s in ranked
            if s >= CANDIDATE_FLOOR
        ][: max(limit, 0)]
        return Resolution(candidates, self._is_confident([s for _, s in ranked]))

    @staticmethod
    def _is_confident(scores: Sequence[float]) -> bool:
        if not scores or scores[0] < CONFIDENT_FLOOR:
            return False
        return len(scores) == 1 or scores[0] - scores[1] >= CONFIDENT_MARGIN
