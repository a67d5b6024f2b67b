"""A whitespace tokenizer whose lemmas make spelling variants one feature.

Tokens keep the ORIGINAL text and offsets, so entity annotations in training
data ("[đăng ký nhãn hiệu](procedure)") still line up. Each token's lemma is
the canonical key of what was meant: shorthand expanded in context, accents
folded, i/y unified ("đki" → "dang ki", "Nhãn" → "nhan", "ntn" →
"nhu the nao"), and words of a number read aloud become its digits
("không chín một hai" → four tokens with lemma "0912"). CountVectorsFeaturizer
uses lemmas by default (``use_lemma: true``), so accented, unaccented and
shorthand messages share features.

A lemma of several words ("nhu the nao") is fine: CountVectorsFeaturizer
splits each token's lemma with its own token pattern, so the token's sequence
feature counts those words and the sentence feature counts them all.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu.normalize import clause_ends_between, expand_words, match_key
from nlu.spoken_numbers import NumberSpan, find_spoken_numbers


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer with accent-, shorthand- and number-insensitive lemmas."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """WhitespaceTokenizer's options plus whether spoken numbers fold to digits."""
        return {**WhitespaceTokenizer.get_default_config(), "spoken_numbers": True}

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Whitespace tokens with canonical lemmas (see the module docstring)."""
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
        spans = find_spoken_numbers(text) if self._config.get("spoken_numbers", True) else []
        return set_lemmas(text, tokens, spans)


def set_lemmas(text: str, tokens: list[Token], spans: list[NumberSpan]) -> list[Token]:
    """Give each token its canonical lemma; tokens inside a number get its digits."""
    ends = clause_ends_between(text, [(token.start, token.end) for token in tokens])
    expanded = expand_words([token.text for token in tokens], ends)
    for token, expansion in zip(tokens, expanded, strict=True):
        number = _number_covering(token, spans)
        token.lemma = number.value if number else (match_key(expansion) or token.text.lower())
    return tokens


def _number_covering(token: Token, spans: list[NumberSpan]) -> NumberSpan | None:
    for span in spans:
        if span.start <= token.start and token.end <= span.end:
            return span
    return None
