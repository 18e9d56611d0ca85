import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="OutboxItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=60, verbose_name="kind")),
                ("key", models.CharField(max_length=200, unique=True, verbose_name="key")),
                ("payload", models.JSONField(blank=True, default=dict, verbose_name="payload")),
                (
                    "state",
                    models.CharField(
                        choices=[("pending", "pending"), ("running", "running"), ("done", "done"), ("failed", "failed")],
                        default="pending",
                        max_length=8,
                        verbose_name="state",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("not_before", models.DateTimeField(default=django.utils.timezone.now, verbose_name="not before")),
                ("rung_at", models.DateTimeField(blank=True, null=True, verbose_name="last sent to a worker at")),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="started at")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="written at")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
            ],
            options={
                "verbose_name": "pending work item",
                "verbose_name_plural": "pending work",
                "indexes": [models.Index(fields=["state", "not_before"], name="outbox_due")],
            },
        ),
    ]
