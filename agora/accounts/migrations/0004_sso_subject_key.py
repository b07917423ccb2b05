"""Single sign-on accounts are keyed by (site, subject): usernames become `sso:<slug>:<hash>`, so a
long publisher id is never cut into another account's name."""

import hashlib

from django.db import migrations, models


def _username(slug: str, subject: str) -> str:
    return f"sso:{slug}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def rename_sso_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.filter(sso_site__isnull=False).select_related("sso_site")
    for user in users.iterator(chunk_size=500):
        if not user.sso_subject:  # older rows: the subject is what follows the slug
            user.sso_subject = user.username.removeprefix(f"sso:{user.sso_site.slug}:")
        user.username = _username(user.sso_site.slug, user.sso_subject)
        user.save(update_fields=["username", "sso_subject"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_identity"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comments", "0003_thread_page_indexes"),
    ]

    operations = [
        # Reversing keeps the hashed names: they are valid usernames, and the old ones could collide.
        migrations.RunPython(rename_sso_users, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(condition=models.Q(("sso_site__isnull", False)),
                                               fields=("sso_site", "sso_subject"), name="one_user_per_sso_subject"),
        ),
    ]
