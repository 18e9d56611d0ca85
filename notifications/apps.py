from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        # Emails are their own outbox rows: the sweep sends those whose bell was lost.
        from notifications.services import emails_retry_due
        from outbox import registry

        registry.sweeps("emails")(emails_retry_due)
