"""PRB settings: everything that varies comes from the environment (STYLE.md item 9)."""

import json
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from prb.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The development key exists only with DEBUG on; production must bring its own key.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY").strip() or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and DEBUG is off: PRB will not start in production without "
        "its own secret key. Set SECRET_KEY to a long random value (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
        "or set DEBUG=true for development."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "facilities",
    "accounts",
    "patients",
    "interop",
    "eligibility",
    "pharmacy",
    "referrals",
    "alerts",
    "dashboards",
    "satusehat",
    "bpjs",
    "demo",
]

MIDDLEWARE = [
    "prb.middleware.ContentSecurityPolicyMiddleware",
    "prb.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed here (static files come pre-compressed from WhiteNoise, which
    # answers before this line). Why this is safe against BREACH: docs/performance.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    # Writes, once per response, which patients the access helpers and lists showed.
    "patients.reads.PatientReadMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prb.urls"
WSGI_APPLICATION = "prb.wsgi.application"
ASGI_APPLICATION = "prb.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": [
                "template_partials.templatetags.partials",
                "facilities.templatetags.prb_format",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# One engine everywhere: PostgreSQL. DATABASE_URL when set, else the embedded server.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # Only a checkout without DATABASE_URL runs the embedded server (an optional dependency).
    from prb.embedded_db import data_folder, embedded_database_settings

    DATABASES = {"default": embedded_database_settings(data_folder())}
DATABASES["default"].setdefault("TEST", {})
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithFacilityBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account and address out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Idle sessions end after 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Production hardening follows DEBUG: `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every response (prb.middleware): scripts and styles only from PRB's own static files,
# never inline. Swagger UI's icons are data: images.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The interface is Indonesian whatever language the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PRB <noreply@prb.local>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every list API says which patient a row shows; the page's patients are logged.
    "DEFAULT_PAGINATION_CLASS": "patients.reads.PatientReadPagination",
    "PAGE_SIZE": 50,
    # One mapping of errors to answers, one parser with size and depth limits (common/api.py).
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["common.parsers.BoundedJSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PRB API",
    "DESCRIPTION": "Program Rujuk Balik (KMK HK.01.07/MENKES/1645/2024)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are for logged-in users and API tokens only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Token first, so an anonymous request is told to authenticate (401).
    "SERVE_AUTHENTICATION": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The errors each operation can answer (401, 403, 404, 400, 413, 415) are in the schema.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api_schema.document_errors",
    ],
    # Several models call their choices "status": name each set in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "referrals.models.CaseStatus",
        "LetterStatusEnum": "referrals.models.BackReferralLetter.Status",
        "PrescriptionStatusEnum": "pharmacy.models.Prescription.Status",
    },
}

# Celery: Redis when REDIS_URL is set. Without Redis tasks run eagerly in the web process
# and `manage.py run_daily_jobs` runs the beat schedule's jobs (README, "Tanpa Redis").
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Alerts (docs/alerts.md): each sweep job fans out one task per puskesmas.
_ALERT_SWEEPS = (  # (beat job, sweep, when)
    ("alerts-overdue-sweep", "overdue", crontab(hour=5, minute=0)),
    ("alerts-rereferral-sweep", "rereferral", crontab(hour=5, minute=10)),
    ("alerts-stock-sweep", "stock", crontab(hour=5, minute=20)),
    ("alerts-sle-review-sweep", "sle_review", crontab(hour=5, minute=30)),
    ("alerts-patient-reminders", "reminders", crontab(hour=7, minute=0)),
    ("alerts-weekly-digest", "digest", crontab(hour=6, minute=0, day_of_week=1)),
)

CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "sessions-clear-expired": {
        "task": "accounts.tasks.sessions_clear_expired",
        "schedule": crontab(hour=1, minute=0),
    },
    **{
        job: {"task": "alerts.tasks.sweep_all", "schedule": when, "args": (sweep,)}
        for job, sweep, when in _ALERT_SWEEPS
    },
    # The stock card is the record (KMK III.C.6): recompute every balance from it nightly.
    "pharmacy-ledger-reconcile": {
        "task": "alerts.tasks.ledger_reconcile",
        "schedule": crontab(hour=2, minute=0),
    },
    # District dashboards: recompute the months that changed, and roll the current month on.
    "dashboards-facts-refresh-dirty": {
        "task": "dashboards.tasks.facts_refresh_dirty",
        "schedule": crontab(minute="*/10"),
    },
    # National systems (interop): send what is due in every outbox (BPJS, SATUSEHAT).
    "interop-outbox-dispatch-due": {
        "task": "interop.tasks.outbox_dispatch_due",
        "schedule": crontab(minute="*/5"),
    },
    "bpjs-pcare-visits-collect": {
        "task": "bpjs.tasks.pcare_visits_collect",
        "schedule": crontab(minute="*/5"),
    },
    "bpjs-reference-data-load": {
        "task": "bpjs.tasks.reference_data_load",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "dashboards-facts-refresh-current": {
        "task": "dashboards.tasks.facts_refresh_current",
        "schedule": crontab(hour=0, minute=30),
    },
}

# Encrypts the facilities' credentials for BPJS and SATUSEHAT (interop.crypto): one Fernet
# key, or several separated by commas to rotate. Required unless DEBUG.
PRB_CREDENTIALS_KEY = env_str("PRB_CREDENTIALS_KEY")
# SATUSEHAT (satusehat app): the default auth and FHIR root of a facility's settings — the
# staging service until a facility is registered for production.
SATUSEHAT_ROOT = env_str("SATUSEHAT_ROOT", "https://api-satusehat-stg.dto.kemkes.go.id")

# BPJS Kesehatan (docs/bpjs.md): service roots, and credentials for a deployment whose
# facilities have not entered their own (one puskesmas, scripts).
BPJS_VCLAIM_URL = env_str("BPJS_VCLAIM_URL")
BPJS_PCARE_URL = env_str("BPJS_PCARE_URL")
BPJS_APOTEK_URL = env_str("BPJS_APOTEK_URL")
BPJS_CONS_ID = env_str("BPJS_CONS_ID")
BPJS_SECRET_KEY = env_str("BPJS_SECRET_KEY")
BPJS_VCLAIM_USER_KEY = env_str("BPJS_VCLAIM_USER_KEY")
BPJS_PCARE_USER_KEY = env_str("BPJS_PCARE_USER_KEY")
BPJS_APOTEK_USER_KEY = env_str("BPJS_APOTEK_USER_KEY")
BPJS_PCARE_USERNAME = env_str("BPJS_PCARE_USERNAME")
BPJS_PCARE_PASSWORD = env_str("BPJS_PCARE_PASSWORD")
BPJS_PCARE_APP_CODE = env_str("BPJS_PCARE_APP_CODE", "095")
BPJS_TIMEOUT = float(env_str("BPJS_TIMEOUT", "20"))
BPJS_RETRIES = env_int("BPJS_RETRIES", 2)
BPJS_RETRY_BACKOFF = float(env_str("BPJS_RETRY_BACKOFF", "1"))
# Control visits to PCare (facilities without their own settings): from which visit date,
# under which doctor code. Empty date: visits are not sent.
BPJS_PCARE_SYNC_FROM = env_str("BPJS_PCARE_SYNC_FROM")
BPJS_PCARE_DOCTOR_CODE = env_str("BPJS_PCARE_DOCTOR_CODE")
# PCare codes whose meaning is not settled (docs/bpjs.md); JSON in the environment overrides
# any of them. An empty kdStatusPulang is looked up by name in PCare's list.
BPJS_PCARE_DEFAULTS: dict[str, Any] = {
    "kdPoli": "001",
    "kdTkp": "10",
    "kdSadar": "01",
    "kdPrognosa": "01",
    "kdTacc": -1,
    "rujukBalik": 1,
    "kdStatusPulang": "",
    "statusPulangName": "Berobat Jalan",
    **json.loads(env_str("BPJS_PCARE_DEFAULTS", "{}")),
}
# Apotek Online claim fields and the claim-monitoring call, both unsettled (docs/bpjs.md).
BPJS_APOTEK_DEFAULTS: dict[str, Any] = {
    "POLIRSP": "IPD",
    "IDUSERSJP": "PRB",
    "KdDokter": "",
    "iterasi": "0",
    "JHO": 30,
    **json.loads(env_str("BPJS_APOTEK_DEFAULTS", "{}")),
}
BPJS_APOTEK_MONITORING: dict[str, str] = {
    "path": "monitoring/klaim/{month}/{year}/{kind}/{status}",
    "kind": "1",
    "status": "2",
    "list": "listsep",
    "sjp": "nosepapotek",
    "prescription": "noresep",
    "claimed": "byajuan",
    "approved": "bysetujui",
    **json.loads(env_str("BPJS_APOTEK_MONITORING", "{}")),
}

# Patient reminders (alerts.gateways): the default only logs; an SMS/WhatsApp gateway plugs in here.
PRB_REMINDER_GATEWAY = env_str("PRB_REMINDER_GATEWAY", "alerts.gateways.LogGateway")
# Email staff about new alerts (in addition to the notification centre).
PRB_ALERT_EMAILS = env_bool("PRB_ALERT_EMAILS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
