from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.comments import services
from agora.comments.models import Article, Comment, Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "auto_register_articles", "edit_window_seconds", "created_at")
    search_fields = ("slug", "name")
    readonly_fields = ("created_at",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "url", "site", "comment_count", "is_closed", "premoderate", "last_comment_at")
    list_filter = ("site", "is_closed", "premoderate")
    search_fields = ("title", "url")
    readonly_fields = ("comment_count", "version", "created_at", "last_comment_at")
    actions = ("close_comments", "reopen_comments")

    @admin.action(description="Close comments")
    def close_comments(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.register_article(article.site, article.url, is_closed=True)

    @admin.action(description="Reopen comments")
    def reopen_comments(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.register_article(article.site, article.url, is_closed=False)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "author_name", "article", "status", "is_deleted", "score", "created_at")
    list_filter = ("status", "is_deleted", "site")
    search_fields = ("body", "author_name", "external_id")
    raw_id_fields = ("article", "parent", "root", "author")
    readonly_fields = ("body_html", "path", "depth", "upvotes", "downvotes", "score", "controversy",
                       "reply_count", "ip_hash", "created_at", "edited_at")
    list_select_related = ("article",)
    actions = ("approve", "reject")

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        # Status changes go through the service so counts and thread caches stay right.
        status = form.cleaned_data.get("status")
        if change and "status" in form.changed_data:
            obj.status = Comment.objects.get(pk=obj.pk).status
        super().save_model(request, obj, form, change)
        if change and status and status != obj.status:
            services.set_status(obj, status)

    @admin.action(description="Approve")
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset.select_related("article"):
            services.set_status(comment, Comment.Status.APPROVED)

    @admin.action(description="Reject")
    def reject(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset.select_related("article"):
            services.set_status(comment, Comment.Status.REJECTED)
