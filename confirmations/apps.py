from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = _("host answers")

    def ready(self):
        from confirmations import receivers
        from scheduling import signals

        signals.version_published.connect(
            receivers.version_published, dispatch_uid="confirmations.version_published"
        )
        signals.solve_finished.connect(
            receivers.solve_finished, dispatch_uid="confirmations.solve_finished"
        )
