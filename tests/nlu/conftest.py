"""Shared fixtures for the Vietnamese NLU layer's tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Rasa imports custom components by module path with the repo root on sys.path;
# the tests see the code the same way, however pytest is started.
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: trains a model or otherwise takes seconds")
