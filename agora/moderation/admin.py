"""Django admin for moderation data. Settings and word-list edits are audited; the audit log,
decisions and flags are read-only here (decisions come from the pipeline and the workspace)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agora.moderation import audit
from agora.moderation.models import (
    AuditEntry,
    Decision,
    Escalation,
    Flag,
    ModerationSettings,
    Standing,
    WordListEntry,
)

_JSON_TYPES = str | int | float | bool | list | dict | None


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value if isinstance(value, _JSON_TYPES) else str(value) for name, value in values.items()}


class AuditedAdmin(admin.ModelAdmin):
    """Every change made here lands in the audit log with the values before and after."""

    audit_action = ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _jsonable(model_to_dict(type(obj).objects.get(pk=obj.pk))) if change else {}
        super().save_model(request, obj, form, change)
        audit.log(f"{self.audit_action}.{'change' if change else 'add'}", actor=request.user,
                  site=obj.site, target=obj, before=before, after=_jsonable(model_to_dict(obj)))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.log(f"{self.audit_action}.delete", actor=request.user, site=obj.site, target=obj,
                  before=_jsonable(model_to_dict(obj)))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(AuditedAdmin):
    audit_action = "settings"
    list_display = ("site", "premoderate_all", "nudge_enabled", "trust_ramp_approved", "flag_threshold",
                    "escalation_enabled", "updated_at")
    fieldsets = (
        (None, {"fields": ("site", "phase_order", "premoderate_all")}),
        (_("Toxicity model"), {"fields": ("model_thresholds", "toxicity_threshold_table", "nudge_enabled",
                                          "hold_unsupported_languages")}),
        (_("Authors"), {"fields": ("trust_ramp_approved", "flag_threshold")}),
        (_("Links"), {"fields": ("hold_links_from_new", "link_allow_domains", "link_deny_domains")}),
        (_("Floods"), {"fields": ("rate_limit_per_ip", "rate_limit_per_author", "rate_window_seconds",
                                  "repeat_detection", "repeat_window_seconds")}),
        (_("Thread escalation"), {"fields": ("escalation_enabled", "escalation_window_seconds",
                                             "escalation_min_comments", "escalation_hold_rate",
                                             "escalation_toxicity_velocity")}),
        (_("External check"), {"fields": ("hook_url", "hook_secret", "hook_timeout_seconds")}),
    )
    readonly_fields = ("toxicity_threshold_table",)

    @admin.display(description=_("What each threshold would hold"))
    def toxicity_threshold_table(self, obj: ModerationSettings) -> str:
        from agora.modelops.display import threshold_table_html

        return threshold_table_html(obj.site) if obj.pk else _("Shown once the settings are saved.")


@admin.register(WordListEntry)
class WordListEntryAdmin(AuditedAdmin):
    audit_action = "wordlist"
    list_display = ("phrase", "kind", "language", "site", "created_at")
    list_filter = ("site", "kind", "language")
    search_fields = ("phrase",)
    list_editable = ("kind",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "site", "target_type", "target_id", "reason")
    list_filter = ("action", "site")
    search_fields = ("actor_name", "action", "target_id", "reason")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "comment", "status", "source", "actor", "is_label", "label")
    list_filter = ("status", "source", "is_label")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "comment", "reason", "reporter", "explanation")
    list_filter = ("reason",)


@admin.register(Standing)
class StandingAdmin(AuditedAdmin):
    audit_action = "standing"
    list_display = ("site", "user", "reader_id", "email", "banned", "suspended_until", "always_premoderate",
                    "trusted")
    list_filter = ("site", "banned", "trusted", "always_premoderate")
    search_fields = ("email", "reader_id", "user__username", "checked_name")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("article", "started_at", "ended_at", "ended_by")
