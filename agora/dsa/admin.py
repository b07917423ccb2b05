"""Django admin: settings and trusted flaggers are edited here (and audited); notices,
statements and complaints are read-only records of what happened."""

from __future__ import annotations

from django.contrib import admin

from agora.dsa.models import Appeal, DsaSettings, Notice, Statement, TrustedFlagger
from agora.moderation.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(DsaSettings)
class DsaSettingsAdmin(AuditedAdmin):
    audit_action = "dsa_settings"
    list_display = ("site", "notice_sla_hours", "trusted_notice_sla_hours", "appeal_window_months",
                    "updated_at")


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(AuditedAdmin):
    audit_action = "trusted_flagger"
    list_display = ("organisation", "site", "user", "active", "created_at")
    list_filter = ("site", "active")
    raw_id_fields = ("user",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("reference", "site", "category", "status", "received_at", "due_at", "decided_at")
    list_filter = ("site", "status", "category")


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("puid", "site", "restriction", "ground", "automation", "phase", "created_at")
    list_filter = ("site", "restriction", "automation", "source")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("reference", "site", "party", "status", "filed_at", "decided_at")
    list_filter = ("site", "status", "party")
