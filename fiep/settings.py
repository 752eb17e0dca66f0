"""Settings for FIEP Office, read from the environment.

Every variable is parsed strictly by django-environ: a value that does not parse stops
start-up with a message naming the variable. Defaults are safe for development (SQLite,
Celery eager, e-mail to the console); production (``DJANGO_DEBUG=false``) refuses to start
without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``. Any variable may instead be given as
``NAME_FILE`` pointing at a file holding the value (Docker/Kubernetes secrets).
"""

import ipaddress
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
    # Trigram indexes of the inbox search (fiep_requests 0008): Django compiles an index's
    # operator class (OpClass) only with this app installed. Harmless on SQLite.
    "django.contrib.postgres",
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
    "fiep.middleware.PrivateLinkReferrerMiddleware",
    "fiep.middleware.HostileInputMiddleware",
    "fiep.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Private-link pages send no Referer, so their forms post with "Origin: null".
    "fiep.middleware.PrivateLinkOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fiep.middleware.IdleTimeoutMiddleware",
    "fiep.sso.middleware.SingleSignOnSessionLimitMiddleware",
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
    # Django's ModelBackend, refusing local passwords where FIEP_LOCAL_LOGIN says so.
    "fiep.sso.backends.LocalPasswordBackend",
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

# Single sign-on with the state's identity provider (OpenID Connect, fiep/sso/, docs/security.md).
# Off unless OIDC_ISSUER is set. The discovery document (OIDC_ISSUER +
# /.well-known/openid-configuration) names every endpoint; nothing else is configured here.
OIDC_ISSUER = _value("OIDC_ISSUER", env.str, "")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_CLIENT_ID = _value("OIDC_CLIENT_ID", env.str, "")
OIDC_CLIENT_SECRET = _value("OIDC_CLIENT_SECRET", env.str, "")
#: The claim listing the person's groups or application roles, and the values giving each role.
OIDC_ROLE_CLAIM = _value("OIDC_ROLE_CLAIM", env.str, "groups")
OIDC_ROLE_OFFICE_STAFF = _value("OIDC_ROLE_OFFICE_STAFF", env.list, [])
OIDC_ROLE_ADMINISTRATOR = _value("OIDC_ROLE_ADMINISTRATOR", env.list, [])
#: "Sign in with <OIDC_PROVIDER_NAME>" on the log-in page (default: "your state account",
#: translated).
OIDC_PROVIDER_NAME = _value("OIDC_PROVIDER_NAME", env.str, "")
OIDC_CREATE_USERS = _value("OIDC_CREATE_USERS", env.bool, False)
OIDC_SCOPES = _value("OIDC_SCOPES", env.str, "openid email profile")
OIDC_EMAIL_VERIFIED_CLAIM = _value("OIDC_EMAIL_VERIFIED_CLAIM", env.str, "email_verified")
#: amr values (RFC 8176) and acr values that mean the provider checked a second factor.
OIDC_MFA_AMR = _value("OIDC_MFA_AMR", env.list, ["mfa", "otp", "hwk"])
OIDC_MFA_ACR = _value("OIDC_MFA_ACR", env.list, [])
#: acr_values sent with the sign-in request (e.g. to make the provider ask for MFA).
OIDC_ACR_VALUES = _value("OIDC_ACR_VALUES", env.str, "")
OIDC_SIGN_ALGO = _value("OIDC_SIGN_ALGO", env.str, "RS256")
OIDC_TOKEN_AUTH_METHOD = _value("OIDC_TOKEN_AUTH_METHOD", env.str, "client_secret_basic")
OIDC_CLOCK_SKEW = _value("OIDC_CLOCK_SKEW", env.int, 60)
OIDC_TIMEOUT = _value("OIDC_TIMEOUT", env.int, 10)
#: A single sign-on session ends this many seconds after the sign-in (0: only the usual
#: idle timeout and session age), so that a person switched off at the provider loses access.
OIDC_SESSION_MAX_AGE = _value("OIDC_SESSION_MAX_AGE", env.int, 3600)
#: false: office staff and administrators must use single sign-on (facilitators and district
#: liaisons keep their password and two-step log-in); FIEP_BREAK_GLASS_USERNAME names the one
#: administrator account that keeps its local log-in for when the provider is down.
FIEP_LOCAL_LOGIN = _value("FIEP_LOCAL_LOGIN", env.bool, True)
FIEP_BREAK_GLASS_USERNAME = _value("FIEP_BREAK_GLASS_USERNAME", env.str, "")
if OIDC_ENABLED:
    _missing = [
        name
        for name, value in [
            ("OIDC_CLIENT_ID", OIDC_CLIENT_ID),
            ("OIDC_CLIENT_SECRET", OIDC_CLIENT_SECRET),
        ]
        if not value
    ]
    if not (OIDC_ROLE_OFFICE_STAFF or OIDC_ROLE_ADMINISTRATOR):
        _missing.append("OIDC_ROLE_OFFICE_STAFF or OIDC_ROLE_ADMINISTRATOR")
    if _missing:
        raise ImproperlyConfigured(
            f"Setting OIDC_ISSUER is set, so these must be set too: {', '.join(_missing)}."
        )
    if not DEBUG and not OIDC_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("Setting OIDC_ISSUER: must be an https:// address.")
    if OIDC_SIGN_ALGO[:2] not in ("RS", "ES", "PS"):
        raise ImproperlyConfigured(
            "Setting OIDC_SIGN_ALGO: an asymmetric algorithm (RS256, ES256, PS256, ...)."
        )
    if OIDC_TOKEN_AUTH_METHOD not in ("client_secret_basic", "client_secret_post"):
        raise ImproperlyConfigured(
            "Setting OIDC_TOKEN_AUTH_METHOD: client_secret_basic or client_secret_post."
        )
    AUTHENTICATION_BACKENDS.append("fiep.sso.backends.OIDCBackend")
if not FIEP_LOCAL_LOGIN and not OIDC_ENABLED:
    raise ImproperlyConfigured(
        "Setting FIEP_LOCAL_LOGIN: false needs single sign-on (OIDC_ISSUER) for office staff."
    )

# django-axes: repeated failed logins are throttled; counters live in the database.
AXES_FAILURE_LIMIT = _value("AXES_FAILURE_LIMIT", env.int, 10)
AXES_COOLOFF_TIME = 0.25  # hours
# Failures count per (username, address) pair, and per address with a higher limit
# (FIEP_LOGIN_FAILURES_PER_ADDRESS): see fiep/lockout.py.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "fiep.lockout.LockoutHandler"
FIEP_LOGIN_FAILURES_PER_ADDRESS = _value("FIEP_LOGIN_FAILURES_PER_ADDRESS", env.int, 50)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The same client address as the rate limits and the access log (FIEP_TRUSTED_PROXIES):
# behind a proxy, one address for everyone would let 50 failures lock every office out.
AXES_CLIENT_IP_CALLABLE = "fiep.services.client_ip"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# The project's own catalogues win over Django's and third parties' (the admin's
# "Histórico" for "History", "Modificar" for "Change"): Django merges the app catalogues
# first and LOCALE_PATHS last, so every catalogue of this repository is listed here — the
# project-wide one, reports/history (a package with its own catalogue), then each project
# app's in INSTALLED_APPS order (the first catalogue holding a msgid wins).
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "reports" / "history" / "locale",
    *(
        BASE_DIR / app / "locale"
        for app in INSTALLED_APPS
        if "." not in app and (BASE_DIR / app / "locale").is_dir()
    ),
]
# US dates and times in both languages (fiep/formats/): month first or in words, 12-hour
# times, "." as the decimal point.
FORMAT_MODULE_PATH = ["fiep.formats"]
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
_csp_origins = ["/".join(OIDC_ISSUER.split("/")[:3])] if OIDC_ENABLED else []
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
        # With single sign-on, the log-out form's answer redirects to the provider's
        # end-session page, which form-action also governs.
        "form-action": ["'self'", *_csp_origins],
    }
}

# Every form renders through templates/forms/ (field, error summary, ARIA) and gets its
# Bootstrap classes from the renderer's bound field (fiep/forms/renderers.py).
FORM_RENDERER = "fiep.forms.renderers.FormRenderer"

# E-mail: printed to the console unless EMAIL_URL says otherwise (smtp://user:pw@host:587).
EMAIL_CONFIG = _value("EMAIL_URL", env.email_url, "consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds an SMTP server may take to answer before the try fails (and is retried later):
# a slow server must not hold the worker's slots.
EMAIL_TIMEOUT = _value("EMAIL_TIMEOUT", env.int, 10)
DEFAULT_FROM_EMAIL = _value("DEFAULT_FROM_EMAIL", env.str, "FIEP Office <fiep@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = _value("SITE_URL", env.str, "http://127.0.0.1:8000").rstrip("/")

# Caches: local memory by default (one process: bin/dev, tests). Production sets CACHE_URL
# to Redis so that every gunicorn worker counts the same rate limits; nothing else
# depends on it, and the rate limiter lets people through when it is down.
CACHES = {"default": _value("CACHE_URL", env.cache_url, "locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A hung Redis must cost a page at most half a second (the rate limiter fails open).
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    )

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
# kombu's Redis transport waits forever by default; a dead or hung broker must cost a
# submit at most about 2 s with the cache's 0.5 s (the outbox row is stored first; the
# sweeper sends it later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1.5,
    "socket_connect_timeout": 1,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# One try per publish: a failed enqueue is re-driven by the sweepers, not retried inline.
CELERY_TASK_PUBLISH_RETRY = False
# The result backend (if one is configured) gets the same bounds.
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 1}
# A worker child that grew past this (KiB) is replaced after its task; the hard ceiling
# per child is FIEP_WORKER_MEMORY_LIMIT_MB (fiep/celery.py).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1024 * 1024
# After the publish failed, skip the broker for this many seconds in this process.
FIEP_BROKER_BACKOFF_SECONDS = _value("FIEP_BROKER_BACKOFF_SECONDS", env.int, 30)
FIEP_WORKER_MEMORY_LIMIT_MB = _value("FIEP_WORKER_MEMORY_LIMIT_MB", env.int, 2048)

# The outbox: a claim on a message lasts this long (longer than any SMTP conversation);
# the sweeper runs this often; failed tries wait these many seconds before the next one
# (12 tries over 24.3 hours by default, then "not delivered" on the staff home).
FIEP_OUTBOX_LEASE_SECONDS = _value("FIEP_OUTBOX_LEASE_SECONDS", env.int, 300)
FIEP_OUTBOX_SWEEP_SECONDS = _value("FIEP_OUTBOX_SWEEP_SECONDS", env.int, 60)
FIEP_OUTBOX_RETRY_DELAYS = [
    int(d)
    for d in _value(
        "FIEP_OUTBOX_RETRY_DELAYS",
        env.list,
        ["60", "120", "300", "600", "1200", "2400", "3600", "7200", "14400", "28800", "28800"],
    )
]
# The public form's requests are filed by the worker: the beat's "intake" job runs this
# often; a filing that failed is tried again a minute later per failure, up to this many
# failures (then it waits on /health/ under "intake" for the office).
FIEP_INTAKE_SECONDS = _value("FIEP_INTAKE_SECONDS", env.int, 5)
FIEP_SUBMISSION_MAX_ATTEMPTS = _value("FIEP_SUBMISSION_MAX_ATTEMPTS", env.int, 10)
# The worker's heartbeat (a beat task) runs this often; /health/ calls it stale at 3×.
FIEP_HEARTBEAT_SECONDS = _value("FIEP_HEARTBEAT_SECONDS", env.int, 30)
# /health/ answers within this many seconds whatever hangs.
FIEP_HEALTH_DEADLINE_SECONDS = _value("FIEP_HEALTH_DEADLINE_SECONDS", env.float, 3.0)
# Report runs: the task's time limit; a run still "queued" after FIEP_REPORT_QUEUE_TIMEOUT
# seconds or "running" for FIEP_REPORT_STALE_SECONDS (the time limit + 60 s: its worker
# died) is marked failed by the sweeper.
# The worker's time limit for importing uploaded program-history files (seconds).
FIEP_HISTORY_IMPORT_TIME_LIMIT = _value("FIEP_HISTORY_IMPORT_TIME_LIMIT", env.int, 3600)
FIEP_REPORT_TIME_LIMIT = _value("FIEP_REPORT_TIME_LIMIT", env.int, 600)
FIEP_REPORT_QUEUE_TIMEOUT = _value("FIEP_REPORT_QUEUE_TIMEOUT", env.int, 1800)
FIEP_REPORT_STALE_SECONDS = _value(
    "FIEP_REPORT_STALE_SECONDS", env.int, FIEP_REPORT_TIME_LIMIT + 60
)
FIEP_REPORT_SWEEP_SECONDS = _value("FIEP_REPORT_SWEEP_SECONDS", env.int, 60)
CELERY_TIMEZONE = TIME_ZONE

# The state program. Everything a state would change is here or in admin-editable records.
FIEP_STATE_NAME = _value("FIEP_STATE_NAME", env.str, "Missouri")
FIEP_AGENCY_NAME = _value(
    "FIEP_AGENCY_NAME", env.str, "Department of Elementary and Secondary Education"
)
# The agency's name in Spanish and its grammatical gender ("m": "el Departamento …",
# "f": "la Secretaría …"), so Spanish sentences never carry the English name or a wrong
# article (fiep/branding.py).
FIEP_AGENCY_NAME_ES = _value(
    "FIEP_AGENCY_NAME_ES", env.str, "Departamento de Educación Primaria y Secundaria"
)
FIEP_AGENCY_GENDER_ES = _value("FIEP_AGENCY_GENDER_ES", env.str, "m").strip().lower()
if FIEP_AGENCY_GENDER_ES not in ("m", "f"):
    raise ImproperlyConfigured(
        f"Setting FIEP_AGENCY_GENDER_ES: {FIEP_AGENCY_GENDER_ES!r} is not 'm' (el) or 'f' (la)."
    )
FIEP_OFFICE_EMAIL = _value("FIEP_OFFICE_EMAIL", env.str, "fiep@example.org")
FIEP_OFFICE_PHONE = _value("FIEP_OFFICE_PHONE", env.str, "(555) 010-0100")
# Printed on the paper request form and the flyer (public Materials page); lines split at "|".
FIEP_OFFICE_MAILING_ADDRESS = _value(
    "FIEP_OFFICE_MAILING_ADDRESS",
    env.str,
    "Facilitated IEP Office|PO Box 480|Jefferson City, MO 65102",
)
FIEP_OFFICE_FAX = _value("FIEP_OFFICE_FAX", env.str, "(555) 010-0199")
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
# The reverse proxies in front of the app (addresses or networks, comma-separated): from
# these only, X-Forwarded-For is read for the client's address (rate limits, the access
# log, the consent record); see fiep.services.client_ip and the README. Empty: the
# client's address is REMOTE_ADDR.
FIEP_TRUSTED_PROXIES = _value("FIEP_TRUSTED_PROXIES", env.list, [])
try:
    FIEP_TRUSTED_PROXIES = [
        str(ipaddress.ip_network(value.strip(), strict=False))
        for value in FIEP_TRUSTED_PROXIES
        if value.strip()
    ]
except ValueError as _exc:
    raise ImproperlyConfigured(f"Setting FIEP_TRUSTED_PROXIES: {_exc}") from _exc
FIEP_RATE_LIMIT_PER_HOUR = _value("FIEP_RATE_LIMIT_PER_HOUR", env.int, 5)
# Saves of a date poll's answers per address per hour: a party changes their answers, and
# a district office answers the polls of many cases from one address.
FIEP_DATE_POLL_RATE_LIMIT_PER_HOUR = _value("FIEP_DATE_POLL_RATE_LIMIT_PER_HOUR", env.int, 30)
FIEP_FEED_RATE_LIMIT_PER_HOUR = _value("FIEP_FEED_RATE_LIMIT_PER_HOUR", env.int, 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "fiep.middleware.RequestIdLogFilter"},
        # Private-link tokens in URL paths are never written (fiep/logredact.py).
        "redact_tokens": {"()": "fiep.logredact.RedactTokensFilter"},
        "quiet_403": {"()": "fiep.middleware.PermissionDeniedLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": _value("LOG_LEVEL", env.str, "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO (stylesheets parsed at start-up included).
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # The development server's request lines go through the same (redacting) handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's own handlers (console in DEBUG, mail to ADMINS) would write request
        # paths unredacted: its records go to the root handler above instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # 403s: one INFO line, no traceback in the console (fiep.middleware).
        "django.request": {"filters": ["quiet_403"]},
    },
}
