"""The import page: choose a kind, upload, check (dry run), then import all or nothing.

The checked file travels back with the "Import" form as a hidden field, so the page needs no
server-side state and no JavaScript; the import re-validates it from scratch anyway.
"""

import base64
import binascii
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from events import spreadsheet
from events.import_services import visit_import
from events.pages import page_visit

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _kinds():
    """Each kind with its label and its column names in the page's language."""
    language = (translation.get_language() or "en")[:2]
    return [
        (kind, spreadsheet.kind_label(kind), [c.header(language) for c in columns])
        for kind, columns in spreadsheet.KINDS.items()
    ]


def _upload(request):
    """The file of this request: a fresh upload, or the checked one sent back by "Import"."""
    if "file" in request.FILES:
        upload = request.FILES["file"]
        return upload.name, upload.read()
    try:
        content = base64.b64decode(request.POST.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    return request.POST.get("filename", ""), content


@login_required
def visit_import_page(request, visit_id: int):
    visit = page_visit(request, visit_id)
    context = {"visit": visit, "kinds": _kinds(), "kind": request.GET.get("kind", "activities")}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in spreadsheet.KINDS:
            raise Http404
        filename, content = _upload(request)
        context["kind"] = kind
        if not content:
            context["missing_file"] = True
            return render(request, "events/import.html", context, status=400)
        importing = request.POST.get("action") == "import"
        file = io.BytesIO(content)
        file.name = filename
        report = visit_import(visit=visit, kind=kind, file=file, dry_run=not importing)
        if report.saved:
            messages.success(
                request,
                _(
                    "Imported %(kind)s from %(file)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "kind": spreadsheet.kind_label(kind),
                    "file": filename,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
            return redirect("scheduling:visit", visit_id=visit.pk)
        context.update(
            report=report,
            filename=filename,
            payload=base64.b64encode(content).decode("ascii"),
        )
    return render(request, "events/import.html", context)


@login_required
def import_template(request, visit_id: int, kind: str, fmt: str):
    visit = page_visit(request, visit_id)
    if kind not in spreadsheet.KINDS or fmt not in FORMATS:
        raise Http404
    language = (translation.get_language() or "en")[:2]
    rows = spreadsheet.template_rows(kind=kind, language=language, day=visit.start_date)
    if fmt == "csv":
        body = spreadsheet.template_csv(rows, language=language)
    else:
        body = spreadsheet.template_xlsx(rows, kind=kind)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response
