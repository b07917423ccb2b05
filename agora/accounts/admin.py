from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from agora.accounts.models import User


@admin.register(User)
class AgoraUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Profile", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")
