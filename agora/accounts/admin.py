from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User


@admin.register(User)
class AgoraUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("Profile"), {"fields": ("display_name", "language")}))
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")
