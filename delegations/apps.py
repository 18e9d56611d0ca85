from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("delegations and interpreters")

    def ready(self):
        from delegations.imports import GuestImporter
        from events.import_services import importer_register

        importer_register("guests", GuestImporter)
