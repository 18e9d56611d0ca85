import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.models import Visit
from scheduling import selectors, services
from scheduling.models import Programme, SolveJob


class Command(BaseCommand):
    help = (
        "Build a visit's programme through the job queue (a qcluster worker must run, or "
        "Q_SYNC=1), wait for it, publish it and print a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--time-limit", type=float, default=services.DEFAULT_TIME_LIMIT_S)
        parser.add_argument("--no-publish", action="store_true")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only if no programme is published yet (keeps `make demo` idempotent).",
        )
        parser.add_argument("--timeout", type=float, default=300.0, help="Seconds to wait.")

    def handle(self, *args, slug, time_limit, no_publish, if_missing, timeout, **options):
        visit = Visit.objects.filter(slug=slug).first()
        if visit is None:
            raise CommandError(f"No visit with slug {slug!r}.")
        published = Programme.objects.filter(visit=visit, current_version__isnull=False).first()
        if if_missing and published:
            self._summary(visit, published.current_version, "already published")
            return
        started = time.monotonic()
        try:
            job = services.solve_start(visit=visit, time_limit_s=time_limit, reason="demo")
        except services.SolveRefused as exc:
            raise CommandError(str(exc)) from None
        while job.is_active and time.monotonic() - started < timeout:
            time.sleep(0.3)
            services.solve_jobs_reap(programme=job.programme)
            job.refresh_from_db()
        waited = time.monotonic() - started
        if job.is_active:
            raise CommandError(f"The solve is still {job.state} after {timeout:.0f} s.")
        if job.state != SolveJob.State.DONE:
            raise CommandError(
                f"The solve ended {job.state}: {job.message} {job.conflicts or ''}".strip()
            )
        version = job.result_version
        if not no_publish:
            services.version_publish(version=version)
        self._summary(visit, version, f"built through the queue in {waited:.1f} s")
        self.stdout.write(f"  See it: {settings.SITE_URL}/visits/{visit.pk}/")

    def _summary(self, visit, version, how: str) -> None:
        summary = selectors.version_summary(version=version)
        self.stdout.write(
            f"{visit.title}: version {version.number} ({version.solver_status}), {how}\n"
            f"  {summary['days']} days, {summary['placed']} activities placed"
            f" ({summary['unplaced']} optional left out), "
            f"{summary['interpreter_hours']:.1f} interpreter hours, "
            f"{summary['travel_minutes']} min of travel between activities"
        )
