# MatchCheckIn moves here from matching with every row: the model enters contact's
# state on the table it already has, then the table is renamed to contact_matchcheckin.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor, old="matching", new="contact"):
    # Audit entries point at the content type; keep them on the moved model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="matchcheckin").exists():
        ContentType.objects.filter(app_label=old, model="matchcheckin").update(app_label=new)


def content_type_returns(apps, schema_editor):
    content_type_follows(apps, schema_editor, old="contact", new="matching")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contact", "0002_library_documents"),
        ("initiatives", "0005_peer_import_moves_out"),
        ("matching", "0008_check_ins_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MatchCheckIn",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField()),
                        ("due_at", models.DateTimeField()),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "rating",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="how useful is this match (1 = not at all, 5 = very)",
                            ),
                        ),
                        (
                            "not_working",
                            models.BooleanField(
                                default=False, verbose_name="this match is not working"
                            ),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="comment")),
                        ("answered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "match",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="check_ins",
                                to="matching.match",
                            ),
                        ),
                        (
                            "membership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="match_check_ins",
                                to="initiatives.membership",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["match", "number", "pk"],
                        "db_table": "matching_matchcheckin",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("match", "membership", "number"),
                                name="one_check_in_per_step",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # None: the default name, contact_matchcheckin, as the model declares no table.
        migrations.AlterModelTable(name="matchcheckin", table=None),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
