"""Shared fixtures: the shipped model, loaded once per test session."""

from __future__ import annotations

import pytest

from agora.toxicity import Model, load


@pytest.fixture(scope="session")
def model() -> Model:
    return load()
