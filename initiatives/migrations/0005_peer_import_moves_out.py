# PeerImport moves up a layer with its table and rows (0006_peer_import_moves_in takes
# them over); here it only leaves this app's state, so the table is not dropped.

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
