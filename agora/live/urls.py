from django.urls import path

from agora.live import feeds, views

urlpatterns = [
    path("live/threads", views.thread_stream, name="live-thread"),
    path("live/moderation", views.moderation_stream, name="live-moderation"),
    path("live/unsubscribe/<str:token>", views.unsubscribe, name="live-unsubscribe"),
    path("live/confirm/<str:token>", views.confirm_subscription, name="live-confirm"),
    path("feeds/articles/<int:article_id>.atom", feeds.ArticleFeed(), name="feed-article"),
    path("feeds/sites/<slug:slug>.atom", feeds.SiteFeed(), name="feed-site"),
    path("feeds/replies/<str:token>.atom", feeds.RepliesFeed(), name="feed-replies"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
]
