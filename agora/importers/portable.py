"""The model graph of one site, made portable: which rows belong to a site and how foreign keys
are written so they survive a move to another database.

Comments, articles, votes and the site itself are exported explicitly. Every other model that
points at them, directly or through another such model (moderation decisions, flags, audit log,
roles, settings...), is found here generically, so the export stays lossless as models are added.

Portable references: a site is "site", an article its URL, a comment its key (its external id, or
`agora:<instance>:<id>` for comments born in this Agora installation), a user its username, any
other exported row `{"model": label, "pk": old id}`.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models

from agora.accounts.models import User
from agora.comments.models import Article, Comment, Site, Vote

CORE_MODELS = (Site, Article, Comment, Vote)
# Operational history of this database, not data of the site.
# Import bookkeeping, and trained model files that live on this server's disk, not in the data.
SKIPPED_LABELS = {"importers.importrun", "importers.auditfinding", "modelops.modelversion"}


def instance_id() -> str:
    """Tells this installation's comment ids from another's in export keys."""
    return hashlib.sha256(f"agora-instance:{settings.SECRET_KEY}".encode()).hexdigest()[:10]


def comment_key(pk: int, external_id: str) -> str:
    return external_id or f"agora:{instance_id()}:{pk}"


def native_ids(keys: list[str]) -> list[int]:
    """Comment ids of this installation named by `agora:<instance>:<id>` keys."""
    prefix = f"agora:{instance_id()}:"
    return [int(key[len(prefix):]) for key in keys if key.startswith(prefix) and key[len(prefix):].isdigit()]


def _references(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


@cache
def related_models() -> tuple[type[models.Model], ...]:
    """Models hanging off the site graph, each after the models it references."""
    included: list[type[models.Model]] = []
    anchors = set(CORE_MODELS)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in anchors or model in included or model is User:
                continue
            if model._meta.label_lower in SKIPPED_LABELS or model._meta.proxy:
                continue
            targets = {f.related_model for f in _references(model)}
            if targets & (anchors | set(included)):
                included.append(model)
                changed = True
    return tuple(_dependencies_first(included))


def _dependencies_first(models_: list) -> list:
    ordered: list = []

    def visit(model, trail: frozenset) -> None:
        if model in ordered or model in trail:
            return
        for field in _references(model):
            if field.related_model in models_ and field.related_model is not model:
                visit(field.related_model, trail | {model})
        ordered.append(model)

    for model in models_:
        visit(model, frozenset())
    return ordered


def rows_of(model, site: Site) -> models.QuerySet:
    """The rows of `model` that belong to `site`, through any of its references."""
    condition = models.Q(pk__in=[])
    for field in _references(model):
        target = field.related_model
        if target is Site:
            condition |= models.Q(**{field.name: site})
        elif target in (Article, Comment):
            condition |= models.Q(**{f"{field.name}__site": site})
        elif target in related_models() and target is not model:  # a row's parent is no anchor
            condition |= models.Q(**{f"{field.name}__in": rows_of(target, site).values("pk")})
    return model.objects.filter(condition).order_by("pk")


def reference_kind(field: models.Field) -> str:
    target = field.related_model
    if target is Site:
        return "site"
    if target is Article:
        return "article"
    if target is Comment:
        return "comment"
    if target is User:
        return "user"
    if target in related_models():
        return "row"
    return "raw"
