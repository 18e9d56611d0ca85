"""Figures for host answers on the Aude 2009 demo. Prints tables; not a test.

1. The chain a host's decline sets off, stage by stage: the answer recorded (slot declined,
   guests' feeds say cancelled), the background re-plan (django-q2 in sync mode: the worker's
   work, in this process), its publication (auto-publish) with the feeds following, the
   new proposal to the host (digest written and sent), and the guest's feed showing the new
   time.
2. A burst of 10 published changes: emails sent per person (one digest each).

    .venv/bin/python benchmarks/confirmations/run.py [--runs 3] [--time-limit 30] [--worker]

With --worker, the re-plan, the publication's notifications and the emails go through a real
django-q2 cluster (another process, ORM broker; Redis with REDIS_URL), as in production; the
digest's debounce delay (15 min by default) is skipped, as everywhere in these figures.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("PLANNER_DATA_DIR", tempfile.mkdtemp(prefix="planner-bench-"))
os.environ.setdefault("Q_CLUSTER_NAME", f"planner-bench-{os.getpid()}")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

# Hosts decline one after the other (their declines add up); a decline that leaves no
# programme at all (the re-plan fails with its reasons) is reported, then withdrawn.
DECLINING = [
    "Rencontre avec le maire",
    "Le Pays de la Haute Vallée",
    "Journée BASE Sud Audois : Foire",
    "Rencontre au Conseil général",
    "La librairie de Sarrant",
    "Visite de l'atelier d'insertion",
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_q.conf import Conf

    from confirmations import proposals
    from events.models import Visit
    from scheduling import services
    from scheduling.access import AccessToken, access_token_create
    from scheduling.models import SolveJob

    setup_test_environment()  # locmem outbox
    Conf.SYNC = True  # queued tasks run here, at commit, as a worker would
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    visit = Visit.objects.get(slug="aude-2009")
    programme = services.programme_for(visit=visit)

    job = services.solve_start(visit=visit, time_limit_s=args.time_limit)
    job.refresh_from_db()
    if job.state != SolveJob.State.DONE:
        print("first solve:", job.state, job.message)
        return 1
    services.version_publish(version=job.result_version)
    programme.refresh_from_db()
    programme.auto_publish = True
    programme.save(update_fields=["auto_publish"])
    proposals.proposals_send(visit=visit)
    guest = visit.delegations.get().guests.order_by("pk").first()
    _token, feed_key = access_token_create(
        visit=visit, purpose=AccessToken.Purpose.FEED, subject="guest", subject_id=guest.pk
    )
    client = Client()
    client.get(f"/feeds/{feed_key}.ics")  # warm: the feed as it was before
    worker = None
    if args.worker:
        import subprocess

        from benchmarks.queue.run import stop_cluster

        Conf.SYNC = False
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=os.environ.copy(),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)  # the cluster's start-up is not part of the chain
    from django.conf import settings

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    mode = ("Redis" if settings.REDIS_URL else "ORM") + " broker, 1 worker" if worker else "sync"
    print(
        f"Aude 2009: {programme.current_version.slots.count()} slots, "
        f"{len(proposals.hosts_of(programme.current_version))} hosts, "
        f"time limit {args.time_limit:.0f} s, {database}, django-q2 {mode}\n"
    )
    try:
        return _runs(args, locals())
    finally:
        if worker is not None:
            stop_cluster(worker)


def wait_until(predicate, timeout: float = 120.0, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError("the worker did not finish in time")


def _runs(args, env) -> int:
    from django.core import mail
    from django.db import transaction

    from confirmations import answers, links
    from notifications import services as notify
    from notifications.models import OutgoingEmail, PendingChange
    from scheduling import services
    from scheduling.models import Slot, SolveJob

    visit, programme, client = env["visit"], env["programme"], env["client"]
    feed_key, worker = env["feed_key"], env["worker"]

    rows, notified = [], 0
    for title in DECLINING:
        if len(rows) == args.runs:
            break
        programme.refresh_from_db()
        slot = programme.current_version.slots.filter(activity__title__startswith=title).first()
        if slot is None:
            print(f"not placed in this programme (optional): {title}")
            continue
        host = slot.activity.host_links.order_by("pk").first().person
        link, _key = links.host_link_get(visit=visit, person=host)
        before_jobs = SolveJob.objects.count()
        mail.outbox.clear()

        t0 = time.perf_counter()
        # The host's POST, minus HTTP: the answer is written, the re-plan queued at commit.
        with transaction.atomic():
            answers.host_answer_record(
                link=link, slot_id=slot.pk, answer="declined", reason="benchmark"
            )
            t_answer = time.perf_counter()
        if worker is not None:
            wait_until(
                lambda n=before_jobs + 1: (
                    SolveJob.objects.exclude(state__in=SolveJob.ACTIVE_STATES).count() == n
                )
            )
        t_replanned = time.perf_counter()  # sync: the re-plan (and auto-publish) ran at commit
        job = SolveJob.objects.order_by("-pk").first()
        assert SolveJob.objects.count() == before_jobs + 1, "no re-plan started"
        if job.state != SolveJob.State.DONE:
            rules = sorted({c["rule"] for c in job.conflicts})
            print(
                f"{title}: no programme without that time ({job.state}, "
                f"{ms(t_replanned - t0)}; rules: {', '.join(rules)}); decline withdrawn"
            )
            answers.host_answer_record(link=link, slot_id=slot.pk, answer="confirmed")
            continue
        programme.refresh_from_db()
        moved = programme.current_version.slots.get(activity=slot.activity)
        assert moved.start != slot.start
        # The new proposal: the digest leaves once changes settle; here, at once.
        if worker is not None:  # the publication's notifications are a task too
            from django_q.models import Success

            wait_until(
                lambda n=notified + 1: (
                    Success.objects.filter(
                        func="confirmations.tasks.publication_notify_task"
                    ).count()
                    == n
                )
            )
            notified += 1
        sent = notify.digests_flush(force=True)
        if worker is not None:
            ids = [e.pk for e in sent]
            wait_until(
                lambda ids=ids: (
                    not OutgoingEmail.objects.filter(pk__in=ids, state="queued").exists()
                )
            )
        t_proposal = time.perf_counter()
        response = client.get(f"/feeds/{feed_key}.ics")
        t_feed = time.perf_counter()
        body = response.content.decode()
        start = moved.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        local = moved.start.astimezone(__import__("zoneinfo").ZoneInfo(visit.time_zone)).strftime(
            "%Y%m%dT%H%M%S"
        )
        assert start in body or local in body, "the feed does not show the new time"
        to_host = [e for e in sent if e.to_email == host.email]
        rows.append(
            {
                "title": title,
                "answer": t_answer - t0,
                "replan": t_replanned - t_answer,
                "solver": (job.finished_at - job.started_at).total_seconds(),
                "proposal": t_proposal - t_replanned,
                "feed": t_feed - t_proposal,
                "total": t_feed - t0,
                "moves": job.result_version.terms.get("moves", 0),
                "host_emails": len(to_host),
                "emails": len(sent),
            }
        )

    print("Decline → re-plan → new proposal → feed update")
    print(
        f"{'declined':<32} {'answer':>9} {'re-plan+publish':>16} {'(solver)':>10} "
        f"{'proposal':>9} {'feed':>7} {'total':>9} {'moves':>6} {'emails':>7}"
    )
    for r in rows:
        print(
            f"{r['title'][:32]:<32} {ms(r['answer']):>9} {ms(r['replan']):>16} "
            f"{ms(r['solver']):>10} {ms(r['proposal']):>9} {ms(r['feed']):>7} "
            f"{ms(r['total']):>9} {r['moves']:>6} {r['emails']:>7}"
        )
    print(f"median total: {ms(statistics.median(r['total'] for r in rows))}\n")
    if worker is not None:
        return 0  # the burst below needs no worker: it is the same with one

    # A burst of 10 published changes: two meetings go back and forth by 15 minutes.
    programme.auto_publish = False
    programme.save(update_fields=["auto_publish"])
    PendingChange.objects.all().delete()
    mail.outbox.clear()
    first_email = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    from scheduling.models import ProgrammeVersion

    moves = 0
    for i in range(10):
        programme.refresh_from_db()
        current = programme.current_version
        moving = list(
            current.slots.exclude(status=Slot.Status.CANCELLED)
            .filter(locked=False)
            .exclude(status=Slot.Status.CONFIRMED)
            .order_by("start")[:2]
        )
        shift = dt.timedelta(minutes=15 if i % 2 == 0 else -15)
        with transaction.atomic():
            new = ProgrammeVersion.objects.create(
                programme=programme,
                number=programme.versions.count() + 1,
                source=ProgrammeVersion.Source.MANUAL,
                based_on=current,
                note=f"burst {i}",
            )
            for s in current.slots.all():
                delta = shift if s.pk in {m.pk for m in moving} else dt.timedelta()
                Slot.objects.create(
                    version=new,
                    activity_id=s.activity_id,
                    venue_id=s.venue_id,
                    start=s.start + delta,
                    end=s.end + delta,
                    status=s.status,
                    locked=s.locked,
                )
            services.version_publish(version=new)
        moves += len(moving)
    lines = PendingChange.objects.count()
    pending_people = PendingChange.objects.values("email").distinct().count()
    digests = notify.digests_flush(force=True)
    emails = OutgoingEmail.objects.filter(pk__gt=first_email)
    per_person = Counter(emails.values_list("to_email", flat=True))
    print("Burst of 10 published changes (2 meetings moved each time)")
    print(
        f"slot moves published: {moves}; people concerned: {pending_people}; "
        f"lines waiting (one per person and meeting, the latest): {lines}"
    )
    print(
        f"emails sent: {emails.count()} ({len(digests)} digests); "
        f"most to one person: {max(per_person.values(), default=0)}; "
        f"delivered: {emails.filter(state='sent').count()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
