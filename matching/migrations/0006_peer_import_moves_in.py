# PeerImport moves here from initiatives with every row: the model enters matching's
# state on the table it already has, then the table is renamed to matching_peerimport.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor, old="initiatives", new="matching"):
    # Permissions and audit entries point at the content type; keep them on the moved model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="peerimport").exists():
        ContentType.objects.filter(app_label=old, model="peerimport").update(app_label=new)


def content_type_returns(apps, schema_editor):
    content_type_follows(apps, schema_editor, old="matching", new="initiatives")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("initiatives", "0005_peer_import_moves_out"),
        ("matching", "0005_one_number_per_match"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PeerImport",
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
                        ("filename", models.CharField(max_length=200, verbose_name="file")),
                        ("content", models.BinaryField(blank=True, default=b"")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("checking", "Checking the list"),
                                    ("ready", "Checked, waiting for your confirmation"),
                                    ("importing", "Importing"),
                                    ("imported", "Imported"),
                                    ("failed", "Could not be read"),
                                ],
                                default="checking",
                                max_length=20,
                            ),
                        ),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("notes", models.JSONField(blank=True, default=list)),
                        ("rows", models.JSONField(default=list)),
                        ("invited_count", models.PositiveIntegerField(default=0)),
                        ("updated_count", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("imported_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "initiative",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="peer_imports",
                                to="initiatives.initiative",
                            ),
                        ),
                    ],
                    options={"ordering": ["-created_at"], "db_table": "initiatives_peerimport"},
                ),
            ],
            database_operations=[],
        ),
        # None: the default name, matching_peerimport, as the model declares no table.
        migrations.AlterModelTable(name="peerimport", table=None),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
