# PeerImport now lives in matching (matching 0006 takes over its table and rows);
# here it leaves the initiatives app's state only, so the table is not dropped.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0004_peer_import_in_background"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PeerImport")],
            database_operations=[],
        ),
    ]
