"""The one settings module: everything that differs between a laptop, CI and production comes
from the environment (or a `*_FILE` beside it, for Docker/Kubernetes secrets)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
# `make run` writes generated local keys here; the file is git-ignored.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Behind TLS in production; tests and `make run` speak plain HTTP on localhost.
HTTPS = env.bool("HTTPS", default=not DEBUG)


def _secret(name: str) -> str:
    return env.str(name, default="").strip()


SECRET_KEY = _secret("SECRET_KEY")
# A list: the first key encrypts, every key decrypts (rotation adds a new key in front).
FIELD_ENCRYPTION_KEY = [k.strip() for k in _secret("FIELD_ENCRYPTION_KEY").split(",") if k.strip()]
BLIND_INDEX_KEY = _secret("BLIND_INDEX_KEY")


def _require_real_keys() -> None:
    """Refuse to start without three separate real secrets: a default key here would leak every client."""
    from cryptography.fernet import Fernet

    problems = []
    if len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY is missing or shorter than 40 characters")
    if not FIELD_ENCRYPTION_KEY:
        problems.append("FIELD_ENCRYPTION_KEY is missing")
    for key in FIELD_ENCRYPTION_KEY:
        try:
            Fernet(key)
        except ValueError:
            problems.append("FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key")
    if len(BLIND_INDEX_KEY) < 32:
        problems.append("BLIND_INDEX_KEY is missing or shorter than 32 characters")
    if len({SECRET_KEY, BLIND_INDEX_KEY, *FIELD_ENCRYPTION_KEY}) < 2 + len(FIELD_ENCRYPTION_KEY):
        problems.append("SECRET_KEY, FIELD_ENCRYPTION_KEY and BLIND_INDEX_KEY must be different secrets")
    if problems:
        raise ImproperlyConfigured(
            "Casework refuses to start: " + "; ".join(problems) + ". See README, 'Keys'."
        )


_require_real_keys()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_otp",
    # For their migrations only: authenticators and recovery codes live in casework.security, encrypted
    # and hashed.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "simple_history",  # the field history's tables (casework.audit.history); no middleware: services name the user
    "casework.orgs",
    "casework.clients",
    "casework.cases",
    "casework.deadlines",
    "casework.audit",
    "casework.security",
    "casework.privacy",
    "casework.platform",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "casework.security.middleware.SessionSecurityMiddleware",
    "casework.audit.middleware.RequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Widgets render through TEMPLATES, so templates/django/forms/ can replace a built-in widget template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.orgs.context_processors.membership",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# The password apart from the URL, so it can be a secret file (DATABASE_PASSWORD_FILE) beside a URL that
# names the role: the app's role for the app, the owner's for the migrate step (README, "Database roles").
if database_password := _secret("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = database_password
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Check a reused connection before each request: after PostgreSQL restarts or drops backends, an unchecked
# stale connection fails the first request on every worker (a 500, and the note it carried is lost).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Covering (INCLUDE) columns are a PostgreSQL speed-up; the SQLite quick run builds the plain index.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The app runs short queries: JIT compilation, triggered by a high cost estimate, added 20-600 ms to
    # some pages and saved nothing, and starting parallel workers cost more than the few milliseconds of
    # work they shared (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c max_parallel_workers_per_gather=0"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if not DEBUG and not REDIS_URL:
    raise ImproperlyConfigured("Casework refuses to start: REDIS_URL is required when DEBUG is off.")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# "Quick exit" signs out and opens this ordinary public page, unless the organisation chose its own.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.gismeteo.ru/")
GUARDIAN_RAISE_403 = False

# Two factors for everyone (casework.security.middleware enforces them).
OTP_TOTP_ISSUER = "Casework"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Lockout after repeated failures, per account and per address; the page says nothing of which part was wrong.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
# Failures are counted under the username as typed, cut to what the lockout's table holds (no 500 on a huge one).
AXES_USERNAME_CALLABLE = "casework.security.signin.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=1 if HTTPS else 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if HTTPS else ["REMOTE_ADDR"]

# Content Security Policy: our own files only, no inline script, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Error reports (mails to ADMINS, debug pages) never show what was posted: it is client data.
DEFAULT_EXCEPTION_REPORTER_FILTER = "casework.security.reporting.NoPostDataFilter"
DEFAULT_EXCEPTION_REPORTER = "casework.security.reporting.NoUploadNamesReporter"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row, anonymous users get nothing
# Field history is read per record (casework.audit.history), never by date across records: no date index.
SIMPLE_HISTORY_DATE_INDEX = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed files made by collectstatic; a laptop or test run serves the sources.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Security: HTTPS-only cookies and HSTS whenever we are behind TLS.
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# However active, a sign-in ends after this many hours (a stolen session cookie stops working by the next day).
SIGN_IN_MAX_HOURS = env.int("SIGN_IN_MAX_HOURS", default=12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# Celery (see DESIGN.md "Reminders and background work"): ids only, JSON only, acks late.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 300  # well below the visibility timeout, so no task is delivered twice while running
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=None)  # for the file-based backend (the CI journey reads its mail)
EMAIL_TIMEOUT = 20  # a hanging mail server must not hold a reminder worker
# The address links in e-mails point to (reminders carry a link and a count, nothing else).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Uploaded files never become public media URLs; they are served through access-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs and, on errors, bodies: keep them to warnings.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

CASES_PAGE_SIZE = 50
