from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("programmes")

    def ready(self):
        # The sweeper (outbox, under every app) also looks after this app's own rows.
        from outbox import registry
        from scheduling.job_health import solve_jobs_sweep

        registry.sweeps("solve_jobs")(solve_jobs_sweep)
