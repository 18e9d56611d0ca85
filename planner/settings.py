"""One settings file, driven by the environment.

Nothing set: SQLite in ``var/`` and django-q2's ORM broker (the embedded default).
``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis without a code change.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PLANNER_DATA_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Feeds, host links and emails need an absolute address that the request may not give.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_q",
    # django-ninja's static files: the API docs (Swagger UI) come from us, not from a CDN,
    # under the Content-Security-Policy.
    "ninja",
    "planner",
    "events",
    "delegations",
    "scheduling",
    "feeds",
    "confirmations",
    "notifications",
    "logistics",
    "invitations",
    "personal",
    "orga",
    "outbox",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "feeds.middleware.FeedPollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "planner.csp.ContentSecurityPolicyMiddleware",
]
# Sent on every answer by planner/csp.py: scripts and styles only from our static files (no
# inline script, no <style> block, no style attribute); violations reported to CSP_REPORT_URI
# (at most CSP_REPORTS_PER_MIN per address and minute, CSP_REPORT_MAX_BYTES each, logged).
# Images also from OpenStreetMap's tile server: the day maps of the personal pages (#20).
CSP_DIRECTIVES = [
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data: https://tile.openstreetmap.org"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
]
CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "/csp-report/")
CSP_REPORTS_PER_MIN = int(os.environ.get("CSP_REPORTS_PER_MIN", "60"))
CSP_REPORT_MAX_BYTES = int(os.environ.get("CSP_REPORT_MAX_BYTES", str(16 * 1024)))

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "planner.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "planner" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'planner.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and a worker share the file: WAL lets readers go on while one writes,
    # immediate transactions take the write lock up front, and a writer waits for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # A file, not memory, so that tests can start a real worker process on the same data;
    # one per test session, so that two sessions in one tree never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed passwords per account and per client address before sign-in waits for the end of
# the window (planner/login_throttle.py); a password reset link still signs in.
AUTHENTICATION_BACKENDS = ["planner.login_throttle.ThrottledModelBackend"]
LOGIN_WINDOW_S = int(os.environ.get("LOGIN_WINDOW_S", "900"))
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30"))
# Proxies whose X-Forwarded-For names the client (planner/client.py), as gunicorn's setting.
TRUSTED_PROXIES = [
    a.strip()
    for a in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
    if a.strip()
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "scheduling:visits"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; tests and DEBUG serve them as they are.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_flag("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "planner@example.org")

REDIS_URL = os.environ.get("REDIS_URL", "")
Q_CLUSTER = {
    "name": os.environ.get("Q_CLUSTER_NAME", "planner"),
    "workers": int(os.environ.get("Q_WORKERS", "1")),
    # A solve may run up to a few minutes; a job past timeout is killed, and retry must exceed it.
    "timeout": int(os.environ.get("Q_TIMEOUT", "600")),
    "retry": int(os.environ.get("Q_RETRY", "660")),
    "max_attempts": 1,
    "catch_up": False,
    "label": "Background jobs",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
    # Rendered feeds and the host links' rate limit are cached: shared by every web worker on
    # every machine. The cache holds only copies and counters: while Redis is unreachable
    # reads miss and writes are skipped (planner/cache.py), pages answer from the database.
    CACHES = {
        "default": {
            "BACKEND": "planner.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "planner",
            # A Redis that hangs must not hang the page: give up quickly and use the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    Q_CLUSTER["orm"] = "default"
if env_flag("Q_SYNC"):
    Q_CLUSTER["sync"] = True

# A running solve shows a sign of life every 2 s; one silent this long lost its worker.
SOLVE_STALE_AFTER_S = float(os.environ.get("PLANNER_SOLVE_STALE_AFTER_S", "30"))

# Pending work lives in the database (outbox, solve jobs, emails); the queue only rings the
# bell. A minute sweep rings again for work whose bell is this old, and gives back work a
# dead worker held for longer than OUTBOX_STALE_AFTER_S.
OUTBOX_RERING_AFTER_S = float(os.environ.get("OUTBOX_RERING_AFTER_S", "60"))
OUTBOX_STALE_AFTER_S = float(os.environ.get("OUTBOX_STALE_AFTER_S", "900"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))
OUTBOX_RETRY_BASE_S = float(os.environ.get("OUTBOX_RETRY_BASE_S", "30"))

# Host, feed, invitation and API keys are masked in every line (planner/log_filters.py):
# Django logs the path of every 4xx and 429, and a path can hold a key.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_keys": {"()": "planner.log_filters.MaskKeys"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_keys"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_keys"],
        },
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LOG_LEVEL", "WARNING"),
        "filters": ["mask_keys"],
    },
    "loggers": {
        "django.request": {"filters": ["mask_keys"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_keys"],
        },
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = False
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    if env_flag("HTTPS"):
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
        # The proxy in front (nginx, a load balancer) terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # A request that arrives over plain HTTP is sent to HTTPS (check --deploy W008).
        SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
        # Browsers remember to use HTTPS only (W004); a year, as Django's docs advise once a site
        # is known to work over HTTPS. HSTS_SECONDS=0 turns it off while trying a deployment.
        SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
        # The planner's own subdomains, if any, are ours too (W005).
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        # Preloading is a promise about the whole domain that only its owner can make: left to
        # the operator, so check --deploy's W021 is silenced here, on purpose.
        SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD")
        if not SECURE_HSTS_PRELOAD:
            SILENCED_SYSTEM_CHECKS = ["security.W021"]

NINJA_PAGINATION_MAX_LIMIT = 200

# Host answers and notifications (confirmations/, notifications/).
# Changes for one person are batched: a digest leaves once no change came for this long...
NOTIFY_DIGEST_DELAY_S = float(os.environ.get("NOTIFY_DIGEST_DELAY_S", "900"))
# ...or this long after the first change, whichever comes first.
NOTIFY_DIGEST_MAX_WAIT_S = float(os.environ.get("NOTIFY_DIGEST_MAX_WAIT_S", "3600"))
# EMAIL_BACKEND (above) picks console, file or SMTP; these configure the last two.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "emails"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
EMAIL_RETRY_BASE_S = float(os.environ.get("EMAIL_RETRY_BASE_S", "60"))  # doubles each attempt
EMAIL_SEND_CLAIM_S = float(os.environ.get("EMAIL_SEND_CLAIM_S", "300"))
HOST_REMINDER_AFTER_H = float(os.environ.get("HOST_REMINDER_AFTER_H", "72"))
HOST_REMINDER_MAX = int(os.environ.get("HOST_REMINDER_MAX", "2"))
# A host link works until the midnight after the visit, and at least this many days after it
# was made (a link sent for a visit already over, such as the demo's, still opens).
HOST_LINK_MIN_DAYS = float(os.environ.get("HOST_LINK_MIN_DAYS", "7"))
# Requests per key and minute on the pages and endpoints opened by a host link (0: no limit)...
HOST_LINK_RATE_PER_MIN = int(os.environ.get("HOST_LINK_RATE_PER_MIN", "60"))
# ...and keys that open nothing per client address and minute, before that address's unknown
# keys wait; a key that opened a link is never held back by them (confirmations/ratelimit.py).
HOST_LINK_GUESSES_PER_MIN = int(os.environ.get("HOST_LINK_GUESSES_PER_MIN", "20"))
# Spreadsheet uploads (events/spreadsheet.py): refused past these, naming the limit. The file's
# size (CSV or XLSX as sent), what an XLSX unpacks to (checked before unpacking), filled rows
# (the header aside), columns, and filled cells.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "60"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "200000"))
# An XLSX's shared strings (its cells' distinct texts), which openpyxl holds in memory whole.
IMPORT_MAX_SHARED_STRINGS_BYTES = int(
    os.environ.get("IMPORT_MAX_SHARED_STRINGS_BYTES", str(10 * 1024 * 1024))
)
