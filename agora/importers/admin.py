"""Admin: the history of imports, and an upload form that runs an import (Import runs → Import a file)."""

from __future__ import annotations

import os
import tempfile

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from agora.comments.models import Site
from agora.importers import services
from agora.importers.loader import ImportOptions
from agora.importers.models import ImportRun
from agora.importers.records import ImportFormatError


class ImportForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.order_by("slug"))
    format = forms.ChoiceField(choices=[(name, name) for name in services.FORMATS])
    file = forms.FileField()
    status = forms.ChoiceField(
        choices=[("site", "as moderation decides"), ("approved", "approved"), ("pending", "pending"),
                 ("rejected", "rejected")],
        initial="site",
    )
    keep_pingbacks = forms.BooleanField(required=False, help_text="WordPress pingbacks and trackbacks.")
    base_url = forms.CharField(required=False, help_text="Prefix for relative thread URLs.")
    url = forms.URLField(required=False, assume_scheme="https",
                         help_text="The article's URL (saved-page format).")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("source", "format", "site", "started_at", "finished_at")
    list_filter = ("site", "format")
    readonly_fields = ("site", "format", "source", "started_at", "finished_at", "summary")
    change_list_template = "admin/importers/importrun_changelist.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self):
        return [path("upload/", self.admin_site.admin_view(self.upload_view), name="importers_upload"),
                *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("comments.add_comment"):
            messages.error(request, "Importing needs the permission to add comments.")
            return HttpResponseRedirect(reverse("admin:importers_importrun_changelist"))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and self._run(request, form.cleaned_data):
            return HttpResponseRedirect(reverse("admin:importers_importrun_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "title": "Import a file",
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/importers/upload.html", context)

    def _run(self, request: HttpRequest, data: dict) -> bool:
        upload = data["file"]
        with tempfile.NamedTemporaryFile(suffix=os.path.splitext(upload.name)[1]) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            try:
                with transaction.atomic():
                    summary = services.import_file(
                        data["site"], data["format"], copy.name,
                        ImportOptions(status=data["status"], base_url=data["base_url"], progress=False),
                        keep_pingbacks=data["keep_pingbacks"], url=data["url"], source=upload.name,
                    )
            except ImportFormatError as error:
                messages.error(request, f"{upload.name}: {error} (nothing was imported)")
                return False
        messages.success(request, f"{upload.name}: " + "; ".join(summary.lines()))
        return True
