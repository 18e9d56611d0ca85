from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Calendar feeds")  # the page's title: no new string to translate

    def ready(self):
        # The apps below announce changes; the feeds follow them (they never call feeds).
        from feeds import receivers
        from logistics import signals as logistics_signals
        from scheduling import signals as scheduling_signals

        scheduling_signals.programme_changed.connect(
            receivers.programme_changed, dispatch_uid="feeds.programme_changed"
        )
        logistics_signals.journeys_changed.connect(
            receivers.journeys_changed, dispatch_uid="feeds.journeys_changed"
        )
