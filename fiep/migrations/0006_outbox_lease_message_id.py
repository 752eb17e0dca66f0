import uuid

from django.conf import settings
from django.db import migrations, models


def fill_message_ids(apps, schema_editor):
    """Give every existing row its own Message-ID; re-read the old "failed" status: with
    tries left it is now "pending" (a retry is scheduled), purged rows are "cancelled"."""
    OutboxMessage = apps.get_model("fiep", "OutboxMessage")
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "fiep.invalid"
    for pk in OutboxMessage.objects.filter(message_id__isnull=True).values_list("pk", flat=True):
        OutboxMessage.objects.filter(pk=pk).update(message_id=f"<{uuid.uuid4().hex}@{domain}>")
    failed = OutboxMessage.objects.filter(status="failed")
    failed.filter(next_attempt_at__isnull=True).update(status="cancelled")
    failed.filter(next_attempt_at__isnull=False).update(status="pending")


class Migration(migrations.Migration):
    dependencies = [("fiep", "0005_mfa_enrolment_link")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="claimed_by",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="leased_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("at", models.DateTimeField()),
                ("ok", models.BooleanField(default=True)),
                ("detail", models.CharField(blank=True, max_length=500)),
            ],
        ),
        migrations.RunPython(fill_message_ids, migrations.RunPython.noop),
    ]
