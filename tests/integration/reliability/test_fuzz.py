"""A short fuzz run (the full one: `python -m reliability.fuzz`): 1,000 generated and
mutated requests against the Telegram and Zalo webhooks (right and wrong secrets and
signatures), the console's sign-in and API, and Rasa's REST channel."""

from __future__ import annotations

import pytest

from reliability.fuzz import THRESHOLD_MB, Targets, fuzz
from stack.services import Stack
from tests.fakes.gateway import TELEGRAM_SECRET, Gateway
from tests.fakes.zalo import FakeZalo

pytestmark = pytest.mark.integration


def test_a_thousand_hostile_requests_break_nothing(
    stack: Stack, fuzz_gateway: Gateway, fake_zalo: FakeZalo
) -> None:
    targets = Targets(
        gateway_url=fuzz_gateway.url,
        rasa_url=stack.rasa_url,
        telegram_secret=TELEGRAM_SECRET,
        zalo=fake_zalo,
        processes={
            "gateway": fuzz_gateway.process,
            "rasa": stack.rasa,
            "actions": stack.actions,
            "core API": stack.case_api,
        },
        health={
            "gateway": f"{fuzz_gateway.url}/health",
            "rasa": f"{stack.rasa_url}/status?token={stack.config.auth_token}",
            "actions": f"{stack.actions_url}/health",
            "core API": f"{stack.case_api_url}/health",
        },
    )
    result = fuzz(targets, count=1000, seed_value=1, samples_every=300)
    assert result.sent >= 1000
    assert len(result.statuses) == 8  # every target was reached
    assert result.problems == [], "\n".join(result.problems)
    assert result.not_healthy == []
    growth = result.growth_mb()
    assert all(mb < THRESHOLD_MB for mb in growth.values()), growth
