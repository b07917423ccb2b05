"""What moderation tells the rest of Agora, and the receivers that keep cached moderation
state in step with edits (admin, management commands, workspace).

- `comment_flagged(comment, first)`: a reader flagged `comment`, sent once the flag is
  committed; `first` when the comment had no unreviewed flag before (it joins the Flagged
  queue). `live` tells the site's moderators.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from agora.moderation import sitesettings, standings, wordlists
from agora.moderation.models import ModerationSettings, Standing, WordListEntry

comment_flagged = Signal()


@receiver([post_save, post_delete], sender=ModerationSettings)
def _settings_changed(instance: ModerationSettings, **_: object) -> None:
    sitesettings.forget(instance.site_id)


@receiver([post_save, post_delete], sender=WordListEntry)
def _word_list_changed(instance: WordListEntry, **_: object) -> None:
    wordlists.bump_version(instance.site_id)


@receiver([post_save, post_delete], sender=Standing)
def _standing_changed(instance: Standing, created: bool = False, **_: object) -> None:
    # A new standing that restricts nothing (the pipeline noting a checked name) changes no
    # outcome: keep the cache.
    restricts = (instance.banned or instance.suspended_until or instance.always_premoderate
                 or instance.trusted)
    if not created or restricts:
        standings.forget(instance.site_id)
