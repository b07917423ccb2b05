from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from agora.api import api
from agora.comments import views as comment_views
from agora.demo import views as demo_views

# API clients get JSON errors (413 for an oversized body) rather than Django's HTML page.
handler400 = "agora.api.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("embed.js", comment_views.embed_js, name="embed-js"),
    path("c/<int:comment_id>", comment_views.permalink, name="permalink"),
    path("", demo_views.front_page, name="demo-front"),
    path("news/<slug:slug>", demo_views.article_page, name="demo-article"),
]

# Apps with pages of their own (moderation workspace, accounts, live streams, ...) add them
# through their `urls.py`, which spells out full paths (e.g. "moderate/queue").
for _app in ("moderation", "accounts", "live", "importers", "perspective", "dsa", "i18n"):
    if find_spec(f"agora.{_app}.urls"):
        urlpatterns.append(path("", include(import_module(f"agora.{_app}.urls"))))
