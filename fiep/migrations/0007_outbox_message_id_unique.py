from django.db import migrations, models

import fiep.models


class Migration(migrations.Migration):
    dependencies = [("fiep", "0006_outbox_lease_message_id")]

    operations = [
        migrations.AlterField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(
                default=fiep.models.new_message_id, max_length=200, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "pending"),
                    ("sending", "sending"),
                    ("sent", "sent"),
                    ("failed", "not delivered"),
                    ("cancelled", "cancelled"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
