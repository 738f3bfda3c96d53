"""Brygga's one settings module. What differs between machines comes from the environment.

BRYGGA_MODE=demo (the default) is for `make demo` and tests; BRYGGA_MODE=production refuses
unsafe configurations (see brygga/production.py).
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

BRYGGA_MODE = env.str("BRYGGA_MODE", default="demo")
if BRYGGA_MODE not in ("demo", "production"):
    raise environ.ImproperlyConfigured("BRYGGA_MODE must be 'demo' or 'production'.")
DEMO = BRYGGA_MODE == "demo"

# The demo key is public and production refuses it.
DEMO_SECRET_KEY = "brygga-demo-key-not-secret-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Field encryption (django-fernet-encrypted-fields): the first key encrypts, all decrypt.
# Rotate by putting a new key first and running `manage.py rotate_field_keys`.
DEMO_FIELD_KEY = "brygga-demo-field-key"
SALT_KEY = env.list("FIELD_ENCRYPTION_KEYS", default=[DEMO_FIELD_KEY])
# Key for the HMAC blind index on personnummer (find a person without storing it in clear).
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="brygga-demo-blind-index-key")
# Key for the audit log's HMAC hash chain (brygga/audit/chain.py); production needs its own.
DEMO_AUDIT_CHAIN_KEY = "brygga-demo-audit-chain-key"
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default=DEMO_AUDIT_CHAIN_KEY)
# Audit events are written pending and chained by a sealer (decision 0080): run
# `manage.py audit_seal --loop` beside the app servers; as a fallback each app process also
# seals after a response at most this often (0 turns that off).
AUDIT_SEAL_EVERY_SECONDS = env.float("AUDIT_SEAL_EVERY_SECONDS", default=2.0)
# Audit rows are kept this many years, longer than a case (gallring, decision 0092), then
# removed as the oldest part of the log behind a sealed anchor: `manage.py audit_retention`.
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=10)
# Log review: a user who opens more different persons than this in a day is flagged.
AUDIT_MANY_PERSONS_PER_DAY = env.int("AUDIT_MANY_PERSONS_PER_DAY", default=30)
# A person's log extract names staff only when this is on; otherwise their role and unit.
AUDIT_EXTRACT_SHOW_STAFF_NAMES = env.bool("AUDIT_EXTRACT_SHOW_STAFF_NAMES", default=False)
# Scheduled jobs (brygga/jobs, decision 0091): django-tasks with its database backend, so the
# queue lives in the same database (SQLite or PostgreSQL) and needs no server of its own.
# `manage.py jobs_schedule` (from cron, nightly) enqueues; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failing job is tried this many times in all, waiting JOB_RETRY_MINUTES × attempt between.
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_RETRY_MINUTES = env.float("JOB_RETRY_MINUTES", default=10)
# A job still running after this many hours is shown as stalled (its worker was stopped).
JOB_STALLED_HOURS = env.float("JOB_STALLED_HOURS", default=6)
# Emergency access (nödåtkomst) to a case outside one's team lasts this many hours.
EMERGENCY_ACCESS_HOURS = env.float("EMERGENCY_ACCESS_HOURS", default=4)

# Two factors are required unless explicitly switched off (never allowed in production).
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=True)
# In demo mode, users created by the demo-data command may skip the second factor.
DEMO_SKIP_TWO_FACTOR = DEMO and env.bool("DEMO_SKIP_TWO_FACTOR", default=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "brygga.organisation",
    "brygga.audit",
    "brygga.access",
    "brygga.people",
    "brygga.cases",
    "brygga.history",
    "brygga.journal",
    "brygga.support",
    "brygga.partners",
    "brygga.stats",
    "brygga.housing",
    "brygga.network",
    "brygga.web",
    "brygga.retention",
    "brygga.jobs",
    "brygga.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "brygga.audit.middleware.RequestIdMiddleware",
    "brygga.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "brygga.organisation.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brygga.urls"
WSGI_APPLICATION = "brygga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brygga.web.context_processors.brygga",
            ],
        },
    },
]

# SQLite by default so `make demo` needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'brygga.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # PostgreSQL's JIT compiles the report's large aggregates for longer than they run
    # (docs/decisions/0084): off for Brygga's own connections.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The Swedish page organisation/locked_out.html, with the real cool-off time (429).
AXES_LOCKOUT_CALLABLE = "brygga.organisation.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failed logins from one IP address, whichever accounts they name, before that address is
# refused for the cool-off time (brygga/organisation/lockout.py). Higher than the per-account
# limit: an office shares one address.
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
# A new account enrols its authenticator only with a one-time code handed over out of band
# (decision 0021): valid this many hours, spent after ENROLMENT_CODE_FAILURE_LIMIT wrong tries.
ENROLMENT_CODE_HOURS = env.int("ENROLMENT_CODE_HOURS", default=72)
ENROLMENT_CODE_FAILURE_LIMIT = env.int("ENROLMENT_CODE_FAILURE_LIMIT", default=5)

# A manager's grant to reveal a protected person's details ends after this many days.
PROTECTED_GRANT_DAYS = env.int("PROTECTED_GRANT_DAYS", default=30)

# Cache (rate limits): Redis when REDIS_URL is set, shared by every app server; otherwise
# per-process memory, enough for the demo, the tests and a single-process installation.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "brygga",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brygga"}
}
# Searches per user and window (POST /sok/); more get HTTP 429 (brygga/access/ratelimit.py).
SEARCH_RATE_LIMIT = env.int("SEARCH_RATE_LIMIT", default=30)
SEARCH_RATE_WINDOW_SECONDS = env.int("SEARCH_RATE_WINDOW_SECONDS", default=60)
# Registrations of persons per user per window (known and unknown numbers alike).
REGISTRATION_RATE_LIMIT = env.int("REGISTRATION_RATE_LIMIT", default=20)
REGISTRATION_RATE_WINDOW_SECONDS = env.int("REGISTRATION_RATE_WINDOW_SECONDS", default=3600)

# Sessions end after 15 idle minutes: every request renews the cookie.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=15)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = "Brygga"

# Optional single sign-on (mozilla-django-oidc, brygga/organisation/oidc.py): on when
# OIDC_RP_CLIENT_ID is set. Only existing accounts, matched on OIDC_USERNAME_CLAIM, may use it.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
# True only if the identity provider itself demands two factors; otherwise TOTP follows.
OIDC_IDP_ENFORCES_MFA = env.bool("OIDC_IDP_ENFORCES_MFA", default=False)
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    LOGIN_REDIRECT_URL_FAILURE = "/logga-in/"
    AUTHENTICATION_BACKENDS = [
        *AUTHENTICATION_BACKENDS,
        "brygga.organisation.oidc.BryggaOIDCBackend",
    ]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEMO
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEMO
# Front-end packages come from npm (package-lock.json), never from a CDN.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
FORM_RENDERER = "brygga.web.forms.BryggaFormRenderer"
CSRF_FAILURE_VIEW = "brygga.web.views.csrf_failure"

# Security headers. No page may refer to an external host; no inline script or style.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
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
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if not DEMO:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the whole domain to HTTPS in browsers: the domain owner's decision.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Load balancers probe the health check over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Nothing personal in logs: Django's request logger would print URLs and tracebacks with locals.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "brygga": {"handlers": ["console"], "level": "INFO"},
    },
}

# Production refuses to start with an unsafe configuration (demo users: see brygga/wsgi.py).
from brygga.production import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production(globals(), check_database=False)
