"""A form saved through its API resource (the same service, so a page accepts and refuses
exactly what the API does), and the service's refusals shown on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from planner.crud import resource_save


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
