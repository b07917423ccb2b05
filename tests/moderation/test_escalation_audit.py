"""Thread escalation switching an article to pre-moderation and back, and the append-only
audit log."""

from __future__ import annotations

import pytest

from agora.comments.models import Article
from agora.errors import Conflict
from agora.moderation import audit, escalation
from agora.moderation.models import AppendOnlyError, AuditEntry, Escalation
from tests.moderation.conftest import post_direct

pytestmark = pytest.mark.django_db

HOSTILE = ["You utter c*nt.", "Go back to your cave, f4ggot.", "What a sl.u.t she is.",
           "Typical k1ke nonsense.", "Sieg heil to that.", "Shut up, you wh0re."]
CIVIL = ["I disagree with the minister.", "The numbers do not add up.", "Good point about the budget.",
         "Transport needs more money.", "This will cost the council dearly.", "I voted against it."]


@pytest.fixture
def thresholds(without_model):
    without_model.escalation_min_comments = 6
    without_model.escalation_hold_rate = 0.5
    without_model.escalation_toxicity_velocity = 100
    without_model.save()
    return without_model


def test_hostile_thread_escalates_to_premoderation_and_is_logged(site, article_url, thresholds):
    for n, body in enumerate(CIVIL[:3] + HOSTILE[:2]):
        post_direct(site, article_url, body, reader=f"r{n}")
    article = Article.objects.get()
    assert not article.premoderate and not Escalation.objects.exists()

    post_direct(site, article_url, HOSTILE[2], reader="r9")  # 3 of 6 held or rejected: 50 %
    article.refresh_from_db()
    assert article.premoderate
    active = escalation.active(article)
    assert active.trigger_stats["trigger"] == "hold_rate"
    assert (active.trigger_stats["comments"], active.trigger_stats["hostile"]) == (6, 3)
    entry = AuditEntry.objects.get(action="article.escalation_start")
    assert (entry.actor, entry.before, entry.after) == (None, {"premoderate": False}, {"premoderate": True})

    # Now even civil comments wait for a moderator.
    civil = post_direct(site, article_url, "A calm and reasonable remark.", reader="r10")
    assert civil.comment.status == "pending"


def test_toxicity_velocity_escalates_even_when_most_comments_are_civil(site, article_url, thresholds):
    thresholds.escalation_toxicity_velocity = 3
    thresholds.save()
    for n, body in enumerate(CIVIL * 2 + HOSTILE[:3]):
        post_direct(site, article_url, body, reader=f"r{n}")
    article = Article.objects.get()
    assert article.premoderate
    assert escalation.active(article).trigger_stats["trigger"] == "toxicity_velocity"


def test_ending_an_escalation_restores_the_previous_setting(site, article_url, thresholds, admin_user):
    for n, body in enumerate(CIVIL[:3] + HOSTILE[:3]):
        post_direct(site, article_url, body, reader=f"r{n}")
    article = Article.objects.get()
    ended = escalation.end_escalation(article, admin_user, "Calmer now.")
    article.refresh_from_db()
    assert not article.premoderate and ended.ended_by == admin_user and not ended.is_active
    entry = AuditEntry.objects.get(action="article.escalation_end")
    assert (entry.actor_name, entry.reason) == (admin_user.username, "Calmer now.")
    with pytest.raises(Conflict):
        escalation.end_escalation(article, admin_user)
    assert post_direct(site, article_url, "Back to normal.", reader="later").comment.status == "approved"


def test_already_premoderated_article_does_not_escalate(site, article_url, thresholds):
    Article.objects.create(site=site, url=article_url, premoderate=True)
    for n, body in enumerate(HOSTILE):
        post_direct(site, article_url, body, reader=f"r{n}")
    assert not Escalation.objects.exists()


def test_escalation_can_be_switched_off(site, article_url, thresholds):
    thresholds.escalation_enabled = False
    thresholds.save()
    for n, body in enumerate(HOSTILE):
        post_direct(site, article_url, body, reader=f"r{n}")
    assert not Article.objects.get().premoderate


def test_audit_log_refuses_updates_and_deletes(site, admin_user):
    entry = audit.log("settings.change", actor=admin_user, site=site, target=site,
                      before={"a": 1}, after={"a": 2}, reason="Tuning.")
    entry.reason = "Rewritten history."
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Tuning."


def test_admin_cannot_change_or_delete_audit_entries(site, admin_user, admin_client):
    entry = audit.log("settings.change", actor=admin_user, site=site, target=site)
    assert admin_client.get(f"/admin/moderation/auditentry/{entry.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/moderation/auditentry/{entry.pk}/change/", {"reason": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_settings_changes_in_admin_are_audited(site, admin_client, mod_settings):
    response = admin_client.get(f"/admin/moderation/moderationsettings/{mod_settings.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("phase_order", "model_thresholds", "link_allow_domains", "link_deny_domains"):
        data[name] = form[name].field.prepare_value(form[name].value())
    for name in ("nudge_enabled", "premoderate_all", "hold_links_from_new", "repeat_detection",
                 "escalation_enabled"):
        if not data[name]:
            data.pop(name)
    data["flag_threshold"] = 7
    response = admin_client.post(f"/admin/moderation/moderationsettings/{mod_settings.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="settings.change")
    assert (entry.before["flag_threshold"], entry.after["flag_threshold"]) == (3, 7)


def test_deleting_a_site_or_a_moderator_keeps_their_audit_entries(site, admin_user, django_user_model):
    moderator = django_user_model.objects.create_user("mod", password="x")
    entry = audit.log("author.ban", actor=moderator, site=site, target=site, reason="Abuse.")
    moderator.delete()
    site.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.site_id, entry.actor_name, entry.reason) == (None, None, "mod", "Abuse.")
