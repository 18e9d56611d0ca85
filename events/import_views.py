"""The import page: choose a kind, upload, check (dry run), then import all or nothing.

The checked file is kept on the server for an hour, under a random token remembered in the
organiser's session; the "Import" form carries only that token, never the file, and the import
re-validates it from scratch anyway. No page ever echoes an upload back.
"""

import io
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

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


KEPT_S = 3600  # a checked file can be imported for an hour
SESSION_KEY = "import_uploads"


def _upload_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "planner-imports"
    path = Path(getattr(settings, "IMPORT_UPLOAD_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _keep(request, filename: str, content: bytes) -> str:
    """Store a checked file server-side; returns the token the "Import" form sends back."""
    folder = _upload_dir()
    now = time.time()
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < now - KEPT_S:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(content)
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[token] = filename[:255]
    # The last few checks only: older tokens are forgotten (their files expire).
    request.session[SESSION_KEY] = dict(list(kept.items())[-5:])
    return token


def _kept(request, token: str) -> tuple[str, bytes]:
    """The file checked in this session under ``token``, or ("", b"")."""
    kept = request.session.get(SESSION_KEY, {})
    if token not in kept:
        return "", b""
    path = _upload_dir() / f"{token}.upload"
    try:
        return kept[token], path.read_bytes()
    except OSError:
        return "", b""


def _forget(request, token: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    if kept.pop(token, None) is not None:
        request.session[SESSION_KEY] = kept
        (_upload_dir() / f"{token}.upload").unlink(missing_ok=True)


def _too_large(request) -> bool:
    """The request's declared size passes the upload limit (plus room for the form fields)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > spreadsheet.limit("IMPORT_MAX_BYTES") + 64 * 1024


def _refuse(request, context, reason: str, status: int):
    context.update(refused=reason)
    return render(request, "events/import.html", context, status=status)


@csrf_exempt  # checked below, once the request's size is known to be reasonable
@login_required
def visit_import_page(request, visit_id: int):
    # Refused from its declared size before the body is read (the CSRF check would read it).
    if request.method == "POST" and _too_large(request):
        visit = page_visit(request, visit_id)
        context = {"visit": visit, "kinds": _kinds(), "kind": "activities"}
        return _refuse(request, context, spreadsheet.too_large_message(), 413)
    return _visit_import_page(request, visit_id)


@csrf_protect
def _visit_import_page(request, visit_id: int):
    visit = page_visit(request, visit_id)
    context = {"visit": visit, "kinds": _kinds(), "kind": request.GET.get("kind", "activities")}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in spreadsheet.KINDS:
            raise Http404
        context["kind"] = kind
        importing = request.POST.get("action") == "import"
        token = ""
        if "file" in request.FILES:
            upload = request.FILES["file"]
            filename = upload.name or ""
            if upload.size > spreadsheet.limit("IMPORT_MAX_BYTES"):
                return _refuse(request, context, spreadsheet.too_large_message(), 413)
            content = upload.read()
        else:
            token = request.POST.get("token", "")
            filename, content = _kept(request, token)
        if not content:
            context["missing_file"] = True
            return render(request, "events/import.html", context, status=400)
        file = io.BytesIO(content)
        file.name = filename
        report = visit_import(visit=visit, kind=kind, file=file, dry_run=not importing)
        if report.refused:
            return _refuse(request, context, report.refused, 400)
        if report.saved:
            if token:
                _forget(request, token)
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
        if not token:
            token = _keep(request, filename, content)
        context.update(report=report, filename=filename, token=token)
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
