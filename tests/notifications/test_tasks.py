from django_q.models import Schedule

from confirmations import tasks as confirmation_tasks
from notifications import tasks


def test_schedules_run_the_tick_every_minute_and_reminders_every_hour(db):
    tick = Schedule.objects.get(name="notifications: digests and retries")
    assert (tick.func, tick.schedule_type, tick.minutes) == (
        "notifications.tasks.notifications_tick_task",
        Schedule.MINUTES,
        1,
    )
    reminders = Schedule.objects.get(name="confirmations: remind hosts")
    assert (reminders.func, reminders.schedule_type) == (
        "confirmations.tasks.host_reminders_task",
        Schedule.HOURLY,
    )


def test_scheduled_tasks_run_on_an_empty_database(db):
    assert tasks.notifications_tick_task() == {"digests": 0, "retried": 0}
    assert confirmation_tasks.host_reminders_task() == 0
    assert tasks.email_send_task(999) == "missing"
