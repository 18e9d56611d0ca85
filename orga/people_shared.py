"""What the people pages share: refusals shown on the form, a form saved through its API
resource, formset rows, who may edit, and the confirm-delete page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planner.crud import resource_delete, resource_save


def refused(exc: ValidationError, form, rows=None, rows_key: str = "") -> None:
    """The service's reasons, each on its field: a form field, a row's field
    ("languages.1.language") or the rows as a whole; anything else on the form."""
    for field, reasons in getattr(exc, "message_dict", {None: exc.messages}).items():
        head, _dot, rest = (field or "").partition(".")
        for reason in reasons:
            if rows is not None and head == rows_key:
                index, _dot, name = rest.partition(".")
                if index.isdigit() and int(index) < len(rows.filled):
                    row = rows.filled[int(index)]
                    row.add_error(name if name in row.fields else None, reason)
                else:
                    rows.problems.append(reason)
            elif field in form.fields:
                form.add_error(field, reason)
            else:
                form.add_error(None, reason)


def form_saved(request, form, *, resource, visit, instance):
    """The form's payload saved through the API's resource (what the API accepts and refuses):
    the saved object, with "was saved" shown; or None, with the service's reasons on the form."""
    try:
        saved = resource_save(
            resource,
            organisation=visit.owner,
            scope_obj=visit,
            instance=instance,
            data=form.payload(),
        )
    except ValidationError as exc:
        refused(exc, form)
        return None
    messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
    return saved


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
