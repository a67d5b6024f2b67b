"""Accent- and case-insensitive procedure search.

Citizens type "dang ky nhan hieu", "DK nhãn hiệu" or a whole sentence. Every
text is folded (NFD, combining marks dropped, đ→d, lower case) and shorthand
expanded; chat filler is dropped from queries. A query is then compared with each
procedure's name, aliases and keywords word by word: words are matched fuzzily
(rapidfuzz, so typos still count) and weighted by how rare they are in the
catalogue, so "nhan hieu" decides more than "dang ky".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Shorthand seen in chat; expanded on both sides before matching.
ABBREVIATIONS: dict[str, str] = {
    "dk": "dang ky",
    "dki": "dang ky",
    "gp": "giay phep",
    "gcn": "giay chung nhan",
    "cgcn": "chuyen giao cong nghe",
    "shtt": "so huu tri tue",
    "shcn": "so huu cong nghiep",
    "khcn": "khoa hoc va cong nghe",
    "kdcn": "kieu dang cong nghiep",
    "msmv": "ma so ma vach",
    "xquang": "x quang",
    "vtd": "vo tuyen dien",
    "cks": "chu ky so",
    "dn": "doanh nghiep",
    "sp": "san pham",
}

# Filler of chat questions, removed from queries only. Folding merges words
# ("số"/"sổ"/"so", "cân"/"cần", "thử"/"thủ"), so only words and phrases that stay
# unambiguous without accents are listed; catalogue texts are never filtered.
STOP_PHRASES = (
    "lam the nao",
    "nhu the nao",
    "the nao",
    "thu tuc",
    "ho so",
    "o dau",
    "bao nhieu",
    "bao lau",
    "can gi",
    "lam gi",
    "cho toi",
    "cho em",
    "cho minh",
    "anh oi",
    "chi oi",
    "em oi",
    "ad oi",
    "a oi",
)
STOPWORDS = frozenset(
    """toi minh muon giup hoi xin voi duoc khong nhe oi a ah va cua nhu phai biet vay
    nhi dum gium nao cho""".split()  # noqa: SIM905 (a word list reads better this way)
)

# Words that mark a follow-up procedure (renewal, reissue, amendment…). Without
# one of them in the query, the first-time procedure should rank first.
VARIANT_WORDS = frozenset(
    ["gia", "han", "lai", "sua", "doi", "bo", "sung", "thay", "cham", "dut", "huy", "pho", "mat"]
)
VARIANT_PENALTY = 6.0

NAME_WEIGHT = 1.0
ALIAS_WEIGHT = 0.97
KEYWORD_WEIGHT = 0.9
MAJOR_SHARE = 0.7  # weight of the better of query coverage and text coverage
UNKNOWN_WORD_WEIGHT = 0.3  # words the catalogue never uses say little
FUZZY_CUTOFF = 80.0  # for 3-letter words; one transposed letter in a longer word passes
FUZZY_CUTOFF_LONG = 75.0
MIN_SCORE = 60.0


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: 'Đăng ký' → 'dang ky'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def tokens(text: str) -> tuple[str, ...]:
    """Fold and expand shorthand."""
    words: list[str] = []
    for word in fold(text).split():
        words.extend(ABBREVIATIONS.get(word, word).split())
    return tuple(words)


def query_tokens(query: str) -> tuple[str, ...]:
    """Tokens of a query without chat filler ("thủ tục" alone gives nothing)."""
    padded = f" {' '.join(tokens(query))} "
    for phrase in STOP_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    return tuple(w for w in padded.split() if w not in STOPWORDS)


@dataclass(frozen=True)
class Entry:
    """One searchable procedure: its code and weighted token lists."""

    code: str
    name: tuple[str, ...]
    texts: tuple[tuple[tuple[str, ...], float], ...]
    is_variant: bool


def build_entry(code: str, name: str, aliases: Iterable[str], keywords: Iterable[str]) -> Entry:
    """Prepare a procedure for matching."""
    name_tokens = tokens(name)
    texts = [(name_tokens, NAME_WEIGHT)]
    texts += [(tokens(a), ALIAS_WEIGHT) for a in aliases]
    texts += [(tokens(k), KEYWORD_WEIGHT) for k in keywords]
    return Entry(
        code=code,
        name=name_tokens,
        texts=tuple((t, w) for t, w in texts if t),
        is_variant=bool(VARIANT_WORDS & set(name_tokens[:3])),
    )


class Index:
    """Entries plus the rarity (IDF) of every word they use."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        doc_freq: dict[str, int] = {}
        for entry in self.entries:
            for word in {w for text, _ in entry.texts for w in text}:
                doc_freq[word] = doc_freq.get(word, 0) + 1
        n = len(self.entries)
        self.idf = {w: math.log((n + 1) / (df + 0.5)) for w, df in doc_freq.items()}
        self._vocab = sorted(self.idf)

    def weight(self, word: str) -> float:
        return self.idf.get(word, UNKNOWN_WORD_WEIGHT)

    def _similarities(self, query: tuple[str, ...]) -> dict[tuple[str, str], float]:
        sims: dict[tuple[str, str], float] = {}
        for q in set(query):
            if q in self.idf:
                # Folded syllables look alike ("dang"/"bang", "hieu"/"kieu"): a word
                # the catalogue knows only matches itself; only unknown words,
                # likely typos, are matched fuzzily.
                sims[(q, q)] = 1.0
                continue
            if len(q) < 3:
                continue
            cutoff = FUZZY_CUTOFF_LONG if len(q) >= 4 else FUZZY_CUTOFF
            for w, r, _ in process.extract(
                q, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                if len(w) >= 3:
                    sims[(q, w)] = max(sims.get((q, w), 0.0), r / 100.0)
        return sims

    def _text_score(
        self, query: tuple[str, ...], text: tuple[str, ...], sims: dict[tuple[str, str], float]
    ) -> float:
        q_total = sum(self.weight(q) for q in query)
        t_total = sum(self.weight(t) for t in text)
        if not q_total or not t_total:
            return 0.0
        q_found = sum(self.weight(q) * max(sims.get((q, t), 0.0) for t in text) for q in query)
        t_found = sum(self.weight(t) * max(sims.get((q, t), 0.0) for q in query) for t in text)
        coverage, precision = q_found / q_total, t_found / t_total
        # Short query inside a long name, or a whole alias inside a long question.
        major, minor = max(coverage, precision), min(coverage, precision)
        return 100.0 * (MAJOR_SHARE * major + (1 - MAJOR_SHARE) * minor)

    def score(
        self, query: tuple[str, ...], entry: Entry, sims: dict[tuple[str, str], float]
    ) -> float:
        """Best weighted score of ``query`` over an entry's texts."""
        best = max(self._text_score(query, t, sims) * w for t, w in entry.texts)
        if entry.is_variant and not VARIANT_WORDS & set(query):
            best -= VARIANT_PENALTY
        return max(best, 0.0)

    def search(self, query: str, min_score: float = MIN_SCORE) -> list[tuple[str, int]]:
        """(code, score 0..100) pairs scoring at least ``min_score``, best first."""
        folded = fold(query)
        for entry in self.entries:
            if folded == fold(entry.code):
                return [(entry.code, 100)]
        words = query_tokens(query)
        if not words:
            return []
        sims = self._similarities(words)
        scored = []
        for entry in self.entries:
            s = self.score(words, entry, sims)
            if s >= min_score:
                name_s = self._text_score(words, entry.name, sims)
                scored.append((-s, -name_s, entry.code, s))
        scored.sort()
        return [(code, round(s)) for _, _, code, s in scored]
