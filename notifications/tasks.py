"""django-q2 entry points: they take ids and call a service."""

from notifications import services


def email_send_task(email_id: int) -> str:
    email = services.email_send(email_id=email_id)
    return email.state if email else "missing"


def notifications_tick_task() -> dict:
    return services.notifications_tick()
