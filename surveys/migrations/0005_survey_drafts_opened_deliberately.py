# A new survey is now a draft until a facilitator opens it (opened_at). Surveys that
# already exist were open to peers from the start, and stay open.

from django.db import migrations, models
from django.db.models import F


def existing_surveys_stay_open(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(opened_at=None).update(opened_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_default_texts_in_every_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="opened_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="opened to peers at"
            ),
        ),
        migrations.AlterField(
            model_name="survey",
            name="opens_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Empty: open as soon as you open it to peers.",
                null=True,
                verbose_name="opens at",
            ),
        ),
        migrations.RunPython(existing_surveys_stay_open, migrations.RunPython.noop),
    ]
