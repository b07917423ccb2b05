"""Double opt-in for reply notifications, and the log of mails the per-address caps count."""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Lower, Now


def keep_verified_account_addresses(apps, schema_editor):
    """Subscriptions made before the double opt-in were never confirmed: those to the verified
    address of the subscriber's own account count as confirmed, the others wait for a new opt-in."""
    Subscription = apps.get_model("live", "Subscription")
    own_address = (Q(user__email_verified=True, email=Lower(F("user__email")))
                   | Q(comment__author__email_verified=True, email=Lower(F("comment__author__email"))))
    Subscription.objects.filter(own_address).update(verified_at=Now())


class Migration(migrations.Migration):

    dependencies = [
        ("live", "0001_initial"),
        ("accounts", "0003_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keep_verified_account_addresses, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SentMail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254)),
                ("kind", models.CharField(choices=[("confirmation", "Confirmation"), ("reply", "Reply")],
                                          max_length=16)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                "indexes": [models.Index(fields=["email", "kind", "created_at"], name="live_sentma_email_6e9411_idx")],
            },
        ),
    ]
