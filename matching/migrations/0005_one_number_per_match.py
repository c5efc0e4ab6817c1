# The constraint comes in its own migration (its own transaction), after the numbers
# have been filled in.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0004_match_number'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='match',
            constraint=models.UniqueConstraint(fields=('run', 'number'), name='one_number_per_match'),
        ),
    ]
