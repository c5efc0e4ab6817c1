# The survey models as matching left them (tables matching_survey, matching_question,
# matching_response): state only, no table is created or touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('initiatives', '0005_peer_import_moves_out'),
        ('matching', '0007_survey_moves_to_surveys'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Survey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('intro', models.TextField(blank=True, verbose_name='introduction for peers')),
                        ('opens_at', models.DateTimeField(blank=True, help_text='Empty: open as soon as it exists.', null=True, verbose_name='opens at')),
                        ('closes_at', models.DateTimeField(blank=True, help_text='Empty: stays open.', null=True, verbose_name='closes at')),
                        ('max_reminders', models.PositiveSmallIntegerField(default=3, help_text='0 sends no reminder.', verbose_name='reminders at most')),
                        ('reminder_gap_days', models.PositiveSmallIntegerField(default=7, verbose_name='days between reminders')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('initiative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='survey', to='initiatives.initiative')),
                    ],
                    options={'db_table': 'matching_survey'},
                ),
                migrations.CreateModel(
                    name='Question',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('text', models.CharField(max_length=300, verbose_name='question')),
                        ('help_text', models.CharField(blank=True, max_length=500, verbose_name='help text')),
                        ('kind', models.CharField(choices=[('short_text', 'Short text'), ('long_text', 'Long text'), ('single_choice', 'Single choice'), ('multiple_choice', 'Multiple choice'), ('scale', 'Scale from 1 to 5'), ('reform_areas', 'Reform areas'), ('languages', 'Languages'), ('yes_no', 'Yes or no')], default='short_text', max_length=20, verbose_name='type')),
                        ('required', models.BooleanField(default=False, verbose_name='required')),
                        ('choices', models.TextField(blank=True, help_text='For single or multiple choice: one per line.', verbose_name='choices')),
                        ('profile_field', models.CharField(blank=True, choices=[('challenges', 'Challenges and problems'), ('challenge_tags', 'Challenge areas'), ('position', 'Position'), ('task', 'Task or policy initiative'), ('years_of_service', 'Years of service'), ('background', 'Professional background'), ('languages', 'Languages'), ('can_offer', 'What they can offer'), ('wants_to_learn', 'What they want to learn'), ('availability', 'Availability'), ('time_zone', 'Time zone')], help_text='Matching reads the answer from this profile field.', max_length=30, verbose_name='fills the profile field')),
                        ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='surveys.survey')),
                    ],
                    options={'db_table': 'matching_question', 'ordering': ['position', 'pk']},
                ),
                migrations.CreateModel(
                    name='Response',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answers', models.JSONField(blank=True, default=dict)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('reminders_sent', models.PositiveSmallIntegerField(default=0)),
                        ('last_reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to='initiatives.membership')),
                        ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.survey')),
                    ],
                    options={
                        'db_table': 'matching_response',
                        'constraints': [models.UniqueConstraint(fields=('survey', 'membership'), name='one_response_per_peer')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
