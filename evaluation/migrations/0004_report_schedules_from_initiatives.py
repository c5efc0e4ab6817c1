from django.db import migrations


def carry_over(apps, schema_editor):
    """Keep what facilitators chose on the initiative: monthly stays monthly; every other
    choice (three, six or twelve months) becomes the quarterly default."""
    Initiative = apps.get_model("initiatives", "Initiative")
    ReportSchedule = apps.get_model("evaluation", "ReportSchedule")
    monthly = Initiative.objects.filter(report_cadence=1).exclude(report_schedule__isnull=False)
    ReportSchedule.objects.bulk_create(
        ReportSchedule(initiative=initiative, cadence="monthly") for initiative in monthly
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_reports")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
