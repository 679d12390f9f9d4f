"""Django settings for Okoa.

Every value comes from an environment variable (or ``NAME_FILE`` for secrets). With no
``SECRET_KEY`` Okoa runs in development mode on SQLite under ``var/`` with development keys that
it generates there. Setting ``SECRET_KEY`` makes it production: ``DEBUG`` off and every
development fallback refused.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OKOA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """Read a setting from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_name} cannot be read: {error}"
            ) from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


_secret_key = env("SECRET_KEY")
PRODUCTION = bool(_secret_key)
if PRODUCTION:
    SECRET_KEY = _secret_key or ""
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")
    DEBUG = False
else:
    # Development only: never used once SECRET_KEY is set.
    SECRET_KEY = "django-insecure-okoa-development-only-" + "x" * 20
    DEBUG = env_bool("DEBUG", True)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Two-factor sign-in (okoa/accounts/views.py): Okoa's own devices on django-otp's base.
    "django_otp",
    # Unused, plaintext: kept only because migration accounts 0004 reads (and empties) their
    # tables. Remove them once every installation has applied it and 0004 no longer needs them.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "okoa.vault",
    "okoa.accounts",
    "okoa.audit",
    "okoa.reference",
    "okoa.people",
    "okoa.cases",
    "okoa.screening",
    "okoa.operations",
    "okoa.care",
    "okoa.shelters",
    "okoa.intake",
    "okoa.notifications",
    "okoa.exchange",
    "okoa.directory",
    "okoa.referrals",
    "okoa.retention",
    "okoa.dashboards",
]
if not PRODUCTION:
    INSTALLED_APPS.append("okoa.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "okoa.lib.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "okoa.accounts.middleware.NoStoreMiddleware",
    "okoa.accounts.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: both sign people out with a message for the sign-in page.
    "okoa.accounts.middleware.SessionTimeoutMiddleware",
    "okoa.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "okoa.urls"
WSGI_APPLICATION = "okoa.wsgi.application"

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
                "okoa.accounts.context_processors.membership",
                "okoa.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``postgresql://user:password@host:port/name`` or ``sqlite:///path``."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Parameters sent apart from the statement (psycopg 3), so psycopg prepares the
            # statements a persistent connection repeats: Django's default client-side binding
            # quoted every value in Python, about a quarter of a public report's CPU in the
            # intake surge (docs/benchmarks.md).
            "OPTIONS": {"server_side_binding": True},
        }
    if parts.scheme == "sqlite":
        # sqlite:////srv/okoa.sqlite3 (four slashes, as SQLAlchemy writes an absolute path) and
        # sqlite:///srv/okoa.sqlite3 both mean /srv/okoa.sqlite3: POSIX keeps a leading "//",
        # which SQLite's URIs then read as a host name.
        return sqlite_database(Path("/" + unquote(parts.path).lstrip("/")))
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported.")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "okoa.lib.sqlite",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction, so a busy database waits (timeout) instead of failing
            # half-way through with "database is locked". synchronous=FULL: every commit is on
            # disk when it returns, so a report acknowledged with a reference survives a power
            # cut (NORMAL could lose the last commits), which matters on office machines without
            # a UPS. The engine keeps that promise for transactions while syncing their log
            # after giving up the write lock (okoa/lib/sqlite/base.py).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Persistent connections, as for PostgreSQL: opening an SQLite connection runs the
        # pragmas above and registers Django's SQL functions, about a fifth of the CPU of a
        # public report when it was done for every request (docs/benchmarks.md, intake surge).
        # An idle connection in autocommit mode holds no lock.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
elif env("DB_NAME"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("DB_NAME"),
            "USER": env("DB_USER", ""),
            "PASSWORD": env("DB_PASSWORD", ""),
            "HOST": env("DB_HOST", ""),
            "PORT": env("DB_PORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"server_side_binding": True},  # as in database_from_url
        }
    }
else:
    # The embedded default: the folder is git-ignored, so a fresh clone has to make it.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(VAR_DIR / "okoa.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend reading a session's user with their memberships in one query (accounts/backends.py)
AUTHENTICATION_BACKENDS = ["okoa.accounts.backends.MemberBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sw", _("Kiswahili"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kiswahili date formats; okoa/formats/sw has them.
FORMAT_MODULE_PATH = ["okoa.formats"]
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True

# Uploads (manifests, attachments) hold names: keep them in memory, never in a temporary file.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")) or "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)) or 0)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in and sessions (okoa/accounts/middleware.py, okoa/accounts/access.py). Two-factor sign-in
# is required in production (system check okoa.E003) for every role that sees personal data and
# for site administrators; development leaves it off so that the demo logins need a password only.
OKOA_REQUIRE_TWO_FACTOR = env_bool("OKOA_REQUIRE_TWO_FACTOR", PRODUCTION)
OKOA_IDLE_TIMEOUT_SECONDS = int(env("OKOA_IDLE_TIMEOUT_SECONDS", "1800") or 0)
OKOA_ABSOLUTE_SESSION_SECONDS = int(env("OKOA_ABSOLUTE_SESSION_SECONDS", str(12 * 60 * 60)) or 0)
# Failed sign-ins (wrong password or code) counted over a sliding window: an email address with
# this many failures, or a network address with that many, is refused until the window moves on.
OKOA_SIGN_IN_WINDOW_SECONDS = int(env("OKOA_SIGN_IN_WINDOW_SECONDS", "900") or 0)
OKOA_SIGN_IN_MAX_FAILURES_PER_EMAIL = int(env("OKOA_SIGN_IN_MAX_FAILURES_PER_EMAIL", "5") or 0)
OKOA_SIGN_IN_MAX_FAILURES_PER_ADDRESS = int(env("OKOA_SIGN_IN_MAX_FAILURES_PER_ADDRESS", "30") or 0)
OTP_TOTP_ISSUER = "Okoa"
# Site administrators may delete a lost phone's device (to let its owner enrol again) but never
# see a device's secret or QR code: with them they could make the owner's codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Email (password reset links). Development prints messages to the console.
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST", "localhost") or "localhost"
    EMAIL_PORT = int(env("EMAIL_PORT", "587") or 0)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20  # seconds: a stuck mail server must not hold a request for ever
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Okoa <okoa@localhost>") or ""

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Keys for personal data at rest (see okoa/lib/crypto.py and docs/security.md). In development,
# missing keys are generated once into var/dev-keys.json; in production they are required.
OKOA_ENCRYPTION_KEYS = env("OKOA_ENCRYPTION_KEYS")
OKOA_BLIND_INDEX_KEY = env("OKOA_BLIND_INDEX_KEY")
OKOA_BACKUP_KEY = env("OKOA_BACKUP_KEY")  # seals backups: okoa/vault/backups.py
# Only while `manage.py rotate_keys --blind-index` rebuilds the search tokens under a new key.
OKOA_PREVIOUS_BLIND_INDEX_KEY = env("OKOA_PREVIOUS_BLIND_INDEX_KEY")
OKOA_DEV_KEY_FILE = VAR_DIR / "dev-keys.json"

# Intake channels (okoa/intake/channels/). Africa's Talking's SMS and USSD callbacks are accepted
# when they carry the shared secret (path or X-Okoa-Webhook-Secret header) and/or come from an
# allowed address (CIDRs); with neither configured every callback is refused. Development allows
# loopback, for trying the webhooks with curl.
OKOA_WEBHOOK_SECRET = env("OKOA_WEBHOOK_SECRET", "") or ""
OKOA_WEBHOOK_ALLOWED_IPS = env_list(
    "OKOA_WEBHOOK_ALLOWED_IPS", "" if PRODUCTION else "127.0.0.1/32,::1/128"
)
if PRODUCTION and OKOA_WEBHOOK_SECRET and len(OKOA_WEBHOOK_SECRET) < 32:
    raise ImproperlyConfigured("OKOA_WEBHOOK_SECRET must be at least 32 characters long.")
# Acknowledgement SMS: africastalking, console (development only), null (sends nothing, marks
# sent; tests and benchmarks) or none (no acknowledgement SMS).
OKOA_SMS_GATEWAY = env("OKOA_SMS_GATEWAY", "none" if PRODUCTION else "console") or "none"
if OKOA_SMS_GATEWAY not in {"africastalking", "console", "null", "none"}:
    raise ImproperlyConfigured("OKOA_SMS_GATEWAY must be africastalking, console, null or none.")
if PRODUCTION and OKOA_SMS_GATEWAY == "console":
    raise ImproperlyConfigured("OKOA_SMS_GATEWAY=console would print PINs into the logs.")
OKOA_SMS_API_URL = env("OKOA_SMS_API_URL", "https://api.sandbox.africastalking.com") or ""
OKOA_SMS_USERNAME = env("OKOA_SMS_USERNAME", "sandbox") or ""
OKOA_SMS_API_KEY = env("OKOA_SMS_API_KEY", "") or ""
OKOA_SMS_SENDER_ID = env("OKOA_SMS_SENDER_ID", "") or ""  # sender id or short code; optional
OKOA_SMS_TIMEOUT_SECONDS = float(env("OKOA_SMS_TIMEOUT_SECONDS", "10") or 10)
# Acknowledgements leave from sender threads of each server process once the report is
# committed, so that nobody waits for the gateway; `manage.py send_queued_sms` (every minute)
# sends what a stopped process left behind and retries failures.
OKOA_SMS_SEND_IN_BACKGROUND = env_bool("OKOA_SMS_SEND_IN_BACKGROUND", True)
OKOA_SMS_SENDER_THREADS = int(env("OKOA_SMS_SENDER_THREADS", "4") or 4)
# Notifications (okoa/notifications/): emails and SMS carry an event, a reference and a link,
# OKOA_SITE_URL + a path. They leave from a sender thread once the caller's transaction has
# committed; `manage.py send_notifications` (every minute) retries and sends what was left.
# In production it defaults to https:// and the first named host of ALLOWED_HOSTS.
_named_hosts = [host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
OKOA_SITE_URL = (
    env("OKOA_SITE_URL")
    or (f"https://{_named_hosts[0]}" if PRODUCTION and _named_hosts else "")
    or ("" if PRODUCTION else "http://localhost:8000")
).rstrip("/")
if urlsplit(OKOA_SITE_URL).scheme not in ({"https"} if PRODUCTION else {"https", "http"}):
    raise ImproperlyConfigured("OKOA_SITE_URL must be the site's https:// address.")
OKOA_NOTIFICATIONS_SEND_IN_BACKGROUND = env_bool("OKOA_NOTIFICATIONS_SEND_IN_BACKGROUND", True)
# The intake mailbox, read by `manage.py fetch_intake_email` over TLS (ssl or starttls).
OKOA_INTAKE_IMAP_HOST = env("OKOA_INTAKE_IMAP_HOST", "") or ""
OKOA_INTAKE_IMAP_TLS = env("OKOA_INTAKE_IMAP_TLS", "ssl") or "ssl"
OKOA_INTAKE_IMAP_PORT = int(
    env("OKOA_INTAKE_IMAP_PORT", "143" if OKOA_INTAKE_IMAP_TLS == "starttls" else "993") or 0
)
OKOA_INTAKE_IMAP_USER = env("OKOA_INTAKE_IMAP_USER", "") or ""
OKOA_INTAKE_IMAP_PASSWORD = env("OKOA_INTAKE_IMAP_PASSWORD", "") or ""
OKOA_INTAKE_IMAP_FOLDER = env("OKOA_INTAKE_IMAP_FOLDER", "INBOX") or "INBOX"
# A CA bundle for a mail server with a private certificate; the system's CAs otherwise.
OKOA_INTAKE_IMAP_CA_FILE = env("OKOA_INTAKE_IMAP_CA_FILE", "") or ""
OKOA_INTAKE_ATTACHMENT_MAX_BYTES = int(
    env("OKOA_INTAKE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)) or 0
)
# Reply to each emailed report with its reference and PIN (never to automatic messages).
OKOA_INTAKE_EMAIL_ACKNOWLEDGE = env_bool("OKOA_INTAKE_EMAIL_ACKNOWLEDGE", True)
# Public reports accepted per client address per hour (okoa/intake/actions.py RATE_LIMITS). Many
# phones share one address behind mobile operators' NAT; a benchmark from one address raises it.
OKOA_INTAKE_REPORTS_PER_ADDRESS = int(env("OKOA_INTAKE_REPORTS_PER_ADDRESS", "20") or 0)
# New reports per phone number per hour, counted apart for the web form, SMS and USSD (as a
# keyed hash of the number). Further SMS go into the number's open report; USSD is told to wait.
OKOA_INTAKE_REPORTS_PER_PHONE = int(env("OKOA_INTAKE_REPORTS_PER_PHONE", "5") or 0)

# The exchange between Okoa installations (okoa/exchange/, docs/exchange.md). This installation's
# identity: an id and two private keys (Ed25519 signs, X25519 decrypts), made by
# `manage.py exchange_keys`. Development generates one into var/ on first use; production
# without them has no exchange (the inbox refuses everything).
OKOA_EXCHANGE_INSTALLATION_ID = env("OKOA_EXCHANGE_INSTALLATION_ID")
OKOA_EXCHANGE_SIGNING_KEY = env("OKOA_EXCHANGE_SIGNING_KEY")
OKOA_EXCHANGE_ENCRYPTION_KEY = env("OKOA_EXCHANGE_ENCRYPTION_KEY")
OKOA_EXCHANGE_DEV_IDENTITY_FILE = VAR_DIR / "dev-exchange-identity.json"
# Where partners reach this installation (its partner card); the inbox is <base>/api/exchange/inbox.
OKOA_EXCHANGE_BASE_URL = env(
    "OKOA_EXCHANGE_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
)
OKOA_EXCHANGE_TIMEOUT_SECONDS = float(env("OKOA_EXCHANGE_TIMEOUT_SECONDS", "15") or 15)
# A message whose sending time is further than this from the receiver's clock is refused.
OKOA_EXCHANGE_MAX_SKEW_SECONDS = int(env("OKOA_EXCHANGE_MAX_SKEW_SECONDS", "600") or 600)
# Failed deliveries are tried again after 1, 2, 4... times this (at most six hours apart).
OKOA_EXCHANGE_RETRY_BASE_SECONDS = float(env("OKOA_EXCHANGE_RETRY_BASE_SECONDS", "60") or 60)
# Deliver right after commit from a sender thread (as SMS); `deliver_exchange_messages` retries.
OKOA_EXCHANGE_SEND_IN_BACKGROUND = env_bool("OKOA_EXCHANGE_SEND_IN_BACKGROUND", True)

# Logging never carries personal data: messages name records by opaque code only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry query strings; Okoa keeps personal data out of URLs, and this
        # keeps 4xx request noise (with paths) out of production logs all the same.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO" if DEBUG else "WARNING"},
        # Sign-ins, failures, lockouts, 2FA and password changes: opaque codes and addresses only.
        "okoa.security": {"level": "INFO"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Strict Content Security Policy in every mode, so that tests and development catch what
# production would block: no inline scripts or styles, nothing from other origins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}
