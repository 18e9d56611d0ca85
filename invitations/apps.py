from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    """Calendar invitations (iTIP over email) to hosts and interpreters, and their replies."""

    name = "invitations"
    verbose_name = _("Calendar invitations")
