"""What the people pages share: formset rows, who may edit, and the confirm-delete page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planner.crud import resource_delete


def form_rows(cls, data, *, visit, prefix: str, initial: list[dict], key: str):
    rows = cls(data, visit=visit, prefix=prefix, initial=initial)
    rows.problems = []
    # The rows that carry a value, in order: the service numbers its errors by them.
    rows.filled = (
        [f for f in rows.forms if f.is_valid() and f.cleaned_data.get(key)] if data else []
    )
    return rows


def can_edit(request) -> bool:
    return request.user.organiser.can_edit


def delete_page(request, *, visit, resource, instance, name: str, back: str, nav: str):
    """GET: what deleting would meet (the same check the delete runs); POST: delete, or
    say what still uses it (409), never cascade silently nor fail with a 500."""
    reasons: list[str] = []
    if request.method == "POST":
        try:
            resource_delete(instance, resource=resource)
        except ValidationError as exc:
            reasons = exc.messages
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
            return redirect(back)
    elif resource.before_delete:
        try:
            resource.before_delete(instance=instance)
        except ValidationError as exc:
            reasons = exc.messages
    context = {"visit": visit, "name": name, "reasons": reasons, "back": back, "nav": nav}
    status = 409 if reasons and request.method == "POST" else 200
    return render(request, "orga/people/delete.html", context, status=status)
