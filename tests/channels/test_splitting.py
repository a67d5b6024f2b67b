"""Long answers split under a channel's limit: never a broken word, nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.gateway.splitting import split_text, utf16_len

WORD = st.text(
    alphabet=st.sampled_from(list("abcdeđêôơưạảấầẩẫậ0123456789😀📄•")), min_size=1, max_size=12
)
SEPARATOR = st.sampled_from([" ", " ", " ", "\n", "\n\n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=300))
    parts = [words[0]]
    for word in words[1:]:
        parts += [draw(SEPARATOR), word]
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(texts(), st.integers(min_value=24, max_value=400))
def test_chunks_fit_and_keep_every_word(text: str, limit: int) -> None:
    chunks = split_text(text, limit, utf16_len)
    assert all(0 < utf16_len(chunk) <= limit for chunk in chunks)
    assert [w for c in chunks for w in c.split()] == text.split()


def test_short_text_is_one_chunk() -> None:
    assert split_text("  Xin chào!  ", 4096) == ["Xin chào!"]
    assert split_text("", 10) == []


def test_prefers_paragraph_then_line_breaks() -> None:
    text = "Đoạn một có vài chữ.\n\nĐoạn hai dài hơn một chút nữa.\nDòng ba."
    assert split_text(text, 45) == [
        "Đoạn một có vài chữ.",
        "Đoạn hai dài hơn một chút nữa.\nDòng ba.",
    ]


def test_emoji_count_twice_for_telegram() -> None:
    text = "📄" * 10
    assert utf16_len(text) == 20
    assert all(utf16_len(c) <= 8 for c in split_text(text, 8, utf16_len))
    assert "".join(split_text(text, 8, utf16_len)) == text


def test_a_word_longer_than_the_limit_is_cut_but_not_inside_an_accent() -> None:
    decomposed = "Nguye\u0302\u0303n" * 5  # "Nguyễn" with combining marks (NFD)
    chunks = split_text(decomposed, 7)
    assert "".join(chunks) == decomposed
    assert all(not chunk[0].isspace() and ord(chunk[0]) not in (0x302, 0x303) for chunk in chunks)


def test_limit_must_be_sane() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 1)
