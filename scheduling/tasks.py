"""django-q2 entry points: they take ids and call a service."""

from scheduling import services


def programme_solve_task(job_id: int) -> str:
    return services.programme_solve(job_id=job_id).state
