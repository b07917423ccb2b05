"""Which language a server page speaks: the signed-in user's setting, else the language
cookie, else the browser's Accept-Language; e-mails follow the recipient."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from agora.accounts import services
from agora.accounts.models import SiteRole, User
from agora.live import notify
from tests.moderation_workspace import factories

PASSWORD = factories.PASSWORD


@pytest.fixture
def moderator(site) -> User:
    user = User.objects.create_user(username="mona", password=PASSWORD, email="mona@example.org")
    SiteRole.objects.create(user=user, site=site)
    return user


def test_accept_language_chooses_the_language_of_a_page_without_a_user(client, db):
    german = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert '<html lang="de" dir="ltr">' in german.content.decode()
    assert "Benutzername oder E-Mail-Adresse" in german.content.decode()
    assert german["Content-Language"] == "de"

    arabic = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.8")
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    assert "تسجيل الدخول" in arabic.content.decode()

    brazilian = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert 'lang="pt-br"' in brazilian.content.decode()

    unknown = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="sw")
    assert '<html lang="en" dir="ltr">' in unknown.content.decode()


def test_the_users_setting_wins_over_the_browser(client, moderator):
    moderator.language = "ar"
    moderator.save(update_fields=["language"])
    client.force_login(moderator)
    html = client.get("/moderate/queue/pending", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "إشراف Agora" in html and "نشر المحدد" in html  # "Agora moderation", "Approve selected"

    moderator.language = ""  # no setting: the browser decides again
    moderator.save(update_fields=["language"])
    html = client.get("/moderate/queue/pending", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de" dir="ltr">' in html and "Auswahl freigeben" in html


def test_the_language_switch_saves_the_setting_on_the_account(client, moderator):
    client.force_login(moderator)
    response = client.post("/accounts/language", {"language": "de", "next": "/moderate/queue/pending"})
    assert response.status_code == 302 and response["Location"] == "/moderate/queue/pending"
    moderator.refresh_from_db()
    assert moderator.language == "de"
    # Another browser without the cookie: the account still speaks German.
    client.cookies.clear()
    client.force_login(moderator)
    assert "Warteschlangen" in client.get("/moderate/queue/pending").content.decode()


def test_the_language_switch_refuses_unknown_languages_and_keeps_the_setting(client, moderator):
    moderator.language = "fr"
    moderator.save(update_fields=["language"])
    client.force_login(moderator)
    response = client.post("/accounts/language", {"language": "xx", "next": "/moderate/"})
    assert response.status_code == 422  # in the user's language, French:
    assert "une de ces langues" in response.content.decode()
    moderator.refresh_from_db()
    assert moderator.language == "fr"


def test_without_an_account_the_switch_sets_the_cookie(client, db):
    client.post("/accounts/language", {"language": "he", "next": "/accounts/login/"})
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="he" dir="rtl">' in html


def test_the_profile_api_reads_and_sets_the_language(moderator):
    services.update_profile(moderator, None, language="pl")
    assert User.objects.get(pk=moderator.pk).language == "pl"
    assert services.user_out(moderator, None)["language"] == "pl"
    with pytest.raises(services.InvalidInput):
        services.update_profile(moderator, None, language="klingon")


def test_account_e_mails_follow_the_recipients_language(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = User.objects.create_user(username="leser@example.org", email="leser@example.org",
                                    password=PASSWORD, language="de")
    services.send_verification_email(user)
    [message] = mail.outbox
    assert message.subject == "Bestätigen Sie Ihre E-Mail-Adresse"
    assert "Der Link ist drei Tage lang gültig." in message.body


def test_moderator_digests_go_out_once_per_language(site, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for name, language in (("anna", "de"), ("bert", "de"), ("samir", "ar"), ("eve", "")):
        user = User.objects.create_user(username=name, email=f"{name}@example.org", password=PASSWORD,
                                        language=language)
        SiteRole.objects.create(user=user, site=site)
    factories.comment(factories.article(site), "Held for a look.")
    site.language = "fr"  # moderators without a setting get the newsroom's language
    site.save(update_fields=["language"])

    assert notify.send_moderator_digest(site.pk) == 1
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipients) == {("anna@example.org", "bert@example.org"), ("samir@example.org",),
                                  ("eve@example.org",)}
    german = by_recipients[("anna@example.org", "bert@example.org")]
    assert "1 Kommentar zur Prüfung zurückgehalten" in german.subject
    assert "تعليق واحد محجوز للمراجعة" in by_recipients[("samir@example.org",)].subject
    assert "commentaire" in by_recipients[("eve@example.org",)].subject


def test_only_pages_vary_by_language(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Accept-Language" in page["Vary"] and page["Content-Language"] == "de"
    script = client.get("/embed.js", HTTP_ACCEPT_LANGUAGE="de")
    assert "Accept-Language" not in script.get("Vary", "") and not script.has_header("Content-Language")


def test_reply_notifications_speak_the_subscribers_language_else_the_newsrooms(site, settings):
    from agora.live.models import Subscription

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    site.language = "it"
    site.save(update_fields=["language"])
    article = factories.article(site)
    parent = factories.comment(article, "Che ne dite dei pedaggi?", status="approved")
    reader = User.objects.create_user(username="ana", email="ana@example.org", password=PASSWORD,
                                      language="pl")
    confirmed = timezone.now()
    Subscription.objects.create(comment=parent, email="anonymous@example.org", verified_at=confirmed)
    Subscription.objects.create(user=reader, email="ana@example.org", verified_at=confirmed)
    parent.author = reader
    parent.save(update_fields=["author"])
    reply = factories.comment(article, "Restano uguali.", status="approved", parent=parent,
                              author_name="Ben")

    assert notify.send_reply_notifications(reply.pk) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    # The subject names no poster's words: the site and the kind of mail, translated.
    assert by_address["ana@example.org"].subject == "[The Chronicle] Powiadomienia o odpowiedziach"
    assert by_address["anonymous@example.org"].subject == "[The Chronicle] Notifiche delle risposte"
    assert "Leggi la discussione" in by_address["anonymous@example.org"].body
