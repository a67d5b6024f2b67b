"""The fuzz strategies: deterministic (hypothesis refuses flaky ones), and the Rasa finding's
classifier."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, Phase, given, seed, settings

from reliability.fuzz import RASA_NON_OBJECT, rasa_non_object
from reliability.payloads import body, samples


def test_mutations_do_not_leak_between_examples() -> None:
    """Shared [] / {} constants once grew across examples: hypothesis saw a flaky strategy."""
    originals = samples("telegram") + samples("zalo") + samples("rasa_rest_request")
    kinds: set[bool] = set()

    @seed(5)
    @settings(max_examples=200, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(body(originals))
    def check(drawn: tuple[bytes, object]) -> None:
        raw, value = drawn
        if value is not None:
            assert json.loads(raw) == value
        kinds.add(value is None)

    check()
    assert kinds == {True, False}  # both broken encodings and valid JSON were generated


def test_only_rasas_500_on_non_object_json_is_set_apart() -> None:
    assert rasa_non_object(b"null", 500) == RASA_NON_OBJECT
    assert rasa_non_object(b"[1]", 500) == RASA_NON_OBJECT
    assert rasa_non_object(b"", 500) == RASA_NON_OBJECT
    assert rasa_non_object(b'["a\x13b"]', 500) == RASA_NON_OBJECT  # a control character
    assert rasa_non_object(b'{"sender": "a"}', 500) is None
    assert rasa_non_object(b"{broken", 500) is None
    assert rasa_non_object(b"null", 200) is None
