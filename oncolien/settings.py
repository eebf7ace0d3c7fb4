"""OncoLien settings, read from the environment with safe defaults.

Every value a deployment may change comes from an environment variable; nothing
secret is kept in git. The defaults make a local, embedded SQLite installation
work with no set-up, with DEBUG off.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

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
    # The patient's data rights: export, rectification, anonymisation, retention (issue 13).
    "oncolien.privacy",
    # `manage.py backup` / `manage.py restore` (docs/BACKUPS.md).
    "oncolien.backups",
    # Hormone-therapy follow-up (observance) and return to work after treatment (issue 14).
    "oncolien.adherence",
    "oncolien.worklife",
    # The patient's follow-up booklet and the contacts after the announcement (issue 14).
    "oncolien.contacts",
    "oncolien.booklets",
    # Sectors of a CPTS and the roster, trainings and calendar of its nurses (issue 14).
    "oncolien.sectors",
    "oncolien.trainings",
    # Flyers, posters and their QR campaigns, with the public page they open (issue 14).
    "oncolien.outreach",
    # Serves Swagger UI's assets for /api/v1/docs from our static files, not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: a request id for every log line of the request, and the request's timing.
    "oncolien.web.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A body larger than it declares it may be is refused (413) before it is read
    # (oncolien/web/request_size.py; ONCOLIEN_UPLOAD_MAX_MB below).
    "oncolien.web.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the public cache, so that a kept answer gets the same headers.
    "csp.middleware.CSPMiddleware",
    # Permissions-Policy, and Cache-Control: no-store on what may show patient data.
    "oncolien.web.security_headers.SecurityHeadersMiddleware",
    # While the database is out of reach every request gets a French page or a JSON
    # error (503), never a 500 (oncolien/web/database_outage.py): placed before the
    # first middleware that reads the database (the public cache's fingerprint).
    "oncolien.web.database_outage.DatabaseOutageMiddleware",
    # Anonymous reads of public data (directory, HSDS, FHIR directory, reference), kept
    # until the data change (oncolien/web/public_cache.py); before the session is read.
    "oncolien.web.public_cache.PublicResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A GET or HEAD asks each access grant (care-team membership…) once (accounts/middleware.py).
    "oncolien.accounts.middleware.KeepGrantDecisionsMiddleware",
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

# --- Database pool, shared cache (issue 13) ---
# Storage: embedded SQLite by default, PostgreSQL (production) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'oncolien.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# PostgreSQL with DATABASE_POOL_MAX_SIZE > 0: each process (gunicorn worker, task
# consumer) keeps a psycopg pool of at most that many connections, checked before use,
# instead of one persistent connection per thread. Django requires CONN_MAX_AGE = 0
# with a pool. Size it so that servers × workers × max size stays under PostgreSQL's
# max_connections (README, « Mise en production »).
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env_int("DATABASE_POOL_MIN_SIZE", 1), DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # Seconds a request waits for a free connection before failing.
        "timeout": env_float("DATABASE_POOL_TIMEOUT", 10),
        # A connection idle this long is closed (the pool shrinks back to min_size).
        "max_idle": env_float("DATABASE_POOL_MAX_IDLE", 300),
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Security headers, production mode, logs (issue 13) ---
# ONCOLIEN_ENV=production is a real deployment behind an HTTPS reverse proxy: secure
# cookies, HSTS, redirection to HTTPS, JSON logs, and no start without a secret key and
# the host names. Anything else (the default, "development") keeps `make run` and the
# tests working over plain HTTP on 127.0.0.1. Each setting below can still be set on
# its own from the environment.
ONCOLIEN_ENV = os.environ.get("ONCOLIEN_ENV", "development").strip().lower() or "development"
if ONCOLIEN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        "La variable d'environnement ONCOLIEN_ENV vaut « production » ou « development » "
        f"(reçu : {ONCOLIEN_ENV!r})."
    )
PRODUCTION = ONCOLIEN_ENV == "production"
if PRODUCTION:
    # A generated key in var/ differs between app servers (sessions and signed links
    # would break from one to the other); the local host names answer no real client.
    _missing = [
        name
        for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
        if not os.environ.get(name, "").strip()
    ]
    if _missing:
        raise ImproperlyConfigured(
            "En production (ONCOLIEN_ENV=production), définissez "
            + " et ".join(_missing)
            + " : OncoLien ne démarre pas sans."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "En production (ONCOLIEN_ENV=production), DJANGO_DEBUG doit rester désactivé : "
            "les pages d'erreur de débogage montrent les données de la requête."
        )

SESSION_COOKIE_SECURE = env_bool("ONCOLIEN_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only: HSTS (a year, subdomains, preload list) and a redirection of plain HTTP.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# Probes of a load balancer reach an app server directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/"]


def _proxy_ssl_header(default: str) -> tuple[str, str] | None:
    """« X-Forwarded-Proto: https » → the (META key, value) Django compares."""
    value = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", default).strip()
    if not value:
        return None
    name, sep, expected = value.partition(":")
    if not sep or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            "La variable d'environnement DJANGO_SECURE_PROXY_SSL_HEADER a la forme "
            f"« X-Forwarded-Proto: https » (reçu : {value!r})."
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), expected.strip()


# Behind the TLS-terminating proxy, the request reaches gunicorn in plain HTTP: the
# proxy says the original scheme. It must set this header itself, replacing any a client
# sent (the README's proxy configuration does); empty turns it off.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header("X-Forwarded-Proto: https" if PRODUCTION else "")

# Content-Security-Policy (django-csp 4.0): scripts from our own static files only, no
# inline script or handler (they live in oncolien/static/js/), no plugin, no framing,
# forms posted to ourselves only. style-src also allows inline styles: each pygal chart
# is inline SVG that carries its own <style> element (ids change with each chart, so no
# fixed hash fits), a few templates keep a page-specific <style> block, and Swagger UI
# sets style attributes. Inline style cannot run script, the risk CSP is here for.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
    },
}
# Browser features no page of OncoLien uses, refused to every page and what it embeds.
ONCOLIEN_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "display-capture=(), fullscreen=(self)"
)

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

# No mail server by default: messages are not sent, and the log says only that one was
# not sent, its subject and the recipients' domains. Django's console backend would
# print the body, which holds one-time links (issue 13).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "oncolien.notifications.mail_log.LogOnlyEmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "ONCOLIEN_FROM_EMAIL", "OncoLien <ne-pas-repondre@oncolien.local>"
)
# --- Mail server from the environment (issue 13) ---
# With DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend, the SMTP server
# the task consumer sends through (messages never leave from a request).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_USE_TLS et DJANGO_EMAIL_USE_SSL s'excluent : choisissez l'un des deux."
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
# Django's cache holds the public answers (oncolien/web/public_cache.py). Without Redis
# it is each process's memory, which stays correct (an answer is keyed by the data's
# latest change, read from the database) but is built again by every process; with
# REDIS_URL (or ONCOLIEN_CACHE_URL, for a Redis of its own) every app server shares it.
# Its keys expire, the queue's do not: a Redis shared by both must evict with
# `maxmemory-policy volatile-lru` so that it never drops a queued task.
CACHE_URL = os.environ.get("ONCOLIEN_CACHE_URL", "") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "oncolien",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A directory import waits between its requests and its tasks in files (the upload,
# its verdicts, its progress: oncolien/directory/importing/storage.py). With several
# app servers this directory must be on storage they all share with the task consumer
# (a volume of the compose file, an NFS mount): any of them may serve the next step.
# Empty: VAR_DIR/imports.
ONCOLIEN_IMPORTS_DIR = os.environ.get("ONCOLIEN_IMPORTS_DIR", "")
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

# Logs (issue 13): one line per record on the standard error, JSON by default in
# production (ONCOLIEN_LOG_FORMAT=json|text), each with the request's id; one line per
# request (logger oncolien.requests) with its timing. Never patient data, a query
# string, a token or a phone number (oncolien/web/logs.py).
ONCOLIEN_LOG_FORMAT = os.environ.get("ONCOLIEN_LOG_FORMAT", "json" if PRODUCTION else "text")
if ONCOLIEN_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        "La variable d'environnement ONCOLIEN_LOG_FORMAT vaut « json » ou « text » "
        f"(reçu : {ONCOLIEN_LOG_FORMAT!r})."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "oncolien.web.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "oncolien.web.logs.JsonFormatter"},
        "text": {"()": "oncolien.web.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": ONCOLIEN_LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ONCOLIEN_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The consumer says once that it started and which tasks it runs, then each task.
        "huey": {
            "handlers": ["console"],
            "level": os.environ.get("ONCOLIEN_TASK_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # One line per request: method, path without query string, status, duration
        # (passed on to the root's handler whatever the root's level).
        "oncolien.requests": {"level": os.environ.get("ONCOLIEN_REQUEST_LOG_LEVEL", "INFO")},
        # Django's « Not Found: /path » lines: the path rewritten without its tokens.
        "django.request": {"filters": ["request_context"]},
    },
}

# --- Data rights and retention (issue 13) ---
# Years after a patient's last contact (closure, visit, sheet) when the daily task
# anonymises their data. 20 years: the rule for the medical record of a health
# establishment (Code de la santé publique, art. R. 1112-7), the usual one for health
# records; the field documents say nothing of it. Never less than 1.
ONCOLIEN_RETENTION_YEARS = max(1, env_int("ONCOLIEN_RETENTION_YEARS", 20))
# At most this many patients anonymised per run: the next night goes on.
ONCOLIEN_RETENTION_BATCH = max(1, env_int("ONCOLIEN_RETENTION_BATCH", 500))
# Days an export's files (everything about a patient) are kept for download.
ONCOLIEN_EXPORT_KEEP_DAYS = max(1, env_int("ONCOLIEN_EXPORT_KEEP_DAYS", 7))

# --- Database outage handling (issue 13) ---
# A connection (persistent, or taken from psycopg's pool) is tested before its first use
# in each request, so that after a restart of PostgreSQL each worker reconnects by
# itself instead of failing once on its dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Pro Santé Connect (issue 13) ---
# Log-in through Pro Santé Connect (PSC), the national OpenID Connect provider of health
# professionals (e-CPS app or CPS card), beside the password. Off unless a client id is
# set. An account is found by its RPPS number, never created (oncolien/accounts/psc.py);
# docs/PRO_SANTE_CONNECT.md lists the variables. The OIDC_* names are those
# mozilla-django-oidc reads.
ONCOLIEN_PSC_CLIENT_ID = os.environ.get("ONCOLIEN_PSC_CLIENT_ID", "")
ONCOLIEN_PSC_ENABLED = bool(ONCOLIEN_PSC_CLIENT_ID)
OIDC_RP_CLIENT_ID = ONCOLIEN_PSC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("ONCOLIEN_PSC_CLIENT_SECRET", "")
# The provider's metadata (endpoints, issuer) are read from its discovery document;
# an endpoint set here wins over it. Default: PSC production.
ONCOLIEN_PSC_DISCOVERY_URL = os.environ.get(
    "ONCOLIEN_PSC_DISCOVERY_URL",
    "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/openid-configuration",
)
ONCOLIEN_PSC_ISSUER = os.environ.get("ONCOLIEN_PSC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("ONCOLIEN_PSC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("ONCOLIEN_PSC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("ONCOLIEN_PSC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("ONCOLIEN_PSC_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("ONCOLIEN_PSC_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = os.environ.get("ONCOLIEN_PSC_SCOPES", "openid scope_all")
# eidas1: PSC's level for the e-CPS app and the CPS card; an id token whose acr is not
# one of these is refused.
ONCOLIEN_PSC_ACR_VALUES = os.environ.get("ONCOLIEN_PSC_ACR_VALUES", "eidas1")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": ONCOLIEN_PSC_ACR_VALUES}
OIDC_USE_PKCE = env_bool("ONCOLIEN_PSC_USE_PKCE", True)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("ONCOLIEN_PSC_TOKEN_BASIC_AUTH", False)
OIDC_TIMEOUT = env_float("ONCOLIEN_PSC_TIMEOUT", 10)
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = True  # the hint for ending the session at PSC too
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:psc_callback"
# Log-out also ends the PSC session (its end-session endpoint) when on.
ONCOLIEN_PSC_LOGOUT_AT_PROVIDER = env_bool("ONCOLIEN_PSC_LOGOUT_AT_PROVIDER", True)


def _origin(url: str) -> str:
    """« https://auth.example.fr/realms/x » → « https://auth.example.fr »."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def psc_form_action(directives: dict[str, list[str]], *urls: str) -> dict[str, list[str]]:
    """The CSP directives with the provider's origins added to form-action: log-out is a
    form posted to OncoLien that redirects to PSC's end-session page, and browsers hold
    a form's redirects to the form-action of the page that sent it."""
    origins = [origin for origin in map(_origin, urls) if origin]
    return directives | {"form-action": [*directives["form-action"], *dict.fromkeys(origins)]}


if ONCOLIEN_PSC_ENABLED:
    AUTHENTICATION_BACKENDS = [
        *AUTHENTICATION_BACKENDS,
        "oncolien.accounts.psc.ProSanteConnectBackend",
    ]
    CONTENT_SECURITY_POLICY["DIRECTIVES"] = psc_form_action(
        CONTENT_SECURITY_POLICY["DIRECTIVES"],
        ONCOLIEN_PSC_DISCOVERY_URL,
        ONCOLIEN_PSC_ISSUER,
        OIDC_OP_LOGOUT_ENDPOINT,
    )

# --- Upload and request size limits (issue 13) ---
# A request body is refused with a French 413 before it is read when it declares more
# than this (oncolien/web/request_size.py): an upload (multipart) up to the size of the
# largest file a form takes (tables: 20 Mo) and its fields; any other body up to
# DATA_UPLOAD_MAX_MEMORY_SIZE, which Django also applies to what it reads of a body.
ONCOLIEN_UPLOAD_MAX_BYTES = env_int("ONCOLIEN_UPLOAD_MAX_MB", 21) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ONCOLIEN_BODY_MAX_KB", 2560) * 1024
# Uploaded files above this are written to a temporary file instead of kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("ONCOLIEN_UPLOAD_IN_MEMORY_KB", 2560) * 1024
# An uploaded CSV/XLSX is read in a child process with this address space and this time
# at most (oncolien/bounded_reading.py); 0 for either reads it in the process itself.
ONCOLIEN_TABLE_READING_MEMORY_MB = env_int("ONCOLIEN_TABLE_READING_MEMORY_MB", 1024)
ONCOLIEN_TABLE_READING_SECONDS = env_int("ONCOLIEN_TABLE_READING_SECONDS", 120)
