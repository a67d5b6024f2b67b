"""Pure pieces: decoding options, bias text, confidence, phrase cache, sentence chunks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from voice.config import SttSettings, TtsSettings
from voice.decoding import DecodingOptions, bias_text
from voice.stt import segment_confidence
from voice.tts import split_sentences
from voice.tts_cache import PhraseCache


@dataclass
class Seg:
    text: str = "x"
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    tokens: list[int] = field(default_factory=lambda: [1, 2, 3])


def test_default_decoding_is_the_measured_choice() -> None:
    kwargs = DecodingOptions().kwargs()
    assert kwargs["beam_size"] == 1 and kwargs["temperature"] == [0.0, 0.2, 0.4]
    assert kwargs["hotwords"] is None and kwargs["initial_prompt"] is None
    assert kwargs["no_speech_threshold"] is None
    assert SttSettings().beam_size == 1


def test_bias_text_is_short_and_deduplicated() -> None:
    assert bias_text(["mã số mã vạch", "Mã số mã vạch", "lệ phí"]) == "mã số mã vạch"
    assert bias_text(["lệ phí", " hồ sơ ", "lệ phí"]) == "lệ phí, hồ sơ"
    assert bias_text(["đăng ký chuyển giao công nghệ và các thủ tục khác"]) is None
    assert bias_text([]) is None


def test_caller_hotwords_are_capped_too() -> None:
    options = DecodingOptions()
    assert options.with_hotwords(None) is options
    assert options.with_hotwords("").hotwords is None
    assert options.with_hotwords("mã số mã vạch, lệ phí, hồ sơ").hotwords == "mã số mã vạch"


def test_confidence_from_segments() -> None:
    assert segment_confidence([]) == 0.0
    assert segment_confidence([Seg(avg_logprob=0.0)]) == 1.0
    assert segment_confidence([Seg(avg_logprob=-0.693)]) == 0.5
    # a high no-speech probability lowers the score, a moderate one does not
    assert segment_confidence([Seg(no_speech_prob=0.4)]) == 1.0
    assert segment_confidence([Seg(no_speech_prob=0.9)]) == 0.6
    # weighted by tokens: the long confident segment dominates
    long_sure = Seg(avg_logprob=0.0, tokens=list(range(9)))
    assert segment_confidence([long_sure, Seg(avg_logprob=-10.0, tokens=[1])]) == 0.9


def test_phrase_cache_round_trip(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path)
    key = cache.key("Xin chào", engine="gtts", slow=False)
    assert key != cache.key("Xin chào", engine="gtts", slow=True)
    assert cache.get(key) is None
    cache.put(key, b"mp3")
    assert cache.get(key) == b"mp3"
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def test_sentences_fit_gtts_requests() -> None:
    text = "Một câu ngắn. " + "Đây là một mệnh đề rất dài, " * 8 + "hết."
    chunks = split_sentences(text)
    assert all(0 < len(c) <= 100 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    assert split_sentences("Ngắn. Cũng ngắn.") == ["Ngắn. Cũng ngắn."]


def test_settings_from_env() -> None:
    env = {"VOICE_STT_MAX_PENDING": "7", "VOICE_TTS_ONLINE": "0", "VOICE_TTS_CACHE_DIR": "/x"}
    assert SttSettings.from_env(env).max_pending == 7
    tts = TtsSettings.from_env(env)
    assert tts.online is False and str(tts.cache_dir) == "/x"
