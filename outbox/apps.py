from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("pending work")

    def ready(self):
        # A worker that starts (after a crash, a deploy, a Redis restart) first picks up what
        # is pending or was left running by a worker that died.
        from django_q.signals import post_spawn

        from outbox.tasks import sweep_on_spawn

        post_spawn.connect(sweep_on_spawn, dispatch_uid="outbox-sweep-on-spawn")
