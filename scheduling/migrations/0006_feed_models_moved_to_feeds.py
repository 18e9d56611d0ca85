"""The feed models now belong to the ``feeds`` app (``feeds.0001_initial`` takes them into
its state first): state only, their tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0001_initial"),
        ("scheduling", "0005_s2_languages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FeedEvent"),
                migrations.DeleteModel(name="ProgrammeFeed"),
            ],
            database_operations=[],
        ),
    ]
