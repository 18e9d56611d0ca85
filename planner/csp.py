"""Content-Security-Policy on every answer (Django 5.2 has none built in).

The pages load scripts only from our static files (no inline script, no handler attribute:
"Print" buttons use planner/static/planner/print.js), so a script injected into a page
would not run. Styles allow inline ``style`` attributes and ``<style>`` blocks: the
timetable places its blocks with computed ``top``/``height`` and the printable sheets carry
their own rules; style cannot run code. The API's docs (Swagger UI) are served from our
static files too (``ninja`` in INSTALLED_APPS), under the same policy. A page that sets its
own header keeps it."""

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy() -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in settings.CSP_DIRECTIVES)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy()

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response and self.header:
            response[HEADER] = self.header
        return response
