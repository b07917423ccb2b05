"""Helpers for the moderation tests: an API client from the site's origin and posting shortcuts."""

from __future__ import annotations

import importlib.util

import pytest
from django.test import Client

from agora.comments import services
from agora.moderation.models import ModerationSettings

ORIGIN = "https://news.example"
MODEL_PRESENT = importlib.util.find_spec("agora.toxicity.model") is not None


def requires_model():
    """Skip only when the model package is absent (it ships with the product)."""
    return pytest.mark.skipif(not MODEL_PRESENT, reason="agora.toxicity is not installed")


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ORIGIN=ORIGIN)


@pytest.fixture
def mod_settings(site) -> ModerationSettings:
    return ModerationSettings.for_site(site)


@pytest.fixture
def without_model(mod_settings) -> ModerationSettings:
    """Rules only: outcomes that must not depend on the model's judgement."""
    mod_settings.phase_order = [name for name in mod_settings.phase_order if name != "model"]
    mod_settings.save()
    return mod_settings


def post_direct(site, url: str, body: str, reader: str = "reader-1", name: str = "Ana", ip: str = "",
                **extra) -> services.PostResult:
    return services.post_comment(site=site, url=url, body=body, author_name=name,
                                 actor=services.Actor(reader_id=reader, ip=ip), **extra)
