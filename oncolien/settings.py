"""OncoLien settings, read from the environment with safe defaults.

Every value a deployment may change comes from an environment variable; nothing
secret is kept in git. The defaults make a local, embedded SQLite installation
work with no set-up, with DEBUG off.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONCOLIEN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_int(name: str, default: int) -> int:
    """An integer, or a start-up error naming the variable (never a silent default)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} doit être un nombre entier (reçu : {value!r})."
        ) from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} doit être un nombre (reçu : {value!r})."
        ) from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, or one generated once into var/ and kept there."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "oncolien.audit",
    "oncolien.accounts",
    "oncolien.reference",
    "oncolien.territories",
    "oncolien.directory",
    "oncolien.fhir",
    "oncolien.pathways",
    "oncolien.assessments",
    "oncolien.referrals",
    "oncolien.indicators",
    "oncolien.aftercare",
    "oncolien.practices",
    "oncolien.surveys",
    "oncolien.notifications",
    "oncolien.web",
    "oncolien.demo",
    "oncolien.background",
    "huey.contrib.djhuey",
    "oncolien.idempotency",
    "oncolien.apitokens",
    # Serves Swagger UI's assets for /api/v1/docs from our static files, not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reads of public data (directory, HSDS, FHIR directory, reference), kept
    # until the data change (oncolien/web/public_cache.py); before the session is read.
    "oncolien.web.public_cache.PublicResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oncolien.audit.middleware.RequestContextMiddleware",
    # An API request's `Authorization: Bearer` token, checked once (oncolien/apitokens).
    "oncolien.apitokens.auth.BearerTokenMiddleware",
    "oncolien.accounts.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A retried API write (same Idempotency-Key) gets its first answer.
    "oncolien.idempotency.middleware.IdempotencyKeyMiddleware",
    # Last, as django-axes asks: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oncolien.urls"
WSGI_APPLICATION = "oncolien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oncolien" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oncolien.notifications.context_processors.unread_notifications",
                "oncolien.pathways.context_processors.open_alerts",
            ],
        },
    },
]

# Storage: embedded SQLite by default, PostgreSQL (production) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'oncolien.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; the timeout waits for a
    # writer instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out client before any password is checked.
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Failed log-ins: django-axes locks the (username, IP) pair after a few failures.
AXES_FAILURE_LIMIT = env_int("ONCOLIEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("ONCOLIEN_LOGIN_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "oncolien.accounts.views.lockout"
AXES_VERBOSE = False

# Two-factor authentication (TOTP): available to every user, and required for
# the roles that will see patient data unless a deployment turns it off.
ONCOLIEN_REQUIRE_2FA = env_bool("ONCOLIEN_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "OncoLien"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ONCOLIEN_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("ONCOLIEN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy every request comes from the proxy's address: the audit trail
# would record it for everyone. Turn this on only behind a proxy that sets
# X-Forwarded-For itself (otherwise a client could write any address there).
ONCOLIEN_TRUST_X_FORWARDED_FOR = env_bool("ONCOLIEN_TRUST_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "oncolien" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "oncolien" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Referrals: days without news before a referral shows on the worklist; validity of the
# provider's signed link.
ONCOLIEN_REFERRAL_STALE_DAYS = env_int("ONCOLIEN_REFERRAL_STALE_DAYS", 14)
ONCOLIEN_REFERRAL_LINK_DAYS = env_int("ONCOLIEN_REFERRAL_LINK_DAYS", 30)
# Who to direct a patient to when no known CPTS covers their commune (name and contact,
# as the intake message says it); empty: « la coordination régionale des CPTS ».
ONCOLIEN_REGIONAL_CONTACT = os.environ.get("ONCOLIEN_REGIONAL_CONTACT", "")

# Self-assessment links: lifetime.
ONCOLIEN_ASSESSMENT_LINK_DAYS = env_int("ONCOLIEN_ASSESSMENT_LINK_DAYS", 7)
# How text messages are sent. No SMS gateway is configured by default: the log-only
# backend sends nothing and each such delivery is recorded as not sent.
ONCOLIEN_SMS_BACKEND = os.environ.get(
    "ONCOLIEN_SMS_BACKEND", "oncolien.notifications.sms.LogOnlyBackend"
)
# The address people reach OncoLien at, for links in e-mails sent outside a request
# (an alert raised, an escalation).
ONCOLIEN_SITE_URL = os.environ.get("ONCOLIEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Secure health messaging (MSSanté): the only channel by which health data (visit
# reports) leaves OncoLien. Not configured by default: nothing with health data is
# sent, care-team users get a link in OncoLien instead. MSSanteBackend needs the
# operator's server, client certificate and key, the CA of the server and the
# operator's MSSanté sender address.
ONCOLIEN_SECURE_MESSAGING_BACKEND = os.environ.get(
    "ONCOLIEN_SECURE_MESSAGING_BACKEND",
    "oncolien.notifications.secure_messaging.NotConfiguredBackend",
)
ONCOLIEN_MSS_HOST = os.environ.get("ONCOLIEN_MSS_HOST", "")
ONCOLIEN_MSS_PORT = env_int("ONCOLIEN_MSS_PORT", 587)
ONCOLIEN_MSS_SECURITY = os.environ.get("ONCOLIEN_MSS_SECURITY", "starttls")  # or "tls"
ONCOLIEN_MSS_CLIENT_CERT = os.environ.get("ONCOLIEN_MSS_CLIENT_CERT", "")
ONCOLIEN_MSS_CLIENT_KEY = os.environ.get("ONCOLIEN_MSS_CLIENT_KEY", "")
ONCOLIEN_MSS_CA_FILE = os.environ.get("ONCOLIEN_MSS_CA_FILE", "")
ONCOLIEN_MSS_SENDER = os.environ.get("ONCOLIEN_MSS_SENDER", "")
ONCOLIEN_MSS_TIMEOUT = env_float("ONCOLIEN_MSS_TIMEOUT", 30)
# Domains of MSSanté addresses: an address whose domain is, or ends with, one of them.
ONCOLIEN_MSS_DOMAINS = env_list("ONCOLIEN_MSS_DOMAINS", "mssante.fr")

# Public contributions to the directory: a form sent back sooner than this many seconds
# after it was opened is taken for a robot's.
ONCOLIEN_CONTRIBUTION_MIN_SECONDS = env_int("ONCOLIEN_CONTRIBUTION_MIN_SECONDS", 3)

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "ONCOLIEN_FROM_EMAIL", "OncoLien <ne-pas-repondre@oncolien.local>"
)

# Background work (huey): escalation every minute, messages with retries. The queue is a
# SQLite file in var/ by default (no server to run); with several app servers it must be
# shared, so REDIS_URL switches it to Redis. `make run` starts the consumer
# (`manage.py run_huey`) beside gunicorn. The tests run tasks at once (immediate mode,
# set in conftest.py) unless a test starts a real consumer.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "oncolien",
    "results": False,
    "utc": True,
    "immediate": env_bool("ONCOLIEN_TASKS_IMMEDIATE", False),
    "consumer": {
        "workers": env_int("ONCOLIEN_TASK_WORKERS", 2),
        "worker_type": "thread",
        "periodic": True,
    },
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
# Seconds between the attempts of a failed message: one retry per value.
try:
    ONCOLIEN_NOTIFY_RETRY_SECONDS = [
        int(value) for value in env_list("ONCOLIEN_NOTIFY_RETRY_SECONDS", "60,300,900")
    ]
except ValueError:
    raise ImproperlyConfigured(
        "La variable d'environnement ONCOLIEN_NOTIFY_RETRY_SECONDS doit être une liste "
        "de nombres entiers séparés par des virgules (p. ex. 60,300,900)."
    ) from None
# The consumer beats every minute; older than this, the health page says it is silent.
ONCOLIEN_HEARTBEAT_STALE_SECONDS = env_int("ONCOLIEN_HEARTBEAT_STALE_SECONDS", 180)
# How long an anonymous answer of public data may be kept at most (0: never kept). A
# recorded change of the data drops it at once; this bounds what no history records.
ONCOLIEN_PUBLIC_CACHE_SECONDS = env_int("ONCOLIEN_PUBLIC_CACHE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONCOLIEN_LOG_LEVEL", "WARNING")},
    # The consumer says once that it started and which tasks it runs, then each task.
    "loggers": {
        "huey": {
            "handlers": ["console"],
            "level": os.environ.get("ONCOLIEN_TASK_LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# --- Upload and request size limits (issue 13) ---
# A request body is refused with a French 413 before it is read when it declares more
# than this (oncolien/web/request_size.py): an upload (multipart) up to the size of the
# largest file a form takes (tables: 20 Mo) and its fields; any other body up to
# DATA_UPLOAD_MAX_MEMORY_SIZE, which Django also applies to what it reads of a body.
ONCOLIEN_UPLOAD_MAX_BYTES = env_int("ONCOLIEN_UPLOAD_MAX_MB", 21) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ONCOLIEN_BODY_MAX_KB", 2560) * 1024
# Uploaded files above this are written to a temporary file instead of kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("ONCOLIEN_UPLOAD_IN_MEMORY_KB", 2560) * 1024
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "oncolien.web.request_size.RequestSizeLimitMiddleware",
)
# An uploaded CSV/XLSX is read in a child process with this address space and this time
# at most (oncolien/bounded_reading.py); 0 for either reads it in the process itself.
ONCOLIEN_TABLE_READING_MEMORY_MB = env_int("ONCOLIEN_TABLE_READING_MEMORY_MB", 1024)
ONCOLIEN_TABLE_READING_SECONDS = env_int("ONCOLIEN_TABLE_READING_SECONDS", 120)
