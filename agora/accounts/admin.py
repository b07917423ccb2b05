from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import SiteRole, User


class SiteRoleInline(admin.TabularInline):
    model = SiteRole
    extra = 1
    autocomplete_fields = ("site",)
    verbose_name = _("site role")


@admin.register(User)
class AgoraUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("Profile"), {"fields": ("display_name", "language")}))
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")
    inlines = (SiteRoleInline,)


@admin.register(SiteRole)
class SiteRoleAdmin(admin.ModelAdmin):
    """Who moderates or administers which site. People without an account yet are invited from
    the moderation workspace's Team page, by e-mail."""

    list_display = ("user", "site", "role")
    list_filter = ("role", "site")
    search_fields = ("user__username", "user__email", "user__display_name", "site__slug", "site__name")
    autocomplete_fields = ("user", "site")
