from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalConfig(AppConfig):
    """Guests' and interpreters' own pages, reached from a personal link."""

    name = "personal"
    verbose_name = _("Personal pages")
