"""The feed models move from the programme app (``scheduling``) to this one: state only, the
tables (``scheduling_programmefeed``, ``scheduling_feedevent``) and their rows stay where
they are. ``scheduling.0006_feed_models_moved_to_feeds`` removes them from that app's state
after this. On a new database the tables are made by ``scheduling.0003`` and ``0004``."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("programmefeed", "feedevent")


def content_types_move(apps, schema_editor, source="scheduling", target="feeds"):
    """Permissions and admin history follow the models: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="feeds", target="scheduling")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("scheduling", "0005_s2_languages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProgrammeFeed",
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
                        ("stamp", models.PositiveIntegerField(default=0, verbose_name="stamp")),
                        ("synced_at", models.DateTimeField(verbose_name="synced at")),
                        ("first_date", models.DateField(verbose_name="first day covered")),
                        ("last_date", models.DateField(verbose_name="last day covered")),
                        (
                            "programme",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feed",
                                to="scheduling.programme",
                                verbose_name="programme",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="scheduling.programmeversion",
                                verbose_name="version sent out",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "programme feed",
                        "verbose_name_plural": "programme feeds",
                        "db_table": "scheduling_programmefeed",
                    },
                ),
                migrations.CreateModel(
                    name="FeedEvent",
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
                        ("key", models.CharField(max_length=100, verbose_name="key")),
                        ("uid", models.CharField(max_length=255, verbose_name="UID")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("activity", "activity"),
                                    ("travel", "travel"),
                                    ("journey", "arrival or departure"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("start", models.DateTimeField(verbose_name="start")),
                        ("end", models.DateTimeField(verbose_name="end")),
                        ("place", models.CharField(max_length=100, verbose_name="place key")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("confirmed", "confirmed"),
                                    ("tentative", "tentative"),
                                    ("cancelled", "cancelled"),
                                ],
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "removed",
                            models.BooleanField(
                                default=False, verbose_name="no longer in the programme"
                            ),
                        ),
                        (
                            "sequence",
                            models.PositiveIntegerField(default=0, verbose_name="sequence"),
                        ),
                        ("created", models.DateTimeField(verbose_name="first sent")),
                        ("modified", models.DateTimeField(verbose_name="last changed")),
                        (
                            "people_hash",
                            models.CharField(max_length=64, verbose_name="people hash"),
                        ),
                        (
                            "content_hash",
                            models.CharField(max_length=64, verbose_name="content hash"),
                        ),
                        ("data", models.JSONField(default=dict, verbose_name="content")),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feed_events",
                                to="scheduling.programme",
                                verbose_name="programme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "feed event",
                        "verbose_name_plural": "feed events",
                        "db_table": "scheduling_feedevent",
                        "ordering": ["programme", "start", "uid"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("programme", "key"), name="feed_event_unique_key"
                            ),
                            models.UniqueConstraint(fields=("uid",), name="feed_event_unique_uid"),
                            models.CheckConstraint(
                                condition=models.Q(("end__gt", models.F("start"))),
                                name="feed_event_end_after_start",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_back, elidable=True),
    ]
