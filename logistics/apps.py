from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("logistics")

    def ready(self):
        from logistics import receivers
        from scheduling.signals import publish_check

        publish_check.connect(receivers.publish_warnings, dispatch_uid="logistics.publish")
