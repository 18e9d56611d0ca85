from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site layer, over every app: urls, the API root, the demo loader and its commands,
    the account pages. No app imports it (tests/planner/test_architecture.py)."""

    name = "web"
    verbose_name = "site"  # no models: the admin never shows it, so nothing to translate
