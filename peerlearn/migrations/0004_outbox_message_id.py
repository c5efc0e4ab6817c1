from django.db import migrations, models

import peerlearn.models


def give_message_ids(apps, schema_editor):
    OutboxEmail = apps.get_model("peerlearn", "OutboxEmail")
    for email in OutboxEmail.objects.filter(message_id__isnull=True).only("pk"):
        email.message_id = peerlearn.models.new_message_id()
        email.save(update_fields=["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("peerlearn", "0003_remove_user_organisation"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxemail",
            name="message_id",
            field=models.CharField(max_length=255, null=True),
        ),
        migrations.RunPython(give_message_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxemail",
            name="message_id",
            field=models.CharField(
                default=peerlearn.models.new_message_id, max_length=255, unique=True
            ),
        ),
    ]
