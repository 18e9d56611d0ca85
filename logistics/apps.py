from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("logistics")

    def ready(self):
        from logistics import receivers, tasks  # noqa: F401  (tasks registers outbox handlers)
        from scheduling import signals

        signals.publish_check.connect(receivers.publish_warnings, dispatch_uid="logistics.publish")
        signals.version_published.connect(
            receivers.version_published, dispatch_uid="logistics.version_published"
        )

        # The programme solver's hints come from here (scheduling does not import logistics).
        from logistics.solver_hints import solver_hints
        from scheduling.hints import hints_provider_set

        hints_provider_set(solver_hints)
