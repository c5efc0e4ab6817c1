# The survey tables take surveys' names, and an initiative may now have one survey per
# purpose and round: the existing surveys become the pre-event survey (no round).

import django.db.models.deletion
from django.db import migrations, models

MODELS = ('survey', 'question', 'response')


def content_types_follow(apps, schema_editor):
    """Permissions and audit entries keep pointing at the moved models."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        if not ContentType.objects.filter(app_label='surveys', model=model).exists():
            ContentType.objects.filter(app_label='matching', model=model).update(
                app_label='surveys'
            )


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        if not ContentType.objects.filter(app_label='matching', model=model).exists():
            ContentType.objects.filter(app_label='surveys', model=model).update(
                app_label='matching'
            )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('initiatives', '0005_peer_import_moves_out'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='survey', table=None),
        migrations.AlterModelTable(name='question', table=None),
        migrations.AlterModelTable(name='response', table=None),
        migrations.RunPython(content_types_follow, content_types_go_back),
        migrations.AlterField(
            model_name='survey',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='surveys', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='survey',
            name='purpose',
            field=models.CharField(choices=[('pre_event', 'Pre-event survey'), ('self_assessment', 'Self-assessment'), ('check_in', 'Check-in')], default='pre_event', max_length=20, verbose_name='purpose'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='survey',
            name='round',
            field=models.CharField(blank=True, choices=[('', 'No round'), ('baseline', 'Baseline'), ('midline', 'Midline'), ('endline', 'Endline')], default='', max_length=20, verbose_name='round'),
        ),
        migrations.AlterModelOptions(name='survey', options={'ordering': ['pk']}),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.UniqueConstraint(fields=('initiative', 'purpose', 'round'), name='one_survey_per_purpose_and_round'),
        ),
    ]
