from django.urls import path

from agora.accounts import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="accounts-login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="accounts-logout"),
    path("accounts/verify/<str:token>", views.verify_email, name="accounts-verify"),
    path("accounts/reset/<str:uid>/<str:token>", views.reset_password, name="accounts-reset"),
    path("accounts/language", views.set_language, name="accounts-language"),
]
