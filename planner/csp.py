"""Content-Security-Policy on every answer (Django 5.2 has none built in), and the endpoint
browsers report violations to.

The pages load scripts and styles only from our static files: no inline script, no handler
attribute ("Print" buttons use planner/static/planner/print.js), no ``<style>`` block and no
``style`` attribute (the timetable places its blocks by class, scheduling.timetable.place;
scripts may still set ``element.style``, which the policy does not govern). A script or a
style injected into a page is not applied. The API's docs (Swagger UI) are served from our
static files too (``ninja`` in INSTALLED_APPS), under the same policy. A page that sets its
own header keeps it.

Violations are reported (``report-uri`` for every browser, ``report-to`` with the
``Reporting-Endpoints`` header for Chromium's Reporting API) to ``report``: a POST of at
most CSP_REPORT_MAX_BYTES (413 past it, unread), CSP_REPORTS_PER_MIN per client address and
minute (429 past it), answered 204 and logged as one line on ``planner.csp``, its fields
bounded and on one line, keys masked."""

import json
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from planner.client import client_address
from planner.log_filters import mask

HEADER = "Content-Security-Policy"
REPORTING_HEADER = "Reporting-Endpoints"
REPORT_GROUP = "csp"

log = logging.getLogger("planner.csp")


def policy() -> str:
    directives = list(settings.CSP_DIRECTIVES)
    uri = getattr(settings, "CSP_REPORT_URI", "")
    if uri:
        directives += [("report-uri", uri), ("report-to", REPORT_GROUP)]
    return "; ".join(f"{name} {value}".strip() for name, value in directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy()
        uri = getattr(settings, "CSP_REPORT_URI", "")
        self.reporting = f'{REPORT_GROUP}="{uri}"' if uri else ""

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response and self.header:
            response[HEADER] = self.header
            if self.reporting and REPORTING_HEADER not in response:
                response[REPORTING_HEADER] = self.reporting
        return response


# The fields worth a line, as the two report formats name them (report-uri's "csp-report"
# object, the Reporting API's "body").
FIELDS = (
    ("document", ("document-uri", "documentURL")),
    ("directive", ("effective-directive", "effectiveDirective", "violated-directive")),
    ("blocked", ("blocked-uri", "blockedURL")),
    ("source", ("source-file", "sourceFile")),
    ("line", ("line-number", "lineNumber")),
    ("sample", ("script-sample", "sample")),
)
FIELD_MAX = 200


def _one_line(value) -> str:
    text = str(value)[:FIELD_MAX]
    return "".join(c if c.isprintable() else "?" for c in text)


def _violations(payload) -> list[dict]:
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):  # application/reports+json: a list of reports
        return [
            item["body"]
            for item in payload[:20]
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _summary(violation: dict) -> str:
    parts = []
    for label, names in FIELDS:
        value = next((violation[n] for n in names if violation.get(n) not in (None, "")), None)
        if value is not None:
            parts.append(f"{label}={_one_line(value)}")
    return mask(" ".join(parts))


def _over_rate(request) -> bool:
    per_minute = int(getattr(settings, "CSP_REPORTS_PER_MIN", 60))
    if per_minute <= 0:
        return False
    key = f"csp-report:{client_address(request)}:{int(time.time() // 60)}"
    try:
        if cache.add(key, 1, timeout=120):
            return False
        return cache.incr(key) > per_minute
    except Exception:  # the cache cannot count (Redis down): reports are not worth a 500
        return False


@csrf_exempt  # browsers send reports without a CSRF token; nothing is written but a log line
@require_POST
def report(request):
    limit = int(getattr(settings, "CSP_REPORT_MAX_BYTES", 16 * 1024))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > limit:
        return HttpResponse(status=413)
    if _over_rate(request):
        return HttpResponse(status=429)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse(status=400)
    violations = _violations(payload)
    if not violations:
        return HttpResponse(status=400)
    for violation in violations:
        log.warning("CSP violation: %s", _summary(violation))
    return HttpResponse(status=204)
