from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = _("host answers")

    def ready(self):
        from confirmations import receivers, tasks  # noqa: F401  (tasks registers outbox handlers)
        from confirmations.replans import replans_wanted_start
        from feeds import providers as feed_providers
        from outbox import registry
        from scheduling import signals

        # A host's own feed shows their own answer, and links each event to their answer page.
        feed_providers.answers_provider_set(receivers.feed_answers)
        feed_providers.page_url_register("person", receivers.feed_host_page)

        registry.sweeps("replans_wanted")(replans_wanted_start)

        signals.version_published.connect(
            receivers.version_published, dispatch_uid="confirmations.version_published"
        )
        signals.solve_finished.connect(
            receivers.solve_finished, dispatch_uid="confirmations.solve_finished"
        )
