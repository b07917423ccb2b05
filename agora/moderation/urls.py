"""The moderation workspace: server-rendered pages under /moderate/."""

from django.urls import path

from agora.moderation import team_views, views

app_name = "moderation"

urlpatterns = [
    path("moderate/", views.index, name="index"),
    path("moderate/queue", views.index),
    path("moderate/queue/<slug:queue>", views.queue, name="queue"),
    path("moderate/comments/<int:comment_id>/<slug:action>", views.comment_action, name="comment-action"),
    path("moderate/bulk", views.bulk_action, name="bulk"),
    path("moderate/authors/<slug:kind>/<path:key>/actions", views.author_action, name="author-action"),
    path("moderate/authors/<slug:kind>/<path:key>", views.author, name="author"),
    path("moderate/articles/<int:article_id>", views.article, name="article"),
    path("moderate/audit", views.audit_log, name="audit"),
    path("moderate/audit.csv", views.audit_csv, name="audit-csv"),
    path("moderate/dashboard", views.dashboard_page, name="dashboard"),
    path("moderate/team", team_views.team_page, name="team"),
    path("moderate/assets/<str:name>", views.asset, name="asset"),
]
