from django.urls import path

from agora.i18n import views

urlpatterns = [
    path("static/agora/i18n/<str:name>.json", views.widget_catalogue, name="widget-catalogue"),
]
