"""The fuzz strategies: deterministic (hypothesis refuses flaky ones), and the Rasa finding's
classifier."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, Phase, given, seed, settings

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
