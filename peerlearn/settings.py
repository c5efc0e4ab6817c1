"""PeerLearn settings: one file, fed by environment variables.

Without any variable set, PeerLearn runs on SQLite with a file-system Celery
broker, so `make run` needs neither PostgreSQL nor Redis. With DATABASE_URL and
REDIS_URL set, it is the production shape (see README, "Production settings").
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_constants
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PEERLEARN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    "peerlearn",
    "initiatives",
    "privacy",
    "surveys",
    "matching",
    "contact",
    "evaluation",
    "diffusion",
    "demo",  # last: the demo loader composes every app above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peerlearn.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peerlearn.middleware.person_language",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "peerlearn.urls"
WSGI_APPLICATION = "peerlearn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "peerlearn.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'peerlearn.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A connection kept across requests is checked before reuse, so a database
        # restart costs a reconnect, not an error page.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so the Celery worker in the integration test sees it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "peerlearn.User"
AUTHENTICATION_BACKENDS = [
    "peerlearn.backends.ModelBackend",
    "peerlearn.backends.AllauthBackend",
]
# Sessions are read from the cache (Redis in production) and written through to the
# database: no query per page to find who is signed in.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts: email is the login; peers may sign in with an emailed one-time code.
ACCOUNT_ADAPTER = "peerlearn.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PeerLearn] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)

REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(location):
    # Sign-in rate limits live here; while Redis is down they count in each process's
    # memory instead (peerlearn/cache.py), and a silent server costs one second.
    return {
        "BACKEND": "peerlearn.cache.RedisCacheWithFallback",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Bootstrap calls the error alert "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# Celery: Redis in production; without it a broker in files under var/, so
# background jobs still run in a separate worker on a fresh machine.
# Publishing a job tries Redis once, with short timeouts: a request never waits long on
# a broker that is down or hung (peerlearn/jobs.py carries on without it).
REDIS_BROKER_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 3}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_OPTIONS
else:
    BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "broker"))
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    # The host is not used, but without one kombu warns on every connection.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {"task": "peerlearn.send_pending_emails", "schedule": 60.0},
    "delete-old-emails": {"task": "peerlearn.delete_old_emails", "schedule": 86400.0},
    "send-contract-reminders": {"task": "initiatives.send_contract_reminders", "schedule": 3600.0},
    "send-engagement-invitations": {
        "task": "initiatives.send_engagement_invitations",
        "schedule": 900.0,
    },
    "send-match-check-ins": {"task": "contact.send_match_check_ins", "schedule": 3600.0},
    "send-survey-reminders": {"task": "surveys.send_survey_reminders", "schedule": 3600.0},
    "nudge-quiet-matches": {"task": "contact.nudge_quiet_matches", "schedule": 3600.0},
    "send-post-digests": {"task": "contact.send_post_digests", "schedule": 3600.0},
    "send-reflection-prompts": {"task": "evaluation.send_reflection_prompts", "schedule": 3600.0},
    # --- self-assessments ---
    "send-self-assessment-requests": {
        "task": "evaluation.send_self_assessment_requests",
        "schedule": 3600.0,
    },
    # --- reports to authorisers ---
    "create-due-reports": {"task": "evaluation.create_due_reports", "schedule": 3600.0},
}

# Email: every message is an outbox row first (peerlearn.outbox), then sent by a task.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
# A sending claim older than this is taken to be a worker that died mid-send, and the
# email is sent again (with the same Message-ID): just above the SMTP timeout.
OUTBOX_CLAIM_TIMEOUT = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT", EMAIL_TIMEOUT + 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PeerLearn <peerlearn@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Sent and failed outbox rows (who was emailed what) are deleted after this many days.
OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "365"))
# Lets demo users read what the platform sent without a mail server.
SHOW_MAILBOX = env_bool("SHOW_MAILBOX", DEBUG)

INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "30"))
# How long the one-click links in a quiet-match nudge work.
NUDGE_LINK_MAX_AGE_DAYS = int(os.environ.get("NUDGE_LINK_MAX_AGE_DAYS", "14"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files (knowledge library, attachments): kept under var/uploads by default and
# never served from a public URL; every download goes through a view that checks access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["peerlearn.uploads.BoundedUploadHandler"]


def file_storage(environ):
    """Where uploaded files are kept: a private S3-compatible bucket when
    STORAGE_S3_BUCKET is set (several web servers then share the files), else MEDIA_ROOT.

    The bucket is never linked to: objects are private, any URL would be signed, and
    every download streams through a view that checks who asks (storage.open).
    """
    bucket = environ.get("STORAGE_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # django-storages imports boto3 only when the storage is first used.
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": environ.get("STORAGE_S3_SECRET_KEY") or None,
            "region_name": environ.get("STORAGE_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": file_storage(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and SITE_URL.startswith("https"))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # --- reports to authorisers ---
    # WeasyPrint logs each step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- road map cache ---
# How long the initiative and road map pages may show a road map computed earlier; changes
# made through the initiative's forms show at once, others (background jobs, a peer joining)
# within this time. 0: never kept.
ROAD_MAP_CACHE_SECONDS = int(os.environ.get("ROAD_MAP_CACHE_SECONDS", "60"))
MIDDLEWARE += ["initiatives.middleware.forget_road_map_on_change"]
# How long a match run's page may list the matches of a run no longer edited (published,
# say) as they were; changes made through the initiative's forms show at once, a person's
# new name within this time. 0: never kept.
MATCH_RUN_CACHE_SECONDS = int(os.environ.get("MATCH_RUN_CACHE_SECONDS", "60"))

# --- dashboard cache ---
# How long the evaluation dashboard, its charts and downloads may show figures computed
# earlier; forgotten like the road map (a form sent on the initiative's pages). 0: never kept.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
# How long a report's web page may reuse its body rendered earlier (charts drawn, tables
# written) for the same content and language. 0: never kept.
REPORT_CACHE_SECONDS = int(os.environ.get("REPORT_CACHE_SECONDS", "3600"))

# --- page weight ---
# Pages are sent compressed (static files already are, by WhiteNoise). Django's
# compression pads each response at random, against the BREACH attack on CSRF tokens.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "django.middleware.gzip.GZipMiddleware",
)

# --- content languages ---
# The sign-up form asks for the person's language too.
ACCOUNT_SIGNUP_FORM_CLASS = "peerlearn.forms.SignupLanguageForm"

# --- personal data: notice and consents ---
# Signed-in people accept each organisation's privacy notice before any other page.
MIDDLEWARE += ["privacy.middleware.notice_gate"]
PRIVACY_NOTICE_GATE = True
# A person's downloadable archive: how long its link works, and the most bytes of their
# uploaded files it carries (files past that are listed in data.json as left out).
PRIVACY_ARCHIVE_DAYS = int(os.environ.get("PRIVACY_ARCHIVE_DAYS", "7"))
PRIVACY_ARCHIVE_MAX_BYTES = int(os.environ.get("PRIVACY_ARCHIVE_MAX_BYTES", str(200 * 1024**2)))
CELERY_BEAT_SCHEDULE["delete-expired-data-archives"] = {
    "task": "privacy.delete_expired_archives",
    "schedule": 3600.0,
}

# --- personal data: erasure and retention ---
# Days a facilitator has to confirm a person's erasure request (later ones show overdue).
ERASURE_CONFIRM_DAYS = int(os.environ.get("ERASURE_CONFIRM_DAYS", "30"))
# Audit entries (who changed, viewed or exported what) are deleted after this many days.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
CELERY_BEAT_SCHEDULE |= {
    "anonymise-closed-initiatives": {
        "task": "privacy.anonymise_closed_initiatives",
        "schedule": 86400.0,
    },
    "delete-old-audit-entries": {"task": "peerlearn.delete_old_audit_entries", "schedule": 86400.0},
}
