import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0006_feed_models_moved_to_feeds"),
    ]

    operations = [
        migrations.AddField(
            model_name="solvejob",
            name="worker",
            field=models.CharField(blank=True, max_length=120, verbose_name="worker"),
        ),
        migrations.AddField(
            model_name="solvejob",
            name="retry_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="scheduling.solvejob",
                verbose_name="retry of",
            ),
        ),
    ]
