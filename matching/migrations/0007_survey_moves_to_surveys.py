# The survey models move to the surveys app, keeping their tables and rows: here they
# leave matching's state only; surveys 0001 takes them over, surveys 0002 renames the tables.
# The profile columns now take their labels from surveys.profile (no SQL).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0006_peer_import_moves_in'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Response'),
                migrations.DeleteModel(name='Question'),
                migrations.DeleteModel(name='Survey'),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='availability',
            field=models.CharField(blank=True, max_length=300, verbose_name='Availability'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='background',
            field=models.CharField(blank=True, max_length=300, verbose_name='Professional background'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='can_offer',
            field=models.TextField(blank=True, verbose_name='What they can offer'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='challenge_tags',
            field=models.JSONField(blank=True, default=list, verbose_name='Challenge areas'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='challenges',
            field=models.TextField(blank=True, verbose_name='Challenges and problems'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='languages',
            field=models.JSONField(blank=True, default=list, verbose_name='Languages'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='position',
            field=models.CharField(blank=True, max_length=200, verbose_name='Position'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='task',
            field=models.CharField(blank=True, max_length=300, verbose_name='Task or policy initiative'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='time_zone',
            field=models.CharField(blank=True, max_length=64, verbose_name='Time zone'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='wants_to_learn',
            field=models.TextField(blank=True, verbose_name='What they want to learn'),
        ),
        migrations.AlterField(
            model_name='peerprofile',
            name='years_of_service',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Years of service'),
        ),
    ]
