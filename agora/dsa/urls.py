"""Pages of the notice and complaint flows (/dsa/) and their workspace queues (/moderate/dsa/)."""

from django.urls import path

from agora.dsa import views

app_name = "dsa"

urlpatterns = [
    path("dsa/notice", views.notice_form, name="notice-form"),
    path("dsa/notices/<str:reference>", views.notice_page, name="notice"),
    path("dsa/notices/<str:reference>/appeal", views.notice_appeal, name="notice-appeal"),
    path("dsa/statements/<str:puid>", views.statement_page, name="statement"),
    path("dsa/statements/<str:puid>/appeal", views.statement_appeal, name="statement-appeal"),
    path("dsa/mine", views.my_statements, name="mine"),
    path("moderate/dsa/notices", views.notice_queue, name="notice-queue"),
    path("moderate/dsa/notices/<int:notice_id>/decide", views.notice_decide, name="notice-decide"),
    path("moderate/dsa/appeals", views.appeal_queue, name="appeal-queue"),
    path("moderate/dsa/appeals/<int:appeal_id>/decide", views.appeal_decide, name="appeal-decide"),
    path("moderate/dsa/transparency", views.transparency, name="transparency"),
    path("moderate/dsa/transparency.<str:fmt>", views.transparency_data, name="transparency-data"),
    path("moderate/dsa/statements.json", views.statements_export, name="statements-export"),
]
