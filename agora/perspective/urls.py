from django.urls import path

from agora.perspective import views

urlpatterns = [
    path("v1alpha1/comments:analyze", views.analyze_comment, name="perspective-analyze"),
    path("v1alpha1/comments:suggestscore", views.suggest_score, name="perspective-suggestscore"),
]
