"""Settings for FIEP Office, read from the environment.

Every variable is parsed strictly by django-environ: a value that does not parse stops
start-up with a message naming the variable. Defaults are safe for development (SQLite,
Celery eager, e-mail to the console); production (``DJANGO_DEBUG=false``) refuses to start
without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``. Any variable may instead be given as
``NAME_FILE`` pointing at a file holding the value (Docker/Kubernetes secrets).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# .env in the project folder is optional; the real environment wins.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-insecure-fiep-office-key-never-use-in-production"  # noqa: S105


def _value(name, cast, default):
    """Read NAME, or the file named by NAME_FILE, with a clear error on bad input."""
    file_var = f"{name}_FILE"
    try:
        if env.str(file_var, default=""):
            env.ENVIRON[name] = Path(env.str(file_var)).read_text(encoding="utf-8").strip()
        return cast(name, default=default)
    except (ValueError, OSError) as exc:
        raise ImproperlyConfigured(f"Setting {name}: {exc}") from exc


DEBUG = _value("DJANGO_DEBUG", env.bool, True)
SECRET_KEY = _value("SECRET_KEY", env.str, DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = _value(
    "ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when "
            "DJANGO_DEBUG is false (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list this site's host names when DJANGO_DEBUG is false."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "fiep",
    "fiep_requests",
    "facilitators",
    "meetings",
    "evaluations",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fiep.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fiep.middleware.IdleTimeoutMiddleware",
    "fiep.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fiep.urls"
WSGI_APPLICATION = "fiep.wsgi.application"

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
                "fiep.context_processors.branding",
            ],
        },
    },
]

DATABASES = {
    "default": _value("DATABASE_URL", env.db_url, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "fiep.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "fiep.passwords.LengthForAccountValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Two-step log-in (TOTP) for office staff, administrators and facilitators (fiep/mfa.py).
FIEP_MFA_REQUIRED = _value("FIEP_MFA_REQUIRED", env.bool, True)
OTP_TOTP_ISSUER = "FIEP Office"

# django-axes: repeated failed logins are throttled; counters live in the database.
AXES_FAILURE_LIMIT = _value("AXES_FAILURE_LIMIT", env.int, 10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# reports/history is a package inside the reports app with its own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "reports" / "history" / "locale"]
TIME_ZONE = _value("TIME_ZONE", env.str, "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(_value("STATIC_ROOT", env.str, str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(_value("MEDIA_ROOT", env.str, str(BASE_DIR / "media")))
MEDIA_URL = "media/"
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions live in the database so a Redis outage never logs anybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60
FIEP_STAFF_IDLE_TIMEOUT = _value("FIEP_STAFF_IDLE_TIMEOUT", env.int, 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The language switch's cookie: no script reads it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _value("SECURE_SSL_REDIRECT", env.bool, True)
    SECURE_HSTS_SECONDS = _value("SECURE_HSTS_SECONDS", env.int, 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = _value("CSRF_TRUSTED_ORIGINS", env.list, [])
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content Security Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Every form renders through templates/forms/ (field, error summary, ARIA) and gets its
# Bootstrap classes from the renderer's bound field (fiep/forms/renderers.py).
FORM_RENDERER = "fiep.forms.renderers.FormRenderer"

# E-mail: printed to the console unless EMAIL_URL says otherwise (smtp://user:pw@host:587).
EMAIL_CONFIG = _value("EMAIL_URL", env.email_url, "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = _value("DEFAULT_FROM_EMAIL", env.str, "FIEP Office <fiep@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = _value("SITE_URL", env.str, "http://127.0.0.1:8000").rstrip("/")

# Caches: local memory by default (one process: bin/dev, tests). Production sets CACHE_URL
# to Redis so that every gunicorn worker counts the same rate limits; nothing else
# depends on it, and the rate limiter lets people through when it is down.
CACHES = {"default": _value("CACHE_URL", env.cache_url, "locmemcache://")}

# Celery: with no broker configured every task runs eagerly in the calling process.
_broker_url = _value("CELERY_BROKER_URL", env.str, "")
CELERY_TASK_ALWAYS_EAGER = not _broker_url
# An in-memory transport when eager, so nothing ever tries to reach a broker.
CELERY_BROKER_URL = _broker_url or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = _value("CELERY_RESULT_BACKEND", env.str, "") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# kombu's Redis transport waits forever by default; a dead broker must fail fast.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
    "max_retries": 2,
    "visibility_timeout": 3600,
}
CELERY_TIMEZONE = TIME_ZONE

# The state program. Everything a state would change is here or in admin-editable records.
FIEP_STATE_NAME = _value("FIEP_STATE_NAME", env.str, "Missouri")
FIEP_AGENCY_NAME = _value(
    "FIEP_AGENCY_NAME", env.str, "Department of Elementary and Secondary Education"
)
FIEP_OFFICE_EMAIL = _value("FIEP_OFFICE_EMAIL", env.str, "fiep@example.org")
FIEP_OFFICE_PHONE = _value("FIEP_OFFICE_PHONE", env.str, "(555) 010-0100")
FIEP_SCHOOL_YEAR_START_MONTH = _value("FIEP_SCHOOL_YEAR_START_MONTH", env.int, 7)
if not 1 <= FIEP_SCHOOL_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured(
        f"Setting FIEP_SCHOOL_YEAR_START_MONTH: {FIEP_SCHOOL_YEAR_START_MONTH} is not a month "
        "(1 to 12)."
    )
FIEP_SUPPRESSION_THRESHOLD = _value("FIEP_SUPPRESSION_THRESHOLD", env.int, 10)
if FIEP_SUPPRESSION_THRESHOLD < 1:
    raise ImproperlyConfigured("Setting FIEP_SUPPRESSION_THRESHOLD: must be 1 or more.")
FIEP_MIN_LEAD_DAYS = _value("FIEP_MIN_LEAD_DAYS", env.int, 10)
FIEP_EXCLUDED_MEETING_TYPES = _value("FIEP_EXCLUDED_MEETING_TYPES", env.list, [])
FIEP_CONSENT_REMINDER_DAYS = _value("FIEP_CONSENT_REMINDER_DAYS", env.int, 5)
FIEP_CONSENT_EXPIRY_DAYS = _value("FIEP_CONSENT_EXPIRY_DAYS", env.int, 14)
FIEP_RETENTION_YEARS = _value("FIEP_RETENTION_YEARS", env.int, 5)
FIEP_TRIAL_FACILITATIONS = _value("FIEP_TRIAL_FACILITATIONS", env.int, 3)
FIEP_ROTATION_DAYS = _value("FIEP_ROTATION_DAYS", env.int, 365)
FIEP_CONTINUING_EDUCATION_YEARS = _value("FIEP_CONTINUING_EDUCATION_YEARS", env.int, 2)
FIEP_TRAINING_DUE_SOON_DAYS = _value("FIEP_TRAINING_DUE_SOON_DAYS", env.int, 60)
FIEP_OUTCOME_DUE_DAYS = _value("FIEP_OUTCOME_DUE_DAYS", env.int, 15)
FIEP_EVALUATION_EXPIRY_DAYS = _value("FIEP_EVALUATION_EXPIRY_DAYS", env.int, 21)
FIEP_EVALUATION_REMINDER_DAYS_BEFORE = _value("FIEP_EVALUATION_REMINDER_DAYS_BEFORE", env.int, 7)
FIEP_EVALUATION_FOLLOW_UP_DAYS = _value("FIEP_EVALUATION_FOLLOW_UP_DAYS", env.int, 120)
FIEP_EVALUATION_RATE_LIMIT_PER_HOUR = _value("FIEP_EVALUATION_RATE_LIMIT_PER_HOUR", env.int, 60)
FIEP_CASE_HOURS_CAP = _value("FIEP_CASE_HOURS_CAP", env.float, 12.0)
FIEP_RATE_LIMIT_PER_HOUR = _value("FIEP_RATE_LIMIT_PER_HOUR", env.int, 5)
FIEP_FEED_RATE_LIMIT_PER_HOUR = _value("FIEP_FEED_RATE_LIMIT_PER_HOUR", env.int, 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "fiep.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": _value("LOG_LEVEL", env.str, "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
