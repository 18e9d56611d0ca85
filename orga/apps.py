from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgaConfig(AppConfig):
    """The organiser's own pages (as pretalx's orga/): forms that call the other apps' services.

    It sits at the top: it imports events, delegations and scheduling, and nothing imports it.
    """

    name = "orga"
    verbose_name = _("organiser's pages")
