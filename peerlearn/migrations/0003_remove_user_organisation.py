from django.db import migrations


class Migration(migrations.Migration):
    """Apart from 0002 so PostgreSQL alters the table after the seats are committed."""

    dependencies = [
        ("peerlearn", "0002_team_membership"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="organisation"),
    ]
