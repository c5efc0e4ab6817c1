# MatchCheckIn moves to the contact app with every row: it leaves matching's state
# only; contact's migration takes over the table and renames it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0007_survey_moves_to_surveys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MatchCheckIn")],
            database_operations=[],
        ),
    ]
